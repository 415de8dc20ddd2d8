#!/usr/bin/env bash
# End-to-end test of golf on a real Slurm: a private single-node cluster (munged, slurmctld and
# slurmd from Debian's slurm-wlm and munge, on their own socket, ports, spool and config, started
# here and stopped by pid), `golf search --emit slurm` submitted as written, then checked:
# - the merge job waits on the array (Dependency=afterok:<array>) and runs only after every task;
# - every shard found its index through --shard auto and the merged file is the unsharded search's;
# - when one shard fails, the merge job never runs.
# Exit 0 passed, 1 failed, 77 skipped (no Slurm or munge here, or not root).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
golf=(node "$root/bin/golf.js")
# The search the test splits: small, so the test is about the scheduler, not the search.
search=(--target exit42 --max-size 80 --max-nodes 20000)

skip() { echo "slurm end-to-end: SKIPPED: $*"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (slurmd runs jobs as their user)"
for b in munged slurmctld slurmd sbatch scontrol sinfo; do command -v "$b" >/dev/null 2>&1 || skip "$b not installed (apt-get install slurm-wlm munge)"; done
id munge >/dev/null 2>&1 || skip "no munge user"

t=$(mktemp -d /tmp/golf-slurm-XXXXXX)
chmod 755 "$t"
pids=()
failed=0
fail() { echo "FAIL: $*"; failed=1; }
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  if [ "$failed" != 0 ]; then
    for f in "$t"/log/*.log "$t"/run*/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  fi
  rm -rf "$t"
}
trap stop EXIT

# munge: its own key, socket and state, as the munge user.
mkdir -p "$t/munge" "$t/log" "$t/ctld" "$t/d" "$t/etc"
dd if=/dev/urandom of="$t/munge/munge.key" bs=1024 count=1 status=none
chown -R munge: "$t/munge"
chmod 700 "$t/munge"
chmod 400 "$t/munge/munge.key"
runuser -u munge -- /usr/sbin/munged --socket="$t/munge/sock" --key-file="$t/munge/munge.key" \
  --pid-file="$t/munge/munged.pid" --log-file="$t/munge/munged.log" --seed-file="$t/munge/seed" --force \
  || { fail "munged did not start"; cat "$t/munge/munged.log" 2>/dev/null; exit 1; }
for _ in $(seq 50); do [ -s "$t/munge/munged.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$t/munge/munged.pid")")

# Free ports for the controller and the node daemon.
ports=$(node -e '
  const net = require("net"); const out = [];
  const one = () => new Promise((r) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  (async () => { for (let i = 0; i < 2; i++) out.push(await one()); console.log(out.join(" ")); })();')
read -r ctldport dport <<<"$ports"
host=$(hostname)
node_line=$(slurmd -C | head -1)
cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node_line")
mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node_line")
cat >"$t/etc/slurm.conf" <<EOF
ClusterName=golftest
SlurmctldHost=$host
SlurmctldPort=$ctldport
SlurmdPort=$dport
AuthType=auth/munge
AuthInfo=socket=$t/munge/sock
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$t/ctld
SlurmdSpoolDir=$t/d
SlurmctldPidFile=$t/ctld/slurmctld.pid
SlurmdPidFile=$t/d/slurmd.pid
SlurmctldLogFile=$t/log/slurmctld.log
SlurmdLogFile=$t/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
ReturnToService=2
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$((mem / 2))
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$t/etc/slurm.conf"
/usr/sbin/slurmctld -D -f "$SLURM_CONF" >"$t/log/slurmctld.out" 2>&1 &
pids+=("$!")
/usr/sbin/slurmd -D -f "$SLURM_CONF" >"$t/log/slurmd.out" 2>&1 &
pids+=("$!")
state=
for _ in $(seq 120); do
  state=$(sinfo -h -o %t 2>/dev/null | head -1)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || { fail "the node did not become idle (sinfo: ${state:-no answer})"; exit 1; }
echo "slurm: $(sinfo -V), node $host idle (ports $ctldport/$dport)"

job_field() { scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p"; }
wait_done() { # job id; prints its final state
  local s=
  for _ in $(seq 600); do
    s=$(job_field "$1" JobState | sort -u | tr '\n' ' ')
    case "$s" in *PENDING*|*RUNNING*|*CONFIGURING*|*COMPLETING*|"") sleep 1 ;; *) break ;; esac
  done
  echo "$s"
}

# 1. The script golf writes, submitted as a user would: bash SCRIPT.
"${golf[@]}" search "${search[@]}" --shards 4 --workers 1 --no-record --emit slurm >"$t/submit.sh" 2>"$t/log/emit.log" || { fail "golf search --emit slurm failed"; cat "$t/log/emit.log"; exit 1; }
bash -n "$t/submit.sh" || fail "the emitted script is not valid bash"
start=$(date +%s)
out=$(GOLF_SHARD_DIR="$t/run" bash "$t/submit.sh") || { fail "submitting failed: $out"; exit 1; }
echo "$out" | head -1
array=$(sed -n 's/.*array=\([0-9]*\) merge=\([0-9]*\).*/\1/p' <<<"$out")
merge=$(sed -n 's/.*array=\([0-9]*\) merge=\([0-9]*\).*/\2/p' <<<"$out")
[ -n "$array" ] && [ -n "$merge" ] || { fail "no job ids in: $out"; exit 1; }
dep=$(job_field "$merge" Dependency)
case "$dep" in afterok:"$array"_\**|afterok:"$array"\(*|afterok:"$array"_*) echo "merge job $merge: Dependency=$dep" ;; *)
  # The array may already be done (then Slurm clears the dependency): say what was seen.
  [ "$(job_field "$merge" JobState)" = PENDING ] && fail "merge job $merge has Dependency=$dep, not afterok:$array" ;; esac
