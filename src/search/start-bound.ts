/**
 * The bound a search starts from (search policy: the CLI parses `--bound` and prints the notes):
 * the size the user gave, the record for the target when its file still passes under the search's
 * profile, or none / the first pass. shard-run.ts says why a sharded search needs one.
 */
import type { KernelProfile } from '../linux/profile.js';
import { readRecordFor } from '../results/offer.js';
import { recordPath } from '../results/store.js';
import { resultsDir } from '../targets/paths.js';
import type { Target } from '../targets/target.js';
import { emulatorRunner } from '../verify/machine.js';
import { verifyFile, verifyOptionsFor } from '../verify/verify.js';
import type { SearchSpace } from './engine.js';
import type { KnownBound } from './shard-run.js';

/** What `--bound` asked for: a size, the record, the first pass, or none. */
export type BoundOption = { kind: 'size'; size: number } | { kind: 'record' } | { kind: 'first-pass' } | { kind: 'none' };

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
