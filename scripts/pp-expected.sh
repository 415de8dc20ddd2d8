#!/bin/sh
# Regenerates corpus/asm/pp-expected.json: nasm's output for each generated preprocessor program
# of scripts/pp-programs.ts (nasm 2.16, -f bin, -i inc/). Needs nasm; the tests only read the result.
set -eu
cd "$(dirname "$0")/.."
npx tsc -p tsconfig.json
node dist/scripts/pp-expected.js
