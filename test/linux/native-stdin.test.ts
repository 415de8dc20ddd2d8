/**
 * stdin as the native runner gives it and the emulator models it. The differential test over the
 * reference programs (programs.test.ts) compares every kind of stdin with the kernel; this file
 * covers what that cannot: the embedded exec helper is its committed source, and the cases golf
 * refuses to guess (a read-write stdin with a partly unreadable buffer) stop as not modelled.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { Emulator } from '../../src/linux/emulate.js';
import { execHelperBytes, nativeSupported, runNative } from '../../src/linux/native.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { straightforwardElfSource } from '../../src/linux/elf-source.js';
import { packageRoot } from '../../src/targets/paths.js';

const hasNasm = spawnSync('nasm', ['-v'], { stdio: 'ignore' }).status === 0;

describe('stdin kinds', () => {
  it.runIf(hasNasm)('the embedded exec helper is scripts/exec-helper.asm, assembled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golf-helper-'));
    try {
      const out = join(dir, 'helper');
      execFileSync('nasm', ['-f', 'bin', '-i', join(packageRoot(), 'corpus', 'programs') + '/', join(packageRoot(), 'scripts', 'exec-helper.asm'), '-o', out]);
      expect(Buffer.from(readFileSync(out)).equals(Buffer.from(execHelperBytes()))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // write(0, buffer, 8192) where only the first 4096 bytes are mapped: the file's own page, then nothing.
  const partial = assemble(straightforwardElfSource('partly unreadable write to fd 0', [
    '        mov eax, 1',
    '        xor edi, edi',
    '        mov esi, 0x400000',
    '        mov edx, 8192',
    '        syscall',
    '        lea edi, [rax + 64]',
    '        mov eax, 60',
    '        syscall',
  ], []), 'partial.asm');

  it('a write to a read-write stdin from a partly unreadable buffer is not modelled (the emulator stops)', () => {
    const run = new Emulator(DEFAULT_PROFILE).run(partial, { stdinKind: 'read-write', seed: 1 });
    expect(run).toMatchObject({ outcome: 'unsupported', unsupported: 'a write to a read-write stdin from a partly unreadable buffer' });
    // With stdin read-only the same call has one answer, -EBADF, and is modelled.
    expect(new Emulator(DEFAULT_PROFILE).run(partial, { seed: 1 })).toMatchObject({ outcome: 'exited', exitCode: 55 });
  });

  it.runIf(nativeSupported())('a read-write stdin natively keeps what the program wrote to fd 0', async () => {
    const path = join(packageRoot(), 'corpus', 'programs', 'hello-on-stdin');
    const r = await runNative(path, { stdin: 'read-write', timeoutMs: 2000 });
    expect(Buffer.from(r.stdinWrites).toString()).toBe('Hello, World!\n');
    expect(Buffer.from(r.stdout).toString()).toBe('');
    const readOnly = await runNative(path, { timeoutMs: 2000 });
    expect(readOnly.stdinWrites.length).toBe(0);
  });
});
