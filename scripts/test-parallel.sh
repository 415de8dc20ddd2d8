#!/usr/bin/env bash
# End-to-end test of the README's GNU parallel recipes: four shards run by `parallel` on this
# machine (-j2), and on two "remote" hosts over ssh (-S ... --return ... --cleanup), where an sshd
# on a loopback port with key authentication, started here and stopped by pid, stands in for
# them. Each time golf merge must give the unsharded search's file from exactly the four shards.
# Exit 0 passed, 1 failed, 77 skipped (GNU parallel not installed). The ssh part is skipped, and
# says so, when sshd, ssh-keygen or rsync is missing or this is not root.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
node=$(command -v node)
golf=("$node" "$root/bin/golf.js")
target=(--target exit42)
search=("${target[@]}" --max-size 80 --max-nodes 20000)

command -v parallel >/dev/null 2>&1 || { echo "parallel end-to-end: SKIPPED: GNU parallel not installed (apt-get install parallel)"; exit 77; }
t=$(mktemp -d /tmp/golf-parallel-XXXXXX)
pids=()
failed=0
fail() { echo "FAIL: $*"; failed=1; }
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  [ "$failed" != 0 ] && for f in "$t"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  rm -rf "$t"
}
trap stop EXIT

"${golf[@]}" search "${search[@]}" --no-record --json -o "$t/whole" >"$t/whole.json" 2>"$t/whole.log" || fail "the unsharded search failed"
same_as_whole() { # label, directory with part*.json
  "${golf[@]}" merge "${target[@]}" "$2"/part*.json --no-record --json >"$2/merge.json" 2>"$t/merge-$1.log" || { fail "$1: golf merge failed"; return; }
  node -e '
    const fs = require("fs");
    const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8")), w = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
    console.log(`${process.argv[3]}: merged ${m.size} bytes from shards ${m.shards} (${m.shardTimes.map((s) => `${s.shard} on ${s.host} ${(s.elapsedMs / 1000).toFixed(1)} s`).join(", ")}); unsharded ${w.size} bytes`);
    if (m.shards !== "4/4") { console.log(`FAIL: ${process.argv[3]}: shards ${m.shards}`); process.exitCode = 1; }
    if (m.hex === null || m.hex !== w.hex) { console.log(`FAIL: ${process.argv[3]}: the merged file is not the unsharded search'"'"'s`); process.exitCode = 1; }
  ' "$2/merge.json" "$t/whole.json" "$1" || failed=1
}

# 1. This machine, two shards at a time (the README's local recipe).
mkdir -p "$t/local"
(cd "$t/local" && parallel --will-cite -j2 "${golf[@]}" search "${search[@]}" --workers 1 --shard {}/4 --partial part{}.json ::: 1 2 3 4) >"$t/local.log" 2>&1 \
  || fail "parallel (local) failed"
same_as_whole local "$t/local"

# 2. Two ssh hosts (both this machine, through an sshd on a loopback port).
missing=
for b in sshd ssh ssh-keygen rsync; do command -v "$b" >/dev/null 2>&1 || missing="$missing $b"; done
[ "$(id -u)" = 0 ] || missing="$missing root"
if [ -n "$missing" ]; then
  echo "parallel end-to-end: ssh hosts SKIPPED (missing:$missing; apt-get install openssh-server rsync)"
else
  ssh-keygen -q -t ed25519 -N '' -f "$t/host_key" && ssh-keygen -q -t ed25519 -N '' -f "$t/user_key" || fail "ssh-keygen"
  cp "$t/user_key.pub" "$t/authorized_keys"
  chmod 600 "$t/authorized_keys"
  port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
  mkdir -p /run/sshd
  /usr/sbin/sshd -D -e -f /dev/null -p "$port" -h "$t/host_key" -o ListenAddress=127.0.0.1 -o AuthorizedKeysFile="$t/authorized_keys" \
    -o PermitRootLogin=prohibit-password -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o UsePAM=no -o StrictModes=no \
    -o PidFile=none -o "SetEnv=PATH=$(dirname "$node"):/usr/bin:/bin" >"$t/sshd.log" 2>&1 &
  pids+=("$!")
  cat >"$t/ssh_config" <<EOF
Host golf-host1 golf-host2
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $t/user_key
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
  BatchMode yes
EOF
  for _ in $(seq 50); do ssh -F "$t/ssh_config" golf-host1 true 2>/dev/null && break; sleep 0.2; done
  ssh -F "$t/ssh_config" golf-host1 true || fail "cannot log in to the loopback sshd"
  # Every host must plan alike: hosts may hold different records, so the bound is given.
  bound=$("${golf[@]}" search "${search[@]}" --shards 4 --plan --json 2>/dev/null | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).bound ?? "first-pass"))')
  mkdir -p "$t/remote"
  before=$(ls -d ~/.parallel/tmp/*/ 2>/dev/null | wc -l)
  (cd "$t/remote" && parallel --will-cite --ssh "ssh -F $t/ssh_config" -S 1/golf-host1,1/golf-host2 --wd ... --return part{}.json --cleanup \
    "${golf[@]}" search "${search[@]}" --bound "$bound" --workers 1 --shard {}/4 --partial part{}.json ::: 1 2 3 4) >"$t/remote.log" 2>&1 \
    || fail "parallel (ssh hosts) failed"
  same_as_whole "ssh hosts" "$t/remote"
  # --cleanup removed the remote working directories.
  after=$(ls -d ~/.parallel/tmp/*/ 2>/dev/null | wc -l)
  [ "$after" -le "$before" ] || fail "--cleanup left $((after - before)) working directories in ~/.parallel/tmp"
fi

[ "$failed" = 0 ] && echo "parallel end-to-end: PASSED" || echo "parallel end-to-end: FAILED"
exit "$failed"
