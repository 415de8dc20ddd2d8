/**
 * golf merge's work on the partial results of sharded searches: the profile the shards searched
 * under, and the merge itself (partial.ts), with every file a shard claims run again on the
 * emulator as the search ran it.
 */
import type { KernelProfile } from '../linux/profile.js';
import type { Target } from '../targets/target.js';
import { emulatorRunner } from '../verify/machine.js';
import { verifyFile, verifyOptionsFor } from '../verify/verify.js';
import { fromHex, SEARCH_VERIFY_STEPS, units } from './engine.js';
import { mergePartials, type MergedSearch, type NamedPartial, type PartialResult } from './partial.js';
import { withoutInt80 } from './policy.js';

/** The profile the shards searched under: the named profile, without int 0x80 where the search did without it. */
export function partialProfile(first: PartialResult, profile: KernelProfile): KernelProfile {
  return first.int80 === false ? withoutInt80(profile) : profile;
}

/** Merges the partials (MergeError when they do not fit together or a claim does not hold). */
export function mergeShards(named: readonly NamedPartial[], target: Target, profile: KernelProfile): MergedSearch {
  const run = emulatorRunner(profile);
  const verify = (hex: string): boolean => verifyFile(run, fromHex(hex), target, { ...verifyOptionsFor(profile), maxSteps: SEARCH_VERIFY_STEPS }).pass;
  return mergePartials(named, units(named[0]!.partial.space), verify);
}
