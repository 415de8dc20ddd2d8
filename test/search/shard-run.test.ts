// Sharded searches as golf merge sees them: the shards together give the unsharded search's file,
// cover every unit exactly once, and no unit searches above the shared bound. Small space
// (exit 42, files up to 80 bytes) so the whole search is a few seconds; the checks are about
// behaviour, not about sizes the search may improve on.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { fromHex, unitFirstSize, units } from '../../src/search/engine.js';
import { makePartial, mergePartials, parsePartial, serializePartial, type NamedPartial } from '../../src/search/partial.js';
import { completeness } from '../../src/search/report.js';
import { runSearch } from '../../src/search/run.js';
import { runShard, type KnownBound } from '../../src/search/shard-run.js';
import { emulatorRunner } from '../../src/verify/machine.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';
import { verifyFile, verifyOptionsFor } from '../../src/verify/verify.js';

const target: Target = {
  name: 'test', origin: 'test', description: 'test', stdout: new Uint8Array(0), stderr: new Uint8Array(0),
  exitCode: 42, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
};
const profile = { ...DEFAULT_PROFILE, ia32Emulation: false };
const space = { maxSize: 80, maxPathSteps: 40, nodeLimit: 20_000 };
const base = { target, profile, space, workers: 2, timeLimit: Infinity, seed: 1 };
const all = units(space);
const run = emulatorRunner(profile);
const verify = (hex: string): boolean => verifyFile(run, fromHex(hex), target, verifyOptionsFor(profile)).pass;

async function shards(count: number, knownBound: KnownBound | null): Promise<NamedPartial[]> {
  const out: NamedPartial[] = [];
  for (let index = 0; index < count; index++) {
    const o = await runShard({ ...base, shard: { index, count }, knownBound, timings: null });
    // Through the file format and back, as golf merge reads it.
    out.push({ path: `part${index + 1}.json`, partial: parsePartial(serializePartial(makePartial(target, 'default', false, space, 1, { index, count }, o, all.length))) });
  }
  return out;
}

describe('sharded search', () => {
  it('three shards from a first pass: the unsharded file, every unit exactly once, nothing above the bound', async () => {
    const whole = await runSearch(base);
    expect(whole.best).not.toBeNull();
    const parts = await shards(3, null);
    const plan = parts[0]!.partial.plan;
    expect(plan.firstPass.length).toBeGreaterThan(0);
    expect(plan.bound).not.toBeNull();
    // Every shard made the same plan and ran exactly its own units.
    for (const p of parts) {
      expect(p.partial.plan.fingerprint).toBe(plan.fingerprint);
      expect(p.partial.units.map((r) => r.unit.index).sort((a, b) => a - b)).toEqual([...plan.shards[p.partial.shard.index]!].sort((a, b) => a - b));
      // The first pass is identical in every shard (it decides the bound).
      expect(p.partial.firstPass.map((r) => r.best)).toEqual(parts[0]!.partial.firstPass.map((r) => r.best));
    }
    const merged = mergePartials(parts, all, verify);
    expect(merged.units.map((r) => r.unit.index)).toEqual(all.map((u) => u.index));
    expect(merged.best).toEqual(whole.best);
    for (const r of merged.units) {
      if (plan.firstPass.includes(r.unit.index)) continue;
      if (r.best) expect(r.best.size).toBeLessThanOrEqual(plan.bound!);
      else expect(r.exhaustedBelow).toBeLessThanOrEqual(Math.max(plan.bound! + 1, unitFirstSize(r.unit, target, space)));
    }
    const done = completeness(merged.units, merged.unitsTotal, merged.best, space, false, null);
    expect(done.exhaustedBelow).toBeGreaterThanOrEqual(merged.best!.size);
    // Together the shards walked about what the whole search walked (not N times over).
    const shardNodes = parts.reduce((s, p) => s + p.partial.nodes, 0);
    const firstPassNodes = parts[0]!.partial.firstPass.reduce((s, r) => s + r.nodes, 0);
    expect(shardNodes - 2 * firstPassNodes).toBeLessThanOrEqual(whole.nodes * 1.05 + firstPassNodes);
  });

  it('a given bound is honoured; below the smallest file, the merge finds nothing and says up to where', async () => {
    const whole = await runSearch(base);
    const exact = await shards(2, { size: whole.best!.size, source: 'test' });
    expect(mergePartials(exact, all, verify).best).toEqual(whole.best);
    const low = whole.best!.size - 1;
    const parts = await shards(2, { size: low, source: 'a test bound' });
    const merged = mergePartials(parts, all, verify);
    expect(merged.best).toBeNull();
    // No unit searched above the bound (one whose smallest file is larger searched nothing at all).
    for (const r of merged.units) expect(r.exhaustedBelow).toBeLessThanOrEqual(Math.max(low + 1, unitFirstSize(r.unit, target, space)));
    expect(merged.units.some((r) => r.stoppedBy === 'bound')).toBe(true);
    const done = completeness(merged.units, merged.unitsTotal, null, space, false, { size: low, source: 'a test bound' });
    expect(done.sentence).toBe(`exhausted all layouts and code up to ${low} bytes in this space: no file of that size or smaller was found in it (code was pruned by a heuristic cost bound, so one may still exist: --exact searches without it); larger files were not searched (bound ${low} from a test bound: search again with --bound none)`);
  });
});
