// What every command shares: the exit-code table (README and every --help), one `golf: ...` line
// per error (commander's included), unknown profiles refused, - for stdin/stdout, and the target
// options --stdout-file/--stderr-file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_EXIT_CODES, exitCodesHelp, RUN_EXIT_CODES } from '../../src/cli/errors.js';
import { packageRoot, programsDir } from '../../src/targets/paths.js';
import { runGolf } from '../helpers/golf.js';
import { tempDir } from '../helpers/temp.js';

const COMMANDS = ['search', 'check', 'run', 'explain', 'table', 'regress', 'merge', 'asm', 'disasm', 'image'];
const dir = tempDir('golf-conventions-');
const hello64 = join(programsDir(), 'hello64');

const oneLine = (stderr: string): string[] => stderr.trim().split('\n');

describe('exit codes', () => {
  it('every --help ends with the exit-code table, and the README has the same table', async () => {
    const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
    for (const [code, text] of [...COMMON_EXIT_CODES, ...RUN_EXIT_CODES]) expect(readme).toContain(`| ${code} | ${text} |`);
    for (const cmd of [null, ...COMMANDS]) {
      const r = await runGolf(cmd ? [cmd, '--help'] : ['--help']);
      expect(r.code).toBe(0);
      expect(r.stdout.toString().trimEnd().endsWith(exitCodesHelp(cmd).trimEnd()), `golf ${cmd ?? ''} --help`).toBe(true);
    }
  });

  it('an unknown option or command is one golf: line and exit 2, in every command', async () => {
    for (const cmd of COMMANDS) {
      const r = await runGolf([cmd, '--no-such-option']);
      expect(r.code, cmd).toBe(2);
      expect(oneLine(r.stderr)).toEqual([`golf: unknown option '--no-such-option' (see golf ${cmd} --help)`]);
    }
    const typo = await runGolf(['search', '--worker', '2']);
    expect(oneLine(typo.stderr)).toEqual(["golf: unknown option '--worker' (Did you mean --workers?) (see golf search --help)"]);
    expect(oneLine((await runGolf(['serach'])).stderr)[0]).toMatch(/^golf: unknown command 'serach'/);
    expect(oneLine((await runGolf(['asm'])).stderr)).toEqual(["golf: missing required argument 'file' (see golf asm --help)"]);
  });

  it('a missing input file is exit 2 in every command that reads one', async () => {
    const missing = join(dir, 'missing');
    for (const args of [['run', missing], ['check', missing, '--target', 'hello'], ['explain', missing], ['disasm', missing], ['asm', missing], ['merge', missing], ['image', missing, '-o', join(dir, 'x.tar')]]) {
      const r = await runGolf(args);
      expect(r.code, args[0]).toBe(2);
      expect(oneLine(r.stderr), args[0]).toEqual([`golf: ${missing}: no such file`]);
    }
  });

  it('an unknown profile is refused by every command that takes one', async () => {
    for (const args of [['search', '--target', 'exit42'], ['check', hello64, '--target', 'hello'], ['run', hello64], ['explain', hello64], ['table'], ['regress']]) {
      const r = await runGolf([...args, '--profile', 'nope']);
      expect(r.code, args[0]).toBe(2);
      expect(oneLine(r.stderr), args[0]).toHaveLength(1);
      expect(r.stderr, args[0]).toMatch(/^golf: unknown profile "nope" \(known: default, /);
    }
  });

  it('regress over a folder without records warns and exits 1', async () => {
    const empty = tempDir('golf-empty-results-');
    const r = await runGolf(['regress', '--results', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^golf: warning: .* holds no record files .*nothing was verified$/m);
    const json = await runGolf(['regress', '--results', empty, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout.toString())).toMatchObject({ pass: false, files: [] });
  });
});

describe('- for stdin and stdout', () => {
  it('golf asm - -o - assembles stdin to stdout; run and disasm read stdin', async () => {
    const source = readFileSync(join(programsDir(), 'seed-hello.asm'));
    const asm = await runGolf(['asm', '-', '-o', '-'], { stdin: source });
    expect(asm.code).toBe(0);
    expect(asm.stdout.equals(readFileSync(join(programsDir(), 'seed-hello')))).toBe(true);
    const run = await runGolf(['run', '-'], { stdin: readFileSync(hello64) });
    expect([run.code, run.stdout.toString()]).toEqual([0, 'Hello, World!\n']);
    const native = await runGolf(['run', '-', '--native'], { stdin: readFileSync(hello64) });
    expect([native.code, native.stdout.toString()]).toEqual([0, 'Hello, World!\n']);
    const check = await runGolf(['check', '-', '--target', 'hello'], { stdin: readFileSync(hello64) });
    expect(check.code).toBe(0);
    const target = await runGolf(['check', hello64, '--target', '-'], { stdin: readFileSync(join(packageRoot(), 'corpus', 'targets', 'hello.json')) });
    expect(target.code).toBe(0);
    const disasm = await runGolf(['disasm', '-', '--start', '0x78'], { stdin: readFileSync(hello64) });
    expect(disasm.code).toBe(0);
    expect(disasm.stdout.toString()).toMatch(/^00000078 /);
  });

  it('is refused clearly where it cannot mean anything', async () => {
    for (const [args, message] of [
      [['asm', '-'], 'golf: reading the source from stdin (-) needs -o OUT (- for stdout)'],
      [['asm', join(programsDir(), 'seed-hello.asm'), '-o', '-', '--json'], 'golf: -o - and --json would both write to stdout; give -o FILE'],
      [['search', '--target', 'exit42', '-o', '-', '--json'], 'golf: -o - and --json would both write to stdout; give -o FILE'],
      [['table', '--results', '-'], 'golf: --results needs a folder, not - (stdin/stdout)'],
      [['merge', '-', '-'], 'golf: stdin (-) can hold only one partial result'],
      [['run', '/dev/zero'], 'golf: /dev/zero: not a regular file (an ELF file expected; - reads stdin)'],
    ] as const) {
      const r = await runGolf([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toEqual([message]);
    }
  });
});

describe('golf asm', () => {
  it('refuses to overwrite its input, also through another name for the same file', async () => {
    const src = join(dir, 'x.asm');
    const text = readFileSync(join(programsDir(), 'seed-hello.asm'), 'utf8');
    writeFileSync(src, text);
    for (const out of [src, join(dir, '.', 'x.asm')]) {
      const r = await runGolf(['asm', src, '-o', out]);
      expect(r.code).toBe(2);
      expect(oneLine(r.stderr)).toEqual([`golf: ${out} is the input file; refusing to overwrite it (give another -o)`]);
    }
    expect(readFileSync(src, 'utf8')).toBe(text);
  });
});

describe('--stdout-file and --stderr-file', () => {
  it('take a target output from a file (or stdin) byte for byte', async () => {
    const want = join(dir, 'hello.txt');
    writeFileSync(want, 'Hello, World!\n');
    const pass = await runGolf(['check', hello64, '--stdout-file', want, '--exit-code', '0']);
    expect(pass.code).toBe(0);
    const fromStdin = await runGolf(['check', hello64, '--stdout-file', '-', '--exit-code', '0'], { stdin: 'Hello, World!\n' });
    expect(fromStdin.code).toBe(0);
    writeFileSync(want, 'Hello, World!');
    expect((await runGolf(['check', hello64, '--stdout-file', want, '--exit-code', '0'])).code).toBe(1);
    const stderrWanted = await runGolf(['check', hello64, '--stdout-file', want, '--stderr-file', want, '--exit-code', '0']);
    expect(stderrWanted.code).toBe(1);
  });

  it('refuse a missing file and conflicting flags with one line, exit 2', async () => {
    for (const [args, message] of [
      [['--stdout-file', join(dir, 'absent.txt'), '--exit-code', '0'], /^golf: --stdout-file .*absent\.txt: no such file$/],
      [['--stdout-file', dir, '--exit-code', '0'], /^golf: --stdout-file .*: is a directory$/],
      [['--stdout', 'x', '--stdout-file', hello64, '--exit-code', '0'], /^golf: give --stdout or --stdout-file, not both$/],
      [['--target', 'hello', '--stdout-file', hello64], /^golf: give either --target or /],
      [['--stdout-file', '-', '--stderr-file', '-', '--exit-code', '0'], /^golf: stdin can hold only one of/],
      [['--stdout-file', hello64], /need --exit-code N as well$/],
    ] as const) {
      const r = await runGolf(['check', hello64, ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)[0]).toMatch(message);
      expect(oneLine(r.stderr)).toHaveLength(1);
    }
  });
});
