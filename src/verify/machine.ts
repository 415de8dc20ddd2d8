/**
 * The real engines behind verification: golf's emulator (one Emulator reused for every run of a
 * runner, as the search needs) and the host kernel when it is Linux x86-64.
 */
import { Emulator } from '../linux/emulate.js';
import { nativeSupported, runNative } from '../linux/native.js';
import type { KernelProfile } from '../linux/profile.js';
import type { NativeRunner } from './native-check.js';
import type { EmulatedRunner } from './verify.js';

/** A runner that keeps one Emulator (address space, CPU, decode cache) for all its runs. */
export function emulatorRunner(profile: KernelProfile): EmulatedRunner {
  const emulator = new Emulator(profile);
  return (file, request) =>
    emulator.run(file, {
      argv: request.argv,
      env: request.env,
      stdin: request.stdin,
      stdinKind: request.stdinKind,
      seed: request.seed,
      execPath: request.execPath,
      maxSteps: request.maxSteps,
    });
}

const hostRunner: NativeRunner = (path, options) => runNative(path, options);

/** The host kernel as a runner (one object, so host probes are cached), or null off Linux x86-64. */
export function hostNativeRunner(): NativeRunner | null {
  return nativeSupported() ? hostRunner : null;
}
