// The completeness sentence is a claim the user relies on: each case must say exactly what ran.
import { describe, expect, it } from 'vitest';
import type { UnitResult } from '../../src/search/engine.js';
import { completeness } from '../../src/search/report.js';

const space = { maxSize: 96, maxPathSteps: 40, nodeLimit: 1000, exact: true };
const heuristic = { maxSize: 96, maxPathSteps: 40, nodeLimit: 1000 };

function unit(index: number, phoff: number, exhaustedBelow: number, stoppedBy: UnitResult['stoppedBy'] = 'done', best: UnitResult['best'] = null): UnitResult {
  return { unit: { index, phoff, type: 3 }, best, exhaustedBelow, stoppedBy, nodes: 0, candidates: 0, layouts: 0, elapsedMs: 0 };
}

describe('completeness', () => {
  it('claims nothing smaller than the winner only when every unit was exhausted below it', () => {
    const best = { size: 86, hex: '00' };
    const done = completeness([unit(0, 12, 86, 'done', best), unit(1, 24, 86, 'bound')], 2, best, space, false);
    expect(done.sentence).toBe('exhausted all layouts and code up to 85 bytes in this space: no smaller file exists in it (finished)');
    // One unit was cut at 80 by the time limit: the claim shrinks to 79 bytes.
    const cut = completeness([unit(0, 12, 86, 'done', best), unit(1, 24, 80, 'stopped')], 2, best, space, false);
    expect(cut.exhaustedBelow).toBe(80);
    expect(cut.sentence).toMatch(/^exhausted all layouts and code up to 79 bytes in this space; larger sizes were searched only partly \(stopped at the time limit/);
  });

  it('under the heuristic cost bound (the default) says nothing smaller was found, not that nothing exists', () => {
    const best = { size: 86, hex: '00' };
    const done = completeness([unit(0, 12, 86, 'done', best), unit(1, 24, 86, 'bound')], 2, best, heuristic, false);
    expect(done.sentence).toBe('exhausted all layouts and code up to 85 bytes in this space: no smaller file was found in it (code was pruned by a heuristic cost bound, so one may still exist: --exact searches without it) (finished)');
    const none = completeness([unit(0, 12, 97), unit(1, 24, 97)], 2, null, heuristic, false);
    expect(none.sentence).not.toMatch(/exists in it/);
  });

  it('a family whose smallest file is larger than a size has nothing to search there', () => {
    const best = { size: 73, hex: '00' };
    const r = completeness([unit(0, 12, 73, 'done', best), unit(1, 40, 40)], 2, best, space, false);
    expect(r.exhaustedBelow).toBe(73);
  });

  it('says when nothing exists up to --max-size, and when the search was interrupted or partial', () => {
    const none = completeness([unit(0, 12, 97), unit(1, 24, 97)], 2, null, space, false);
    expect(none.sentence).toBe('exhausted all layouts and code up to 96 bytes (--max-size) in this space: no file of that size or smaller exists in it');
    const interrupted = completeness([unit(0, 12, 70, 'stopped')], 2, null, heuristic, true);
    expect(interrupted.sentence).toBe('searched part of the space only (interrupted, 1 of 2 layout families ran)');
    expect(interrupted.stoppedEarly).toBe(true);
    // an exact search's units are size slices, and the sentence counts them as such
    expect(completeness([slice(0, 12, 70, 70, 'stopped')], 2, null, space, true).sentence).toBe('searched part of the space only (interrupted, 1 of 2 layout family sizes ran)');
  });

  it('size slices: an exhausted slice claims its whole unit, a cut one nothing from its size up', () => {
    // P=12 exhausted at 68 and 69 (claim: past --max-size), cut at 70 (claim: nothing below 70 only)
    const cut = completeness([slice(0, 12, 68, 97), slice(1, 12, 69, 97), slice(2, 12, 70, 70, 'stopped'), slice(3, 12, 71, 97)], 4, null, space, false);
    expect(cut.exhaustedBelow).toBe(70);
    expect(cut.sentence).toMatch(/^exhausted all layouts and code up to 69 bytes in this space; larger sizes were searched only partly \(stopped at the time limit/);
    const best = { size: 71, hex: '00' };
    const found = completeness([slice(0, 12, 68, 97), slice(1, 12, 69, 97), slice(2, 12, 70, 97), slice(3, 12, 71, 71, 'done', best), slice(4, 12, 72, 72, 'bound')], 5, best, space, false);
    expect(found.sentence).toBe('exhausted all layouts and code up to 70 bytes in this space: no smaller file exists in it (finished)');
  });
});

function slice(index: number, phoff: number, size: number, exhaustedBelow: number, stoppedBy: UnitResult['stoppedBy'] = 'done', best: UnitResult['best'] = null): UnitResult {
  const r = unit(index, phoff, exhaustedBelow, stoppedBy, best);
  return { ...r, unit: { ...r.unit, size } };
}
