import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { DEFAULT_SPACE } from '../../src/search/engine.js';
import { searchThenProve, stoppedProofClaim } from '../../src/search/prove.js';
import { loadShippedTarget } from '../../src/targets/resolve.js';

const exit42 = loadShippedTarget('exit42');
const request = { target: exit42, profile: DEFAULT_PROFILE, space: DEFAULT_SPACE, workers: 2, timeLimit: Infinity, seed: 1 };

describe('a search, then its proof without the bound', () => {
  it('proves the heuristic search\'s file minimal: every smaller size exhausted exactly, with the claim of an exact search', async () => {
    const phases = new Set<string>();
    const r = await searchThenProve(request, 600, (_, phase) => phases.add(phase));
    expect(r.best!.size).toBe(73);
    expect(r.proof).toMatchObject({ maxSize: 72, exhaustedBelow: 73, complete: true, improved: false });
    expect(r.proof!.units).toBeGreaterThan(0);
    expect(r.done.sentence).toBe('exhausted all layouts and code up to 72 bytes in this space: no smaller file exists in it (finished)');
    expect([...phases].sort()).toEqual(['proof', 'search']);
  }, 300_000);

  it('without proof time the heuristic claim stands, and says so', async () => {
    const r = await searchThenProve(request, 0);
    expect(r.proof).toBeNull();
    expect(r.best!.size).toBe(73);
    expect(r.done.sentence).toMatch(/heuristic cost bound/);
  }, 300_000);

  it('a proof that stopped claims the sizes it exhausted, and the first search\'s claim for the rest', () => {
    const first = { exhaustedBelow: 79, allUnitsRan: true, stoppedEarly: false, sentence: 'exhausted all layouts and code up to 78 bytes in this space; larger sizes were searched only partly (finished)' };
    const part = stoppedProofClaim(first, 76, 56, 81, false);
    expect(part.sentence).toMatch(/^exhausted all layouts and code up to 75 bytes in this space with no bound: no file of that size or smaller exists in it; the proof of 76 to 80 bytes stopped \(time limit\)/);
    expect(part.sentence).toContain(first.sentence);
    expect(part.stoppedEarly).toBe(true);
    const none = stoppedProofClaim(first, 56, 56, 81, true);
    expect(none.sentence).toBe(`${first.sentence}; the proof without a bound (sizes below 81) stopped before it exhausted any size (interrupted)`);
    expect(none.exhaustedBelow).toBe(79);
  });
});
