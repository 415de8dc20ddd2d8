import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

describe('golf table', () => {
  it('prints one row per shipped target from the committed results', async () => {
    const r = await golf(['table', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { target: string; baseline: number | null; best: { size: number } | null }[];
    expect(rows.map((x) => x.target)).toEqual(expect.arrayContaining(['exit42', 'hello', 'hello-lower', 'true']));
    for (const row of rows) {
      expect(row.baseline).toBeGreaterThan(120);
      expect(row.best!.size).toBeLessThanOrEqual(row.baseline!);
    }
  });

  it('prints Markdown, and a plain table without colour codes when piped with NO_COLOR set', async () => {
    const md = await golf(['table', '--markdown']);
    expect(md.stdout).toMatch(/^\| target \| baseline \| seed article \| best \|/);
    expect(md.stdout).toMatch(/\n\| hello \| \d+ B \| 164 B \|/);
    const plain = await golf(['table'], { NO_COLOR: '1' });
    expect(plain.stdout).toContain('hello-lower');
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });

  it('reads another results directory, and refuses a missing one with one line and exit 2', async () => {
    const copy = tempDir('golf-table-');
    cpSync(resultsDir(), copy, { recursive: true });
    expect((await golf(['table', '--results', copy, '--json'])).code).toBe(0);
    const bad = await golf(['table', '--results', join(copy, 'missing')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^golf: results directory .* does not exist/);
  });
});
