/**
 * The sharded side of `golf search`: run one shard and write its partial result, print the plan
 * (--plan), or write a cluster submit script (--emit slurm). src/cli/search.ts calls these.
 */
import { basename, join, resolve } from 'node:path';
import { units, unitsNoun } from '../search/engine.js';
import { completeness, type Completeness } from '../search/report.js';
import { makePartial, serializePartial } from '../search/partial.js';
import type { Progress, SearchRequest } from '../search/run.js';
import type { Shard } from '../search/shard-env.js';
import { planFingerprint, type ShardPlan } from '../search/shard-plan.js';
import { familyName, planShards, runShard, type KnownBound } from '../search/shard-run.js';
import { knownBound, type BoundOption } from '../search/start-bound.js';
import { packageRoot } from '../targets/paths.js';
import { COMMAND_LINE_TARGET } from '../targets/resolve.js';
import type { Target } from '../targets/target.js';
import { slurmSubmitScript } from './emit-slurm.js';
import { CliError, ExitCode } from './errors.js';
import { writeOutput } from './io.js';
import { printJson } from './output.js';
import { readTimings } from './shard-options.js';

export interface ShardCliOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  shard?: string;
  partial?: string;
  costs?: string[];
  shards?: string;
  emit?: string;
  json?: boolean;
  output?: string;
  record: boolean;
  maxSize?: string;
  maxNodes?: string;
  splitWrites?: boolean;
  exact?: boolean;
  profile: string;
  seed: string;
  timeLimit?: string;
}

/** What every search request has, whether sharded or not (run.ts's request without its options). */
export type BaseRequest = Pick<SearchRequest, 'target' | 'profile' | 'space' | 'workers' | 'timeLimit' | 'seed'>;

/** Runs one shard (or a whole search with a bound: shard 1/1) and writes its partial result with --shard. */
export async function searchSharded(opts: ShardCliOptions, base: BaseRequest, shard: Shard & { source?: string }, bound: KnownBound | null, profileName: string, partialPath: string | null, onProgress: (p: Progress) => void): Promise<{
  best: Progress['best']; unitsTotal: number; elapsedMs: number; timeToBestMs: number | null; nodes: number; candidates: number; interrupted: boolean;
  /** What the shard's own units claim (golf merge makes the claim for the whole space). */
  done: Completeness;
  /** A shard or a bounded search is not followed by a proof. */
  proof: null;
  shardSummary: Record<string, unknown>;
}> {
  const timings = opts.costs && opts.costs.length > 0 ? readTimings(opts.costs) : null;
  const outcome = await runShard({ ...base, shard, knownBound: bound, timings }, onProgress);
  if (partialPath !== null) {
    const partial = makePartial(base.target, profileName, base.profile.ia32Emulation, base.space, base.seed,
      { index: shard.index, count: shard.count, ...(shard.source ? { source: shard.source } : {}) }, outcome, units(base.space).length);
    // Atomic (temporary file, then rename): the shards of a cluster may be read while others write.
    writeOutput(partialPath, serializePartial(partial), { flag: '--partial' });
    process.stderr.write(`partial result for shard ${shard.index + 1}/${shard.count}${shard.source ? ` (${shard.source})` : ''} written to ${partialPath}\n`);
  }
  const results = [...outcome.firstPass, ...outcome.results];
  const usedBound = outcome.plan.bound === null ? null : { size: outcome.plan.bound, source: outcome.plan.boundSource };
  return {
    best: outcome.best, unitsTotal: results.length, elapsedMs: outcome.elapsedMs, timeToBestMs: outcome.timeToBestMs,
    nodes: outcome.nodes, candidates: outcome.candidates, interrupted: outcome.interrupted,
    done: completeness(results, results.length, outcome.best, base.space, outcome.interrupted, usedBound),
    proof: null,
    shardSummary: {
      bound: outcome.plan.bound, boundSource: outcome.plan.boundSource, plan: planFingerprint(outcome.plan), planningMs: outcome.planningMs,
      firstPassUnits: outcome.firstPass.length, shardUnits: outcome.results.length,
    },
  };
}

function shardCount(opts: ShardCliOptions, fromShard: number | null): number {
  if (opts.shards === undefined && fromShard !== null) return fromShard;
  if (opts.shards !== undefined) {
    const n = /^[0-9]+$/.test(opts.shards.trim()) ? Number(opts.shards.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) throw new CliError(`--shards must be an integer from 1 to 100000 (got "${opts.shards}")`, ExitCode.usage);
    return n;
  }
  throw new CliError('--plan and --emit need the number of shards: --shards N', ExitCode.usage);
}

