/**
 * What a search (or a merge of shard results) says about itself: the partial-result file format
 * and the completeness statement, shared by `golf search` and `golf merge`.
 */
import { hostname } from 'node:os';
import { targetFingerprint, type Target } from '../targets/target.js';
import { better, type Found, type SearchSpace, type Unit, type UnitResult } from './engine.js';
import { coverageProblems, planFingerprint, type ShardPlan } from './shard-plan.js';

/** Version 2 adds the shard plan and the first pass (version 1 partials split round-robin). */
export const PARTIAL_FORMAT = 'golf-search-partial/2';

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  target: { name: string; fingerprint: string };
  profile: string;
  /** Whether int 0x80 was allowed (false when the host refused it: see golf search). */
  int80: boolean;
  space: SearchSpace;
  seed: number;
  /** 0-based index; `source` says how --shard auto found it. */
  shard: { index: number; count: number; source?: string };
  /** The plan every shard made, and its fingerprint (what golf merge compares). */
  plan: ShardPlan & { fingerprint: string };
  /** The machine that ran the shard. */
  host: string;
  best: Found | null;
  /** Results of the first pass (every shard has them), then of this shard's own units. */
  firstPass: UnitResult[];
  units: UnitResult[];
  /** Units in the whole space. */
  unitsTotal: number;
  nodes: number;
  candidates: number;
  elapsedMs: number;
  planningMs: number;
  interrupted: boolean;
}

export function makePartial(target: Target, profile: string, int80: boolean, space: SearchSpace, seed: number, shard: PartialResult['shard'], outcome: {
  best: Found | null; results: UnitResult[]; firstPass: UnitResult[]; plan: ShardPlan; nodes: number; candidates: number; elapsedMs: number; planningMs: number; interrupted: boolean;
}, unitsTotal: number): PartialResult {
  return {
    format: PARTIAL_FORMAT, target: { name: target.name, fingerprint: targetFingerprint(target) }, profile, int80, space, seed, shard,
    plan: { ...outcome.plan, fingerprint: planFingerprint(outcome.plan) }, host: hostname(),
    best: outcome.best, firstPass: outcome.firstPass, units: outcome.results, unitsTotal, nodes: outcome.nodes, candidates: outcome.candidates,
    elapsedMs: outcome.elapsedMs, planningMs: outcome.planningMs, interrupted: outcome.interrupted,
  };
}

/**
 * What "this space" means in the completeness sentence, so no reader takes it for more. The code
 * bound is what makes the walk affordable; it charges each unmet register and each system call
 * the bytes of its cheapest encoding in free bytes, so code formed by fixed header bytes that
 * would do the same work more cheaply is outside what the claim covers.
 */
export function spaceScope(space: SearchSpace): string {
  const writes = space.splitWrites === true
    ? 'each output stream written by one or more system calls, each writing a prefix of what is left'
    : 'each output stream written whole by one system call';
  return (
    `one PT_LOAD program header at every offset, ET_EXEC and ET_DYN, files up to ${space.maxSize} bytes; ${writes}, then exit; ` +
    'code enumerated in order of free bytes used, pruned by a per-call byte-cost bound (a heuristic: not proven never to overestimate)'
  );
}

export interface Completeness {
  /** No file smaller than this exists in the searched space (every unit was exhausted below it). */
  exhaustedBelow: number;
  /** Every unit of the space ran. */
  allUnitsRan: boolean;
  stoppedEarly: boolean;
  sentence: string;
}

/**
 * The honest summary: a unit proves "nothing below k" when its walks were never cut below k, or
 * when its smallest possible file (phoff + 56) is already k or more. With a bound known before the
 * search (--bound, the record, a first pass), sizes above it were never searched: a search that
 * found nothing up to it says so instead of "searched only partly".
 */
