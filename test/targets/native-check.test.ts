import { describe, expect, it } from 'vitest';
import { LARGE_ENVIRONMENT } from '../../src/verify/environments.js';
import { checkNatively, type NativeRunner } from '../../src/verify/native-check.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { exited, killed } from './fake-runs.js';

const hello = targetFromObject({ stdout: 'Hi\n', exitCode: 0 }, 't', 'hi');
const ia32 = [{ id: 'ia32-emulation', text: 'int 0x80' }];

/** A fake host: runs every file as "prints Hi", and the int 0x80 probe as working (exit 42, as linux/native.ts's probe) or not. */
function host(int80Works: boolean): NativeRunner & { calls: { path: string; argv: string[]; env: string[] }[] } {
  const calls: { path: string; argv: string[]; env: string[] }[] = [];
  const run = (async (path: string, o: { argv: string[]; env: string[] }) => {
    calls.push({ path, ...o });
    if (path.endsWith('ia32-emulation')) return int80Works ? exited('', 42) : killed('SIGSEGV');
    return exited('Hi\n', 0);
  }) as NativeRunner & { calls: { path: string; argv: string[]; env: string[] }[] };
  run.calls = calls;
  return run;
}

describe('checkNatively', () => {
  it('runs a private copy with argv[0] = its path, in an empty and the large environment', async () => {
    const run = host(true);
    const check = await checkNatively(run, new Uint8Array([1, 2, 3]), hello);
    expect(check).toMatchObject({ ran: true, pass: true, problem: null });
    expect(run.calls.map((c) => c.env.length)).toEqual([0, LARGE_ENVIRONMENT.length]);
    for (const c of run.calls) expect(c.argv).toEqual([c.path]);
  });

  it('does not judge a file on a host that lacks what the file relies on (probed once)', async () => {
    const run = host(false);
    const check = await checkNatively(run, new Uint8Array([1]), hello, ia32);
    expect(check.ran).toBe(false);
    expect(check.skipped).toBe('this host lacks working int 0x80 (IA32 emulation), which the file relies on');
    await checkNatively(run, new Uint8Array([1]), hello, ia32);
    expect(run.calls.filter((c) => c.path.endsWith('ia32-emulation')).length).toBe(1);
  });

  it('runs the file when the host has the feature', async () => {
    const check = await checkNatively(host(true), new Uint8Array([1]), hello, ia32);
    expect(check).toMatchObject({ ran: true, pass: true });
  });

  it('cannot give a program stdin natively, and says so', async () => {
    const t = targetFromObject({ stdout: '', exitCode: 0, stdin: 'x' }, 't', 't');
    const check = await checkNatively(host(true), new Uint8Array([1]), t);
    expect(check).toMatchObject({ ran: false, skipped: expect.stringContaining('stdin') });
  });
});
