/**
 * `golf regress` as a library: every record file in a results directory is re-read, checked
 * against its size history, re-verified under the emulator (and natively where the host can),
 * and compared with the shipped target of the same name. Any finding is a regression.
 */
import { basename, dirname } from 'node:path';
import { commitChargeIn, formatCommitCharge } from '../linux/loader.js';
import { targetFingerprint, type Target } from '../targets/target.js';
import { certify, type Certifier } from './certify.js';
import { committedHistoryProblems } from './committed.js';
import { findProfile } from '../linux/profile.js';
import { integrityProblems, publishedOutcome, type PublishedFile } from './published.js';
import { ENTRY_KINDS, RecordError, type EntryKind, type RecordFile } from './record.js';
import { historyProblems } from './rules.js';
import { listRecordPaths, readRecord } from './store.js';

export interface EntryCheck {
  kind: EntryKind;
  size: number;
  emulator: 'pass' | 'fail';
  native: 'pass' | 'fail' | 'not run';
}

export interface FileCheck {
  path: string;
  target: string | null;
  profile: string | null;
  entries: EntryCheck[];
  problems: string[];
}

/** One published file of corpus/published/: still the published bytes, still meeting its target and its stated outcomes. */
export interface PublishedCheck {
  name: string;
  /** Its shipped target, or null for a file kept for its documented outcome only. */
  target: string | null;
  size: number;
  emulator: 'pass' | 'fail';
  native: 'pass' | 'fail' | 'not run';
  problems: string[];
}

export interface RegressReport {
  files: FileCheck[];
  published: PublishedCheck[];
  /** Every problem, prefixed with its file: empty means the results pass. */
  problems: string[];
}

export interface RegressContext {
  /** The certifier for a profile name, or null if golf does not know that profile. */
  certifierFor: (profile: string) => Certifier | null;
  /** The shipped target of that name, or null if there is none (records for ad-hoc targets). */
  shippedTarget: (name: string) => Target | null;
  /** The committed version of a record file (see committed.ts), or null; omitted: not consulted. */
  committed?: (path: string) => RecordFile | null;
  /**
   * Published files to check (corpus/published/), under the certifier of the profile they are
   * judged in (default); omitted: none.
   */
  published?: { files: readonly PublishedFile[]; profile: string };
}

export async function regress(dir: string, context: RegressContext): Promise<RegressReport> {
  const files: FileCheck[] = [];
  for (const path of listRecordPaths(dir)) files.push(await checkFile(path, context));
  const published: PublishedCheck[] = [];
  for (const file of context.published?.files ?? []) published.push(await checkPublished(file, context.published!.profile, context));
  const problems = [
    ...files.flatMap((f) => f.problems.map((p) => `${f.path}: ${p}`)),
    ...published.flatMap((p) => p.problems.map((q) => `published ${p.name}: ${q}`)),
  ];
  return { files, published, problems };
}

/**
 * A published file must stay byte-identical to what its author published and keep meeting its
 * target on the emulator, and natively where the host runs it (a native run that could not apply
 * to this host, e.g. for lack of a feature the file relies on, is not a failure).
 */
async function checkPublished(file: PublishedFile, profile: string, context: RegressContext): Promise<PublishedCheck> {
  const check: PublishedCheck = { name: file.name, target: file.target, size: file.bytes.length, emulator: 'fail', native: 'not run', problems: integrityProblems(file) };
  // Its stated outcome under this profile (golf run's), when the manifest gives one.
  const kernel = findProfile(profile);
  const stated = file.outcomes[profile];
  if (stated !== undefined && kernel) {
    const outcome = publishedOutcome(file, kernel);
    if (outcome !== stated) check.problems.push(`golf run gives "${outcome}" under profile ${profile}, but the manifest states "${stated}"`);
    else if (file.target === null) check.emulator = 'pass';
  }
  if (file.target === null) {
    if (stated === undefined) check.problems.push(`states no target and no outcome under profile ${profile}`);
    return check;
  }
  const target = context.shippedTarget(file.target);
  const certifier = context.certifierFor(profile);
  if (!target) check.problems.push(`its target "${file.target}" is not a shipped target`);
  if (!certifier) check.problems.push(`unknown profile "${profile}"`);
  if (!target || !certifier) return check;
  const certificate = await certify(certifier, file.bytes, target);
  check.emulator = certificate.emulated.pass ? 'pass' : 'fail';
  if (certificate.native?.ran) check.native = certificate.native.pass ? 'pass' : 'fail';
  if (!certificate.pass) check.problems.push(`no longer meets target "${file.target}": ${certificate.problem}`);
  else if (file.runsNatively && certifier.native && certificate.native && !certificate.native.ran) {
    // Expected to run here; "not applicable" is fine only when the host lacks what it relies on.
    if (certificate.native.skippedBecause !== 'host-lacks') check.problems.push(`was not run natively: ${certificate.native.skipped}`);
  }
  return check;
}

