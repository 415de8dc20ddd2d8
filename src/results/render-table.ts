/** Renders summary rows as a terminal table (cli-table3) or Markdown, with the same columns. */
import Table from 'cli-table3';
import type { SummaryRow } from './summary.js';

const HEAD = ['target', 'baseline', 'seed article', 'best', 'best is', 'assumptions', 'verified by', 'saving', 'image tar / compressed', 'seed article image'];

function cells(row: SummaryRow): string[] {
  const bytes = (n: number | null): string => (n === null ? '-' : `${n} B`);
  const best = row.best;
  return [
    row.target,
    bytes(row.baseline),
    bytes(row.seedArticle),
    best ? `${best.size} B` : '-',
    best ? best.kind : 'no record',
    best ? (best.assumptions.length ? best.assumptions.join(', ') : 'none') : '-',
    best ? best.verification : '-',
    row.savingBytes !== null ? `${row.savingBytes} B (${row.savingPercent}%)` : '-',
    imageCell(row),
    row.seedImage ? `${row.seedImage.tar} / ${row.seedImage.compressed} B` : '-',
  ];
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

const COMPACT_HEAD = ['target', 'base', 'seed', 'best', 'saving', 'image', 'assumes', 'verified'];

function compactCells(row: SummaryRow): string[] {
  const full = cells(row);
  const best = row.best;
  const verified = !best ? '-' : best.verification.startsWith('emulator + native') ? 'native' : best.verification === 'emulator' ? 'emu' : 'emu only';
  const saving = row.savingBytes !== null ? `${row.savingPercent}%` : '-';
  // The smallest archive of the best file's image (uncompressed or compressed).
  const image = row.image ? `${Math.min(row.image.tar, row.image.compressed?.size ?? Infinity)} B` : '-';
  return [full[0]!, full[1]!, full[2]!, full[3]!, saving, image, best ? (best.assumptions.join(',') || 'none') : '-', verified];
}

/** Under 100 columns: short headings and cells, aligned by spaces without box lines (78 columns for the shipped targets). */
function compactTable(rows: SummaryRow[], color: boolean): string {
  const body = rows.map(compactCells);
  const widths = COMPACT_HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  // Sizes and the saving are right-aligned, as in the Markdown table.
  const numeric = (i: number): boolean => i >= 1 && i <= 5;
  const line = (cellsOf: string[]): string =>
    cellsOf.map((c, i) => (numeric(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const head = line(COMPACT_HEAD);
  return [color ? cyan(head) : head, ...body.map(line)].join('\n');
}

/** Narrower still: one block of short lines per target, each cut to the width. */
function listLayout(rows: SummaryRow[], columns: number): string {
  const cut = (line: string): string => (line.length <= columns ? line : line.slice(0, Math.max(1, columns - 1)) + '…');
  const lines: string[] = [];
  for (const row of rows) {
    const c = cells(row);
    lines.push(cut(`${c[0]}: best ${c[3]} (${c[4]}), saving ${c[7]}`));
    lines.push(cut(`  baseline ${c[1]}, seed article ${c[2]}`));
    if (row.best) lines.push(cut(`  assumes ${c[5]}`), cut(`  verified by ${c[6]}`));
    if (row.image) lines.push(cut(`  image ${c[8]}`));
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
  const compact = compactTable(rows, color);
  if (widest(compact) <= columns) return compact;
  return listLayout(rows, columns);
}

export function renderMarkdownTable(rows: SummaryRow[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (values: string[]): string => `| ${values.map(escape).join(' | ')} |`;
  const align = HEAD.map((_, i) => (i === 0 || i === 4 || i === 5 || i === 6 || i === 8 ? '---' : '---:'));
  return [line(HEAD), `|${align.map((a) => ` ${a} `).join('|')}|`, ...rows.map((r) => line(cells(r)))].join('\n');
}
