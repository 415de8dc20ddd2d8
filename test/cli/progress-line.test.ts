// The search's progress line: rewritten in place and cut to the width on a terminal (a real pty
// through script(1)), plain lines every 10 s elsewhere.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitFields, PLAIN_INTERVAL_MS, progressFields, progressPrinter } from '../../src/cli/progress-line.js';
import type { Progress } from '../../src/search/run.js';
import { packageRoot } from '../../src/targets/paths.js';
import { tempDir } from '../helpers/temp.js';

const at = (elapsedMs: number, extra: Partial<Progress> = {}): Progress => ({
  best: null, unitsDone: 3, unitsTotal: 170, nodes: elapsedMs * 9, candidates: 0, elapsedMs, sizes: [84, 85], event: 'tick', ...extra,
});

function fakeStream(isTTY: boolean, columns?: number): { writes: string[]; isTTY: boolean; columns?: number; write: (t: string) => boolean } {
  const writes: string[] = [];
  return { writes, isTTY, ...(columns === undefined ? {} : { columns }), write: (t: string) => writes.push(t) > 0 };
}

describe('progress line', () => {
  it('shows elapsed time, best so far, the sizes being exhausted, units done and nodes/s', () => {
    expect(progressFields(at(12_000, { best: { size: 86, hex: '' } })).join(' | ')).toBe('12 s | best 86 B | exhausting 84-85 B | 3/170 layout families | 9,000 nodes/s');
    // before the first unit: the loop family's plans are computed, or no unit is running
    expect(progressFields(at(5_000, { sizes: [], unitsDone: 0, planningLoops: true }))[2]).toBe('planning loops');
    expect(progressFields(at(5_000, { sizes: [] }))[2]).toBe('between units');
  });

  it('on a terminal: each report rewrites one line, cut to the width by dropping the least important fields', () => {
    const tty = fakeStream(true, 42);
    const printer = progressPrinter(tty);
    for (let t = 0; t < 5000; t += 1000) printer.report(at(t));
    printer.end();
    expect(tty.writes).toHaveLength(6);
    for (const w of tty.writes.slice(0, 5)) {
      expect(w.startsWith('\r\x1b[K')).toBe(true);
      expect(w).not.toContain('\n');
      expect(w.length - 4).toBeLessThan(42);
    }
    expect(tty.writes[4]).toBe('\r\x1b[K4 s | best none yet | exhausting 84-85 B');
    expect(tty.writes[5]).toBe('\n');
    expect(fitFields(['a very long first field'], 10)).toBe('a very lo');
  });

  it('off a terminal: a line every 10 s, when a smaller file is found and at the end, nothing else', () => {
    const log = fakeStream(false);
    const printer = progressPrinter(log);
    for (let t = 0; t <= 25_000; t += 1000) printer.report(at(t, t === 13_000 ? { best: { size: 90, hex: '' } } : t > 13_000 ? { best: { size: 90, hex: '' } } : {}));
    printer.report(at(26_000, { event: 'unit', unitsDone: 170, best: { size: 90, hex: '' } }));
    printer.end();
    expect(log.writes.map((w) => w.split(' ')[0])).toEqual(['10', '13', '23', '26']);
    expect(log.writes.every((w) => w.endsWith('\n') && !w.includes('\r'))).toBe(true);
    expect(PLAIN_INTERVAL_MS).toBe(10_000);
  });

  it('golf search on a real terminal refreshes the line at least once a second, within the width, never stacking', () => {
    const dir = tempDir('golf-progress-');
    const log = join(dir, 'tty.log');
    const golf = `${process.execPath} ${join(packageRoot(), 'bin', 'golf.js')}`;
    // script(1) gives golf a pseudo-terminal 50 columns wide; the search is stopped after 6 s.
    const r = spawnSync('script', ['-qfec', `stty cols 50; ${golf} search --target hello --workers 1 --time-limit 6 --no-record -o ${join(dir, 'hello')}`, log], { encoding: 'utf8', cwd: dir, timeout: 60_000 });
    expect(r.error).toBeUndefined();
    const screen = r.stdout;
    const frames = screen.split('\r\x1b[K').slice(1).map((f) => f.replace(/\r?\n[\s\S]*$/, ''));
    const seconds = new Set(frames.map((f) => f.split(' ')[0]));
    expect(frames.length).toBeGreaterThanOrEqual(4);
    expect(seconds.size).toBeGreaterThanOrEqual(4);
    for (const f of frames) expect(f.length).toBeLessThan(50);
    // One line: the progress is only ever followed by the summary once, after the last frame.
    expect(screen.split('\r\x1b[K').slice(1, -1).every((f) => !f.includes('\n'))).toBe(true);
  });
});