async function checkFile(path: string, context: RegressContext): Promise<FileCheck> {
  const check: FileCheck = { path, target: null, profile: null, entries: [], problems: [] };
  let record;
  try {
    record = readRecord(path);
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    check.problems.push(err.message.replace(`record ${path}: `, ''));
    return check;
  }
  if (!record) {
    check.problems.push('disappeared while being checked');
    return check;
  }
  check.target = record.target.name;
  check.profile = record.profile;
  const expectedName = basename(path, '.json');
  const expectedProfile = basename(dirname(path));
  if (record.target.name !== expectedName) check.problems.push(`holds target "${record.target.name}" but is named ${expectedName}.json`);
  if (record.profile !== expectedProfile) check.problems.push(`holds profile "${record.profile}" but is in ${expectedProfile}/`);
  check.problems.push(...historyProblems(record));
  const committed = context.committed ? context.committed(path) : null;
  if (committed) {
    for (const p of committedHistoryProblems(record, committed)) if (!check.problems.includes(p)) check.problems.push(p);
  }

  const shipped = context.shippedTarget(record.target.name);
  if (shipped && targetFingerprint(shipped) !== targetFingerprint(record.target)) {
    check.problems.push(`target "${record.target.name}" in corpus/targets has changed since these records were made`);
  }
  const certifier = context.certifierFor(record.profile);
  if (!certifier) {
    check.problems.push(`unknown profile "${record.profile}"`);
    return check;
  }
  for (const kind of ENTRY_KINDS) {
    const entry = record.entries[kind];
    if (!entry) continue;
    const certificate = await certify(certifier, entry.bytes, record.target);
    const nativeRan = certificate.native?.ran === true;
    check.entries.push({
      kind,
      size: entry.bytes.length,
      emulator: certificate.emulated.pass ? 'pass' : 'fail',
      native: !nativeRan ? 'not run' : certificate.native!.pass ? 'pass' : 'fail',
    });
    if (!certificate.pass) {
      check.problems.push(`entry "${kind}" (${entry.bytes.length} bytes) no longer meets its target: ${certificate.problem}`);
      continue;
    }
    // A record must state everything it relies on: a new assumption means the file or golf changed.
    const stated = new Set(entry.assumptions.map((a) => a.id));
    const unstated = certificate.assumptions.filter((a) => !stated.has(a.id));
    if (unstated.length > 0) {
      check.problems.push(`entry "${kind}" relies on ${unstated.map((a) => `"${a.text}"`).join(', ')}, which the record does not state`);
    }
    // A stated figure must be the one the rule charges (the same number as golf check and the table).
    const figure = (list: readonly { id: string; text: string }[]): number | null => {
      const a = list.find((x) => x.id === 'overcommit');
      return a ? commitChargeIn(a.text) : null;
    };
    const needed = figure(certificate.assumptions);
    if (stated.has('overcommit') && needed !== null && figure(entry.assumptions) !== needed) {
      check.problems.push(`entry "${kind}" states its memory-commit need as "${entry.assumptions.find((a) => a.id === 'overcommit')!.text}", but the commit rule charges ${formatCommitCharge(needed)} (golf regress --update-baselines restates it)`);
    }
  }
  return check;
}
