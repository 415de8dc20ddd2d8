#!/bin/sh
# Regenerates corpus/asm/expected.tsv: nasm's bytes for every line of scripts/asm-corpus-lines.sh,
# each assembled on its own as `BITS n / org 0x401000 / line` with `nasm -f bin` (nasm 2.16).
# Lines nasm rejects or warns about are left out (and listed on stderr): golf must match nasm on
# what nasm assembles cleanly. Needs nasm; the tests only read the committed result.
set -eu
cd "$(dirname "$0")/.."
out=corpus/asm/expected.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  printf '# nasm %s; columns: bits, instruction (assembled at org 0x401000), bytes in hex\n' "$(nasm -v | awk '{print $3}')"
  sh scripts/asm-corpus-lines.sh | while IFS="$(printf '\t')" read -r bits line; do
    printf 'BITS %s\norg 0x401000\n%s\n' "$bits" "$line" > "$tmp/t.asm"
    if nasm -f bin -o "$tmp/t.bin" "$tmp/t.asm" 2> "$tmp/err" && [ ! -s "$tmp/err" ]; then
      printf '%s\t%s\t%s\n' "$bits" "$line" "$(od -An -v -tx1 "$tmp/t.bin" | tr -d ' \n')"
    else
      echo "skipped ($bits) $line: $(head -1 "$tmp/err")" >&2
    fi
  done
} > "$out"
echo "wrote $(grep -vc '^#' "$out") lines to $out" >&2
