/**
 * Outcomes of whole programs written as NASM sources (test/cpu/faults/*.asm): the CPU facts a
 * program of checks cannot hold because they end the process (the signal an instruction raises).
 * A file holds many cases, each an `%ifidn CASE, name ; outcome` block (case.inc); each case is
 * assembled alone by golf asm (-D CASE=name) and run on golf's emulator and on the host kernel, and
 * both must end as its line says ("killed SIGFPE", "exited 0"). The kernel's run is the proof that
 * the stated outcome is right, the emulator's that golf does the same.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { Emulator } from '../../src/linux/emulate.js';
import { nativeSupported, runNative } from '../../src/linux/native.js';
import { releasePipeDirectory } from '../../src/linux/host-pipes.js';
import { hostProfile } from '../../src/linux/profile.js';
import { briefOutcome } from '../../src/linux/run-result.js';

const root = new URL('../../', import.meta.url).pathname;
const dir = join(root, 'test', 'cpu', 'faults');
const includeDirs = [join(root, 'corpus', 'programs') + '/', dir + '/'];
const sources = readdirSync(dir).filter((n) => n.endsWith('.asm')).sort();
const CASE = /^\s*%(?:el)?ifidn\s+CASE\s*,\s*(\w+)\s*;\s*(.*?)\s*$/;
const OUTCOME = /^(exited \d+|killed SIG[A-Z]+)$/;
const work = mkdtempSync(join(tmpdir(), 'golf-cpu-faults-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  releasePipeDirectory();
});

interface Case { name: string; outcome: string; line: number }

function cases(text: string): Case[] {
  return text.split('\n').flatMap((l, i) => {
    const m = CASE.exec(l);
    return m ? [{ name: m[1]!, outcome: m[2]!, line: i + 1 }] : [];
  });
}

describe('CPU fault cases as NASM sources', () => {
  it('has the sources, each with cases of distinct names, stated outcomes and a "none" case', () => {
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const name of sources) {
      const list = cases(readFileSync(join(dir, name), 'utf8'));
      expect(list.length, name).toBeGreaterThan(10);
      expect(new Set(list.map((c) => c.name)).size, name).toBe(list.length);
      for (const c of list) expect(c.outcome, `${name}:${c.line}`).toMatch(OUTCOME);
      // the case without code exits 0, so a case's signal comes from its own code
      expect(list.find((c) => c.name === 'none')?.outcome, name).toBe('exited 0');
    }
  });

  describe.each(sources)('%s', (source) => {
    const text = readFileSync(join(dir, source), 'utf8');
    describe.each(cases(text))('$name (line $line): $outcome', ({ name, outcome }) => {
      const file = assemble(text, source, { includeDirs, defines: [['CASE', name]] });
      const path = join(work, `${source.replace(/\.asm$/, '')}-${name}`);
      writeFileSync(path, file, { mode: 0o755 });

      it('on the emulator', () => {
        const run = new Emulator(hostProfile()).run(file, { argv: [path], execPath: path, maxSteps: 100_000, seed: 1 });
        expect(briefOutcome(run)).toBe(outcome);
      });

      it.runIf(nativeSupported())('on the host kernel', async () => {
        const run = await runNative(path, { argv: [path], timeoutMs: 5000 });
        expect(briefOutcome(run)).toBe(outcome);
      });
    });
  });
});
