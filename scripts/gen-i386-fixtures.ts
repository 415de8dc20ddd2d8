/**
 * Records qemu-i386's results for a fixed run of the i386 instruction fuzz (bench/fuzz/i386.ts) in
 * test/fixtures/i386-qemu.json, so `npm test` checks golf's 32-bit interpreter against qemu without
 * qemu installed. Each case is rebuilt by the test from (seed, index) with the same generator; the
 * file's SHA-256 is kept to notice a generator that changed. What qemu printed is kept exactly: the
 * register and flags dump, and the data area as changes against the case's initial data.
 *
 *   apt-get install qemu-user   # once
 *   npx tsc -p . && node dist/scripts/gen-i386-fixtures.js [CASES] [SEED] > test/fixtures/i386-qemu.json
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MACHINE_32, QEMU_I386, qemuAvailable, runQemu } from '../bench/fuzz/i386.js';
import { caseFor, dumpSize, elfOf } from '../bench/fuzz/sequence.js';

export interface QemuFixtureCase {
  index: number;
  sha256: string;
  outcome: string;
  signal: string | null;
  exitCode: number | null;
  /** stdout's length and its first dumpSize bytes (registers, then eflags), hex. */
  stdoutLength: number;
  dump: string;
  /** [offset, byte] where the data area qemu wrote differs from the case's initial data. */
  dataChanges: [number, number][];
}

export interface QemuFixtures {
  about: string;
  qemu: string;
  seed: number;
  cases: QemuFixtureCase[];
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 600);
  const seed = Number(process.argv[3] ?? 1414);
  if (!qemuAvailable()) throw new Error(`needs ${QEMU_I386} (apt-get install qemu-user)`);
  const version = execFileSync(QEMU_I386, ['--version'], { encoding: 'utf8' }).split('\n')[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'golf-i386-fixtures-'));
  const cases: QemuFixtureCase[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const c = caseFor(MACHINE_32, seed, i);
      const file = elfOf(MACHINE_32, c);
      const path = join(dir, `case-${i}`);
      writeFileSync(path, file, { mode: 0o755 });
      const r = await runQemu(path);
      const size = dumpSize(MACHINE_32);
      const data = r.stdout.subarray(size);
      const dataChanges: [number, number][] = [];
      for (let k = 0; k < data.length; k++) if (data[k] !== c.data[k]) dataChanges.push([k, data[k]!]);
      cases.push({
        index: i, sha256: createHash('sha256').update(file).digest('hex'), outcome: r.outcome, signal: r.signal, exitCode: r.exitCode,
        stdoutLength: r.stdout.length, dump: Buffer.from(r.stdout.subarray(0, size)).toString('hex'), dataChanges,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const fixtures: QemuFixtures = {
    about: 'qemu-i386 results of the i386 instruction fuzz (bench/fuzz/i386.ts), cases rebuilt from seed and index; written by scripts/gen-i386-fixtures.ts',
    qemu: version,
    seed,
    cases,
  };
  process.stdout.write(JSON.stringify(fixtures) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`gen-i386-fixtures: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
