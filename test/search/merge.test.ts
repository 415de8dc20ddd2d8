// golf merge's checks on partial results: it combines only shards of one plan, each with the units
// the plan gave it, and trusts no claimed file without running it again.
import { describe, expect, it } from 'vitest';
import type { UnitResult } from '../../src/search/engine.js';
import { MergeError, mergePartials, parsePartial, PARTIAL_FORMAT, serializePartial, type NamedPartial, type PartialResult } from '../../src/search/partial.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';
import { planFingerprint, type ShardPlan } from '../../src/search/shard-plan.js';

const space = Array.from({ length: 6 }, (_, index) => ({ index, phoff: 10 + index, type: 3 as const }));
const result = (index: number, best: UnitResult['best'] = null, exhaustedBelow = 81, stoppedBy: UnitResult['stoppedBy'] = 'bound'): UnitResult => ({
  unit: space[index]!, best, exhaustedBelow, stoppedBy, nodes: 10, candidates: 1, layouts: 1, elapsedMs: 5,
});
const plan0: ShardPlan = { count: 2, bound: 80, boundSource: 'test', firstPass: [0], shards: [[1, 3, 5], [2, 4]], costModel: 'test', shardCosts: [1, 1] };
const target: Target = {
  name: 't', origin: 'test', description: 'test', stdout: new Uint8Array(0), stderr: new Uint8Array(0),
  exitCode: 42, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
};
const file = (size: number, byte = 'ab'): { size: number; hex: string } => ({ size, hex: byte.repeat(size) });

function partial(index: number, results: UnitResult[], plan: ShardPlan = plan0, first: UnitResult[] = [result(0, file(79), 79, 'done')]): NamedPartial {
  const p: PartialResult = {
    format: PARTIAL_FORMAT, target, profile: 'default', int80: false,
    space: { maxSize: 96, maxPathSteps: 40, nodeLimit: 1000 }, seed: 1, shard: { index, count: plan.count },
    plan: { ...plan, fingerprint: planFingerprint(plan) }, host: 'h', best: null, firstPass: first, units: results,
    unitsTotal: space.length, nodes: 1, candidates: 1, elapsedMs: 1000 * (index + 1), planningMs: 1, interrupted: false,
  };
  return { path: `part${index + 1}.json`, partial: p };
}

const good = (): NamedPartial[] => [partial(0, [result(1), result(3, file(78), 78, 'done'), result(5)]), partial(1, [result(2), result(4)])];
const verifyAll = (): boolean => true;

describe('mergePartials', () => {
  it('combines the shards of one plan: best over all units, first pass once, times per shard', () => {
    const m = mergePartials(good(), space, verifyAll);
    expect(m.best).toEqual(file(78));
    expect(m.units.map((r) => r.unit.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(m.missingShards).toEqual([]);
    expect([m.elapsedMs, m.shardMsTotal]).toEqual([2000, 3000]);
  });

  it('reports a missing shard instead of pretending its units ran', () => {
    const m = mergePartials([good()[0]!], space, verifyAll);
    expect(m.missingShards).toEqual([1]);
    expect(m.units.map((r) => r.unit.index)).toEqual([0, 1, 3, 5]);
  });

  it('re-verifies every claimed file', () => {
    const seen: string[] = [];
    mergePartials(good(), space, (hex) => { seen.push(hex); return true; });
    expect(seen.sort()).toEqual([file(78).hex, file(79).hex].sort());
    expect(() => mergePartials(good(), space, (hex) => hex !== file(78).hex)).toThrow(/unit 3 \(P=13\) claims a 78-byte file that does not produce the target/);
  });

  it('refuses partials of different plans, units the plan did not give, and claims that do not fit together', () => {
    const other = { ...plan0, bound: 84, shards: [[1, 3], [2, 4, 5]] };
    expect(() => mergePartials([good()[0]!, partial(1, [result(2), result(4), result(5)], other)], space, verifyAll)).toThrow(/bound 80 \(test\) against 84/);
    expect(() => mergePartials([partial(0, [result(1), result(3)]), good()[1]!], space, verifyAll)).toThrow(/not the ones the plan gives shard 1/);
    expect(() => mergePartials([partial(0, [result(1), result(3, file(90), 90, 'done'), result(5)]), good()[1]!], space, verifyAll)).toThrow(/above the plan's bound of 80/);
    expect(() => mergePartials([partial(0, [result(1), result(3, file(78), 80, 'done'), result(5)]), good()[1]!], space, verifyAll)).toThrow(/no file below 80 bytes but found one of 78/);
    expect(() => mergePartials([partial(0, [result(1), result(3, { size: 78, hex: 'abcd' }, 78, 'done'), result(5)]), good()[1]!], space, verifyAll)).toThrow(/not 78 bytes of hex/);
    const edited = good();
    edited[1]!.partial.plan.shards = [[1, 3, 5], [2, 4]];
    edited[1]!.partial.plan.bound = 79;
    expect(() => mergePartials([edited[1]!, edited[0]!], space, verifyAll)).toThrow(/does not match its fingerprint|different searches/);
    const firstPassDiffers = partial(1, [result(2), result(4)], plan0, [result(0, file(79, 'cd'), 79, 'done')]);
    expect(() => mergePartials([good()[0]!, firstPassDiffers], space, verifyAll)).toThrow(/first pass found another result in unit 0/);
    expect(() => mergePartials([good()[0]!, partial(0, [result(1), result(3, file(77), 77, 'done'), result(5)])], space, verifyAll)).toThrow(/given twice with different results/);
    expect(() => mergePartials(good(), space.slice(0, 5), verifyAll)).toThrow(MergeError);
  });

  it('size slices (exact searches): a partial keeps each unit\'s size, and a claim about another slice is refused', () => {
    const sliced = space.map((u) => ({ ...u, size: 70 + u.index }));
    const at = (index: number, best: UnitResult['best'] = null, exhaustedBelow = 97): UnitResult => ({ ...result(index, best, exhaustedBelow, 'done'), unit: sliced[index]! });
    const shards = (): NamedPartial[] => [partial(0, [at(1), at(3, file(73), 73), at(5)], plan0, [at(0)]), partial(1, [at(2), at(4)], plan0, [at(0)])];
    const withBest = (n: NamedPartial): NamedPartial => ({ ...n, partial: { ...n.partial, best: [...n.partial.firstPass, ...n.partial.units].find((r) => r.best)?.best ?? null } });
    const round = shards().map((n) => ({ ...n, partial: parsePartial(serializePartial(withBest(n).partial)) }));
    expect(round[0]!.partial.units.map((r) => r.unit.size)).toEqual([71, 73, 75]);
    const m = mergePartials(round, sliced, verifyAll);
    expect(m.best).toEqual(file(73));
    // the space's unit 3 is the 73-byte slice: a result for unit 3 at another size is not it
    expect(() => mergePartials(round, sliced.map((u) => (u.index === 3 ? { ...u, size: 74 } : u)), verifyAll)).toThrow(/unit 3 is not layout family P=13 type 3 at 73 bytes in this space/);
    // a slice cannot hold a file larger than its size
    const tooBig = [partial(0, [at(1), at(3, file(74), 74), at(5)], plan0, [at(0)]), shards()[1]!];
    expect(() => mergePartials(tooBig, sliced, verifyAll)).toThrow(/claims a 74-byte file in its slice of 73-byte files/);
  });
});
