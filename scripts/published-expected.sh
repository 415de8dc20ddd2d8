#!/bin/sh
# Records nasm's answer for published NASM sources in corpus/asm/published.tsv, without the sources
# themselves (they are other people's code, fetched for comparison only; see issue 11's note).
# DIR holds one directory per repository, named OWNER+NAME, with the repository's files at their
# paths and a COMMIT file naming the commit they came from. Each .asm/.nasm file is assembled with
# `nasm -f bin` in its own directory (as its Makefile or comment says to). Needs nasm.
# Columns: repository, commit, path, sha256 of the source, nasm's result (sha256:HEX of the output,
# warned:sha256:HEX when nasm warned, or error: first error line).
set -eu
dir=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
out=$(pwd)/corpus/asm/published.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  printf '# %s; repository\tcommit\tpath\tsource sha256\tnasm -f bin result\n' "$(nasm -v)"
  for repo in "$dir"/*/; do
    name=$(basename "$repo")
    commit=$(cat "$repo/COMMIT")
    (cd "$repo" && find . \( -name '*.asm' -o -name '*.nasm' \) | sed 's|^\./||' | sort) | while read -r path; do
      src="$repo/$path"
      [ -s "$src" ] || continue
      sum=$(sha256sum "$src" | cut -d' ' -f1)
      if (cd "$(dirname "$src")" && nasm -f bin -o "$tmp/out" "$(basename "$src")" 2> "$tmp/err"); then
        result="sha256:$(sha256sum "$tmp/out" | cut -d' ' -f1)"
        [ -s "$tmp/err" ] && result="warned:$result"
      else
        result="error: $(grep -m1 -E ': (error|fatal):' "$tmp/err" | sed -E 's/^[^:]*:[0-9]*: (error|fatal): //' || true)"
      fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$(echo "$name" | tr + /)" "$commit" "$path" "$sum" "$result"
    done
  done
} > "$out"
echo "wrote $(grep -vc '^#' "$out") sources to $out" >&2