export function completeness(results: readonly UnitResult[], unitsTotal: number, best: Found | null, space: SearchSpace, interrupted: boolean, bound?: { size: number; source: string } | null): Completeness {
  let below = space.maxSize + 1;
  for (const r of results) below = Math.min(below, Math.max(r.exhaustedBelow, r.unit.phoff + 56));
  const allUnitsRan = results.length === unitsTotal;
  if (!allUnitsRan) below = Math.min(below, 56);
  const stoppedEarly = interrupted || results.some((r) => r.stoppedBy === 'stopped');
  const why = interrupted ? 'interrupted' : stoppedEarly ? 'stopped at the time limit' : 'finished';
  let sentence: string;
  if (!best && below > space.maxSize && !stoppedEarly) {
    sentence = `exhausted all layouts and code up to ${space.maxSize} bytes (--max-size) in this space: no file of that size or smaller exists in it`;
  } else if (best && below >= best.size) {
    sentence = `exhausted all layouts and code up to ${best.size - 1} bytes in this space: no smaller file exists in it (${why})`;
  } else if (!best && bound && bound.size < space.maxSize && below > bound.size && !stoppedEarly) {
    sentence = `exhausted all layouts and code up to ${bound.size} bytes in this space: no file of that size or smaller exists in it; ` +
      `larger files were not searched (bound ${bound.size} from ${bound.source}: search again with --bound none)`;
  } else if (below > 56) {
    sentence = `exhausted all layouts and code up to ${below - 1} bytes in this space; larger sizes were searched only partly (${why}, per-layout node limit ${space.nodeLimit})`;
  } else {
    sentence = `searched part of the space only (${why}${allUnitsRan ? '' : `, ${results.length} of ${unitsTotal} layout families ran`})`;
  }
  return { exhaustedBelow: below, allUnitsRan, stoppedEarly, sentence };
}

export class MergeError extends Error {}

/** What `golf merge` needs of each partial besides its content: the file it came from. */
export interface NamedPartial {
  path: string;
  partial: PartialResult;
}

export interface MergedSearch {
  best: Found | null;
  /** The first pass's and every shard's unit results, by unit index (each unit at most once). */
  units: UnitResult[];
  unitsTotal: number;
  plan: PartialResult['plan'];
  nodes: number;
  candidates: number;
  /** The longest shard (wall time if they all ran at once) and the sum of all shards. */
  elapsedMs: number;
  shardMsTotal: number;
  interrupted: boolean;
  /** 0-based indices of shards no partial was given for. */
  missingShards: number[];
  /** Per shard (0-based) that was given: the file, its machine and time. */
  shards: { index: number; path: string; host: string; elapsedMs: number; units: number; best: number | null }[];
}

/** Why two partials cannot come from one search (null: they can). */
function differentSearch(a: PartialResult, b: PartialResult): string | null {
  if (a.target.fingerprint !== b.target.fingerprint) return 'target';
  if (a.profile !== b.profile || a.int80 !== b.int80) return 'profile';
  if (a.seed !== b.seed) return 'seed';
  if (JSON.stringify(a.space) !== JSON.stringify(b.space)) return 'space (--max-size, --max-nodes or --split-writes)';
  if (a.shard.count !== b.shard.count) return 'shard count';
  if (a.plan.fingerprint !== b.plan.fingerprint) {
    return a.plan.bound !== b.plan.bound
      ? `plan: bound ${a.plan.bound ?? 'none'} (${a.plan.boundSource}) against ${b.plan.bound ?? 'none'} (${b.plan.boundSource}); give every shard the same --bound`
      : 'plan (the units were split differently: give every shard the same --costs files)';
  }
  return null;
}

/**
 * What a partial claims about one unit, checked against the space and the plan. The walk's own
 * claims (exhausted below k) cannot be checked without searching again; what can be is that they
 * fit together, and (by the caller's `verify`) that every file claimed really produces the target.
 */
function unitClaimProblems(r: UnitResult, space: readonly Unit[], bound: number | null): string[] {
  const u = space[r.unit.index];
  const at = `unit ${r.unit.index}`;
  if (!u || u.phoff !== r.unit.phoff || u.type !== r.unit.type) return [`${at} is not layout family P=${r.unit.phoff} type ${r.unit.type} in this space`];
  const out: string[] = [];
  if (r.best) {
    if (!/^(?:[0-9a-f]{2})+$/.test(r.best.hex) || r.best.hex.length !== 2 * r.best.size) out.push(`${at} claims a ${r.best.size}-byte file whose bytes are not ${r.best.size} bytes of hex`);
    if (r.best.size < u.phoff + 56) out.push(`${at} claims a ${r.best.size}-byte file, smaller than its program header allows (${u.phoff + 56})`);
    if (r.exhaustedBelow > r.best.size) out.push(`${at} claims no file below ${r.exhaustedBelow} bytes but found one of ${r.best.size}`);
    if (bound !== null && r.best.size > bound) out.push(`${at} claims a ${r.best.size}-byte file above the plan's bound of ${bound}`);
  }
  return out;
}

/**
 * Combines shard results into the search they split: best by size, then bytes; every unit from
 * the shard the plan gave it to; every claim checked (see unitClaimProblems) and every file
 * re-verified with `verify`. Inconsistent input is a MergeError naming the file.
 */
