/** Certifiers backed by the real emulator and host kernel, per kernel profile. */
import type { ArchName } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import { hostNativeRunner, emulatorRunner } from '../verify/machine.js';
import { checkNatively } from '../verify/native-check.js';
import { verifyFile, verifyOptionsFor } from '../verify/verify.js';
import type { Certifier } from './certify.js';
import { recordKey } from './store.js';

/**
 * Verifies under `profile` in every environment of `golf check`, and natively when `native` is
 * true and the host is Linux x86-64 (records then say which kernel ran them).
 */
export function recordCertifier(profile: KernelProfile, options: { native: boolean; arch?: ArchName } = { native: true }): Certifier {
  const run = emulatorRunner(profile);
  const native = options.native ? hostNativeRunner() : null;
  return {
    // the records' key: an i386 search's files are kept apart from the profile's x86-64 ones
    profile: recordKey(profile.name, options.arch),
    emulate: (file, target) => verifyFile(run, file, target, verifyOptionsFor(profile)),
    native: native && ((file, target, assumptions) => checkNatively(native, file, target, assumptions)),
  };
}
