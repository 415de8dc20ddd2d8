#!/bin/sh
# Builds the reference programs of corpus/programs/ from their NASM sources (nasm 2.16, -f bin).
# The binaries are committed, so golf and its tests never need nasm; rerun this after editing a
# source. seed-hello is built by the assembler's own fixtures and is skipped here.
set -e
cd "$(dirname "$0")/../corpus/programs"
for src in *.asm; do
  name="${src%.asm}"
  [ "$name" = seed-hello ] && continue
  nasm -f bin -o "$name" "$src"
  chmod 755 "$name"
done
