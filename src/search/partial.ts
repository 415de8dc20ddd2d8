/**
 * The partial result a `golf search --shard I/N` writes and `golf merge` combines: format, reading
 * (every field checked, so a damaged file is one clear line instead of a crash or a wrong answer)
 * and merging (only shards of one plan, each with the units the plan gave it, every claimed file
 * run again). A partial embeds its target's definition, so merge needs no --target.
 *
 * Format 3 is the union of two earlier "format 2"s made on separate branches: one added the shard
 * plan and the first pass (shards planned by cost, src/search/shard-plan.ts), the other embedded
 * the target. A file of either reads as "from another golf version", never half-understood.
 */
import { hostname } from 'node:os';
import { targetFromObject, targetToObject } from '../targets/schema.js';
import { targetFingerprint, type Target } from '../targets/target.js';
import { better, unitKey, type Found, type SearchSpace, type Unit, type UnitResult } from './engine.js';
import { minFileSize } from './layout.js';
import { coverageProblems, planFingerprint, type ShardPlan } from './shard-plan.js';

export const PARTIAL_FORMAT = 'golf-search-partial/3';

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  target: Target;
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
  /** The best of firstPass and units. */
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

export class PartialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PartialError';
  }
}

export function makePartial(target: Target, profile: string, int80: boolean, space: SearchSpace, seed: number, shard: PartialResult['shard'], outcome: {
  best: Found | null; results: UnitResult[]; firstPass: UnitResult[]; plan: ShardPlan; nodes: number; candidates: number; elapsedMs: number; planningMs: number; interrupted: boolean;
}, unitsTotal: number): PartialResult {
  return {
    format: PARTIAL_FORMAT, target, profile, int80, space, seed, shard,
    plan: { ...outcome.plan, fingerprint: planFingerprint(outcome.plan) }, host: hostname(),
    best: outcome.best, firstPass: outcome.firstPass, units: outcome.results, unitsTotal, nodes: outcome.nodes, candidates: outcome.candidates,
    elapsedMs: outcome.elapsedMs, planningMs: outcome.planningMs, interrupted: outcome.interrupted,
  };
}

export function serializePartial(p: PartialResult): string {
  const target = { name: p.target.name, fingerprint: targetFingerprint(p.target), ...targetToObject(p.target) };
  return JSON.stringify({ ...p, target }, null, 2) + '\n';
}

type Fail = (what: string) => never;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function object(v: unknown, where: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be a JSON object`);
  return v as Record<string, unknown>;
}

function count(o: Record<string, unknown>, key: string, where: string, fail: Fail): number {
  if (!isCount(o[key])) fail(`${where}${key} must be a whole number (got ${JSON.stringify(o[key])})`);
  return o[key] as number;
}

function text(o: Record<string, unknown>, key: string, where: string, fail: Fail): string {
  if (typeof o[key] !== 'string') fail(`${where}${key} must be a string`);
  return o[key] as string;
}

function counts(v: unknown, where: string, fail: Fail): number[] {
  if (!Array.isArray(v) || !v.every(isCount)) fail(`${where} must be a list of whole numbers`);
  return v as number[];
}

function found(v: unknown, where: string, fail: Fail): Found | null {
  if (v === null) return null;
  const f = object(v, where, fail);
  const size = count(f, 'size', `${where}.`, fail);
  if (typeof f.hex !== 'string' || !/^([0-9a-f]{2})+$/.test(f.hex)) fail(`${where}.hex must be the file's bytes in lower-case hex`);
  if ((f.hex as string).length !== size * 2) fail(`${where}.size is ${size} but ${where}.hex holds ${(f.hex as string).length / 2} bytes`);
  return { size, hex: f.hex as string };
}

const STOPPED_BY = ['done', 'stopped', 'bound'];

function unitResult(v: unknown, where: string, fail: Fail): UnitResult {
  const r = object(v, where, fail);
  const u = object(r.unit, `${where}.unit`, fail);
  if (u.type !== 2 && u.type !== 3) fail(`${where}.unit.type must be 2 (ET_EXEC) or 3 (ET_DYN)`);
  if (!STOPPED_BY.includes(r.stoppedBy as string)) fail(`${where}.stoppedBy must be one of ${STOPPED_BY.join(', ')}`);
  const size = u.size === undefined ? {} : { size: count(u, 'size', `${where}.unit.`, fail) };
  const part = u.part === undefined ? {} : (() => {
    const p = object(u.part, `${where}.unit.part`, fail);
    const index = count(p, 'index', `${where}.unit.part.`, fail);
    const parts = count(p, 'count', `${where}.unit.part.`, fail);
    if (index >= parts) fail(`${where}.unit.part: index ${index} is not below count ${parts}`);
    return { part: { index, count: parts } };
  })();
  return {
    unit: { index: count(u, 'index', `${where}.unit.`, fail), phoff: count(u, 'phoff', `${where}.unit.`, fail), type: u.type as 2 | 3, ...size, ...part },
    best: found(r.best, `${where}.best`, fail),
    exhaustedBelow: count(r, 'exhaustedBelow', `${where}.`, fail),
    stoppedBy: r.stoppedBy as UnitResult['stoppedBy'],
    nodes: count(r, 'nodes', `${where}.`, fail),
    candidates: count(r, 'candidates', `${where}.`, fail),
    layouts: count(r, 'layouts', `${where}.`, fail),
    elapsedMs: count(r, 'elapsedMs', `${where}.`, fail),
  };
}

