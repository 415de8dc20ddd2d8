// `golf run`: output pass-through, --json shape, shell-like exit status, and one clear line for
// unusable inputs (runs the compiled CLI, as the other command tests do).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeSupported } from '../../src/linux/native.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

const HELLO = 'corpus/programs/hello64';
const dir = tempDir('golf-run-test-');

describe('golf run', () => {
  it('passes the program output through and mirrors its exit status', async () => {
    const r = await golf(['run', HELLO]);
    expect(r.stdout).toBe('Hello, World!\n');
    expect(r.stderr).toMatch(/^golf: exited with code 0 \(emulator, profile default, \d+ steps\)\n$/);
    expect(r.code).toBe(0);
    const exit = await golf(['run', 'corpus/programs/exit300']);
    expect(exit.code).toBe(44);
  });

  it('prints one JSON object with base64 output', async () => {
    const r = await golf(['run', HELLO, '--json', '--seed', '3']);
    const json = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ outcome: 'exited', exitCode: 0, signal: null, execError: null, stderr: '' });
    expect(Buffer.from(json.stdout as string, 'base64').toString()).toBe('Hello, World!\n');
    expect(typeof json.steps).toBe('number');
  });

  it('reports signals as 128 + number and failed execs as 126', async () => {
    expect((await golf(['run', 'corpus/programs/segv-null'])).code).toBe(128 + 11);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const r = await golf(['run', empty, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'exec-failed', execError: 'ENOEXEC' });
    expect(r.code).toBe(126);
  });

  it('passes arguments after -- to the program', async () => {
    const r = await golf(['run', 'corpus/programs/echo-args', '--', 'golf']);
    expect(r.stdout).toBe('golf\n');
    expect(r.code).toBe(2);
  });

  it('ends an infinite loop at the step limit', async () => {
    const r = await golf(['run', 'corpus/programs/infinite-loop', '--max-steps', '1000', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'step-limit', steps: 1000 });
  });

  it('applies profiles and --mmap-min-addr', async () => {
    expect((await golf(['run', 'corpus/programs/low-vaddr'])).code).toBe(139);
    const root = await golf(['run', 'corpus/programs/low-vaddr', '--mmap-min-addr', '0']);
    expect(root.stdout).toBe('Hello, World!\n');
    expect(root.stderr).toContain('relies on: mmap-min-addr');
  });

  it('gives one clear line for unusable inputs', async () => {
    for (const [args, pattern] of [
      [['run', dir], /is a directory/],
      [['run', join(dir, 'missing')], /no such file/],
      [['run', HELLO, '--profile', 'nope'], /unknown profile "nope"/],
      [['run', HELLO, '--max-steps', 'many'], /--max-steps needs a non-negative integer/],
    ] as const) {
      const r = await golf([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('runs garbage as an exec failure, not a crash', async () => {
    const garbage = join(dir, 'garbage');
    writeFileSync(garbage, Buffer.from('7f454c46ffffffffffffffffffffffffffff', 'hex'));
    const r = await golf(['run', garbage, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'exec-failed', execError: 'ENOEXEC' });
  });

  it.runIf(nativeSupported())('--native reports the same fields as the emulator for the host', async () => {
    const native = JSON.parse((await golf(['run', HELLO, '--native', '--json'])).stdout) as Record<string, unknown>;
    const emulated = JSON.parse((await golf(['run', HELLO, '--json', '--profile', 'host'])).stdout) as Record<string, unknown>;
    expect({ ...native, steps: 0 }).toEqual({ ...emulated, steps: 0 });
    expect(native.steps).toBeNull();
  });
});
