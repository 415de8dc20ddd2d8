import { describe, expect, it } from 'vitest';
import { environmentsFor, LARGE_ENVIRONMENT } from '../../src/verify/environments.js';
import { judgeRun } from '../../src/verify/judge.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { verifyFile } from '../../src/verify/verify.js';
import { exited, fakeRunner, killed } from './fake-runs.js';

const hello = targetFromObject({ stdout: 'Hello, World!\n', exitCode: 0 }, 'hello.json', 'hello');
const file = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);

describe('environments', () => {
  it('covers empty and large environments, two exec paths and distinct stack seeds', () => {
    const envs = environmentsFor(hello);
    const required = envs.filter((e) => e.role === 'required');
    expect(required.some((e) => e.env.length === 0)).toBe(true);
    expect(required.some((e) => e.env === LARGE_ENVIRONMENT)).toBe(true);
    expect(new Set(required.map((e) => e.seed)).size).toBe(required.length);
    expect(new Set(required.map((e) => e.execPath)).size).toBe(2);
    expect(required.every((e) => e.argv.length === 1 && e.argv[0] === e.execPath)).toBe(true);
    expect(LARGE_ENVIRONMENT.join('').length).toBeGreaterThan(3000);
  });

  it('uses exactly the target environment when the target fixes one', () => {
    const t = targetFromObject({ stdout: '', exitCode: 0, env: ['A=1'], argv: ['<file>', 'x'] }, 't', 't');
    for (const e of environmentsFor(t)) expect(e.env).toEqual(['A=1']);
    expect(environmentsFor(t).filter((e) => e.role === 'required').every((e) => e.argv[1] === 'x')).toBe(true);
  });
});

describe('judgeRun', () => {
  it('accepts exactly the target and names the first difference otherwise', () => {
    expect(judgeRun(exited('Hello, World!\n', 0), hello)).toBeNull();
    expect(judgeRun(exited('Hello, World!\n', 1), hello)).toBe('exit status 1, expected 0');
    expect(judgeRun(exited('Hello', 0), hello)).toBe('stdout was "Hello", expected "Hello, World!\\n"');
    expect(judgeRun(killed('SIGSEGV'), hello)).toBe('killed by SIGSEGV');
  });
});

describe('verifyFile', () => {
  it('passes a file that meets the target everywhere and collects the loader assumptions once', () => {
    const ia32 = { id: 'ia32-emulation', text: 'int 0x80 needs IA32 emulation' };
    const runner = fakeRunner(() => exited('Hello, World!\n', 0, [ia32]));
    const v = verifyFile(runner, file, hello);
    expect(v.pass).toBe(true);
    expect(v.problem).toBeNull();
    expect(v.assumptions).toEqual([ia32]);
    expect(runner.requests.length).toBe(environmentsFor(hello).length);
  });

  it('reports argc = 1 when the file fails only with an extra argument', () => {
    const runner = fakeRunner((req) => exited('Hello, World!\n', req.argv.length === 1 ? 0 : 1));
    const v = verifyFile(runner, file, hello);
    expect(v.pass).toBe(true);
    expect(v.assumptions.map((a) => a.id)).toEqual(['argc-1']);
  });

  it('fails a file that works only with an empty environment, and says so', () => {
    const runner = fakeRunner((req) => (req.env.length === 0 ? exited('Hello, World!\n', 0) : killed('SIGSEGV')));
    const v = verifyFile(runner, file, hello);
    expect(v.pass).toBe(false);
    expect(v.assumptions.map((a) => a.id)).toContain('empty-environment');
    expect(v.problem).toMatch(/killed by SIGSEGV \(large environment.*works only with an empty environment/);
  });

  it('fails a file whose result depends on the stack position', () => {
    let n = 0;
    const runner = fakeRunner(() => (n++ % 2 === 0 ? exited('Hello, World!\n', 0) : exited('Hello, World!\n', 9)));
    const v = verifyFile(runner, file, hello);
    expect(v.pass).toBe(false);
    expect(v.assumptions.map((a) => a.id)).toContain('stack-layout');
  });

  it('stops at the first failure in the cheap mode and skips probes', () => {
    const runner = fakeRunner(() => exited('nope', 0));
    const v = verifyFile(runner, file, hello, { stopAtFirstFailure: true });
    expect(v.pass).toBe(false);
    expect(runner.requests.length).toBe(1);
    expect(v.problem).toContain('stdout was "nope"');
  });

  it('passes the target stdin, the seed and the step budget to the runner', () => {
    const t = targetFromObject({ stdout: '', exitCode: 0, stdin: 'in' }, 't', 't');
    const runner = fakeRunner(() => exited('', 0));
    verifyFile(runner, file, t, { maxSteps: 1234 });
    expect(runner.requests.every((r) => Buffer.from(r.stdin).toString() === 'in' && r.maxSteps === 1234)).toBe(true);
    expect(new Set(runner.requests.map((r) => r.seed)).size).toBeGreaterThan(2);
  });
});
