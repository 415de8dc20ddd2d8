// The walk's memo of explored states (src/search/walk/visited.ts): a state is covered only by an
// entry of the same key whose touched bytes still hold the values it saw, reached in no more steps
// and bytes; many entries of one key live side by side; a full table starts over.
import { describe, expect, it } from 'vitest';
import { StateMemo } from '../../src/search/walk/visited.js';

const W = 2;

/** valuesUnder as the walk passes it: here the "current values" are a hash of the mask words and a value table. */
function currentValues(values: Map<string, number>): (masks: Uint32Array, base: number, out: Int32Array) => void {
  return (masks, base, out) => {
    const key = `${masks[base]}/${masks[base + 1]}`;
    out[0] = values.get(key) ?? 0;
    out[1] = -(values.get(key) ?? 0);
  };
}

function rec(memo: StateMemo, h1: number, h2: number, steps: number, cost: number, mask: [number, number], value: number): void {
  memo.record(h1, h2, steps, cost, Uint32Array.from(mask), 0, Int32Array.of(value, -value));
}

describe('StateMemo', () => {
  it('keeps many entries per key and finds the one whose touched values are unchanged', () => {
    const memo = new StateMemo(64, W);
    rec(memo, 7, 9, 3, 2, [1, 0], 100);
    rec(memo, 7, 9, 3, 2, [2, 0], 200);
    rec(memo, 7, 9, 3, 2, [1, 0], 300);
    const now = new Map([['1/0', 300], ['2/0', 5]]);
    const hit = memo.covered(7, 9, 3, 2, currentValues(now));
    expect(hit).toBeGreaterThanOrEqual(0);
    const merged = new Uint32Array(W);
    memo.mergeMask(hit, merged, 0);
    expect([...merged]).toEqual([1, 0]);
    // the touched values changed everywhere: nothing covers
    expect(memo.covered(7, 9, 3, 2, currentValues(new Map([['1/0', 1], ['2/0', 2]])))).toBe(-1);
    // another key (even one landing in the same slot) is not this state
    expect(memo.covered(7, 10, 3, 2, currentValues(now))).toBe(-1);
    expect(memo.covered(9, 7, 3, 2, currentValues(now))).toBe(-1);
  });

  it('an arrival with fewer steps or fewer bytes spent is not covered (it could see more)', () => {
    const memo = new StateMemo(64, W);
    rec(memo, 1, 2, 5, 4, [3, 0], 42);
    const now = currentValues(new Map([['3/0', 42]]));
    expect(memo.covered(1, 2, 5, 4, now)).toBeGreaterThanOrEqual(0);
    expect(memo.covered(1, 2, 6, 9, now)).toBeGreaterThanOrEqual(0);
    expect(memo.covered(1, 2, 4, 4, now)).toBe(-1);
    expect(memo.covered(1, 2, 5, 3, now)).toBe(-1);
  });

  it('starts over when its entries are used up, and after clear() remembers nothing', () => {
    const memo = new StateMemo(4, W);
    const now = currentValues(new Map([['1/0', 1]]));
    for (let i = 0; i < 4; i++) rec(memo, 50 + i, 1, 0, 0, [1, 0], 1);
    for (let i = 0; i < 4; i++) expect(memo.covered(50 + i, 1, 0, 0, now)).toBeGreaterThanOrEqual(0);
    rec(memo, 99, 1, 0, 0, [1, 0], 1);
    expect(memo.covered(50, 1, 0, 0, now)).toBe(-1);
    expect(memo.covered(99, 1, 0, 0, now)).toBeGreaterThanOrEqual(0);
    memo.clear();
    expect(memo.covered(99, 1, 0, 0, now)).toBe(-1);
  });
});
