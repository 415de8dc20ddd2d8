/**
 * The search's progress on stderr. On a terminal: one line rewritten in place (carriage return,
 * erase line) at every report, cut to the terminal's width so it never wraps and so never stacks.
 * Elsewhere (a log, a pipe): a plain line every 10 s, when a smaller file is found, and when the
 * last unit ends.
 */
import type { Progress } from '../search/run.js';

export const PLAIN_INTERVAL_MS = 10_000;

function sizesText(sizes: readonly number[], planningLoops: boolean): string {
  if (planningLoops) return 'planning loops';
  if (sizes.length === 0) return 'between units';
  const lo = sizes[0]!;
  const hi = sizes[sizes.length - 1]!;
  return lo === hi ? `exhausting ${lo} B` : `exhausting ${lo}-${hi} B`;
}

/**
 * The fields of a progress line, most important first: elapsed time, best so far, the sizes being
 * exhausted, units done, speed.
 */
export function progressFields(p: Progress): string[] {
  const secs = p.elapsedMs / 1000;
  const rate = secs > 0 ? Math.round(p.nodes / secs) : 0;
  return [
    `${secs.toFixed(0)} s`,
    `best ${p.best ? `${p.best.size} B` : 'none yet'}`,
    sizesText(p.sizes, p.planningLoops === true),
    `${p.unitsDone}/${p.unitsTotal} ${p.unitsNoun ?? 'layout families'}`,
    `${rate.toLocaleString('en-US')} nodes/s`,
  ];
}

const SEPARATOR = ' | ';

/**
 * The fields that fit in `columns`, dropping from the least important end (one column stays free:
 * writing the last one makes some terminals wrap); a first field too long is cut.
 */
export function fitFields(fields: readonly string[], columns: number | undefined): string {
  const line = fields.join(SEPARATOR);
  if (!columns || line.length < columns) return line;
  for (let n = fields.length - 1; n >= 1; n--) {
    const shorter = fields.slice(0, n).join(SEPARATOR);
    if (shorter.length < columns) return shorter;
  }
  return fields[0]!.slice(0, Math.max(1, columns - 1));
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

/** A progress callback for runSearch, and `end()` to close the live line before the summary. */
export function progressPrinter(stream: ProgressStream = process.stderr): { report: (p: Progress) => void; end: () => void } {
  const live = stream.isTTY === true;
  let lastPlain = 0;
  let lastBest: number | null = null;
  let shown = false;
  return {
    report: (p) => {
      if (live) {
        stream.write(`\r\x1b[K${fitFields(progressFields(p), stream.columns)}`);
        shown = true;
        return;
      }
      const best = p.best?.size ?? null;
      if (p.elapsedMs - lastPlain >= PLAIN_INTERVAL_MS || best !== lastBest || (p.event === 'unit' && p.unitsDone === p.unitsTotal)) {
        lastPlain = p.elapsedMs;
        lastBest = best;
        stream.write(progressFields(p).join(SEPARATOR) + '\n');
      }
    },
    end: () => {
      if (shown) stream.write('\n');
    },
  };
}
