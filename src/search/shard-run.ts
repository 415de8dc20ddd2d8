/**
 * One shard of a search that is split over processes or machines (`golf search --shard I/N`):
 * find the bound every shard shares, make the plan every shard makes, search this shard's units
 * under that bound. Shards never talk to each other; they agree because every step is
 * deterministic.
 *
 * The bound is what keeps the shards' sum near the whole search's cost: without it each shard
 * searched its units up to --max-size (four exit42 shards found 104, 73, 80 and 80 bytes and walked
 * ten times the nodes of the whole search). It is, in this order: the --bound the user gave, the
 * record for the target (its size, as the CLI looked it up), or the best file of a quick first pass
 * that every shard runs identically. Units search sizes up to the bound inclusive, so a file of
 * the bound's own size is still found and ties are broken by bytes as in the whole search: the
 * merged result is the unsharded search's whenever that one's file is no larger than the bound
 * (always for a first-pass bound, which is a file of this space).
 */
import { better, units as allUnits, type UnitResult } from './engine.js';
import { runSearch, searchControl, type Progress, type SearchOutcome, type SearchRequest } from './run.js';
import type { Shard } from './shard-env.js';
import { firstPassUnits, makePlan, type ShardPlan } from './shard-plan.js';
import { layoutCostModel, layoutCounter, measuredCostModel, type UnitCostModel, type UnitTiming } from './unit-cost.js';

export interface KnownBound {
  size: number;
  /** "--bound 90", "record results/default/hello.json" ... */
  source: string;
}

export interface ShardRequest extends Omit<SearchRequest, 'units' | 'bound' | 'control'> {
  shard: Shard;
  /** A bound known before the search; null: every shard runs the first pass to find one. */
  knownBound: KnownBound | null;
  /** Recorded unit times to balance by (every shard must be given the same); null: the layout estimate. */
  timings: { entries: readonly UnitTiming[]; files: number } | null;
}

export interface ShardOutcome extends SearchOutcome {
  plan: ShardPlan;
  /** The first pass's unit results (the same in every shard; empty when a bound was known). */
  firstPass: UnitResult[];
  /** Time spent estimating unit costs and planning (ms). */
  planningMs: number;
}

/** A human name for a unit: its layout family ("P=24 EXEC"), and a size slice's size ("P=12 DYN at 80 B"). */
export function familyName(u: { phoff: number; type: number; size?: number; part?: { index: number; count: number } }): string {
  const part = u.part === undefined ? '' : ` part ${u.part.index + 1}/${u.part.count}`;
  return `P=${u.phoff} ${u.type === 2 ? 'EXEC' : 'DYN'}${u.size === undefined ? '' : ` at ${u.size} B${part}`}`;
}

export function costModelFor(request: Pick<ShardRequest, 'target' | 'space' | 'profile' | 'timings'>): { model: UnitCostModel; counter: ReturnType<typeof layoutCounter> } {
  const counter = layoutCounter(request.target, request.space, request.profile);
  const layouts = layoutCostModel(counter, request.space);
  const model = request.timings ? measuredCostModel(request.timings.entries, layouts, request.timings.files) : layouts;
  return { model, counter };
}

/**
 * The plan without searching this shard's units (`golf search --plan` prints it). Runs the first
 * pass when no bound is known, which is a search of its own; its outcome is returned for reuse.
 */
export async function planShards(request: Omit<ShardRequest, 'shard'> & { count: number }, control = searchControl(request.timeLimit), onProgress: (p: Progress, phase: 'first pass') => void = () => {}): Promise<{ plan: ShardPlan; firstPass: SearchOutcome | null; planningMs: number }> {
  const started = Date.now();
  const all = allUnits(request.space);
  const { model, counter } = costModelFor(request);
  let firstPass: SearchOutcome | null = null;
  let bound: number | null;
  let source: string;
  let firstUnits: typeof all = [];
  let searchMs = 0;
  if (request.knownBound) {
    bound = request.knownBound.size;
    source = request.knownBound.source;
  } else {
    firstUnits = firstPassUnits(all, counter, model, request.space.maxSize);
    const t = Date.now();
    // Unbounded, so each unit's result is exact and the same in every shard, whatever the workers.
    firstPass = await runSearch({ ...request, units: firstUnits, control }, (p) => onProgress(p, 'first pass'));
    searchMs = Date.now() - t;
    bound = firstPass.best?.size ?? null;
    const names = firstUnits.map(familyName).join(', ');
    source = firstUnits.length === 0
      ? 'none (no layout family has a layout at its first size)'
      : bound === null ? `none (the first pass over ${names} found no file)` : `the first pass over ${names} (it found a file of ${bound} bytes)`;
  }
  const plan = makePlan(all, request.count, bound, source, firstUnits, model, request.space.maxSize);
  return { plan, firstPass, planningMs: Date.now() - started - searchMs };
}

export async function runShard(request: ShardRequest, onProgress: (p: Progress) => void = () => {}): Promise<ShardOutcome> {
  const started = Date.now();
  const control = searchControl(request.timeLimit, started);
  // Ctrl-C while planning (between the phases' own handlers) stops the shard, not the process.
  const onSigint = (): void => { Atomics.store(control.stopFlag, 0, 1); };
  process.on('SIGINT', onSigint);
  try {
    return await runPlannedShard(request, control, started, onProgress);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function runPlannedShard(request: ShardRequest, control: ReturnType<typeof searchControl>, started: number, onProgress: (p: Progress) => void): Promise<ShardOutcome> {
  const all = allUnits(request.space);
  let before = { unitsDone: 0, nodes: 0, candidates: 0, best: null as Progress['best'] };
  let firstTotal = 0;
  const planned = await planShards({ ...request, count: request.shard.count }, control, (p) => {
    firstTotal = p.unitsTotal;
    onProgress({ ...p, elapsedMs: Date.now() - started });
  });
  const { plan, firstPass } = planned;
  const mine = plan.shards[request.shard.index]!.map((i) => all[i]!);
  if (firstPass) before = { unitsDone: firstPass.results.length, nodes: firstPass.nodes, candidates: firstPass.candidates, best: firstPass.best };
  firstTotal = firstPass ? firstPass.unitsTotal : 0;
  const mainStarted = Date.now();
  // The loop plans depend on the target and profile only: the first pass's serve this phase too.
  const loopPlans = firstPass ? { loopPlans: firstPass.loopPlans } : {};
  const main = await runSearch({ ...request, units: mine, ...(plan.bound === null ? {} : { bound: plan.bound }), control, ...loopPlans }, (p) => onProgress({
    ...p, best: better(before.best, p.best), unitsDone: before.unitsDone + p.unitsDone, unitsTotal: firstTotal + p.unitsTotal,
    nodes: before.nodes + p.nodes, candidates: before.candidates + p.candidates, elapsedMs: Date.now() - started,
  }));
  const first = firstPass?.results ?? [];
  const best = better(firstPass?.best ?? null, main.best);
  const timeToBestMs = firstPass?.best && best === firstPass.best
    ? firstPass.timeToBestMs
    : main.timeToBestMs === null ? null : mainStarted - started + main.timeToBestMs;
  return {
    best, timeToBestMs,
    results: main.results, firstPass: first, unitsTotal: main.unitsTotal,
    nodes: before.nodes + main.nodes, candidates: before.candidates + main.candidates,
    elapsedMs: Date.now() - started, interrupted: main.interrupted || (firstPass?.interrupted ?? false), loopPlans: main.loopPlans, plan, planningMs: planned.planningMs,
  };
}
