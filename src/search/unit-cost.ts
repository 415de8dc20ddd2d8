/**
 * What a unit of the search costs, for splitting the space into shards of equal cost. Shards must
 * agree on the split without talking to each other, so every model here is deterministic: the
 * same inputs give the same figures on every machine (no clock readings, except in a timing table
 * that every shard is handed as the same file).
 *
 * The figures only need to be proportional to the time a unit takes. Two models:
 * - `layoutCostModel`: from the search's own structure. A unit walks every layout at every size
 *   from its first size up to the bound; the layouts at its first size stand for each size's count
 *   (measured on hello with a bound of 86: 2, 1 and 1 layouts at the first size of the three units
 *   that have any, 38, 7 and 7 layouts walked in all, 12.4, 4.1 and 3.5 s). Each size also costs
 *   its layout solving, which a unit without layouts pays too (about 1/100 of a walked layout).
 * - `measuredCostModel`: per-unit times recorded by an earlier run (its partial results), for the
 *   units it has; the others keep the layout figure, scaled to milliseconds by the units both know.
 */
import type { KernelProfile } from '../linux/profile.js';
import type { Target } from '../targets/target.js';
import { unitFirstSize, unitKey, unitLayoutCount, type SearchSpace, type Unit, type UnitResult } from './engine.js';

export interface UnitCostModel {
  /** What the figures are, as the plan states it ("layouts", "measured ms (2 files)"). */
  readonly name: string;
  /** Relative cost of searching `unit` up to files of `lastSize` bytes (0: nothing to search). */
  cost(unit: Unit, lastSize: number): number;
}

/** A size's layout solving, relative to walking one layout (a unit without layouts still pays it). */
const SOLVE_WEIGHT = 0.01;

export interface LayoutCounter {
  /** Layouts of `unit` at its first size (memoized: planning asks for each unit more than once). */
  layoutsAtFirstSize(unit: Unit): number;
  /** The first size `unit` searches (a size slice: its size, or past it when no file of that size can hold the target). */
  firstSize(unit: Unit): number;
}

export function layoutCounter(target: Pick<Target, 'stdout' | 'stderr'>, space: SearchSpace, profile: KernelProfile): LayoutCounter {
  // Keyed by layout family and slice size (not index), so a timing table's units share the entries.
  const memo = new Map<string, number>();
  const firstSize = (unit: Unit): number => unitFirstSize(unit, target, space);
  return {
    firstSize,
    layoutsAtFirstSize(unit) {
      const key = unitKey(unit);
      let n = memo.get(key);
      if (n === undefined) {
        n = firstSize(unit) <= space.maxSize ? unitLayoutCount(unit, firstSize(unit), profile) : 0;
        memo.set(key, n);
      }
      return n;
    },
  };
}

/** How many sizes a unit searches when files above `lastSize` cannot win (a size slice: 1 or 0). */
export function sizesSearched(counter: LayoutCounter, unit: Unit, lastSize: number, space: SearchSpace): number {
  return Math.max(0, Math.min(lastSize, space.maxSize, unit.size ?? Infinity) - counter.firstSize(unit) + 1);
}

export function layoutCostModel(counter: LayoutCounter, space: SearchSpace): UnitCostModel {
  return {
    name: 'layouts',
    cost(unit, lastSize) {
      const sizes = sizesSearched(counter, unit, lastSize, space);
      return sizes === 0 ? 0 : sizes * (counter.layoutsAtFirstSize(unit) + SOLVE_WEIGHT);
    },
  };
}

/** A recorded timing: the unit (by its layout family and slice size, stable across runs) and its time. */
export interface UnitTiming {
  phoff: number;
  type: number;
  /** A size slice's size and part (exact searches); absent for a whole family. */
  size?: number;
  part?: { index: number; count: number };
  elapsedMs: number;
}

export function timingsOf(results: readonly UnitResult[]): UnitTiming[] {
  return results.map((r) => ({
    phoff: r.unit.phoff, type: r.unit.type, ...(r.unit.size === undefined ? {} : { size: r.unit.size }), ...(r.unit.part === undefined ? {} : { part: r.unit.part }), elapsedMs: r.elapsedMs,
  }));
}

/**
 * Costs from recorded timings; units the table lacks get the fallback's figure times the ratio of
 * recorded time to fallback figure over the units both know (1 when they share none).
 */
export function measuredCostModel(timings: readonly UnitTiming[], fallback: UnitCostModel, files: number): UnitCostModel {
  const byFamily = new Map<string, number>();
  // the timed units themselves (index unknown: they are named by key), for the scale below
  const timed = new Map<string, Unit>();
  const unitOf = (t: UnitTiming, index: number): Unit => ({
    index, phoff: t.phoff, type: t.type as 2 | 3, ...(t.size === undefined ? {} : { size: t.size }), ...(t.part === undefined ? {} : { part: t.part }),
  });
  timings.forEach((t, i) => {
    const u = unitOf(t, -1 - i);
    const key = unitKey(u);
    // Several files may time the same unit: keep the largest, the cautious figure for balancing.
    byFamily.set(key, Math.max(byFamily.get(key) ?? 0, t.elapsedMs));
    if (!timed.has(key)) timed.set(key, u);
  });
  let scale: number | null = null;
  const ratio = (lastSize: number, units: readonly Unit[]): number => {
    let ms = 0;
    let figure = 0;
    for (const u of units) {
      const t = byFamily.get(unitKey(u));
      if (t === undefined) continue;
      ms += t;
      figure += fallback.cost(u, lastSize);
    }
    return ms > 0 && figure > 0 ? ms / figure : 1;
  };
  return {
    name: `measured ms (${files} file${files === 1 ? '' : 's'}), layouts for units without a timing`,
    cost(unit, lastSize) {
      const t = byFamily.get(unitKey(unit));
      if (t !== undefined) return fallback.cost(unit, lastSize) === 0 ? 0 : t;
      // The scale is fixed by the first question, so every unit of one plan uses the same one.
      scale ??= ratio(lastSize, [...timed.values()]);
      return fallback.cost(unit, lastSize) * scale;
    },
  };
}
