/**
 * Every reference program of corpus/programs/ under the emulator and on the host kernel: identical
 * outcome, exit code, signal, exec error, stdout, stderr and what it wrote to fd 0 (the emulator
 * uses the host's profile), with each kind of stdin golf models (read-only /dev/null, closed,
 * read-write as a terminal's). Each program's expected outcome under the fixed profiles and stdin
 * kinds (programs.json) is checked too, so the programs keep exercising the rule they were
 * written for.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../../src/linux/emulate.js';
import { nativeSupported, runNative } from '../../src/linux/native.js';
import { findProfile, hostProfile } from '../../src/linux/profile.js';
import { briefOutcome as brief, observableResult } from '../../src/linux/run-result.js';
import { STDIN_KINDS, type StdinKind } from '../../src/linux/syscalls.js';

interface Entry {
  expect: string;
  args?: string[];
  profiles?: Record<string, string>;
  /** Outcomes with stdin closed or read-write (the default is read-only /dev/null). */
  stdin?: Partial<Record<StdinKind, string>>;
}

const DIR = 'corpus/programs';
const manifest = JSON.parse(readFileSync(`${DIR}/programs.json`, 'utf8')) as Record<string, Entry>;
const MAX_STEPS = 1_000_000;


describe('reference programs', () => {
  const names = Object.keys(manifest);
  it('the manifest lists the programs', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(names)('%s', (name) => {
    const entry = manifest[name]!;
    const path = `${DIR}/${name}`;
    const file = new Uint8Array(readFileSync(path));
    const argv = [path, ...(entry.args ?? [])];

    it('has the documented outcome under each fixed profile', () => {
      const expected: Record<string, string> = { root: entry.expect, ...entry.profiles };
      for (const [profileName, outcome] of Object.entries(expected)) {
        const run = new Emulator(findProfile(profileName)!).run(file, { argv, execPath: path, maxSteps: MAX_STEPS, seed: 1 });
        expect(`${profileName}: ${brief(run)}`).toBe(`${profileName}: ${outcome}`);
      }
    });

    it('has the documented outcome with stdin closed and read-write', () => {
      for (const stdinKind of ['closed', 'read-write'] as const) {
        const run = new Emulator(findProfile('root')!).run(file, { argv, execPath: path, maxSteps: MAX_STEPS, seed: 1, stdinKind });
        expect(`${stdinKind}: ${brief(run)}`).toBe(`${stdinKind}: ${entry.stdin?.[stdinKind] ?? entry.expect}`);
      }
    });

    it.runIf(nativeSupported()).each(STDIN_KINDS)('matches the host kernel with stdin %s', async (stdinKind) => {
      const native = await runNative(path, { argv, timeoutMs: 1000, stdin: stdinKind });
      const emulated = new Emulator(hostProfile()).run(file, { argv, execPath: path, maxSteps: MAX_STEPS, stdinKind });
      expect(observableResult(emulated)).toEqual(observableResult(native));
    });
  });
});
