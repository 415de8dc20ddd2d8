/**
 * CPU tests written as NASM sources (test/cpu/*.asm, Blink's test/asm pattern): each is a whole
 * program of checks made with the assertion macros of test/cpu/check.inc, assembled here by golf
 * asm and run on golf's emulator and on the host kernel. Both must reach the end (exit 0); a failing
 * check exits with its number, reported as its source line. The kernel's run is the proof that each
 * expectation is right, the emulator's that golf computes the same.
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
const dir = join(root, 'test', 'cpu');
const includeDirs = [join(root, 'corpus', 'programs') + '/', dir + '/'];
const sources = readdirSync(dir).filter((n) => n.endsWith('.asm')).sort();
const CHECK = /^\s*(expect|expect_value|expect_flags)\s/;
const work = mkdtempSync(join(tmpdir(), 'golf-cpu-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  releasePipeDirectory();
});

/** "exited 0", or which check failed: its number is the exit status (check.inc). */
function verdict(outcome: string, text: string): string {
  const m = /^exited (\d+)$/.exec(outcome);
  if (!m || m[1] === '0') return outcome;
  const lines = text.split('\n');
  const checks = lines.map((l, i) => [l, i + 1] as const).filter(([l]) => CHECK.test(l));
  const failed = checks[Number(m[1]) - 1];
  return failed ? `check ${m[1]} failed, line ${failed[1]}: ${failed[0].trim()}` : outcome;
}

describe('CPU tests as NASM sources', () => {
  it('has the sources, each with checks', () => {
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const name of sources) expect(readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => CHECK.test(l)).length, name).toBeGreaterThan(10);
  });

  describe.each(sources)('%s', (name) => {
    const text = readFileSync(join(dir, name), 'utf8');
    const file = assemble(text, name, { includeDirs });
    const path = join(work, name.replace(/\.asm$/, ''));
    writeFileSync(path, file, { mode: 0o755 });

    it('passes every check on the emulator', () => {
      const run = new Emulator(hostProfile()).run(file, { argv: [path], execPath: path, maxSteps: 100_000, seed: 1 });
      expect(verdict(briefOutcome(run), text)).toBe('exited 0');
    });

    it.runIf(nativeSupported())('passes every check on the host kernel', async () => {
      const run = await runNative(path, { argv: [path], timeoutMs: 5000 });
      expect(verdict(briefOutcome(run), text)).toBe('exited 0');
    });

    it('a wrong expectation fails there with its line (the checks can fail)', () => {
      // the last `expect x, N` made one off: that check, and no other, must fail
      const lines = text.split('\n');
      const at = lines.findLastIndex((l) => /^\s*expect\s+\w+,\s*-?\d+\s*$/.test(l));
      expect(at).toBeGreaterThan(0);
      const number = lines.slice(0, at + 1).filter((l) => CHECK.test(l)).length;
      lines[at] = lines[at]!.replace(/(-?\d+)\s*$/, (v) => String(Number(v) + 1));
      const broken = assemble(lines.join('\n'), name, { includeDirs });
      const run = new Emulator(hostProfile()).run(broken, { argv: [path], execPath: path, maxSteps: 100_000, seed: 1 });
      expect(verdict(briefOutcome(run), lines.join('\n'))).toBe(`check ${number} failed, line ${at + 1}: ${lines[at]!.trim()}`);
    });
  });
});