function planLines(plan: ShardPlan, all: ReturnType<typeof units>, noun: string): string[] {
  const lines = [
    `bound: ${plan.bound === null ? 'none' : `${plan.bound} bytes`} (${plan.boundSource})`,
    `cost model: ${plan.costModel}; plan ${planFingerprint(plan)}`,
  ];
  if (plan.firstPass.length > 0) lines.push(`first pass (every shard): ${plan.firstPass.map((i) => familyName(all[i]!)).join(', ')}`);
  plan.shards.forEach((s, k) => {
    const named = s.slice(0, 6).map((i) => familyName(all[i]!)).join(', ');
    lines.push(`shard ${k + 1}/${plan.count}: estimated cost ${plan.shardCosts[k]}, ${s.length} ${noun} (${named}${s.length > 6 ? ', ...' : ''})`);
  });
  return lines;
}

/** The target as command-line arguments for another machine: a name, an absolute path, or the text. */
function targetArgs(opts: ShardCliOptions, target: Target): string[] {
  if (opts.target !== undefined) {
    const path = resolve(opts.target);
    return ['--target', opts.target.endsWith('.json') ? path : opts.target];
  }
  if (target.name !== COMMAND_LINE_TARGET) return ['--target', target.name];
  return [
    ...(opts.stdout !== undefined ? ['--stdout', opts.stdout] : []),
    ...(opts.stderr !== undefined ? ['--stderr', opts.stderr] : []),
    ...(opts.exitCode !== undefined ? ['--exit-code', opts.exitCode] : []),
  ];
}

/** `--plan` prints the split; `--emit slurm` prints the submit script. */
export async function emitOrPlan(opts: ShardCliOptions, base: BaseRequest, bound: BoundOption | undefined, profileName: string, fromShard: number | null, note: (line: string) => void): Promise<void> {
  const count = shardCount(opts, fromShard);
  if (opts.emit !== undefined && opts.emit !== 'slurm') throw new CliError(`--emit knows slurm (got "${opts.emit}"); for GNU parallel see the README`, ExitCode.usage);
  const start = knownBound(bound, true, base.target, base.profile, base.space, note);
  if (opts.emit === 'slurm') {
    // Every shard must start from the same bound: a record found between the shards' starts
    // would split them differently, so the record's size is written into the script.
    const boundArgs = start.bound ? ['--bound', String(start.bound.size)] : ['--bound', 'first-pass'];
    const args = [
      ...targetArgs(opts, base.target), '--profile', profileName, '--seed', String(base.seed), '--max-size', String(base.space.maxSize), '--max-nodes', String(base.space.nodeLimit),
      ...(opts.splitWrites === true ? ['--split-writes'] : []), ...(opts.exact === true ? ['--exact'] : []), ...(opts.timeLimit !== undefined ? ['--time-limit', opts.timeLimit] : []),
      ...boundArgs, ...(opts.costs ?? []).flatMap((c) => ['--costs', resolve(c)]),
    ];
    const name = `golf-${base.target.name}`.replace(/[^A-Za-z0-9_.-]/g, '_');
    process.stdout.write(slurmSubmitScript({
      golf: [process.execPath, join(packageRoot(), 'bin', 'golf.js')],
      searchArgs: args,
      mergeArgs: [...targetArgs(opts, base.target), '-o', opts.output !== undefined ? resolve(opts.output) : basename(base.target.name), ...(opts.record ? [] : ['--no-record'])],
      shards: count, cpusPerShard: base.workers, dir: resolve(`${name}-${count}-shards`), name,
      madeBy: `golf ${process.argv.slice(2).join(' ')}`,
    }));
    return;
  }
  const timings = opts.costs && opts.costs.length > 0 ? readTimings(opts.costs) : null;
  const { plan, planningMs } = await planShards({ ...base, count, knownBound: start.bound, timings });
  const all = units(base.space);
  if (opts.json === true) printJson({ ...plan, fingerprint: planFingerprint(plan), unitsTotal: all.length, space: base.space, planningMs });
  else process.stdout.write(planLines(plan, all, unitsNoun(base.space)).join('\n') + '\n');
}
