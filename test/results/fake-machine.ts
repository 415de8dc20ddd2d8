// A toy "machine" for record tests: a file is the ELF magic, the bytes it prints, then its exit
// status. Anything without the magic fails to exec. Padding the printed bytes with a trailing
// "argc" marker makes a file that relies on argc = 1 (it fails when given an extra argument).
import { type Certifier } from '../../src/results/certify.js';
import { verifyFile, type AssumingRun } from '../../src/verify/verify.js';
import { exited } from '../targets/fake-runs.js';

const MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function toyFile(stdout: string, exitCode: number, padding = 0): Uint8Array {
  return new Uint8Array([...MAGIC, ...Buffer.from(stdout), ...new Array<number>(padding).fill(0), exitCode]);
}

function runToy(file: Uint8Array, argc: number): AssumingRun {
  if (!MAGIC.every((b, i) => file[i] === b)) return { ...exited('', 0), outcome: 'exec-failed', exitCode: null, execError: 'ENOEXEC' };
  const body = Buffer.from(file.subarray(4, file.length - 1)).toString('latin1');
  const needsArgc1 = body.endsWith('#argc');
  const printed = body.replace(/#argc$/, '').replace(/\0+$/, '');
  if (needsArgc1 && argc !== 1) return exited(printed, 99);
  const assumptions = body.includes('INT80') ? [{ id: 'ia32-emulation', text: 'int 0x80 needs IA32 emulation' }] : [];
  return exited(printed, file[file.length - 1], assumptions);
}

export function toyCertifier(profile = 'default'): Certifier {
  return {
    profile,
    emulate: (file, target) => verifyFile((f, req) => runToy(f, req.argv.length), file, target),
    native: null,
  };
}
