/**
 * golf explain --html: the page is self-contained and, rendered by headless Chromium (Debian's
 * package `chromium`, which .ci/run installs), shows the byte map as a grid: each role colour
 * covers about as many cells as the file has bytes of that role, and executed bytes are outlined.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { byteRole, EXECUTED_OUTLINE, ROLE_COLOURS, type ByteRole } from '../../src/search/explain-html.js';
import { explainFile } from '../../src/search/explain.js';
import { publishedDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { decodePng } from '../support/png.js';

const CHROMIUM = ['chromium', 'chromium-browser'].find((c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0) ?? null;
const work = mkdtempSync(join(tmpdir(), 'golf-html-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const path = join(publishedDir(), 'lm978-hello-world-81');
const file = new Uint8Array(readFileSync(path));

/** The grid cells: 34 x 26 px (explain-html.ts), executed ones with a 3 px outline. */
const CELL = { width: 34, height: 26, outline: 3 };

function rgbOf(colour: string): number {
  return Number.parseInt(colour.slice(1), 16);
}

describe('golf explain --html', () => {
  it('writes one self-contained page with the grid, the fields and both loop passes', async () => {
    const page = join(work, 'page.html');
    const r = await golf(['explain', path, '--html', page]);
    expect(r.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|url\(/);
    expect(html.match(/<div class="(checked|ignored|output|code|free)( exec)?( entry)?" title=/g)!.length).toBe(file.length);
    expect(html).toContain('loop at 0x28, pass 2');
    expect(html).toContain('title="offset 0x0 = 7f\nentry point');
  });

  it.skipIf(CHROMIUM === null)('renders in headless Chromium as a coloured hex grid with the executed bytes outlined', async () => {
    const page = join(work, 'render.html');
    expect((await golf(['explain', path, '--html', page])).code).toBe(0);
    const shot = join(work, 'shot.png');
    execFileSync(CHROMIUM!, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-default-apps', '--no-first-run', '--hide-scrollbars', '--force-device-scale-factor=1',
      `--user-data-dir=${join(work, 'profile')}`, '--window-size=900,700', `--screenshot=${shot}`, `file://${page}`,
    ], { stdio: 'ignore', timeout: 60_000 });
    expect(existsSync(shot)).toBe(true);
    const image = decodePng(new Uint8Array(readFileSync(shot)));
    const counts = new Map<number, number>();
    for (let i = 0; i < image.width * image.height; i++) {
      const v = (image.rgb[i * 3]! << 16) | (image.rgb[i * 3 + 1]! << 8) | image.rgb[i * 3 + 2]!;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const e = explainFile(file, DEFAULT_PROFILE, path);
    const executed = new Set(e.executed.flatMap((i) => Array.from({ length: i.length }, (_, k) => i.offset + k)));
    const inner = (offset: number): number =>
      executed.has(offset) ? (CELL.width - 2 * CELL.outline) * (CELL.height - 2 * CELL.outline) : CELL.width * CELL.height;
    for (const role of Object.keys(ROLE_COLOURS) as ByteRole[]) {
      const cells = [...file.keys()].filter((o) => byteRole(e, o) === role);
      const area = cells.reduce((n, o) => n + inner(o), 0);
      const seen = counts.get(rgbOf(ROLE_COLOURS[role])) ?? 0;
      // The cells' backgrounds minus their hex digits, plus the legend's 12 x 12 swatch.
      expect({ role, seen: seen >= area * 0.7 && seen <= area + 200 }).toEqual({ role, seen: true });
    }
    const outline = counts.get(rgbOf(EXECUTED_OUTLINE)) ?? 0;
    const ring = CELL.width * CELL.height - (CELL.width - 2 * CELL.outline) * (CELL.height - 2 * CELL.outline);
    expect(outline).toBeGreaterThanOrEqual(executed.size * ring * 0.9);
    expect(outline).toBeLessThanOrEqual(executed.size * ring + 200);
  });
});
