/**
 * What a search (or a merge of shard results) says about itself: the partial-result file format
 * and the completeness statement, shared by `golf search` and `golf merge`.
 */
import { targetFingerprint, type Target } from '../targets/target.js';
import { better, type Found, type SearchSpace, type UnitResult } from './engine.js';

export const PARTIAL_FORMAT = 'golf-search-partial/1';

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  target: { name: string; fingerprint: string };
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

export function makePartial(target: Target, profile: string, int80: boolean, space: SearchSpace, seed: number, shard: { index: number; count: number }, outcome: {
  best: Found | null; results: UnitResult[]; unitsTotal: number; nodes: number; candidates: number; elapsedMs: number; interrupted: boolean;
}): PartialResult {
  return {
    format: PARTIAL_FORMAT, target: { name: target.name, fingerprint: targetFingerprint(target) }, profile, int80, space, seed, shard,
    best: outcome.best, units: outcome.results, unitsTotal: outcome.unitsTotal, nodes: outcome.nodes, candidates: outcome.candidates,
    elapsedMs: outcome.elapsedMs, interrupted: outcome.interrupted,
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
 * when its smallest possible file (phoff + 56) is already k or more.
 */
export function completeness(results: readonly UnitResult[], unitsTotal: number, best: Found | null, space: SearchSpace, interrupted: boolean): Completeness {
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
  } else if (below > 56) {
    sentence = `exhausted all layouts and code up to ${below - 1} bytes in this space; larger sizes were searched only partly (${why}, per-layout node limit ${space.nodeLimit})`;
  } else {
    sentence = `searched part of the space only (${why}${allUnitsRan ? '' : `, ${results.length} of ${unitsTotal} layout families ran`})`;
  }
  return { exhaustedBelow: below, allUnitsRan, stoppedEarly, sentence };
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
