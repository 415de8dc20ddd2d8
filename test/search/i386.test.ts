/**
 * golf search --arch i386: ELF32 layouts for the compat loader, the 32-bit walk, the CLI's
 * refusal where the profile has no IA32 emulation, and the records under results/PROFILE-i386/.
 * Nothing here reads corpus/published: the search starts from the loader rules and the target.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEmulated } from '../../src/linux/emulate.js';
import { ET_EXEC, PF_R, PF_X } from '../../src/linux/elf.js';
import { IA32 } from '../../src/linux/personality.js';
import { DEFAULT_PROFILE, PROFILES, hostProfile } from '../../src/linux/profile.js';
import { searchUnit, units, type SearchSpace } from '../../src/search/engine.js';
import { solveLayouts } from '../../src/search/layout.js';
import { loaderVerdict } from '../../src/search/process.js';
import { completeness } from '../../src/search/report.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';

function target(stdout: string, exitCode: number): Target {
  return {
    name: 'test', origin: 'test', description: 'test', stdout: new TextEncoder().encode(stdout), stderr: new Uint8Array(0),
    exitCode, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
  };
}

const profile = DEFAULT_PROFILE;
const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: IA32.taskSize(profile), commitLimitBytes: profile.commitLimitBytes };
const space = (maxSize: number): SearchSpace => ({ maxSize, maxPathSteps: 40, nodeLimit: 20_000, arch: 'i386' });

describe('ELF32 layouts', () => {
  it('put the program header at offset 4 (over e_ident) and let the file end inside e_phnum', () => {
    const layouts = solveLayouts(4, ET_EXEC, 45, { limits, verdict: loaderVerdict(profile), personality: IA32 });
    expect(layouts.length).toBeGreaterThan(0);
    for (const l of layouts) {
      expect(l.image.length).toBe(45);
      expect(l.image[18]).toBe(3); // e_machine EM_386
      expect(l.image[44]).toBe(1); // e_phnum's low byte is the last byte; its high byte reads as 0
    }
    // p_flags is e_phoff here (4 = PF_R): executable only through READ_IMPLIES_EXEC
    expect(layouts.every((l) => l.pFlags === PF_R && (l.pFlags & PF_X) === 0)).toBe(true);
    // one byte shorter, e_phnum would read as 0: no layout
    expect(solveLayouts(4, ET_EXEC, 44, { limits, verdict: loaderVerdict(profile), personality: IA32 })).toEqual([]);
  });

  it('are ELF64 ones only when asked for i386 (the default personality is x86-64)', () => {
    expect(solveLayouts(4, ET_EXEC, 45, { limits: { ...limits, taskSize: profile.taskSize }, verdict: loaderVerdict(profile) })).toEqual([]);
  });
});

describe('i386 search', () => {
  it('finds a 45-byte exit(42) ELF32 file, which the emulator runs to exit 42, and nothing smaller in any unit', () => {
    const t = target('', 42);
    const all = units({ maxSize: 45, arch: 'i386' });
    const results = all.map((unit) => searchUnit(unit, { target: t, profile, space: space(45), deadline: Date.now() + 100_000, bound: Infinity }));
    const found = results.filter((r) => r.best).map((r) => r.best!);
    expect(found.length).toBeGreaterThan(0);
    const best = found.sort((a, b) => a.size - b.size)[0]!;
    expect(best.size).toBeLessThanOrEqual(45);
    const file = new Uint8Array(Buffer.from(best.hex, 'hex'));
    expect(file[4]).toBe(1); // whatever else it is, the loader read ELFCLASS32's place as p_type's low byte
    expect(file[18]).toBe(3);
    const run = runEmulated(file, { seed: 11 }, profile);
    expect(run.outcome).toBe('exited');
    expect(run.exitCode).toBe(42);
    // the same file is refused where the kernel has no IA32 emulation
    expect(runEmulated(file, { seed: 11 }, PROFILES['no-ia32']!).outcome).toBe('exec-failed');
    const done = completeness(results, all.length, best, space(45), false);
    expect(done.exhaustedBelow).toBe(45);
    expect(done.sentence).toContain('up to 44 bytes');
  }, 120_000);

  it('any exit status works the same way (nothing is specific to 42)', () => {
    const unit = units({ maxSize: 45, arch: 'i386' }).find((u) => u.phoff === 4 && u.type === ET_EXEC)!;
    const r = searchUnit(unit, { target: target('', 7), profile, space: space(45), deadline: Date.now() + 60_000, bound: Infinity });
    expect(r.best?.size).toBe(45);
    expect(runEmulated(new Uint8Array(Buffer.from(r.best!.hex, 'hex')), { seed: 5 }, profile).exitCode).toBe(7);
  }, 90_000);
});

// The built CLI (npm test builds it first), run as a user would.
function golf(args: string[], cwd?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(process.cwd(), 'bin/golf.js'), ...args], { encoding: 'utf8', timeout: 110_000, cwd });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('golf search --arch i386', () => {
  it('is refused, in one line with exit code 2, under a profile without IA32 emulation', () => {
    const profiles = ['no-ia32', ...(hostProfile().elf32Executables ? [] : ['host'])];
    for (const p of profiles) {
      const r = golf(['search', '--arch', 'i386', '--target', 'exit42', '--profile', p, '--no-record']);
      expect(r.code, p).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain('no IA32 emulation');
    }
    expect(golf(['search', '--arch', 'arm', '--target', 'exit42', '--no-record']).code).toBe(2);
    const shard = golf(['search', '--arch', 'i386', '--target', 'exit42', '--shard', '1/2']);
    expect(shard.code).toBe(2);
    expect(shard.err).toContain('not available with --arch i386');
  });

  it('writes a 45-byte record under results/default-i386/, shown as an i386 row by golf table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golf-i386-'));
    try {
      const results = join(dir, 'results');
      mkdirSync(results);
      const r = golf(['search', '--arch', 'i386', '--target', 'exit42', '--workers', '1', '--results', results, '--json', '-o', 'exit42-i386'], dir);
      expect(r.code, r.err).toBe(0);
      const summary = JSON.parse(r.out);
      expect(summary.size).toBeLessThanOrEqual(45);
      expect(summary.pass).toBe(true);
      expect(summary.arch).toBe('i386');
      expect(summary.space).toContain('ELF32');
      expect(summary.space).toContain('loop family: one int 0x80');
      expect(summary.record.path).toBe(join(results, 'default-i386', 'exit42.json'));
      const record = JSON.parse(readFileSync(summary.record.path, 'utf8'));
      expect(record.profile).toBe('default-i386');
      expect(record.entries.record.assumptions.map((a: { id: string }) => a.id)).toContain('elf32');
      if (!hostProfile().elf32Executables) {
        expect(record.entries.record.verification.native).toBeNull();
        expect(record.entries.record.verification.nativeNotRun).toContain('emulator only; host refuses ELF32');
      }
      // the x86-64 records are not touched
      expect(existsSync(join(results, 'default'))).toBe(false);
      const table = golf(['table', '--json', '--results', results]);
      expect(table.code, table.err).toBe(0);
      const row = JSON.parse(table.out).find((x: { target: string; arch?: string }) => x.target === 'exit42' && x.arch === 'i386');
      expect(row.best.size).toBe(summary.size);
      expect(row.profile).toBe('default-i386');
      if (!hostProfile().elf32Executables) expect(row.best.verification).toBe('emulator only; host refuses ELF32');
      const golfRun = golf(['run', join(dir, 'exit42-i386')]);
      expect(golfRun.code).toBe(42);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
