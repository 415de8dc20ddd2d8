#!/usr/bin/env bash
# Compares golf search v1 (commit ac4489f, the last commit before search v2) with the current
# checkout (v2) on a fixed set of targets and writes a Markdown table.
#
#   scripts/compare-search-versions.sh [--quick] [--time-limit S] [--out FILE]
#
#   --quick          only --workers 2 (default: --workers 1 and --workers 2)
#   --time-limit S   per-run --time-limit in seconds (default 600; env TIME_LIMIT)
#   --out FILE       where the Markdown goes (default bench/search-versions.md; env OUT;
#                    '-' prints it only). The table is always printed to stdout too.
#   TARGETS="hello exit7 out5"   run only these targets (ids below; default: all)
#   V1_COMMIT=rev    the v1 commit (default ac4489f)
#   KEEP=DIR         also keep every run's raw --json output, stderr and the run list in DIR
#   --table-from DIR re-tabulate the runs kept in DIR by KEEP (no build, no search)
#
# Target ids: hello hello-lower exit42 true (the corpus targets), out1 out5 out20 out40
# (stdout of 1, 5, 20 and 40 characters, exit 0), stderr (no stdout, 'error\n' on stderr,
# exit 1), exit1 exit7 exit200 exit255 (no output).
#
# Both versions are built outside the repository: v1 in a temporary clone checked out at
# V1_COMMIT, v2 as a copy of the current checkout's tracked files (including uncommitted
# edits). node_modules is a symlink to this checkout's when package.json and
# package-lock.json are identical, else npm ci --ignore-scripts. Every search runs with
# --no-record, -o into the temporary folder and its working directory there, so the only file
# written into the repository is the output table. Runs are sequential; v1 and v2 of one
# target and worker count run back to back.
set -u
set -o pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
v1_commit="${V1_COMMIT:-ac4489f}"
time_limit="${TIME_LIMIT:-600}"
out="${OUT:-$repo/bench/search-versions.md}"
workers_list="1 2"
quick=0
table_from=""
cmdline="scripts/compare-search-versions.sh${*:+ $*}"
[ -n "${TARGETS:-}" ] && cmdline="TARGETS=\"$TARGETS\" $cmdline"
[ -n "${TIME_LIMIT:-}" ] && cmdline="TIME_LIMIT=$TIME_LIMIT $cmdline"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; workers_list="2" ;;
    --time-limit) time_limit="$2"; shift ;;
    --out) out="$2"; shift ;;
    --table-from) table_from="$2"; shift ;;
    -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
  shift
done

# id <TAB> label <TAB> golf search arguments (eval'd)
all_targets=$(cat <<'EOF'
hello	hello (corpus: `Hello, World!\n`)	--target hello
hello-lower	hello-lower (corpus: `Hello, world!\n`)	--target hello-lower
exit42	exit42 (corpus)	--target exit42
true	true (corpus: exit 0)	--target true
out1	stdout `A` (1 char)	--stdout 'A' --exit-code 0
out5	stdout `Hello` (5 chars)	--stdout 'Hello' --exit-code 0
out20	stdout `The quick brown fox\n` (20 chars)	--stdout 'The quick brown fox\n' --exit-code 0
out40	stdout `Pack my box with five dozen liquor jugs\n` (40 chars)	--stdout 'Pack my box with five dozen liquor jugs\n' --exit-code 0
stderr	stderr `error\n`, exit 1	--stdout '' --stderr 'error\n' --exit-code 1
exit1	exit 1	--stdout '' --exit-code 1
exit7	exit 7	--stdout '' --exit-code 7
exit200	exit 200	--stdout '' --exit-code 200
exit255	exit 255	--stdout '' --exit-code 255
EOF
)
if [ -n "${TARGETS:-}" ]; then
  sel=""
  for t in $TARGETS; do
    line=$(printf '%s\n' "$all_targets" | awk -F'\t' -v id="$t" '$1 == id')
    [ -z "$line" ] && { echo "unknown target id: $t" >&2; exit 2; }
    sel="$sel$line"$'\n'
  done
  targets="${sel%$'\n'}"
else
  targets="$all_targets"
fi