final=$(wait_done "$merge")
echo "merge job $merge: $final after $(( $(date +%s) - start )) s"
[ "$final" = "COMPLETED " ] || fail "merge job ended $final"
tasks=$(job_field "$array" JobState | sort | uniq -c | tr -s ' ')
[ "$(job_field "$array" JobState | grep -c COMPLETED)" = 4 ] || fail "array tasks: $tasks"
merge_start=$(date -d "$(job_field "$merge" StartTime)" +%s)
for e in $(job_field "$array" EndTime); do
  [ "$(date -d "$e" +%s)" -le "$merge_start" ] || fail "merge started ($(job_field "$merge" StartTime)) before a shard ended ($e)"
done
ls "$t"/run/part-*.json >/dev/null 2>&1 || fail "no partial results in $t/run"
node -e '
  const fs = require("fs"); const dir = process.argv[1];
  const parts = [1, 2, 3, 4].map((i) => JSON.parse(fs.readFileSync(`${dir}/part-${i}.json`, "utf8")));
  parts.forEach((p, i) => {
    if (p.shard.index !== i || p.shard.count !== 4 || !/SLURM_ARRAY_TASK_ID/.test(p.shard.source || "")) { console.log(`FAIL: part-${i + 1}.json is shard ${p.shard.index + 1}/${p.shard.count} (${p.shard.source})`); process.exitCode = 1; }
  });
  console.log("shards: " + parts.map((p) => `${p.shard.index + 1}/4 ${p.units.length} units ${(p.elapsedMs / 1000).toFixed(1)} s on ${p.host}`).join("; "));
' "$t/run" || failed=1
"${golf[@]}" search "${search[@]}" --workers 2 --no-record --json -o "$t/whole" >"$t/whole.json" 2>"$t/log/whole.log" || fail "the unsharded search failed"
node -e '
  const fs = require("fs");
  if (!fs.existsSync(process.argv[1])) { console.log("FAIL: no merge.json"); process.exit(1); }
  const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8")), w = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  console.log(`merged: ${m.size} bytes from shards ${m.shards}, ${m.completeness}; unsharded: ${w.size} bytes`);
  if (m.hex === null || m.hex !== w.hex) { console.log("FAIL: the merged file is not the unsharded search'"'"'s"); process.exitCode = 1; }
' "$t/run/merge.json" "$t/whole.json" || failed=1
[ -x "$t/run/exit42" ] || fail "the merge job did not write the winner (-o exit42)"

# 2. One shard fails: afterok must keep the merge from running.
sed 's|^exec \(.*\) search |[ "$SLURM_ARRAY_TASK_ID" = 2 ] \&\& exit 3\nexec \1 search |' "$t/submit.sh" >"$t/submit-failing.sh"
grep -q 'exit 3' "$t/submit-failing.sh" || fail "could not make the failing variant"
out=$(GOLF_SHARD_DIR="$t/run2" bash "$t/submit-failing.sh") || { fail "submitting the failing variant failed: $out"; exit 1; }
array2=$(sed -n 's/.*array=\([0-9]*\) merge=\([0-9]*\).*/\1/p' <<<"$out")
merge2=$(sed -n 's/.*array=\([0-9]*\) merge=\([0-9]*\).*/\2/p' <<<"$out")
wait_done "$array2" >/dev/null
final2=$(wait_done "$merge2")
echo "with shard 2 failing: array $(job_field "$array2" JobState | sort | uniq -c | tr -s ' ' | tr '\n' ';') merge job $merge2: ${final2:-gone} ($(job_field "$merge2" Reason))"
case "$final2" in *COMPLETED*|*RUNNING*) fail "the merge job ran although shard 2 failed" ;; esac
[ -e "$t/run2/merge.json" ] && [ -s "$t/run2/merge.json" ] && fail "the merge job wrote a result although shard 2 failed"

[ "$failed" = 0 ] && echo "slurm end-to-end: PASSED" || echo "slurm end-to-end: FAILED"
exit "$failed"
