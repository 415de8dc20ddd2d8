// src/x86/opcode-space.ts is generated data: its generator (scripts/gen-opcode-space.ts, built to
// dist/ by npm test's pretest) must write it again byte for byte, from iced-x86 measurements.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('opcode-space.ts', () => {
  it('is what scripts/gen-opcode-space.ts generates', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'gen-opcode-space.js')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout === readFileSync(join(ROOT, 'src', 'x86', 'opcode-space.ts'), 'utf8')).toBe(true);
  }, 600_000); // about 30 s of probing iced-x86 on an idle 2-core machine, 140 s in a loaded full run

  it('has one descriptor per line, each naming the first slot it describes', () => {
    const lines = readFileSync(join(ROOT, 'src', 'x86', 'opcode-space.ts'), 'utf8').split('\n');
    const descriptorLines = lines.slice(lines.indexOf('export const DESCRIPTORS: readonly string[] = [') + 1, lines.indexOf('];'));
    expect(descriptorLines.length).toBeGreaterThan(100);
    descriptorLines.forEach((line, i) => expect(line).toMatch(new RegExp(`^  "[^"]+", // ${i}: \\S`)));
  });
});
