/** `golf search`: find the smallest ELF file that produces a target, across worker threads. */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { hostInt80Refusal, nativeSupported, runNative } from '../linux/native.js';
import { findProfile, profileNames, type KernelProfile } from '../linux/profile.js';
import { assemble } from '../asm/assembler.js';
import { buildBaseline } from '../results/baseline.js';
import { recordCertifier } from '../results/certifiers.js';
import { offerRecord } from '../results/offer.js';
import { DEFAULT_SPACE, fromHex, type Found, type SearchSpace } from '../search/engine.js';
import { completeness, spaceScope } from '../search/report.js';
import { defaultWorkers, runSearch, type Progress } from '../search/run.js';
import { emitOrPlan, searchSharded } from './search-shards.js';
import { knownBound, parseBound, parseShard } from './shard-options.js';
import { addTargetOptions, targetFromOptions } from '../targets/cli-options.js';
import { judgeRun } from '../targets/judge.js';
import { writeWinnerImage } from '../image/search-hook.js';
import type { Target } from '../targets/target.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { printJson, stderrIsTerminal } from './output.js';

export { parseShard } from './shard-options.js';

interface SearchOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  workers?: string;
  seed: string;
  timeLimit?: string;
  maxSize?: string;
  splitWrites?: boolean;
  maxNodes: string;
  profile: string;
  output?: string;
  json?: boolean;
  shard?: string;
  partial?: string;
  record: boolean;
  image?: string;
  bound?: string;
  costs?: string[];
  shards?: string;
  plan?: boolean;
  emit?: string;
}

export function parseIntegerOption(value: string, flag: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`${flag} must be an integer from ${min} to ${max} (got "${value}")`, ExitCode.usage);
  return n;
}

export function profileFromOption(name: string): KernelProfile {
  const profile = findProfile(name);
  if (!profile) throw new CliError(`unknown profile "${name}" (known: ${profileNames().join(', ')})`, ExitCode.usage);
  return profile;
}

function progressPrinter(): (p: Progress) => void {
  const live = stderrIsTerminal();
  let lastPlain = 0;
  return (p) => {
    const secs = p.elapsedMs / 1000;
    const rate = secs > 0 ? Math.round(p.nodes / secs) : 0;
    const line = `best ${p.best ? `${p.best.size} bytes` : 'none yet'} | ${rate} nodes/s | ${p.candidates} candidates | layout families ${p.unitsDone}/${p.unitsTotal} | ${secs.toFixed(1)} s`;
    if (live) process.stderr.write(`\r\x1b[K${line}`);
    else if (p.elapsedMs - lastPlain >= 10_000 || p.unitsDone === p.unitsTotal) {
      lastPlain = p.elapsedMs;
      process.stderr.write(line + '\n');
    }
  };
}

/**
 * Whether the host kernel refuses `int 0x80` (the host's own probe, as the `host` profile uses):
 * the refusal when it does, null when it works, the profile does not use it, or files cannot run here.
 */
function int80RefusedByHost(profile: KernelProfile): string | null {
  if (!profile.ia32Emulation || !nativeSupported()) return null;
  return hostInt80Refusal();
}

/** Writes the winner, executable. */
export function writeExecutable(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
    chmodSync(path, 0o755);
  } catch (err) {
    throw new CliError(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, ExitCode.failure);
  }
}