function unitResults(v: unknown, key: string, fail: Fail): UnitResult[] {
  if (!Array.isArray(v)) fail(`"${key}" must be a list`);
  return (v as unknown[]).map((u, i) => unitResult(u, `${key}[${i}]`, fail));
}

/** The plan as written; its fingerprint must be the plan's own (an edited split is noticed here). */
function shardPlan(v: unknown, fail: Fail): PartialResult['plan'] {
  const p = object(v, '"plan"', fail);
  if (p.bound !== null && !isCount(p.bound)) fail('plan.bound must be a size or null');
  if (!Array.isArray(p.shards)) fail('plan.shards must be a list');
  if (!Array.isArray(p.shardCosts) || !p.shardCosts.every((c) => typeof c === 'number' && Number.isFinite(c))) fail('plan.shardCosts must be a list of numbers');
  const plan: ShardPlan = {
    count: count(p, 'count', 'plan.', fail), bound: p.bound as number | null, boundSource: text(p, 'boundSource', 'plan.', fail),
    firstPass: counts(p.firstPass, 'plan.firstPass', fail), shards: (p.shards as unknown[]).map((s, k) => counts(s, `plan.shards[${k}]`, fail)),
    costModel: text(p, 'costModel', 'plan.', fail), shardCosts: p.shardCosts as number[],
  };
  if (plan.shards.length !== plan.count) fail(`"plan" has ${plan.shards.length} shards but plan.count is ${plan.count}`);
  const fingerprint = text(p, 'fingerprint', 'plan.', fail);
  if (fingerprint !== planFingerprint(plan)) fail('"plan.fingerprint" does not match the plan it describes (edited?)');
  return { ...plan, fingerprint };
}

