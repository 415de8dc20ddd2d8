// Shard planning: the split must cover every unit exactly once, be the same in every shard
// (deterministic), and put costly units apart instead of dealing them out in list order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Unit } from '../../src/search/engine.js';
import { balance, coverageProblems, firstPassUnits, makePlan, planFingerprint } from '../../src/search/shard-plan.js';
import { measuredCostModel, type LayoutCounter, type UnitCostModel } from '../../src/search/unit-cost.js';

const unitsOf = (n: number): Unit[] => Array.from({ length: n }, (_, index) => ({ index, phoff: 4 + (index >> 1), type: index % 2 === 0 ? 2 : 3 }));

describe('balance (longest processing time first)', () => {
  it('covers every unit exactly once, whatever the costs and the shard count', () => {
    fc.assert(fc.property(fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (costs, count) => {
      const all = unitsOf(costs.length);
      const { shards, costs: totals } = balance(all, count, (u) => costs[u.index]!);
      const seen = shards.flat().map((u) => u.index).sort((a, b) => a - b);
      expect(seen).toEqual(all.map((u) => u.index));
      expect(shards).toHaveLength(count);
      expect(totals.reduce((a, b) => a + b, 0)).toBe(costs.reduce((a, b) => a + b, 0));
      // The LPT guarantee: no shard exceeds the mean by more than the costliest unit.
      const mean = costs.reduce((a, b) => a + b, 0) / count;
      expect(Math.max(...totals)).toBeLessThanOrEqual(mean + Math.max(...costs) + 1e-9);
    }));
  });

  it('is deterministic and gives a dominant unit a shard of its own, which round-robin does not', () => {
    const all = unitsOf(40);
    const cost = (u: Unit): number => (u.index === 17 ? 38 : u.index === 26 || u.index === 27 ? 7 : 0.2);
    const a = balance(all, 4, cost);
    const b = balance([...all].reverse(), 4, cost);
    expect(a.shards.map((s) => s.map((u) => u.index))).toEqual(b.shards.map((s) => s.map((u) => u.index)));
    const withDominant = a.shards.find((s) => s.some((u) => u.index === 17))!;
    expect(withDominant.map((u) => u.index)).toEqual([17]);
    // Round-robin (index mod 4) puts 17 with nine others and 26/27 in shards 3 and 4.
    const roundRobin = [0, 1, 2, 3].map((k) => all.filter((u) => u.index % 4 === k).reduce((s, u) => s + cost(u), 0));
    expect(Math.max(...a.costs)).toBeLessThan(Math.max(...roundRobin));
    // Units of no cost are spread too (nobody gets all of them).
    const free = balance(all, 4, () => 0);
    expect(free.shards.map((s) => s.length)).toEqual([10, 10, 10, 10]);
  });
});

describe('plan', () => {
  const model: UnitCostModel = { name: 'test', cost: (u, last) => (last >= 60 + u.index ? u.index + 1 : 0) };

  it('leaves the first-pass units out of the shards and covers the rest', () => {
    const all = unitsOf(30);
    const plan = makePlan(all, 3, 80, 'test', [all[5]!, all[9]!], model, 96);
    expect(plan.firstPass).toEqual([5, 9]);
    expect(coverageProblems(plan, 30)).toEqual([]);
    expect(plan.shards.flat()).not.toContain(5);
    // Each shard runs its costliest unit first.
    for (const s of plan.shards) expect(s.map((i) => model.cost(all[i]!, 80))).toEqual([...s.map((i) => model.cost(all[i]!, 80))].sort((a, b) => b - a));
  });

  it('the fingerprint changes with the bound and the split, not with the figures', () => {
    const all = unitsOf(12);
    const plan = makePlan(all, 2, 80, 'test', [], model, 96);
    expect(planFingerprint({ ...plan, shardCosts: [0, 0] } as typeof plan)).toBe(planFingerprint(plan));
    expect(planFingerprint({ ...plan, bound: 81 })).not.toBe(planFingerprint(plan));
    expect(planFingerprint({ ...plan, shards: [plan.shards[1]!, plan.shards[0]!] })).not.toBe(planFingerprint(plan));
  });

  it('coverage problems: a unit twice, a unit missing, a unit the space does not have', () => {
    expect(coverageProblems({ firstPass: [0], shards: [[1, 2], [2]] }, 3)).toEqual(['unit 2 is in shard 1 and in shard 2']);
    expect(coverageProblems({ firstPass: [], shards: [[0], [2]] }, 3)).toEqual(['1 of 3 units are in no shard']);
    expect(coverageProblems({ firstPass: [], shards: [[0, 1, 2, 7]] }, 3)).toEqual(['shard 1 names unit 7, which the space does not have']);
  });
});

describe('first pass', () => {
  it('scans in order for the first feasible units and runs the cheapest of them', () => {
    const all = unitsOf(20);
    const layouts = new Map([[3, 5], [6, 1], [7, 2], [11, 1], [15, 9]]);
    const counter: LayoutCounter = { firstSize: (u) => 60 + u.phoff, layoutsAtFirstSize: (u) => layouts.get(u.index) ?? 0 };
    const asked: number[] = [];
    const byLayouts: UnitCostModel = { name: 't', cost: (u) => { asked.push(u.index); return layouts.get(u.index) ?? 0; } };
    expect(firstPassUnits(all, counter, byLayouts, 200).map((u) => u.index)).toEqual([6, 11]);
    // Unit 15 comes after four feasible ones: never estimated (estimating large families is costly).
    expect(asked).not.toContain(15);
  });
});

describe('measured costs', () => {
  it('uses recorded times, and scales the fallback for units without one', () => {
    const fallback: UnitCostModel = { name: 'layouts', cost: (u) => (u.index === 4 ? 0 : 10) };
    const all = unitsOf(5);
    const model = measuredCostModel([{ phoff: all[0]!.phoff, type: all[0]!.type, elapsedMs: 500 }, { phoff: all[1]!.phoff, type: all[1]!.type, elapsedMs: 1500 }], fallback, 1);
    expect(model.cost(all[0]!, 90)).toBe(500);
    expect(model.cost(all[1]!, 90)).toBe(1500);
    // 2000 ms for 20 layout figures: 100 ms per figure.
    expect(model.cost(all[2]!, 90)).toBe(1000);
    // Nothing to search under this bound: no cost, whatever was recorded.
    expect(model.cost(all[4]!, 90)).toBe(0);
  });
});
