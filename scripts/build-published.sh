#!/bin/sh
# Builds the published programs of corpus/published/ from golf's NASM sources (nasm 2.16, -f bin)
# and checks each against the SHA-256 of the bytes its author published (published.json), so a
# source that drifts from the published listing fails here. The binaries are committed: golf and
# its tests never need nasm. Derived variants (published.json "derivedFrom") are their base file
# with the listed bytes patched.
set -e
cd "$(dirname "$0")/../corpus/published"
for src in *.asm; do
  name="${src%.asm}"
  nasm -f bin -o "$name" "$src"
  chmod 755 "$name"
done
# One line per derived variant: NAME BASE OFFSET HEXBYTE (from published.json).
node -e '
  const m = require("./published.json");
  for (const [name, e] of Object.entries(m.files)) {
    if (e.derivedFrom) for (const p of e.derivedFrom.patch) console.log(name, e.derivedFrom.file, p.offset, p.byte.replace(/^0x/, ""));
  }
' | while read -r name base offset byte; do
  cp "$base" "$name"
  printf "\\$(printf '%03o' "0x$byte")" | dd of="$name" bs=1 seek="$offset" conv=notrunc status=none
  chmod 755 "$name"
done
node -e '
  const { createHash } = require("crypto");
  const { readFileSync } = require("fs");
  const m = require("./published.json");
  let bad = 0;
  for (const [name, e] of Object.entries(m.files)) {
    const bytes = readFileSync(name);
    const digest = createHash("sha256").update(bytes).digest("hex");
    const ok = digest === e.sha256 && bytes.length === e.size;
    if (!ok) bad++;
    console.log(`${ok ? "ok  " : "DIFF"} ${name}: ${bytes.length} bytes, sha256 ${digest}`);
  }
  process.exit(bad ? 1 : 0);
'
