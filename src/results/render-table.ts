/** Renders summary rows as a terminal table (cli-table3) or Markdown, with the same columns. */
import Table from 'cli-table3';
import { formatBytes } from '../linux/loader.js';
import type { SummaryRow } from './summary.js';

/** Assumption ids as the table shows them: an overcommit need with its figure. */
function assumptionList(ids: readonly string[], overcommitBytes: number | null): string {
  if (ids.length === 0) return 'none';
  return ids.map((id) => (id === 'overcommit' && overcommitBytes !== null ? `overcommit ${formatBytes(overcommitBytes)}` : id)).join(', ');
}

const HEAD = ['target', 'baseline', 'seed article', 'best published', 'best', 'best is', 'assumptions', 'verified by', 'saving', 'image tar / compressed', 'seed article image'];

/** Every cell of a row by name; `cells` puts them in HEAD's order, the narrow layouts pick some. */
function fields(row: SummaryRow) {
  const bytes = (n: number | null): string => (n === null ? '-' : `${n} B`);
  const best = row.best;
  return {
    target: row.arch === 'i386' ? `${row.target} (i386)` : row.target,
    baseline: bytes(row.baseline),
    seedArticle: bytes(row.seedArticle),
    published: row.bestPublished ? `${row.bestPublished.size} B (${row.bestPublished.author.replace(/ \(.*\)$/, '')})` : '-',
    best: best ? `${best.size} B` : '-',
    kind: best ? best.kind : 'no record',
    assumptions: best ? assumptionList(best.assumptions, best.overcommitBytes) : '-',
    verified: best ? best.verification : '-',
    saving: row.savingBytes !== null ? `${row.savingBytes} B (${row.savingPercent}%)` : '-',
    image: imageCell(row),
    seedImage: row.seedImage ? `${row.seedImage.tar} / ${row.seedImage.compressed} B` : '-',
  };
}

function cells(row: SummaryRow): string[] {
  const f = fields(row);
  return [f.target, f.baseline, f.seedArticle, f.published, f.best, f.kind, f.assumptions, f.verified, f.saving, f.image, f.seedImage];
}

function imageCell(row: SummaryRow): string {
  const image = row.image;
  if (!image) return '-';
  const compressed = image.compressed ? ` / ${image.compressed.size} B ${image.compressed.compression}` : '';
  const engines = image.verifiedBy.length ? ` (ran in ${image.verifiedBy.map((e) => e.split(' ')[0]).join(', ')})` : ' (not run)';
  return `${image.tar} B${compressed}${engines}`;
}

/** What a terminal shows of a line: escape codes take no columns. */
function visibleWidth(line: string): number {
  return [...line.replace(/\u001b\[[0-9;]*m/g, '')].length;
}

const widest = (text: string): number => Math.max(...text.split('\n').map(visibleWidth));

// cli-table3's own styles go through @colors/colors, which switches itself off when stdout is not
// a terminal; the caller has already decided (useColor), so the header is coloured here with plain
// ANSI codes. cli-table3 measures cell widths without escape codes.
const cyan = (s: string): string => `\u001b[36m${s}\u001b[39m`;

function fullTable(rows: SummaryRow[], color: boolean): string {
  const table = new Table({ head: color ? HEAD.map(cyan) : HEAD, style: { head: [], border: [] } });
  for (const row of rows) table.push(cells(row));
  return table.toString();
}

const COMPACT_HEAD = ['target', 'base', 'seed', 'published', 'best', 'saving', 'image', 'assumes', 'verified'];

function compactCells(row: SummaryRow): string[] {
  const f = fields(row);
  const best = row.best;
  const verified = !best ? '-' : best.verification.startsWith('emulator + native') ? 'native' : best.verification === 'emulator' ? 'emu' : 'emu only';
  const saving = row.savingBytes !== null ? `${row.savingPercent}%` : '-';
  // The smallest archive of the best file's image (uncompressed or compressed).
  const image = row.image ? `${Math.min(row.image.tar, row.image.compressed?.size ?? Infinity)} B` : '-';
  const published = row.bestPublished ? `${row.bestPublished.size} B` : '-';
  return [f.target, f.baseline, f.seedArticle, published, f.best, saving, image, best ? (best.assumptions.join(',') || 'none') : '-', verified];
}

/** Compact columns dropped first, one by one, when the compact table is still too wide. */
const COMPACT_DROP_ORDER = ['verified', 'published', 'image', 'seed'];

/**
 * Under 100 columns: short headings and cells, aligned by spaces without box lines (89 columns for
 * the shipped records), dropping the columns of COMPACT_DROP_ORDER until it fits `columns`; null if
 * even that is too wide.
 */
function compactTable(rows: SummaryRow[], color: boolean, columns: number): string | null {
  const body = rows.map(compactCells);
  for (let dropped = 0; dropped <= COMPACT_DROP_ORDER.length; dropped++) {
    const keep = COMPACT_HEAD.map((h, i) => i).filter((i) => !COMPACT_DROP_ORDER.slice(0, dropped).includes(COMPACT_HEAD[i]!));
    const widths = COMPACT_HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
    // Sizes and the saving are right-aligned, as in the Markdown table.
    const numeric = (i: number): boolean => i >= 1 && i <= 6;
    const line = (cellsOf: string[]): string =>
      keep.map((i) => (numeric(i) ? cellsOf[i]!.padStart(widths[i]!) : cellsOf[i]!.padEnd(widths[i]!))).join('  ').trimEnd();
    const lines = [line(COMPACT_HEAD), ...body.map(line)];
    if (Math.max(...lines.map(visibleWidth)) <= columns) return [color ? cyan(lines[0]!) : lines[0]!, ...lines.slice(1)].join('\n');
  }
  return null;
}

/** Narrower still: one block of short lines per target, each cut to the width. */
function listLayout(rows: SummaryRow[], columns: number): string {
  const cut = (line: string): string => (line.length <= columns ? line : line.slice(0, Math.max(1, columns - 1)) + '…');
  const lines: string[] = [];
  for (const row of rows) {
    const f = fields(row);
    lines.push(cut(`${f.target}: best ${f.best} (${f.kind}), saving ${f.saving}`));
    lines.push(cut(`  baseline ${f.baseline}, seed article ${f.seedArticle}, best published ${f.published}`));
    if (row.best) lines.push(cut(`  assumes ${f.assumptions}`), cut(`  verified by ${f.verified}`));
    if (row.image) lines.push(cut(`  image ${f.image}`));
  }
  return lines.join('\n');
}

/**
 * The table for a terminal `columns` wide (undefined: no limit): the full table when it fits, a
 * compact one under 100 columns or when the full one does not fit, and a list when neither fits.
 */
export function renderTerminalTable(rows: SummaryRow[], color: boolean, columns?: number): string {
  const full = fullTable(rows, color);
  if (columns === undefined || (columns >= 100 && widest(full) <= columns)) return full;
  return compactTable(rows, color, columns) ?? listLayout(rows, columns);
}

export function renderMarkdownTable(rows: SummaryRow[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (values: string[]): string => `| ${values.map(escape).join(' | ')} |`;
  const text = new Set(['target', 'best is', 'assumptions', 'verified by', 'image tar / compressed']);
  const align = HEAD.map((h) => (text.has(h) ? '---' : '---:'));
  return [line(HEAD), `|${align.map((a) => ` ${a} `).join('|')}|`, ...rows.map((r) => line(cells(r)))].join('\n');
}