# parse VER ID W RC WALL_MS JSON_FILE ERR_FILE: one line of the run list (JSON) from a run's output
parse_run() {
  node -e '
    const fs = require("fs");
    const [ver, id, w, rc, wallMs, jf, ef] = process.argv.slice(1);
    const r = { ver, id, workers: +w, rc: +rc, wallMs: +wallMs };
    let j = null;
    try { j = JSON.parse(fs.readFileSync(jf, "utf8")); } catch {}
    if (j && "size" in j) {
      Object.assign(r, { size: j.size, timeToBestMs: j.timeToBestMs, elapsedMs: j.elapsedMs, native: j.native,
        completeness: j.completeness, exhaustedBelow: j.exhaustedBelow, nodes: j.nodes,
        hitLimit: /time limit/.test(j.completeness ?? "") });
      if (j.size === null) r.error = "no file found";
      else if (+rc !== 0) r.error = "exit " + rc;
    } else {
      let err = [];
      try { err = fs.readFileSync(ef, "utf8").split(/[\r\n]+/).filter(Boolean); } catch {}
      r.error = "exit " + rc + (err.length ? ": " + err[err.length - 1].slice(0, 160) : "");
    }
    console.log(JSON.stringify(r));
  ' "$@"
}

# table RUNS TARGETS META: the Markdown
table() {
  node -e '
  const fs = require("fs");
  const [runsF, targetsF, metaF] = process.argv.slice(1);
  const m = JSON.parse(fs.readFileSync(metaF, "utf8"));
  const runs = fs.readFileSync(runsF, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
  const targets = fs.readFileSync(targetsF, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t"));
  const ws = m.quick === "1" ? [2] : [1, 2];
  const found = (r) => r && typeof r.size === "number";
  const get = (ver, id, w) => runs.find((r) => r.ver === ver && r.id === id && r.workers === w);
  const sec = (ms) => (ms === undefined || ms === null ? "–" : (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + " s");
  const ttb = (r) => (!r ? "–" : found(r) ? sec(r.timeToBestMs) + (r.hitLimit ? "*" : "") :
    r.size === null ? "none" + (r.hitLimit ? "*" : "") : "error");
  const sz = (r) => (!r ? "–" : found(r) ? String(r.size) : r.size === null ? "none" : "error");
  const sizes = (ver, id) => {
    const s = ws.map((w) => sz(get(ver, id, w)));
    return s.every((x) => x === s[0]) ? s[0] : s.join(" / ");
  };
  const total = +m.totalS;
  const L = [];
  L.push("# golf search v1 vs v2");
  L.push("");
  L.push(`- Date: ${m.date}; total run time ${Math.floor(total / 60)} min ${total % 60} s (builds included)`);
  L.push(`- Machine: nproc ${m.nproc}, uname -r ${m.kernel}, CPU ${m.cpu}, node ${m.node}`);
  L.push(`- v1: commit ${m.v1} (the last commit before search v2); v2: ${m.v2} (the current checkout); ${m.deps}`);
  L.push(`- Command: \`${m.cmd}\``);
  if (m.note) L.push(`- ${m.note}`);
  L.push(`- Each run: \`golf search <target> --workers N --time-limit ${m.timeLimit} --json --no-record -o <temp>\`, ` +
    `workers ${ws.join(" and ")}, one search at a time, v1 and v2 of a target and worker count back to back.` +
    (m.timeLimit !== "600" ? ` **Per-run time limit reduced to ${m.timeLimit} s** (from 600 s) to keep the whole run near an hour.` : ""));
  L.push(`- Timings are noisy: a 2-core virtual machine that other tenants may share; ` +
    `load average ${m.loadStart} at the start, ${m.loadEnd} at the end. Compare sizes exactly, times only roughly.`);
  L.push("- The v2 default search ends with its proof phase (the exact walk below the best size, `--prove-time 600`, cut by what remains of the time limit): " +
    "time to best is unaffected, total and wall include it, and a proof that completes shows as finished and exhausted up to the size below the best.");
  L.push("- Text targets: `A` and `Hello` have no newline; the 20- and 40-character ones end with `\\n` (counted). All exit 0 except stderr (exit 1).");
  L.push("- Size: bytes of the smallest file found (`none`: no file found before the time limit; sizes per worker count `1w / 2w` when they differ). " +
    "Time to best: timeToBestMs from --json; `*` = the run stopped at the time limit (the size is the best so far, not proven minimal in the searched space).");
  L.push("");
  const wl = ws.map((w) => w + "w").join(" / ");
  L.push(`| target | v1 size | v2 size | v1 time to best ${wl} | v2 time to best ${wl} | notes |`);
  L.push("|---|---|---|---|---|---|");
  const worse = [];
  for (const [id, label] of targets) {
    const notes = [];
    for (const w of ws) {
      const a = get("v1", id, w), b = get("v2", id, w);
      for (const [v, r] of [["v1", a], ["v2", b]]) {
        if (!r) continue;
        if (r.error) notes.push(`${v} ${w}w: ${r.error}`);
        if (r.hitLimit) notes.push(`${v} ${w}w stopped at time limit`);
        if (r.native && r.native !== "pass") notes.push(`${v} ${w}w native: ${r.native}`);
      }
      if (found(a) && found(b)) {
        if (b.size > a.size) { notes.push(`**v2 larger! (${w}w: ${a.size} → ${b.size})**`); worse.push(`${id} ${w}w (${a.size} → ${b.size})`); }
        else if (b.size < a.size) notes.push(`v2 smaller by ${a.size - b.size} B (${w}w)`);
      } else if (found(a) && b && !found(b)) {
        notes.push(`**v2 found no file (${w}w), v1 ${a.size}**`); worse.push(`${id} ${w}w (no file; v1 ${a.size})`);
      }
    }
    const uniq = [...new Set(notes)];
    L.push(`| ${label} | ${sizes("v1", id)} | ${sizes("v2", id)} | ${ws.map((w) => ttb(get("v1", id, w))).join(" / ")} | ` +
      `${ws.map((w) => ttb(get("v2", id, w))).join(" / ")} | ${uniq.join("; ") || (ws.every((w) => found(get("v1", id, w)) && found(get("v2", id, w))) ? "same size" : "")} |`);
  }
  L.push("");
  L.push(worse.length ? `**v2 worse than v1:** ${worse.join(", ")}` : "v2 is never larger than v1 on these targets.");
  L.push("");
  L.push("## Every run");
  L.push("");
  L.push("| target | version | workers | size | time to best | total (elapsedMs) | wall | native | exhausted below | completeness |");
  L.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const [id] of targets) for (const w of ws) for (const v of ["v1", "v2"]) {
    const r = get(v, id, w);
    if (!r) continue;
    const c = ((r.error ? r.error + (r.completeness ? "; " : "") : "") + (r.completeness ?? "")).replace(/\|/g, "\\|");
    L.push(`| ${id} | ${v} | ${w} | ${sz(r)} | ${sec(r.timeToBestMs)} | ${sec(r.elapsedMs)} | ${sec(r.wallMs)} | ` +
      `${r.native ?? "–"} | ${r.exhaustedBelow ?? "–"} | ${c} |`);
  }
  process.stdout.write(L.join("\n") + "\n");
  ' "$@"
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/golf-compare.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
md="$tmp/table.md"

if [ -n "$table_from" ]; then
  # Re-tabulate kept runs: each run's raw output is parsed again, the run list gives rc and wall time.
  : > "$tmp/runs.jsonl"
  node -e '
    for (const l of require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean)) {
      const r = JSON.parse(l); console.log([r.ver, r.id, r.workers, r.rc ?? "", r.wallMs ?? "", r.error === "build failed" ? 1 : 0].join("\t"));
    }' "$table_from/runs.jsonl" |
  while IFS=$'\t' read -r ver id w rc wall nobuild; do
    if [ "$nobuild" = 1 ]; then grep -F "\"ver\":\"$ver\",\"id\":\"$id\",\"workers\":$w," "$table_from/runs.jsonl" >> "$tmp/runs.jsonl"; continue; fi
    parse_run "$ver" "$id" "$w" "$rc" "$wall" "$table_from/json/$ver-$id-$w.json" "$table_from/json/$ver-$id-$w.err" >> "$tmp/runs.jsonl"
  done
  table "$tmp/runs.jsonl" "$table_from/targets.tsv" "$table_from/meta.json" > "$md"
  cat "$md"
  if [ "$out" != "-" ]; then mkdir -p "$(dirname "$out")"; cp "$md" "$out"; echo "wrote $out" >&2; fi
  exit 0
fi

runs="$tmp/runs.jsonl"
: > "$runs"
mkdir -p "$tmp/json"
start_s=$(date +%s)
start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# --- build -----------------------------------------------------------------------------------
link_or_install() { # dir
  local dir="$1"
  if cmp -s "$repo/package.json" "$dir/package.json" && cmp -s "$repo/package-lock.json" "$dir/package-lock.json" \
     && [ -d "$repo/node_modules" ]; then
    ln -s "$repo/node_modules" "$dir/node_modules" && echo "node_modules: symlink to $repo/node_modules"
  else
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null) && echo "node_modules: npm ci --ignore-scripts"
  fi
}
build() { # dir name
  local dir="$1" name="$2"
  link_or_install "$dir" > "$tmp/$name-deps.txt" 2>&1 || { echo "$name: dependencies failed" >&2; return 1; }
  (cd "$dir" && npx tsc -p tsconfig.json) > "$tmp/$name-build.txt" 2>&1 || { echo "$name: build failed" >&2; tail -5 "$tmp/$name-build.txt" >&2; return 1; }
}

v1_ok=1; v2_ok=1
echo "building v1 ($v1_commit) in $tmp/v1" >&2
if git clone -q "$repo" "$tmp/v1" && git -C "$tmp/v1" checkout -q "$v1_commit"; then
  build "$tmp/v1" v1 || v1_ok=0
else
  echo "v1: clone/checkout failed" >&2; v1_ok=0
fi
v1_rev=$(git -C "$tmp/v1" rev-parse --short HEAD 2>/dev/null || echo "$v1_commit")

# v2: the tracked files of this checkout as they are now (uncommitted edits included), built
# outside the repository so its dist/ is left alone.
echo "building v2 (current checkout) in $tmp/v2" >&2
v2_rev=$(git -C "$repo" rev-parse --short HEAD)
git -C "$repo" diff --quiet HEAD -- 2>/dev/null || v2_rev="$v2_rev + uncommitted changes"
mkdir -p "$tmp/v2"
(cd "$repo" && git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$tmp/v2" \
  && build "$tmp/v2" v2 || v2_ok=0
deps_note="v1 $(head -1 "$tmp/v1-deps.txt" 2>/dev/null); v2 $(head -1 "$tmp/v2-deps.txt" 2>/dev/null)"
[ "$v1_ok" = 1 ] || deps_note="$deps_note; v1 build failed: $(grep -m1 error "$tmp/v1-build.txt" 2>/dev/null)"
[ "$v2_ok" = 1 ] || deps_note="$deps_note; v2 build failed: $(grep -m1 error "$tmp/v2-build.txt" 2>/dev/null)"

# --- runs ------------------------------------------------------------------------------------
run_one() { # version id workers args...
  local ver="$1" id="$2" w="$3"; shift 3
  local dir="$tmp/$ver" o="$tmp/out/$ver-$id-$w" j="$tmp/json/$ver-$id-$w.json" e="$tmp/json/$ver-$id-$w.err"
  mkdir -p "$tmp/out" "$tmp/json" "$tmp/cwd-$ver"
  local ok_var="${ver}_ok"
  if [ "${!ok_var}" != 1 ]; then
    node -e 'console.log(JSON.stringify({ver:process.argv[1],id:process.argv[2],workers:+process.argv[3],error:"build failed"}))' "$ver" "$id" "$w" >> "$runs"
    return
  fi
  echo "$(date +%H:%M:%S) $ver $id --workers $w" >&2
  local t0 t1 rc
  t0=$(date +%s%N)
  (cd "$tmp/cwd-$ver" && node "$dir/bin/golf.js" search "$@" --workers "$w" --time-limit "$time_limit" \
     --json --no-record -o "$o") < /dev/null > "$j" 2> "$e"
  rc=$?
  t1=$(date +%s%N)
  parse_run "$ver" "$id" "$w" "$rc" $(( (t1 - t0) / 1000000 )) "$j" "$e" >> "$runs"
  tail -1 "$runs" >&2
}

while IFS=$'\t' read -r id label args; do
  [ -z "$id" ] && continue
  eval "set -- $args"
  for w in $workers_list; do
    run_one v1 "$id" "$w" "$@"
    run_one v2 "$id" "$w" "$@"
  done
done <<< "$targets"

end_s=$(date +%s)

# --- table -----------------------------------------------------------------------------------
printf '%s\n' "$targets" > "$tmp/targets.tsv"
QUICK="$quick" TL="$time_limit" V1="$v1_rev" V2="$v2_rev" DATE="$start_date" CMD="$cmdline" NPROC="$(nproc)" \
KERNEL="$(uname -r)" CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" NODEV="$(node --version)" \
TOTAL="$(( end_s - start_s ))" LOADS="$load_start" LOADE="$(cut -d' ' -f1-3 /proc/loadavg)" DEPS="$deps_note" node -e '
  const e = process.env;
  console.log(JSON.stringify({ quick: e.QUICK, timeLimit: e.TL, v1: e.V1, v2: e.V2, date: e.DATE, cmd: e.CMD, nproc: e.NPROC,
    kernel: e.KERNEL, cpu: e.CPU, node: e.NODEV, totalS: e.TOTAL, loadStart: e.LOADS, loadEnd: e.LOADE, deps: e.DEPS }, null, 1));
' > "$tmp/meta.json"
table "$runs" "$tmp/targets.tsv" "$tmp/meta.json" > "$md"

if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP" && cp -r "$tmp/json" "$runs" "$tmp/targets.tsv" "$tmp/meta.json" "$KEEP/" && echo "kept the raw runs in $KEEP" >&2
fi
cat "$md"
if [ "$out" != "-" ]; then
  mkdir -p "$(dirname "$out")"
  cp "$md" "$out"
  echo "wrote $out (total $(( end_s - start_s )) s)" >&2
fi