export function mergePartials(named: readonly NamedPartial[], space: readonly Unit[], verify: (hex: string) => boolean): MergedSearch {
  const first = named[0]!.partial;
  for (const { path, partial } of named) {
    const why = differentSearch(first, partial);
    if (why) throw new MergeError(`${path} and ${named[0]!.path} come from different searches (${why} differ)`);
  }
  const plan = first.plan;
  if (planFingerprint(plan) !== plan.fingerprint) throw new MergeError(`${named[0]!.path}: the plan does not match its fingerprint (edited?)`);
  if (first.unitsTotal !== space.length) throw new MergeError(`${named[0]!.path}: ${first.unitsTotal} units, but the space has ${space.length}`);
  const coverage = coverageProblems(plan, space.length);
  if (coverage.length > 0) throw new MergeError(`${named[0]!.path}: the plan does not cover the space (${coverage.join('; ')})`);
  const verified = new Map<string, boolean>();
  const check = (path: string, r: UnitResult): void => {
    const problems = unitClaimProblems(r, space, plan.bound);
    if (problems.length > 0) throw new MergeError(`${path}: ${problems.join('; ')}`);
    if (r.best) {
      let ok = verified.get(r.best.hex);
      if (ok === undefined) verified.set(r.best.hex, (ok = verify(r.best.hex)));
      if (!ok) throw new MergeError(`${path}: unit ${r.unit.index} (P=${r.unit.phoff}) claims a ${r.best.size}-byte file that does not produce the target`);
    }
  };
  const sameIndices = (results: readonly UnitResult[], want: readonly number[]): boolean => {
    const got = results.map((r) => r.unit.index).sort((a, b) => a - b);
    const expected = [...want].sort((a, b) => a - b);
    return got.length === expected.length && got.every((v, i) => v === expected[i]);
  };
  const byShard = new Map<number, NamedPartial>();
  const firstPass = new Map<number, UnitResult>();
  for (const n of named) {
    const p = n.partial;
    const earlier = byShard.get(p.shard.index);
    if (earlier) {
      if (JSON.stringify(earlier.partial.units.map((r) => r.best)) !== JSON.stringify(p.units.map((r) => r.best))) {
        throw new MergeError(`shard ${p.shard.index + 1}/${p.shard.count} is given twice with different results (${earlier.path}, ${n.path}): keep one`);
      }
      continue;
    }
    if (!sameIndices(p.units, plan.shards[p.shard.index] ?? [])) throw new MergeError(`${n.path}: its units are not the ones the plan gives shard ${p.shard.index + 1}`);
    if (!sameIndices(p.firstPass, plan.firstPass)) throw new MergeError(`${n.path}: its first-pass units are not the plan's`);
    for (const r of [...p.firstPass, ...p.units]) check(n.path, r);
    // The first pass ran in every shard, unbounded: all must have found the same.
    for (const r of p.firstPass) {
      const seen = firstPass.get(r.unit.index);
      if (seen && r.stoppedBy !== 'stopped' && seen.stoppedBy !== 'stopped' && JSON.stringify(seen.best) !== JSON.stringify(r.best)) {
        throw new MergeError(`${n.path}: its first pass found another result in unit ${r.unit.index} than the other shards' (the shards did not run the same search)`);
      }
      // Keep the claim that reaches furthest (one cut by a time limit claims less).
      if (!seen || r.exhaustedBelow > seen.exhaustedBelow) firstPass.set(r.unit.index, r);
    }
    byShard.set(p.shard.index, n);
  }
  let best: Found | null = null;
  const units: UnitResult[] = [...firstPass.values()];
  let nodes = 0, candidates = 0, elapsedMs = 0, shardMsTotal = 0, interrupted = false;
  const shards: MergedSearch['shards'] = [];
  for (const [index, { path, partial: p }] of [...byShard.entries()].sort((a, b) => a[0] - b[0])) {
    units.push(...p.units);
    nodes += p.nodes;
    candidates += p.candidates;
    elapsedMs = Math.max(elapsedMs, p.elapsedMs);
    shardMsTotal += p.elapsedMs;
    interrupted ||= p.interrupted;
    shards.push({ index, path, host: p.host, elapsedMs: p.elapsedMs, units: p.units.length, best: p.best?.size ?? null });
  }
  for (const r of units) best = better(best, r.best);
  const missingShards: number[] = [];
  for (let i = 0; i < first.shard.count; i++) if (!byShard.has(i)) missingShards.push(i);
  units.sort((a, b) => a.unit.index - b.unit.index);
  return { best, units, unitsTotal: space.length, plan, nodes, candidates, elapsedMs, shardMsTotal, interrupted, missingShards, shards };
}
