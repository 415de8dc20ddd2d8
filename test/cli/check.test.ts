import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { nativeSupported } from '../../src/linux/native.js';
import { buildBaseline } from '../../src/results/baseline.js';
import { programsDir } from '../../src/targets/paths.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

const seedHello = join(programsDir(), 'seed-hello');
const work = tempDir('golf-check-');

describe('golf check', () => {
  it('passes the seed article program against hello and names its assumptions', async () => {
    const r = await golf(['check', seedHello, '--target', 'hello']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(164 bytes\) against target hello, profile default/);
    expect(r.stdout).toContain('ia32-emulation');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('PASS');
  });

  it('fails it against hello-lower with exit 1 and says why', async () => {
    const r = await golf(['check', seedHello, '--target', 'hello-lower']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL: emulator: stdout was "Hello, World!\\n", expected "Hello, world!\\n"/);
  });

  it('gives per-environment details with --json', async () => {
    const r = await golf(['check', seedHello, '--target', 'hello', '--json']);
    const report = JSON.parse(r.stdout);
    expect(report.pass).toBe(true);
    const required = report.runs.filter((x: { role: string }) => x.role === 'required');
    expect(required.length).toBeGreaterThanOrEqual(4);
    for (const run of required) expect(Buffer.from(run.stdout, 'base64').toString()).toBe('Hello, World!\n');
  });

  it('takes a target from --stdout/--exit-code and from a JSON file', async () => {
    const file = join(work, 'exit7');
    writeFileSync(file, buildBaseline(targetFromObject({ stdout: 'x\n', exitCode: 7 }, 't', 't'), assemble));
    expect((await golf(['check', file, '--stdout', 'x\\n', '--exit-code', '7'])).code).toBe(0);
    expect((await golf(['check', file, '--stdout', 'x\\n', '--exit-code', '8'])).code).toBe(1);
    const targetFile = join(work, 'seven.json');
    writeFileSync(targetFile, JSON.stringify({ stdout: 'x\n', exitCode: 7 }));
    expect((await golf(['check', file, '--target', targetFile])).code).toBe(0);
  });

  it.runIf(nativeSupported())('runs the file on the host kernel with --native and says so', async () => {
    const file = join(work, 'native-hello');
    writeFileSync(file, buildBaseline(targetFromObject({ stdout: 'Hello, World!\n', exitCode: 0 }, 't', 't'), assemble));
    const r = await golf(['check', file, '--target', 'hello', '--native', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.native).toMatchObject({ ran: true, pass: true });
    expect(report.runs.filter((x: { role: string }) => x.role === 'native').length).toBe(2);
    expect(report.runs.filter((x: { role: string }) => x.role === 'native probe').map((x: { environment: string }) => x.environment)).toEqual([
      'native probe: stdin closed',
      "native probe: stdin read-write, as a terminal's (writes succeed, reads wait for input)",
    ]);
    // The seed program relies on int 0x80: natively it either passes, or (on a host without working
    // int 0x80) it is reported as not applicable, and then the pass rests on the emulator alone: exit 3.
    const seed = await golf(['check', seedHello, '--target', 'hello', '--native']);
    expect(seed.stdout).toMatch(/native: (ran on the host kernel \(Linux .*\): pass|not run \(this host lacks working int 0x80)/);
    if (seed.stdout.includes('native: not run')) {
      expect(seed.code).toBe(3);
      expect(seed.stdout.trim().split('\n').at(-1)).toBe(
        'PASS (emulator only: native run not possible here because this host lacks working int 0x80 (IA32 emulation), which the file relies on)',
      );
    } else expect(seed.code).toBe(0);
  });

  it('gives the loader\'s reason for a file that does not load, and says what golf does not model', async () => {
    const bad = await golf(['check', join(programsDir(), 'bad-machine'), '--target', 'hello']);
    expect(bad.code).toBe(1);
    const machineReason = 'the file does not load: exec fails with ENOEXEC: e_machine: e_machine is 40: neither x86-64 (62) nor i386 (3 or 6)';
    expect(bad.stdout).toContain(`  ${machineReason}`);
    expect(bad.stdout.trim().split('\n').at(-1)).toBe(`FAIL: ${machineReason}`);
    // A PT_INTERP file (dynamic linking) is one golf does not model: it says so instead of guessing.
    const interp = join(work, 'interp');
    const source = '%define E_PHNUM 2\n%macro extra_phdrs 0\n  dd 3, 4\n  dq interp - $$, 0, 0, 3, 3, 1\n%endmacro\n%include "hello-elf.inc"\ninterp: db "/x", 0\n';
    writeFileSync(interp, assemble(source, 'interp.asm', { includeDirs: [programsDir()] }));
    const notModelled = await golf(['check', interp, '--target', 'hello']);
    expect(notModelled.code).toBe(1);
    expect(notModelled.stdout).toMatch(/FAIL: the file does not load: not modelled by golf: PT_INTERP: loading interpreter "\/x" is not modelled/);
  });

  it.each([
    [['check', join(work, 'missing'), '--target', 'hello'], /no such file/],
    [['check', work, '--target', 'hello'], /not a regular file/],
    [['check', seedHello, '--target', 'no-such-target'], /unknown target "no-such-target"/],
    [['check', seedHello, '--target', join(work, 'absent.json')], /does not exist/],
    [['check', seedHello, '--target', 'hello', '--profile', 'nope'], /unknown profile "nope"/],
    [['check', seedHello], /no target/],
  ])('usage error %j: one line on stderr, exit 2', async (args, message) => {
    const r = await golf(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reports a malformed target file with one line and exit 2', async () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, JSON.stringify({ stdout: 'x', exitCode: 300 }));
    const r = await golf(['check', seedHello, '--target', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^golf: target .*bad.json: "exitCode" must be an integer from 0 to 255/);
  });
});
