/**
 * The rules that keep records honest: when a new file may replace an entry, and what the size
 * history allows. Written once here; the record store, `golf regress` and the search all use them.
 */
import { sha256 } from '../targets/bytes.js';
import { ENTRY_KINDS, type Entry, type EntryKind, type RecordFile } from './record.js';

export interface Decision {
  replace: boolean;
  /** One line: why the candidate replaces the entry or why not. */
  reason: string;
}

function assumptionCount(e: Pick<Entry, 'assumptions'>): number {
  return new Set(e.assumptions.map((a) => a.id)).size;
}

/**
 * A verified candidate replaces the current entry only if it is smaller, or the same size with
 * fewer assumptions. (Callers verify before asking: an unverified file never gets here.)
 */
export function decideReplacement(current: Entry | undefined, candidate: Pick<Entry, 'bytes' | 'assumptions'>): Decision {
  const size = candidate.bytes.length;
  if (!current) return { replace: true, reason: `first record: ${size} bytes` };
  const old = current.bytes.length;
  if (size < old) return { replace: true, reason: `${size} bytes beats ${old} bytes` };
  if (size > old) return { replace: false, reason: `${size} bytes does not beat the record of ${old} bytes` };
  const [na, oa] = [assumptionCount(candidate), assumptionCount(current)];
  if (na < oa) return { replace: true, reason: `same size (${size} bytes) with fewer assumptions (${na} instead of ${oa})` };
  return { replace: false, reason: `same size (${size} bytes) and not fewer assumptions (${na} versus ${oa})` };
}

/** The smallest size the history has seen for an entry kind, or null if it never had one. */
export function historicalMinimum(record: RecordFile, kind: EntryKind): number | null {
  let min: number | null = null;
  for (const h of record.history) if (h.entry === kind && (min === null || h.size < min)) min = h.size;
  return min;
}

/**
 * What is wrong with a record file's entries with respect to its history (empty when nothing):
 * an entry larger than the smallest size its history has reached, or content the history never
 * saw (written by hand rather than through golf). Removing an entry the history has seen is also
 * a regression.
 */
export function historyProblems(record: RecordFile): string[] {
  const problems: string[] = [];
  for (const kind of ENTRY_KINDS) {
    const entry = record.entries[kind];
    const min = historicalMinimum(record, kind);
    if (!entry) {
      if (min !== null) problems.push(`entry "${kind}" was removed, but the history has one of ${min} bytes`);
      continue;
    }
    const size = entry.bytes.length;
    if (min !== null && size > min) problems.push(`entry "${kind}" is ${size} bytes, larger than the ${min} bytes its history reached`);
    const digest = sha256(entry.bytes);
    if (!record.history.some((h) => h.entry === kind && h.sha256 === digest)) {
      problems.push(`entry "${kind}" (${size} bytes) does not appear in the history: it was not written by golf`);
    }
  }
  return problems;
}
