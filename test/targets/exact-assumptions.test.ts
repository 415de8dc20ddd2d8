/**
 * Issue 15: what a result relies on is stated exactly. On lm978's 81-byte hello (corpus/published):
 * the overcommit figure is the one the commit rule charges (the portable profile refuses exactly
 * that figure), the extra read of stdin is listed, and stdin is probed closed and read-write.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Emulator } from '../../src/linux/emulate.js';
import { commitChargeIn } from '../../src/linux/loader.js';
import { nativeSupported } from '../../src/linux/native.js';
import { DEFAULT_PROFILE, PROFILES } from '../../src/linux/profile.js';
import { emulatorRunner } from '../../src/verify/machine.js';
import { programsDir, publishedDir } from '../../src/targets/paths.js';
import { loadShippedTarget } from '../../src/targets/resolve.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { verifyFile, verifyOptionsFor } from '../../src/verify/verify.js';
import { golf } from './cli-harness.js';

const lm81Path = join(publishedDir(), 'lm978-hello-world-81');
const lm81 = new Uint8Array(readFileSync(lm81Path));
const program = (name: string): Uint8Array => new Uint8Array(readFileSync(join(programsDir(), name)));
const helloLower = loadShippedTarget('hello-lower');

describe('the overcommit figure', () => {
  const figureOf = (assumptions: { id: string; text: string }[]): number | null => commitChargeIn(assumptions.find((a) => a.id === 'overcommit')?.text ?? '');

  it('is what the commit rule charges: the portable refusal names the same bytes, and that limit is exactly enough', () => {
    const stated = figureOf(new Emulator(DEFAULT_PROFILE).run(lm81, { seed: 1 }).assumptions);
    // The whole ET_DYN image (0x1003806eb bytes of p_memsz from offset 0xc, page-aligned) is mapped at once.
    expect(stated).toBe(0x100381000);
    const refused = new Emulator(PROFILES.portable!).run(lm81, { seed: 1 });
    expect(refused).toMatchObject({ outcome: 'killed', signal: 'SIGSEGV' });
    expect(refused.reason).toMatch(/exceeds the memory-commit limit/);
    expect(commitChargeIn(refused.reason!)).toBe(stated);
    const limit = (bytes: number) => new Emulator({ ...DEFAULT_PROFILE, commitLimitBytes: bytes }).run(lm81, { seed: 1 }).outcome;
    expect(limit(stated!)).toBe('exited');
    expect(limit(stated! - 4096)).toBe('killed');
  });

  it('is the same number in golf check, the records and golf table', async () => {
    const check = JSON.parse((await golf(['check', lm81Path, '--target', 'hello-lower', '--json'])).stdout) as { assumptions: { id: string; text: string }[] };
    expect(figureOf(check.assumptions)).toBe(0x100381000);
    const record = JSON.parse(readFileSync(join('results', 'default', 'exit42.json'), 'utf8'));
    const recordBytes = new Uint8Array(Buffer.from(record.entries.record.hex.join(''), 'hex'));
    const recordFigure = figureOf(record.entries.record.assumptions);
    expect(recordFigure).toBe(figureOf(new Emulator(DEFAULT_PROFILE).run(recordBytes, { seed: 1 }).assumptions));
    const rows = JSON.parse((await golf(['table', '--json'])).stdout) as { target: string; best: { overcommitBytes: number | null } }[];
    expect(rows.find((r) => r.target === 'exit42')!.best.overcommitBytes).toBe(recordFigure);
    expect((await golf(['table', '--markdown'])).stdout).toMatch(/\| exit42 \|.*\| overcommit 4\.0 GiB \|/);
  });
});

describe('extra system calls', () => {
  it('lists the read of stdin among what lm978\'s file relies on, and an unknown number where a file calls one', () => {
    const v = verifyFile(emulatorRunner(DEFAULT_PROFILE), lm81, helloLower);
    expect(v.pass).toBe(true);
    expect(v.assumptions).toContainEqual({ id: 'read-fd0', text: 'also calls read(0, NULL, 0) = 0 on stdin' });
    const enosys = verifyFile(emulatorRunner(DEFAULT_PROFILE), program('enosys'), targetFromObject({ stdout: '', exitCode: 38 }, 't', 't'));
    expect(enosys.assumptions.map((a) => a.id)).toContain('syscall-400');
    expect(enosys.assumptions.find((a) => a.id === 'syscall-400')!.text).toMatch(/^also calls system call 400 = -ENOSYS: Linux 6\.18 has no system call 400/);
  });

  it('records every call of a run, in order, with its result', () => {
    const closed = new Emulator(DEFAULT_PROFILE).run(lm81, { seed: 1, stdinKind: 'closed' });
    expect(closed.outcome).toBe('exited');
    expect(closed.calls.map((c) => [c.name, c.result])).toEqual([['read', -9], ['write', 14], ['unknown', -38], ['exit_group', null]]);
    expect(closed.calls[2]!.nr).toBe(0xffffffe7);
  });
});

describe('stdin probes', () => {
  const run = emulatorRunner(DEFAULT_PROFILE);
  const exitTarget = (code: number) => targetFromObject({ stdout: '', exitCode: code }, 't', 't');

  it('lm978\'s file passes with stdin closed and read-write, so it states no stdin assumption', () => {
    const v = verifyFile(run, lm81, helloLower);
    const probes = v.runs.filter((r) => r.environment.varies === 'stdin');
    expect(probes.map((r) => [r.stdin, r.problem])).toEqual([['closed', null], ['read-write', null]]);
    expect(v.assumptions.map((a) => a.id).filter((id) => id.startsWith('stdin'))).toEqual([]);
  });

  it('finds stdin-readable, stdin-not-terminal and stdin-writable, and the portable profile allows none', () => {
    const zero = verifyFile(run, program('read-stdin-zero'), exitTarget(64));
    expect(zero.pass).toBe(true);
    expect(zero.assumptions.map((a) => a.id)).toContain('stdin-readable');
    const empty = verifyFile(run, program('read-stdin-empty'), exitTarget(7));
    expect(empty.assumptions.map((a) => a.id)).toEqual(expect.arrayContaining(['stdin-readable', 'stdin-not-terminal']));
    expect(empty.runs.find((r) => r.stdin === 'read-write')!.problem).toMatch(/^still running: waits for input on stdin/);
    const writes = verifyFile(run, program('write-stdin'), exitTarget(70));
    expect(writes.pass).toBe(true);
    expect(writes.assumptions.map((a) => a.id)).toContain('stdin-writable');

    const portable = PROFILES.portable!;
    const strict = (file: Uint8Array, code: number) => verifyFile(emulatorRunner(portable), file, exitTarget(code), verifyOptionsFor(portable));
    expect(strict(program('read-stdin-zero'), 64).problem).toMatch(/needs stdin open for reading .*which this profile does not allow$/);
    expect(strict(program('write-stdin'), 70).problem).toMatch(/works only when stdin is open for writing.*which this profile does not allow$/);
  });

  it('names a file that writes its output to fd 0 instead of stdout', () => {
    const v = verifyFile(run, program('hello-on-stdin'), loadShippedTarget('hello'));
    expect(v.pass).toBe(false);
    expect(v.problem).toMatch(/writes its output to fd 0 \(stdin\) instead of stdout/);
  });

  it.runIf(nativeSupported())('golf check --native measures stdin on the host kernel: closed stdin still passes', async () => {
    const r = await golf(['check', lm81Path, '--target', 'hello-lower', '--native', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: { environment: string; role: string; problem: string | null }[]; native: { disagreements: string[] } };
    const probes = report.runs.filter((x) => x.role === 'native probe');
    expect(probes.map((x) => [x.environment, x.problem])).toEqual([
      ['native probe: stdin closed', null],
      ["native probe: stdin read-write, as a terminal's (writes succeed, reads wait for input)", null],
    ]);
    expect(report.native.disagreements).toEqual([]);
  });
});
