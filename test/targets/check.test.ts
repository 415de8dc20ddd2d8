import { describe, expect, it } from 'vitest';
import { checkFile, formatCheckReport } from '../../src/verify/check.js';
import { targetFromObject } from '../../src/targets/schema.js';
import type { NativeRunner } from '../../src/verify/native-check.js';
import { exited, fakeRunner } from './fake-runs.js';

const hello = targetFromObject({ stdout: 'Hello, World!\n', exitCode: 0 }, 'hello.json', 'hello');
const bytes = new Uint8Array(164);

describe('checkFile', () => {
  it('passes, lists every run and the assumptions', async () => {
    const emulate = fakeRunner((req) => exited('Hello, World!\n', req.argv.length === 1 ? 0 : 2, [{ id: 'ia32-emulation', text: 'int 0x80' }]));
    const report = await checkFile({ file: 'f', bytes, target: hello, profile: 'default', emulate, native: null });
    expect(report.pass).toBe(true);
    expect(report.assumptions.map((a) => a.id)).toEqual(['ia32-emulation', 'argc-1']);
    expect(report.runs.filter((r) => r.role === 'required').length).toBe(4);
    expect(report.runs[0].stdout).toBe(Buffer.from('Hello, World!\n').toString('base64'));
    const text = formatCheckReport(report);
    expect(text).toMatch(/^f \(164 bytes\) against target hello, profile default:/);
    expect(text).toContain('argc-1: works only when argc = 1');
    expect(text.split('\n').at(-1)).toBe('PASS');
  });

  it('fails when the host kernel disagrees, and says which kernel ran it', async () => {
    const emulate = fakeRunner(() => exited('Hello, World!\n', 0));
    const seen: string[][] = [];
    const native: NativeRunner = async (path, o) => {
      seen.push(o.argv);
      expect(o.argv[0]).toBe(path);
      return { ...exited('', 0), engine: 'native' as const, steps: null, outcome: 'killed' as const, exitCode: null, signal: 'SIGSEGV' };
    };
    const report = await checkFile({ file: 'f', bytes, target: hello, profile: 'default', emulate, native });
    expect(report.pass).toBe(false);
    expect(report.problem).toMatch(/^host kernel: killed by SIGSEGV \(native, empty environment\)/);
    expect(report.native).toMatchObject({ ran: true, pass: false });
    expect(seen.length).toBe(2);
    expect(formatCheckReport(report)).toMatch(/native: ran on the host kernel \(Linux .*\): FAIL/);
  });

  it('never says PASS for an asked-for native run that could not be made: PASS (emulator only: ...)', async () => {
    const emulate = fakeRunner(() => exited('Hello, World!\n', 0));
    const report = await checkFile({ file: 'f', bytes, target: hello, profile: 'default', emulate, native: null, nativeImpossible: 'this host is darwin arm64, not Linux x86-64' });
    expect(report).toMatchObject({ pass: true, verdict: 'pass-emulator-only', nativeNotPossible: 'this host is darwin arm64, not Linux x86-64' });
    expect(formatCheckReport(report).split('\n').at(-1)).toBe('PASS (emulator only: native run not possible here because this host is darwin arm64, not Linux x86-64)');
    // Without --native the same file simply passes.
    expect((await checkFile({ file: 'f', bytes, target: hello, profile: 'default', emulate, native: null })).verdict).toBe('pass');
  });

  it('fails when the host kernel and the emulator disagree on a stdin probe', async () => {
    const emulate = fakeRunner(() => exited('Hello, World!\n', 0));
    const native: NativeRunner = async (_path, o) => ({ ...exited(o.stdin === 'closed' ? '' : 'Hello, World!\n', 0), engine: 'native' as const, steps: null });
    const report = await checkFile({ file: 'f', bytes, target: hello, profile: 'default', emulate, native });
    expect(report.pass).toBe(false);
    expect(report.problem).toMatch(/^the host kernel and golf's emulator disagree: native probe: stdin closed: golf's emulator met the target \(exit 0\), the host kernel stdout was \(nothing\)/);
  });
});