/** Reads a partial result; anything damaged or inconsistent is a PartialError naming the field. */
export function parsePartial(json: string): PartialResult {
  const fail: Fail = (what) => {
    throw new PartialError(what);
  };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return fail(`not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const o = object(value, 'the file', fail);
  if (o.format !== PARTIAL_FORMAT) {
    const older = typeof o.format === 'string' && o.format.startsWith('golf-search-partial/');
    fail(older ? `format ${o.format} is from another golf version (this one reads ${PARTIAL_FORMAT}); run the shard again` : `"format" is not ${PARTIAL_FORMAT}`);
  }
  const t = object(o.target, '"target"', fail);
  const { name, fingerprint, ...definition } = t;
  if (typeof name !== 'string' || name === '') fail('"target.name" must be a name');
  let target: Target;
  try {
    target = targetFromObject(definition, 'in the partial result', name as string);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  if (fingerprint !== targetFingerprint(target)) fail('"target.fingerprint" does not match the target it describes');
  if (typeof o.profile !== 'string' || o.profile === '') fail('"profile" must be a profile name');
  if (typeof o.int80 !== 'boolean') fail('"int80" must be true or false');
  if (typeof o.interrupted !== 'boolean') fail('"interrupted" must be true or false');
  if (typeof o.host !== 'string') fail('"host" must be the name of the machine that ran the shard');
  const sp = object(o.space, '"space"', fail);
  if (sp.splitWrites !== undefined && typeof sp.splitWrites !== 'boolean') fail('"space.splitWrites" must be true or false');
  if (sp.exact !== undefined && typeof sp.exact !== 'boolean') fail('"space.exact" must be true or false');
  const space: SearchSpace = {
    maxSize: count(sp, 'maxSize', 'space.', fail), maxPathSteps: count(sp, 'maxPathSteps', 'space.', fail), nodeLimit: count(sp, 'nodeLimit', 'space.', fail),
    ...(sp.splitWrites === true ? { splitWrites: true } : {}),
    ...(sp.exact === true ? { exact: true } : {}),
    ...(sp.loopCost !== undefined ? { loopCost: count(sp, 'loopCost', 'space.', fail) } : {}),
  };
  const sh = object(o.shard, '"shard"', fail);
  if (sh.source !== undefined && typeof sh.source !== 'string') fail('"shard.source" must be a string');
  const shard = { index: count(sh, 'index', 'shard.', fail), count: count(sh, 'count', 'shard.', fail), ...(sh.source !== undefined ? { source: sh.source as string } : {}) };
  if (shard.count < 1 || shard.index >= shard.count) fail(`"shard" ${shard.index + 1}/${shard.count} is not a shard (1 <= I <= N)`);
  const plan = shardPlan(o.plan, fail);
  if (plan.count !== shard.count) fail(`"plan" splits the space into ${plan.count} shards but "shard" is ${shard.index + 1}/${shard.count}`);
  const firstPass = unitResults(o.firstPass, 'firstPass', fail);
  const units = unitResults(o.units, 'units', fail);
  const mine = new Set(plan.shards[shard.index]);
  for (const u of units) if (!mine.has(u.unit.index)) fail(`units: layout family ${u.unit.index} does not belong to shard ${shard.index + 1}/${shard.count} in its plan`);
  const firsts = new Set(plan.firstPass);
  for (const u of firstPass) if (!firsts.has(u.unit.index)) fail(`firstPass: layout family ${u.unit.index} is not in the plan's first pass`);
  const best = found(o.best, '"best"', fail);
  const fromUnits = [...firstPass, ...units].reduce<Found | null>((b, u) => better(b, u.best), null);
  if (JSON.stringify(best) !== JSON.stringify(fromUnits)) fail('"best" is not the best of its units (edited?)');
  const unitsTotal = count(o, 'unitsTotal', '', fail);
  if (firstPass.length + units.length > unitsTotal) fail(`"firstPass" and "units" list ${firstPass.length + units.length} layout families but "unitsTotal" is ${unitsTotal}`);
  return {
    format: PARTIAL_FORMAT, target: target!, profile: o.profile as string, int80: o.int80 as boolean, space, seed: count(o, 'seed', '', fail), shard,
    plan, host: o.host as string, best, firstPass, units, unitsTotal,
    nodes: count(o, 'nodes', '', fail), candidates: count(o, 'candidates', '', fail), elapsedMs: count(o, 'elapsedMs', '', fail),
    planningMs: count(o, 'planningMs', '', fail), interrupted: o.interrupted as boolean,
  };
}

/** Why two partials cannot come from one search, or null when they can. */
export function partialMismatch(a: PartialResult, b: PartialResult): string | null {
  if (targetFingerprint(a.target) !== targetFingerprint(b.target)) return `targets differ (${a.target.name}, ${b.target.name})`;
  if (a.profile !== b.profile || a.int80 !== b.int80) return 'profiles differ';
  if (a.seed !== b.seed) return 'seeds differ';
  if (a.shard.count !== b.shard.count) return `shard counts differ (${a.shard.count}, ${b.shard.count})`;
  if (JSON.stringify(a.space) !== JSON.stringify(b.space)) return 'searched spaces differ (--max-size, --max-nodes or --split-writes)';
  if (a.plan.fingerprint !== b.plan.fingerprint) {
    return a.plan.bound !== b.plan.bound
      ? `plans differ: bound ${a.plan.bound ?? 'none'} (${a.plan.boundSource}) against ${b.plan.bound ?? 'none'} (${b.plan.boundSource}); give every shard the same --bound`
      : 'plans differ (the units were split differently: give every shard the same --costs files)';
  }
  return null;
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

/**
 * What a partial claims about one unit, checked against the space and the plan. The walk's own
 * claims (exhausted below k) cannot be checked without searching again; what can be is that they
 * fit together, and (by the caller's `verify`) that every file claimed really produces the target.
 */
function unitClaimProblems(r: UnitResult, space: readonly Unit[], bound: number | null): string[] {
  const u = space[r.unit.index];
  const at = `unit ${r.unit.index}`;
  if (!u || unitKey(u) !== unitKey(r.unit)) {
    const slice = r.unit.size === undefined ? '' : ` at ${r.unit.size} bytes${r.unit.part ? `, part ${r.unit.part.index + 1} of ${r.unit.part.count}` : ''}`;
    return [`${at} is not layout family P=${r.unit.phoff} type ${r.unit.type}${slice} in this space`];
  }
  const out: string[] = [];
  if (r.best) {
    if (!/^(?:[0-9a-f]{2})+$/.test(r.best.hex) || r.best.hex.length !== 2 * r.best.size) out.push(`${at} claims a ${r.best.size}-byte file whose bytes are not ${r.best.size} bytes of hex`);
    if (u.size !== undefined && r.best.size > u.size) out.push(`${at} claims a ${r.best.size}-byte file in its slice of ${u.size}-byte files`);
    if (r.best.size < minFileSize(u.phoff)) out.push(`${at} claims a ${r.best.size}-byte file, smaller than its program header allows (${minFileSize(u.phoff)})`);
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
    const why = partialMismatch(first, partial);
    if (why) throw new MergeError(`${named[0]!.path} and ${path} come from different searches: ${why}`);
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
