/**
 * golf's 32-bit interpreter against qemu-i386, without qemu: the committed results of a fixed i386
 * fuzz run (test/fixtures/i386-qemu.json, written by scripts/gen-i386-fixtures.ts) are replayed
 * under the emulator. Each case is rebuilt from its seed and index by bench/fuzz's generator (its
 * SHA-256 proves it is the file qemu ran) and must agree on the outcome, every register, the defined
 * flags and the data area. `npm run fuzz -- --only i386` runs fresh cases against a live qemu.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MACHINE_32 } from '../../bench/fuzz/i386.js';
import { caseFor, compareRuns, describeCase, dumpSize, elfOf } from '../../bench/fuzz/sequence.js';
import { Emulator } from '../../src/linux/emulate.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import type { RunResult } from '../../src/linux/run-result.js';
import type { QemuFixtures } from '../../scripts/gen-i386-fixtures.js';
import { Sem } from '../../src/x86/sem.js';

const fixtures = JSON.parse(readFileSync('test/fixtures/i386-qemu.json', 'utf8')) as QemuFixtures;

describe(`32-bit instructions against ${fixtures.qemu}`, () => {
  it('has a few hundred recorded cases covering the 32-bit-only forms', () => {
    expect(fixtures.cases.length).toBeGreaterThanOrEqual(500);
    const sems = new Set<number>();
    for (const f of fixtures.cases) for (const b of caseFor(MACHINE_32, fixtures.seed, f.index).body) sems.add(b.enc.form.sem);
    for (const sem of [Sem.pusha, Sem.popa, Sem.daa, Sem.das, Sem.aaa, Sem.aas, Sem.aam, Sem.aad, Sem.salc, Sem.inc, Sem.dec]) expect(sems).toContain(sem);
  });

  it('agrees with qemu-i386 on every recorded case', () => {
    const emulator = new Emulator(DEFAULT_PROFILE);
    const disagreements: string[] = [];
    for (const f of fixtures.cases) {
      const c = caseFor(MACHINE_32, fixtures.seed, f.index);
      const file = elfOf(MACHINE_32, c);
      expect(createHash('sha256').update(file).digest('hex'), `case ${f.index} is no longer the file qemu ran`).toBe(f.sha256);
      const stdout = new Uint8Array(f.stdoutLength);
      if (f.stdoutLength > 0) {
        stdout.set(Buffer.from(f.dump, 'hex'));
        const data = c.data.slice();
        for (const [at, byte] of f.dataChanges) data[at] = byte;
        stdout.set(data.subarray(0, f.stdoutLength - dumpSize(MACHINE_32)), dumpSize(MACHINE_32));
      }
      const qemu: RunResult = {
        outcome: f.outcome as RunResult['outcome'], exitCode: f.exitCode, signal: f.signal, execError: null, stdout, stderr: new Uint8Array(0),
        stdinWrites: new Uint8Array(0), steps: null, unsupported: null, engine: 'native',
      };
      const emulated = emulator.run(file, { argv: ['./case'], maxSteps: 1_000_000, seed: fixtures.seed + f.index });
      const diff = compareRuns(MACHINE_32, qemu, emulated, c.undefinedFlags, 'qemu-i386');
      if (diff !== null) disagreements.push(`case ${f.index}: ${describeCase(c)} | ${diff}`);
    }
    expect(disagreements).toEqual([]);
  });
});
