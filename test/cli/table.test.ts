import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { tableRows } from '../../src/cli/table.js';
import { renderTerminalTable } from '../../src/results/render-table.js';
import { tempDir } from '../helpers/temp.js';

describe('golf table', () => {
  it('prints one row per shipped target from the committed results', async () => {
    const r = await golf(['table', '--json']);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { target: string; arch?: string; baseline: number | null; best: { size: number } | null }[];
    // (the i386 rows, records of golf search --arch i386, follow the x86-64 ones)
    const rows = all.filter((x) => x.arch === undefined);
    expect(all.slice(0, rows.length)).toEqual(rows);
    expect(rows.map((x) => x.target)).toEqual(expect.arrayContaining(['exit42', 'hello', 'hello-lower', 'true']));
    for (const row of rows) {
      expect(row.baseline).toBeGreaterThan(120);
      expect(row.best!.size).toBeLessThanOrEqual(row.baseline!);
    }
  });

  it('prints Markdown, and a plain table without colour codes when piped with NO_COLOR set', async () => {
    const md = await golf(['table', '--markdown']);
    expect(md.stdout).toMatch(/^\| target \| baseline \| seed article \| best published \| best \|/);
    expect(md.stdout).toMatch(/\n\| hello \| \d+ B \| 164 B \| 81 B \(lm978\) \|/);
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

describe('golf table on a narrow terminal', () => {
  const width = (line: string): number => [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;

  it('fits every width: the full table when it fits, a compact one under 100 columns, a list when narrower', async () => {
    const all = tableRows(resultsDir(), 'default');
    // The column choices below are those of the x86-64 rows; with the i386 rows ("TARGET (i386)")
    // the compact table is wider, but it still fits every width.
    const rows = all.filter((r) => r.arch === undefined);
    for (const columns of [30, 40, 60, 80, 99, 100, 120, 200, 300]) {
      for (const color of [false, true]) {
        for (const line of renderTerminalTable(all, color, columns).split('\n')) expect(width(line), `${columns} columns, i386 rows too: ${line}`).toBeLessThanOrEqual(columns);
        const text = renderTerminalTable(rows, color, columns);
        for (const line of text.split('\n')) expect(width(line), `${columns} columns: ${line}`).toBeLessThanOrEqual(columns);
      }
    }
    expect(renderTerminalTable(rows, false, 300)).toContain('seed article');
    expect(renderTerminalTable(rows, false)).toContain('seed article');
    expect(renderTerminalTable(rows, false, 99).split('\n')[0]).toMatch(/^target +base +seed +published +best +saving +image +assumes +verified$/);
    expect(renderTerminalTable(rows, false, 80).split('\n')).toHaveLength(rows.length + 1);
    expect(renderTerminalTable(rows, false, 80).split('\n')[0]).toMatch(/^target +base +seed +best +saving +image +assumes$/);
    const hello = rows.find((r) => r.target === 'hello')!.best!.size;
    expect(renderTerminalTable(rows, false, 40)).toMatch(new RegExp(`^hello: best ${hello} B`, 'm'));
  });

  it('honours COLUMNS when stdout is not a terminal', async () => {
    const r = await golf(['table'], { COLUMNS: '80', NO_COLOR: '1' });
    expect(r.code).toBe(0);
    for (const line of r.stdout.trimEnd().split('\n')) expect(width(line)).toBeLessThanOrEqual(80);
    expect(r.stdout).toMatch(/^target +base/);
  });
});
