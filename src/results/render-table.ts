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

function cells(row: SummaryRow): string[] {
  const bytes = (n: number | null): string => (n === null ? '-' : `${n} B`);
  const best = row.best;
  return [
    row.target,
    bytes(row.baseline),
    bytes(row.seedArticle),
    row.bestPublished ? `${row.bestPublished.size} B (${row.bestPublished.author.replace(/ \(.*\)$/, '')})` : '-',
    best ? `${best.size} B` : '-',
    best ? best.kind : 'no record',
    best ? assumptionList(best.assumptions, best.overcommitBytes) : '-',
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

export function renderTerminalTable(rows: SummaryRow[], color: boolean): string {
  // cli-table3's own styles go through @colors/colors, which switches itself off when stdout is not
  // a terminal; the caller has already decided (useColor), so the header is coloured here with plain
  // ANSI codes. cli-table3 measures cell widths without escape codes.
  const cyan = (s: string): string => `\u001b[36m${s}\u001b[39m`;
  const table = new Table({
    head: color ? HEAD.map(cyan) : HEAD,
    style: { head: [], border: [] },
  });
  for (const row of rows) table.push(cells(row));
  return table.toString();
}

export function renderMarkdownTable(rows: SummaryRow[]): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const line = (values: string[]): string => `| ${values.map(escape).join(' | ')} |`;
  const text = new Set(['target', 'best is', 'assumptions', 'verified by', 'image tar / compressed']);
  const align = HEAD.map((h) => (text.has(h) ? '---' : '---:'));
  return [line(HEAD), `|${align.map((a) => ` ${a} `).join('|')}|`, ...rows.map((r) => line(cells(r)))].join('\n');
}
