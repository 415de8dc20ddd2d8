/**
 * How the units of a search are split into shards that run on different machines without talking
 * to each other. Every shard computes the same plan from the same inputs (target, space, profile,
 * bound, cost model), so the shards together cover every unit exactly once; the plan's fingerprint
 * goes into each partial result, and `golf merge` refuses partials of different plans.
 *
 * Balance: the units are spread by estimated cost with the longest-processing-time rule (costliest
 * unit first, each to the shard with the least cost so far), not round-robin over the unit list:
 * on hello one layout family costs more than all the others together, and round-robin gave one
 * shard nearly all of the work.
 */
import { createHash } from 'node:crypto';
import type { Unit } from './engine.js';
import type { LayoutCounter, UnitCostModel } from './unit-cost.js';

export interface ShardPlan {
  count: number;
  /** Files larger than this cannot win in any shard (null: no bound known). */
  bound: number | null;
  /** Where the bound came from, as the user reads it. */
  boundSource: string;
  /** Units every shard ran before planning, to find the bound (their results are in every partial). */
  firstPass: number[];
  /** Unit indices of each shard (0-based shard index), in run order: costliest first. */
  shards: number[][];
  costModel: string;
  /** Estimated cost of each shard in the cost model's figures. */
  shardCosts: number[];
}

/** Longest processing time first: deterministic (ties by unit index, then by shard index). */
export function balance(units: readonly Unit[], count: number, cost: (unit: Unit) => number): { shards: Unit[][]; costs: number[] } {
  const costOf = new Map(units.map((u) => [u.index, cost(u)]));
  const order = [...units].sort((a, b) => costOf.get(b.index)! - costOf.get(a.index)! || a.index - b.index);
  const shards: Unit[][] = Array.from({ length: count }, () => []);
  const costs = new Array<number>(count).fill(0);
  for (const unit of order) {
    let to = 0;
    // Least cost, then fewest units (so units of no cost are spread too), then lowest index.
    for (let s = 1; s < count; s++) {
      if (costs[s]! < costs[to]! || (costs[s] === costs[to] && shards[s]!.length < shards[to]!.length)) to = s;
    }
    shards[to]!.push(unit);
    costs[to] = costs[to]! + costOf.get(unit.index)!;
  }
  return { shards, costs };
}

/** How many units the first pass runs, and among how many feasible ones it picks them. */
export const FIRST_PASS_UNITS = 2;
const FIRST_PASS_SCAN = 4;

/**
 * The units of the quick first pass, the same in every shard: scanning units in order (smallest
 * files first), the first few that have any layout at their first size, and of those the ones of
 * least estimated cost up to --max-size. A whole-unit pass, so its results are exact unit results
 * (each unit runs unbounded, so none depends on timing); only the scan stops early, because
 * counting layouts for the large families (P >= 47: hundreds per size) costs seconds each.
 */
export function firstPassUnits(all: readonly Unit[], counter: LayoutCounter, model: UnitCostModel, maxSize: number): Unit[] {
  const feasible: Unit[] = [];
  for (const u of all) {
    if (counter.firstSize(u) > maxSize) continue;
    if (counter.layoutsAtFirstSize(u) > 0) feasible.push(u);
    if (feasible.length === FIRST_PASS_SCAN) break;
  }
  return feasible
    .map((u) => ({ u, c: model.cost(u, maxSize) }))
    .sort((a, b) => a.c - b.c || a.u.index - b.u.index)
    .slice(0, FIRST_PASS_UNITS)
    .map((x) => x.u);
}

export function makePlan(all: readonly Unit[], count: number, bound: number | null, boundSource: string, firstPass: readonly Unit[], model: UnitCostModel, maxSize: number): ShardPlan {
  const done = new Set(firstPass.map((u) => u.index));
  const rest = all.filter((u) => !done.has(u.index));
  const { shards, costs } = balance(rest, count, (u) => model.cost(u, bound ?? maxSize));
  return {
    count, bound, boundSource, firstPass: firstPass.map((u) => u.index), shards: shards.map((s) => s.map((u) => u.index)),
    costModel: model.name, shardCosts: costs.map((c) => Math.round(c * 100) / 100),
  };
}

/** What the shards must agree on: the bound, the first pass and the split (not the figures). */
export function planFingerprint(plan: Pick<ShardPlan, 'count' | 'bound' | 'firstPass' | 'shards'>): string {
  const body = JSON.stringify({ count: plan.count, bound: plan.bound, firstPass: plan.firstPass, shards: plan.shards });
  return createHash('sha256').update(body).digest('hex').slice(0, 16);
}

/**
 * Problems with a set of shard plans that claim to cover one space: each unit must be in the
 * first pass or in exactly one shard, and nothing else may appear.
 */
export function coverageProblems(plan: Pick<ShardPlan, 'firstPass' | 'shards'>, unitsTotal: number): string[] {
  const seen = new Map<number, string>();
  const problems: string[] = [];
  const claim = (index: number, by: string): void => {
    if (!Number.isInteger(index) || index < 0 || index >= unitsTotal) problems.push(`${by} names unit ${index}, which the space does not have`);
    else if (seen.has(index)) problems.push(`unit ${index} is in ${seen.get(index)} and in ${by}`);
    else seen.set(index, by);
  };
  for (const i of plan.firstPass) claim(i, 'the first pass');
  plan.shards.forEach((s, k) => s.forEach((i) => claim(i, `shard ${k + 1}`)));
  const missing = unitsTotal - seen.size;
  if (missing > 0) problems.push(`${missing} of ${unitsTotal} units are in no shard`);
  return problems;
}
