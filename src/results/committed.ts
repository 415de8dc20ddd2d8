/**
 * The committed version of a record file, when results/ is inside a git work tree: `golf regress`
 * compares the working copy with it, so a record made larger (or a history rewritten) before a
 * commit is caught even if the file's own history was edited to match. Outside git, or when the
 * file is new, there is no committed version and only the file's own history applies.
 */
import { execFileSync } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { ENTRY_KINDS, parseRecord, type RecordFile } from './record.js';
import { historicalMinimum } from './rules.js';

export function committedRecord(path: string): RecordFile | null {
  let text: string;
  try {
    text = execFileSync('git', ['-C', dirname(path), 'show', `HEAD:./${basename(path)}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null; // not a git work tree, git missing, or the file is not committed yet
  }
  try {
    return parseRecord(text, `HEAD:${path}`);
  } catch {
    return null; // a committed file that no longer parses says nothing about sizes
  }
}

/** What the working copy does that its committed version does not allow (empty when nothing). */
export function committedHistoryProblems(current: RecordFile, committed: RecordFile): string[] {
  const problems: string[] = [];
  const sameEvent = (a: RecordFile['history'][number], b: RecordFile['history'][number]): boolean =>
    a.entry === b.entry && a.size === b.size && a.sha256 === b.sha256;
  const prefixKept = committed.history.every((event, i) => i < current.history.length && sameEvent(event, current.history[i]));
  if (!prefixKept) problems.push('its history no longer starts with the committed history (rewritten since the last commit)');
  for (const kind of ENTRY_KINDS) {
    const min = historicalMinimum(committed, kind);
    const entry = current.entries[kind];
    if (min !== null && entry && entry.bytes.length > min) {
      problems.push(`entry "${kind}" is ${entry.bytes.length} bytes, larger than the ${min} bytes its committed history reached`);
    }
  }
  return problems;
}
