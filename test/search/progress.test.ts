// Live progress: workers count nodes into shared memory (src/search/progress.ts) and the
// coordinator reports them on a timer, so the line moves while a unit is still running.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { NODE_BLOCK, ProgressBoard, countNodeBlock, countWalkEnd, reportSize } from '../../src/search/progress.js';
import { runSearch, type Progress } from '../../src/search/run.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';

const hello: Target = {
  name: 'hello', origin: 'test', description: 'test', stdout: new TextEncoder().encode('Hello, World!\n'), stderr: new Uint8Array(0),
  exitCode: 0, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
};
const profile = { ...DEFAULT_PROFILE, ia32Emulation: false };

describe('progress counters', () => {
  it('count walk nodes in blocks plus the rest of each walk, per lane, and clear per unit', () => {
    const board = new ProgressBoard(2);
    const lane = board.lane(1);
    for (let i = 0; i < 3; i++) countNodeBlock(lane);
    countWalkEnd(lane, 3 * NODE_BLOCK + 100);
    countWalkEnd(lane, NODE_BLOCK - 50);
    reportSize(lane, 84);
    reportSize(board.lane(0), 80);
    expect(board.read()).toEqual({ nodes: 4 * NODE_BLOCK + 50, sizes: [80, 84] });
    board.clear(1);
    expect(board.read()).toEqual({ nodes: 0, sizes: [80] });
  });
});

describe('runSearch progress', () => {
  it('reports nodes and the size being exhausted while the only worker is inside one unit', async () => {
    const reports: Progress[] = [];
    const outcome = await runSearch(
      { target: hello, profile, space: { maxSize: 96, maxPathSteps: 40, nodeLimit: 300_000 }, workers: 1, timeLimit: 3, seed: 1, progressIntervalMs: 100 },
      (p) => reports.push({ ...p, sizes: [...p.sizes] }),
    );
    // Ticks between two unit ends: the only worker is inside one unit, yet the count moves.
    const ticksByUnitsDone = new Map<number, Progress[]>();
    for (const p of reports) if (p.event === 'tick') ticksByUnitsDone.set(p.unitsDone, [...(ticksByUnitsDone.get(p.unitsDone) ?? []), p]);
    const inside = [...ticksByUnitsDone.values()].find((ticks) => ticks.length >= 3 && ticks.at(-1)!.nodes > ticks[0]!.nodes);
    expect(inside, 'three ticks inside one unit with a growing node count').toBeDefined();
    const last = inside!.at(-1)!;
    expect(last.sizes).toHaveLength(1);
    expect(last.sizes[0]).toBeGreaterThanOrEqual(68);
    // The count only grows, and ends at the exact total of the finished units.
    for (let i = 1; i < reports.length; i++) expect(reports[i]!.nodes).toBeGreaterThanOrEqual(reports[i - 1]!.nodes);
    const lastUnit = reports.filter((p) => p.event === 'unit').at(-1)!;
    expect(lastUnit.nodes).toBe(outcome.nodes);
  });
});
