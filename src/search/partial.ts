/**
 * The partial result a `golf search --shard I/N` writes and `golf merge` combines: format, reading
 * (every field checked, so a damaged file is one clear line instead of a crash or a wrong answer)
 * and merging. A partial embeds its target's definition, so merge needs no --target.
 */
import { targetFromObject, targetToObject } from '../targets/schema.js';
import { targetFingerprint, type Target } from '../targets/target.js';
import { better, type Found, type SearchSpace, type UnitResult } from './engine.js';

export const PARTIAL_FORMAT = 'golf-search-partial/2';

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  target: Target;
  profile: string;
  /** Whether int 0x80 was allowed (false when the host refused it: see golf search). */
  int80: boolean;
  space: SearchSpace;
  seed: number;
  shard: { index: number; count: number };
  best: Found | null;
  units: UnitResult[];
  unitsTotal: number;
  nodes: number;
  candidates: number;
  elapsedMs: number;
  interrupted: boolean;
}

export class PartialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PartialError';
  }
}

export function makePartial(target: Target, profile: string, int80: boolean, space: SearchSpace, seed: number, shard: { index: number; count: number }, outcome: {
  best: Found | null; results: UnitResult[]; unitsTotal: number; nodes: number; candidates: number; elapsedMs: number; interrupted: boolean;
}): PartialResult {
  return {
    format: PARTIAL_FORMAT, target, profile, int80, space, seed, shard,
    best: outcome.best, units: outcome.results, unitsTotal: outcome.unitsTotal, nodes: outcome.nodes, candidates: outcome.candidates,
    elapsedMs: outcome.elapsedMs, interrupted: outcome.interrupted,
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
  return {
    unit: { index: count(u, 'index', `${where}.unit.`, fail), phoff: count(u, 'phoff', `${where}.unit.`, fail), type: u.type as 2 | 3 },
    best: found(r.best, `${where}.best`, fail),
    exhaustedBelow: count(r, 'exhaustedBelow', `${where}.`, fail),
    stoppedBy: r.stoppedBy as UnitResult['stoppedBy'],
    nodes: count(r, 'nodes', `${where}.`, fail),
    candidates: count(r, 'candidates', `${where}.`, fail),
    layouts: count(r, 'layouts', `${where}.`, fail),
    elapsedMs: count(r, 'elapsedMs', `${where}.`, fail),
  };
}

/** Reads a partial result; anything damaged or inconsistent is a PartialError naming the field. */
export function parsePartial(text: string): PartialResult {
  const fail: Fail = (what) => {
    throw new PartialError(what);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
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
  const sp = object(o.space, '"space"', fail);
  if (sp.splitWrites !== undefined && typeof sp.splitWrites !== 'boolean') fail('"space.splitWrites" must be true or false');
  const space: SearchSpace = {
    maxSize: count(sp, 'maxSize', 'space.', fail), maxPathSteps: count(sp, 'maxPathSteps', 'space.', fail), nodeLimit: count(sp, 'nodeLimit', 'space.', fail),
    ...(sp.splitWrites === true ? { splitWrites: true } : {}),
  };
  const sh = object(o.shard, '"shard"', fail);
  const shard = { index: count(sh, 'index', 'shard.', fail), count: count(sh, 'count', 'shard.', fail) };
  if (shard.count < 1 || shard.index >= shard.count) fail(`"shard" ${shard.index + 1}/${shard.count} is not a shard (1 <= I <= N)`);
  if (!Array.isArray(o.units)) fail('"units" must be a list');
  const units = (o.units as unknown[]).map((u, i) => unitResult(u, `units[${i}]`, fail));
  for (const u of units) if (u.unit.index % shard.count !== shard.index) fail(`units: layout family ${u.unit.index} does not belong to shard ${shard.index + 1}/${shard.count}`);
  const best = found(o.best, '"best"', fail);
  const fromUnits = units.reduce<Found | null>((b, u) => better(b, u.best), null);
  if (JSON.stringify(best) !== JSON.stringify(fromUnits)) fail('"best" is not the best of its units (edited?)');
  const unitsTotal = count(o, 'unitsTotal', '', fail);
  if (units.length > unitsTotal) fail(`"units" lists ${units.length} layout families but "unitsTotal" is ${unitsTotal}`);
  return {
    format: PARTIAL_FORMAT, target: target!, profile: o.profile as string, int80: o.int80 as boolean, space, seed: count(o, 'seed', '', fail), shard, best, units,
    unitsTotal, nodes: count(o, 'nodes', '', fail), candidates: count(o, 'candidates', '', fail), elapsedMs: count(o, 'elapsedMs', '', fail),
    interrupted: o.interrupted as boolean,
  };
}

/** Why two partials cannot come from one search, or null when they can. */
export function partialMismatch(a: PartialResult, b: PartialResult): string | null {
  if (targetFingerprint(a.target) !== targetFingerprint(b.target)) return `targets differ (${a.target.name}, ${b.target.name})`;
  if (a.profile !== b.profile || a.int80 !== b.int80) return 'profiles differ';
  if (a.seed !== b.seed) return 'seeds differ';
  if (a.shard.count !== b.shard.count) return `shard counts differ (${a.shard.count}, ${b.shard.count})`;
  if (JSON.stringify(a.space) !== JSON.stringify(b.space)) return 'searched spaces differ (--max-size, --max-nodes or --split-writes)';
  return null;
}

/** Combines shard results: best by size then bytes; every shard of the same search must agree on its parameters. */
export function mergePartials(parts: readonly PartialResult[]): { best: Found | null; units: UnitResult[]; unitsTotal: number; nodes: number; candidates: number; elapsedMs: number; interrupted: boolean; missingShards: number[] } {
  const first = parts[0]!;
  const seen = new Set<number>();
  let best: Found | null = null;
  const units: UnitResult[] = [];
  let nodes = 0, candidates = 0, elapsedMs = 0, unitsTotal = 0, interrupted = false;
  for (const p of parts) {
    if (seen.has(p.shard.index)) continue;
    seen.add(p.shard.index);
    best = better(best, p.best);
    units.push(...p.units);
    nodes += p.nodes;
    candidates += p.candidates;
    elapsedMs = Math.max(elapsedMs, p.elapsedMs);
    unitsTotal += p.unitsTotal;
    interrupted ||= p.interrupted;
  }
  const missingShards: number[] = [];
  for (let i = 0; i < first.shard.count; i++) if (!seen.has(i)) missingShards.push(i);
  units.sort((a, b) => a.unit.index - b.unit.index);
  return { best, units, unitsTotal, nodes, candidates, elapsedMs, interrupted, missingShards };
}
