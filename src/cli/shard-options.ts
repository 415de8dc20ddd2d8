/**
 * The options of `golf search` that split a search over machines: --shard (I/N, or auto from a
 * scheduler's variables), --bound, --costs, --plan and --emit slurm. Parsing and looking things up
 * only; the planning is src/search/shard-plan.ts, a shard's run src/search/shard-run.ts.
 */
import type { KernelProfile } from '../linux/profile.js';
import { readRecordFor } from '../results/offer.js';
import { recordPath } from '../results/store.js';
import type { SearchSpace } from '../search/engine.js';
import { minFileSize } from '../search/layout.js';
import { parsePartial, PartialError, type PartialResult } from '../search/partial.js';
import { shardFromEnvironment, ShardEnvironmentError, type Shard } from '../search/shard-env.js';
import type { KnownBound } from '../search/shard-run.js';
import { timingsOf, type UnitTiming } from '../search/unit-cost.js';
import { emulatorRunner } from '../verify/machine.js';
import { resultsDir } from '../targets/paths.js';
import type { Target } from '../targets/target.js';
import { verifyFile, verifyOptionsFor } from '../verify/verify.js';
import { CliError, ExitCode } from './errors.js';
import { readInput, STDIO } from './io.js';

/** `--shard I/N`, `--shard auto` or `--shard auto/N` (0-based index inside). */
export function parseShard(value: string, env: NodeJS.ProcessEnv = process.env): Shard & { source?: string } {
  const v = value.trim();
  const auto = /^auto(?:\/([0-9]+))?$/.exec(v);
  if (auto) {
    const count = auto[1] === undefined ? undefined : Number(auto[1]);
    if (count !== undefined && count < 1) throw new CliError(`--shard auto/N needs N >= 1 (got "${value}")`, ExitCode.usage);
    try {
      const found = shardFromEnvironment(env, count);
      return { ...found.shard, source: found.source };
    } catch (err) {
      if (err instanceof ShardEnvironmentError) throw new CliError(err.message, ExitCode.usage);
      throw err;
    }
  }
  const m = /^([0-9]+)\/([0-9]+)$/.exec(v);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new CliError(`--shard must be I/N with 1 <= I <= N, auto or auto/N (got "${value}")`, ExitCode.usage);
  return { index: index - 1, count };
}

export type BoundOption = { kind: 'size'; size: number } | { kind: 'record' } | { kind: 'first-pass' } | { kind: 'none' };

export function parseBound(value: string): BoundOption {
  const v = value.trim();
  if (v === 'record' || v === 'first-pass' || v === 'none') return { kind: v };
  const n = /^[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  const smallest = minFileSize(0); // a one-PT_LOAD file at phoff 0
  if (!Number.isSafeInteger(n) || n < smallest || n > 4096) throw new CliError(`--bound must be a size from ${smallest} to 4096, record, first-pass or none (got "${value}")`, ExitCode.usage);
  return { kind: 'size', size: n };
}

/**
 * The record's size as a bound, when there is a record for the target under this profile and its
 * file still passes here (a record the search could not have found, say one that needs int 0x80
 * on a host that refuses it, would bound the search below anything it can find).
 */
export function recordBound(target: Target, profile: KernelProfile, dir = resultsDir()): { bound: KnownBound | null; why: string } {
  let path: string;
  try {
    path = recordPath(dir, profile.name, target.name);
  } catch {
    return { bound: null, why: `no record can exist for a target named "${target.name}"` };
  }
  let bytes: Uint8Array | undefined;
  try {
    bytes = readRecordFor(path, target, profile.name).entries.record?.bytes;
  } catch (err) {
    return { bound: null, why: `${path} cannot be used (${(err as Error).message})` };
  }
  if (!bytes) return { bound: null, why: `no record in ${path}` };
  const verdict = verifyFile(emulatorRunner(profile), bytes, target, verifyOptionsFor(profile));
  if (!verdict.pass) return { bound: null, why: `the record in ${path} does not pass under this search's profile` };
  return { bound: { size: bytes.length, source: `the record ${path}` }, why: '' };
}

/**
 * The bound a search starts from. For a shard the default is the record, else the first pass
 * (null here: shard-run.ts runs it); for a whole search it is none unless asked for, because the
 * whole search shares its best size between units as it goes.
 */
export function knownBound(option: BoundOption | undefined, sharded: boolean, target: Target, profile: KernelProfile, space: SearchSpace, note: (line: string) => void): { bound: KnownBound | null; firstPass: boolean } {
  const kind = option?.kind ?? (sharded ? 'record' : 'none');
  if (option?.kind === 'size') {
    if (option.size > space.maxSize) note(`--bound ${option.size} is above --max-size ${space.maxSize}: the search stops at ${space.maxSize}`);
    return { bound: { size: option.size, source: `--bound ${option.size}` }, firstPass: false };
  }
  if (kind === 'record') {
    const r = recordBound(target, profile);
    if (r.bound) return { bound: r.bound, firstPass: false };
    note(`bound: ${r.why}; ${sharded ? 'every shard runs the first pass instead' : 'searching without a bound'}`);
    return { bound: null, firstPass: sharded };
  }
  return { bound: null, firstPass: kind === 'first-pass' };
}

/** `--costs FILE...`: the unit times of earlier partial results, to balance shards by. */
export function readTimings(paths: readonly string[]): { entries: UnitTiming[]; files: number } {
  const entries: UnitTiming[] = [];
  for (const path of paths) {
    const p = readPartialFile(path);
    entries.push(...timingsOf([...p.firstPass, ...p.units]));
  }
  return { entries, files: paths.length };
}

/**
 * Reads a partial result written by `golf search --shard` (`-` reads stdin); anything damaged is a
 * usage error of one line naming the file and the field (see src/search/partial.ts).
 */
export function readPartialFile(path: string): PartialResult {
  const text = Buffer.from(readInput(path, 'a partial result')).toString('utf8');
  try {
    return parsePartial(text);
  } catch (err) {
    if (err instanceof PartialError) throw new CliError(`${path === STDIO ? 'stdin' : path}: not a valid partial result: ${err.message}`, ExitCode.usage);
    throw err;
  }
}