/** Runs the winner on the host kernel, when it is Linux x86-64: null when not possible. */
export async function nativeVerdict(bytes: Uint8Array, target: Target): Promise<string | null> {
  if (!nativeSupported()) return null;
  const dir = mkdtempSync(join(tmpdir(), 'golf-native-'));
  try {
    const path = join(dir, 'a.out');
    writeExecutable(path, bytes);
    const result = await runNative(path, { argv: target.argv.map((a) => (a === '<file>' ? path : a)), env: [] });
    return judgeRun(result, target) ?? 'pass';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * By default the search goes up to the size of golf's baseline for the target (the straightforward
 * layout without overlaps, which always works): a search never settles for less than that, and a
 * long output still gets a file. Never below DEFAULT_SPACE.maxSize, where the overlapping layouts live.
 */
function defaultMaxSize(target: Target): number {
  return Math.max(DEFAULT_SPACE.maxSize, buildBaseline(target, assemble).length);
}

export function registerSearch(program: Command): void {
  const cmd = program.command('search');
  addTargetOptions(cmd)
    .description('search ELF header layouts and code together for the smallest file that produces the target')
    .option('--workers <n>', `worker threads (default: all cores, ${defaultWorkers()} here)`)
    .option('--seed <n>', 'seed recorded with the result (the search order is fixed, so equal seeds and options give equal results)', '1')
    .option('--time-limit <seconds>', 'stop after this many seconds and keep the best so far')
    .option('--max-size <bytes>', "largest file size searched (default: the size of golf's straightforward layout for the target, at least " + `${DEFAULT_SPACE.maxSize})`)
    .option('--split-writes', 'also search files that write an output in several pieces (a much larger space: slower)')
    .option('--max-nodes <n>', 'walk nodes per layout before it is cut (bounds the code search)', String(DEFAULT_SPACE.nodeLimit))
    .option('--profile <name>', `kernel profile: ${profileNames().join(', ')}`, 'default')
    .option('-o, --output <file>', 'write the smallest file found here (executable)')
    .option('--json', 'print the summary as JSON')
    .option('--shard <I/N|auto>', 'run only shard I of N and write a partial result (combine with golf merge); auto: from SLURM_ARRAY_TASK_ID/_COUNT, or auto/N with JOB_COMPLETION_INDEX')
    .option('--partial <file>', 'where --shard writes its partial result (default golf-shard-I-of-N.json)')
    .option('--bound <n|record|first-pass|none>', 'files larger than this cannot win: n bytes, the record for the target, the best file of a quick first pass, or none (default: record, else first-pass, with --shard; none without)')
    .option('--costs <partials...>', 'balance shards by the unit times in these partial results of an earlier run (default: estimated from layout counts)')
    .option('--shards <n>', 'number of shards, for --plan and --emit')
    .option('--plan', 'print how the search splits into shards (with --shards N or --shard I/N) and exit')
    .option('--emit <scheduler>', 'print a script that runs the search as --shards N shards and the merge on a cluster (slurm) and exit')
    .option('--no-record', 'do not offer the winner to results/')
    .option('--image <archive>', "also write the winner's container image archive (as golf image writes it)")
    .action(async (opts: SearchOptions) => {
      const target = targetFromOptions(opts);
      const profile = profileFromOption(opts.profile);
      const workers = opts.workers === undefined ? defaultWorkers() : parseIntegerOption(opts.workers, '--workers', 1, 256);
      const seed = parseIntegerOption(opts.seed, '--seed', 0, 2 ** 32 - 1);
      const timeLimit = opts.timeLimit === undefined ? Infinity : parseIntegerOption(opts.timeLimit, '--time-limit', 1, 10 ** 7);
      const space: SearchSpace = {
        ...DEFAULT_SPACE,
        maxSize: opts.maxSize === undefined ? defaultMaxSize(target) : parseIntegerOption(opts.maxSize, '--max-size', 56, 4096),
        nodeLimit: parseIntegerOption(opts.maxNodes, '--max-nodes', 1, 10 ** 9),
        ...(opts.splitWrites === true ? { splitWrites: true } : {}),
      };
      const shard = opts.shard === undefined ? { index: 0, count: 1 } : parseShard(opts.shard);
      // The host kernel is the judge: if it refuses int 0x80 (IA32 emulation compiled out or
      // disabled), search without it so the winner runs here.
      const refused = int80RefusedByHost(profile);
      if (refused) process.stderr.write(`this host refuses int 0x80 (${refused}); searching without it\n`);
      const searchedProfile = refused ? { ...profile, ia32Emulation: false } : profile;
      const note = (line: string): void => { process.stderr.write(line + '\n'); };
      const bound = opts.bound === undefined ? undefined : parseBound(opts.bound);
      const base = { target, profile: searchedProfile, space, workers, timeLimit, seed };
      if (opts.plan === true || opts.emit !== undefined) {
        await emitOrPlan(opts, base, bound, profile.name, opts.shard === undefined ? null : shard.count, note);
        return;
      }
      const start = knownBound(bound, opts.shard !== undefined, target, searchedProfile, space, note);
      const sharded = opts.shard !== undefined || start.bound !== null || start.firstPass;
      const outcome = sharded
        ? await searchSharded(opts, base, shard, start.bound, profile.name, progressPrinter())
        : { ...(await runSearch(base, progressPrinter())), shardSummary: {}, bound: null };
      if (stderrIsTerminal()) process.stderr.write('\n');
      const done = completeness(outcome.results, outcome.unitsTotal, outcome.best, space, outcome.interrupted, outcome.bound);
      // A shard's claims are about its own units only; golf merge makes the claim for the space.
      if (opts.shard !== undefined) done.sentence = `shard ${shard.index + 1}/${shard.count} (${outcome.unitsTotal} layout families, golf merge combines the shards): ${done.sentence}`;
      await finishWinner({ target, profile: searchedProfile, best: outcome.best, output: opts.output, json: opts.json === true, record: opts.record && opts.shard === undefined, seed,
        noFileIsSuccess: opts.shard !== undefined,
        command: `golf ${process.argv.slice(2).join(' ')}`, summary: {
          workers, shard: `${shard.index + 1}/${shard.count}`, ...outcome.shardSummary, elapsedMs: outcome.elapsedMs, timeToBestMs: outcome.timeToBestMs,
          nodes: outcome.nodes, candidates: outcome.candidates, nodesPerSecond: outcome.elapsedMs > 0 ? Math.round(outcome.nodes / (outcome.elapsedMs / 1000)) : null,
          layoutFamilies: outcome.unitsTotal, completeness: done.sentence, exhaustedBelow: done.exhaustedBelow, space: spaceScope(space),
          int80: searchedProfile.ia32Emulation ? 'allowed' : 'not used',
          ...(refused ? { int80RefusedByHost: refused } : {}),
        } });
      if (opts.image !== undefined && !writeWinnerImage(outcome.best?.hex ?? null, opts.image)) process.exitCode = ExitCode.failure;
    });
  withExamples(cmd, [
    'golf search --target hello -o hello',
    'golf search --target exit42 --workers 2 --time-limit 60 --json',
    "golf search --stdout 'Hi\\n' --exit-code 3 --max-size 90 -o hi",
    'golf search --target hello --shard 1/4 --partial part1.json',
    'golf search --target hello --shards 4 --plan',
    'golf search --target hello --shards 8 --workers 4 --emit slurm > hello-slurm.sh',
    'golf search --target hello --split-writes --time-limit 300',
  ]);
}

/** Common end of `golf search` and `golf merge`: write, run natively, offer as record, print. */
export async function finishWinner(w: {
  target: Target; profile: KernelProfile; best: Found | null; output?: string; json: boolean; record: boolean; seed: number; command: string;
  summary: Record<string, unknown>;
  /** A shard whose units hold no file still succeeded: its partial result is what it was run for. */
  noFileIsSuccess?: boolean;
}): Promise<void> {
  const bytes = w.best ? fromHex(w.best.hex) : null;
  if (bytes && w.output) writeExecutable(w.output, bytes);
  const native = bytes ? await nativeVerdict(bytes, w.target) : null;
  let record: { accepted: boolean; updated: boolean; reason: string; path: string } | null = null;
  if (bytes && w.record) {
    const r = await offerRecord({ target: w.target, bytes, command: w.command, seed: w.seed }, recordCertifier(w.profile));
    record = { accepted: r.accepted, updated: r.updated, reason: r.reason, path: r.path };
  }
  const summary = { target: w.target.name, profile: w.profile.name, size: w.best?.size ?? null, hex: w.best?.hex ?? null, native, record, ...w.summary };
  if (w.json) printJson(summary);
  else {
    const lines = [
      w.best ? `smallest file: ${w.best.size} bytes${w.output ? ` (written to ${w.output})` : ''}` : 'no file found in the searched space',
      `searched: ${String(w.summary.completeness)}`,
      `space: ${String(w.summary.space)}`,
    ];
    if (w.best) lines.push(`native run: ${native === null ? 'not available on this host' : native}`);
    if (record) lines.push(`record: ${record.accepted ? 'replaced' : record.updated ? 'kept, marked reproduced' : 'kept'} (${record.reason}) ${record.path}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (!w.best && w.noFileIsSuccess !== true) process.exitCode = ExitCode.failure;
}
