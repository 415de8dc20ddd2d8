/**
 * Verifying a file for a record: the emulator under the record's profile (every environment of
 * `golf check`) and, where the host can, the real kernel. An entry is only written with a passing
 * certificate, and the certificate says how far the file was verified.
 */
import type { Assumption } from '../linux/run-result.js';
import type { NativeCheck } from '../verify/native-check.js';
import type { Target } from '../targets/target.js';
import type { Verification } from '../verify/verify.js';
import type { EntryVerification } from './record.js';

export interface Certifier {
  /** The profile the emulator models (records are kept per profile). */
  readonly profile: string;
  emulate(file: Uint8Array, target: Target): Verification;
  /** Null when the host cannot run the file natively (not Linux x86-64, or disabled). */
  readonly native: ((file: Uint8Array, target: Target, assumptions: readonly Assumption[]) => Promise<NativeCheck>) | null;
}

export interface Certificate {
  pass: boolean;
  /** Null on pass; else one line saying where and why the file failed. */
  problem: string | null;
  assumptions: Assumption[];
  verification: EntryVerification;
  emulated: Verification;
  native: NativeCheck | null;
}

export async function certify(certifier: Certifier, file: Uint8Array, target: Target): Promise<Certificate> {
  const emulated = certifier.emulate(file, target);
  const verification: EntryVerification = {
    emulator: { profile: certifier.profile, environments: emulated.runs.length },
    native: null,
    nativeNotRun: null,
  };
  if (!emulated.pass) {
    return { pass: false, problem: `emulator: ${emulated.problem}`, assumptions: emulated.assumptions, verification, emulated, native: null };
  }
  let native: NativeCheck | null = null;
  if (certifier.native) {
    native = await certifier.native(file, target, emulated.assumptions);
    if (native.ran && !native.pass) {
      return { pass: false, problem: `host kernel ${native.kernel}: ${native.problem}`, assumptions: emulated.assumptions, verification, emulated, native };
    }
    if (native.ran) verification.native = { kernel: native.kernel, machine: native.machine };
    else verification.nativeNotRun = `Linux ${native.kernel}: ${native.skipped}`;
  }
  return { pass: true, problem: null, assumptions: emulated.assumptions, verification, emulated, native };
}
