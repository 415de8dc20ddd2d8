// Every example in every --help runs as written from the repository root: each command's examples
// run in order, with bash, in a fresh copy of the repository (corpus/, results/, the built golf),
// with `golf` on PATH. An example whose comment says it takes minutes is stopped with Ctrl-C after
// a while and must end as an interrupted search does (exit 130, or 0 if it finished); one whose
// comment says "exits N" must exit N (golf run passes a program's status through), and one that
// needs a docker daemon exits 0 or 3 (no daemon: the documented code). Running them
// must not change results/ (the search finds nothing new there).
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/targets/paths.js';
import { runGolf } from '../helpers/golf.js';
import { folderContents } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const COMMANDS = ['search', 'check', 'run', 'explain', 'table', 'regress', 'merge', 'asm', 'disasm', 'image'];
/** Examples marked as long ("takes minutes") get this long before Ctrl-C. */
const LONG_EXAMPLE_MS = 15_000;
const LONG = /# takes minutes/;
/** Examples that need a docker daemon, which no test starts for them: without one they must exit 3 (the documented code). */
const NEEDS_DOCKERD = /# needs a running dockerd/;

async function examplesOf(cmd: string | null): Promise<string[]> {
  const help = (await runGolf(cmd ? [cmd, '--help'] : ['--help'])).stdout.toString();
  const block = help.slice(help.indexOf('\nExamples:\n'));
  return [...block.matchAll(/^ {2}\$ (.+)$/gm)].map((m) => m[1]!);
}

/** A fresh repository root: the built golf, corpus/ and results/ copied, node_modules linked. */
function repositoryCopy(): { root: string; bin: string } {
  const src = packageRoot();
  const root = tempDir('golf-examples-');
  for (const entry of ['package.json', 'bin', 'corpus', 'results']) cpSync(join(src, entry), join(root, entry), { recursive: true });
  cpSync(join(src, 'dist'), join(root, 'dist'), { recursive: true, filter: (p) => !p.endsWith('vitest-report.json') });
  symlinkSync(join(src, 'node_modules'), join(root, 'node_modules'));
  const bin = join(root, '.path');
  mkdirSync(bin);
  writeFileSync(join(bin, 'golf'), `#!/bin/sh\nexec "${process.execPath}" "${join(root, 'bin', 'golf.js')}" "$@"\n`, { mode: 0o755 });
  return { root, bin };
}

function runExample(line: string, cwd: string, pathDir: string): Promise<{ code: number | null; output: string; interrupted: boolean }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', line], { cwd, detached: true, env: { ...process.env, PATH: `${pathDir}:${process.env.PATH ?? ''}` } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let interrupted = false;
    const long = LONG.test(line);
    // Ctrl-C goes to the whole process group, as a terminal sends it.
    const timer = setTimeout(() => {
      interrupted = true;
      process.kill(-child.pid!, long ? 'SIGINT' : 'SIGKILL');
    }, long ? LONG_EXAMPLE_MS : 400_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output, interrupted });
    });
  });
}

describe('--help examples', () => {
  it.each([null, ...COMMANDS])('golf %s --help: every example runs from the repository root', async (cmd) => {
    const examples = await examplesOf(cmd);
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const { root, bin } = repositoryCopy();
    const before = folderContents(join(root, 'results'));
    for (const line of examples) {
      const r = await runExample(line, root, bin);
      const exits = /# exits (\d+)/.exec(line);
      if (LONG.test(line)) expect([0, 130], `${line}\n${r.output}`).toContain(r.code);
      else if (NEEDS_DOCKERD.test(line)) expect([0, 3], `${line}\n${r.output}`).toContain(r.code);
      else expect(r.code, `${line}\n${r.output}`).toBe(exits ? Number(exits[1]) : 0);
    }
    const after = folderContents(join(root, 'results'));
    // A regress --update-baselines example writes a copy of results/, never results/ itself.
    expect(after, 'running the examples changed results/ (a search beat a record? then commit the new record)').toEqual(before);
  }, 900_000);
});
