/**
 * Putting files into the record store: `offerRecord` is what the search engine calls with a new
 * winner; `putEntry` is the one place an entry and its history event are written together.
 */
import { sha256 } from '../targets/bytes.js';
import { golfVersion, resultsDir as defaultResultsDir } from '../targets/paths.js';
import { COMMAND_LINE_TARGET } from '../targets/resolve.js';
import { targetFingerprint, type Target } from '../targets/target.js';
import { certify, type Certificate, type Certifier } from './certify.js';
import { withLock } from './lock.js';
import { RecordError, type Entry, type EntryKind, type RecordFile } from './record.js';
import { decideReplacement } from './rules.js';
import { readRecord, recordPath, writeRecordAtomic } from './store.js';

export function emptyRecord(target: Target, profile: string): RecordFile {
  return { target, profile, entries: {}, history: [] };
}

/** Sets an entry and appends the matching history event (the caller writes the file). */
export function putEntry(record: RecordFile, kind: EntryKind, entry: Entry): void {
  record.entries[kind] = entry;
  record.history.push({ entry: kind, size: entry.bytes.length, sha256: sha256(entry.bytes), time: entry.found.time });
}

/** Reads the record file for a target, refusing one that was made for another definition of it. */
export function readRecordFor(path: string, target: Target, profile: string): RecordFile {
  const existing = readRecord(path);
  if (!existing) return emptyRecord(target, profile);
  if (targetFingerprint(existing.target) !== targetFingerprint(target)) {
    throw new RecordError(
      `${path} holds records for a different definition of target "${target.name}"; move it away to start new records`,
    );
  }
  if (existing.profile !== profile) throw new RecordError(`${path} is for profile "${existing.profile}", not "${profile}"`);
  return existing;
}

export interface Offer {
  target: Target;
  bytes: Uint8Array;
  /** The command line that found the file, and its seed if any. */
  command: string;
  seed: number | null;
  /**
   * Write `reproduced` into the record when the file reaches its size again without replacing it.
   * Off by default, so a search that finds nothing new leaves results/ (a tracked folder) as it was.
   */
  markReproduced?: boolean;
  /** The file's certificate under the same certifier, when the caller has already made it. */
  certificate?: Certificate;
}

export interface OfferResult {
  accepted: boolean;
  /** The record file was written: a new entry, or the current one marked as reproduced. */
  updated: boolean;
  /** One line: why it was accepted or refused. */
  reason: string;
  path: string;
  size: number;
  previousSize: number | null;
}

/**
 * Offers a file as the target's record under the certifier's profile. The file is verified here
 * (never trusted), and it replaces the current record only under the rule in rules.ts; the write
 * is atomic and locked against concurrent offers.
 */
export async function offerRecord(offer: Offer, certifier: Certifier, dir: string = defaultResultsDir()): Promise<OfferResult> {
  const size = offer.bytes.length;
  if (offer.target.name === COMMAND_LINE_TARGET) {
    return { accepted: false, updated: false, reason: 'targets given with --stdout/--exit-code are not recorded (save the target as a .json file to keep records)', path: '', size, previousSize: null };
  }
  let path: string;
  try {
    path = recordPath(dir, certifier.profile, offer.target.name);
  } catch (err) {
    if (err instanceof RecordError) return { accepted: false, updated: false, reason: err.message, path: '', size, previousSize: null };
    throw err;
  }
  return withLock(path, async () => {
    // A refusal (stale or unreadable record file) is an answer to the offer, not a crash of the search.
    let record: RecordFile;
    try {
      record = readRecordFor(path, offer.target, certifier.profile);
    } catch (err) {
      if (err instanceof RecordError) return { accepted: false, updated: false, reason: err.message, path, size, previousSize: null };
      throw err;
    }
    const current = record.entries.record;
    const previousSize = current ? current.bytes.length : null;
    const result = (accepted: boolean, reason: string, updated = accepted): OfferResult => ({ accepted, updated, reason, path, size, previousSize });
    // Larger files lose whatever they rely on: no need to spend runs verifying them.
    if (current && size > current.bytes.length) return result(false, decideReplacement(current, { bytes: offer.bytes, assumptions: [] }).reason);
    const certificate = offer.certificate ?? (await certify(certifier, offer.bytes, offer.target));
    if (!certificate.pass) return result(false, `not verified: ${certificate.problem}`);
    const decision = decideReplacement(current, { bytes: offer.bytes, assumptions: certificate.assumptions });
    const found = { command: offer.command, version: golfVersion(), seed: offer.seed, time: new Date().toISOString() };
    if (!decision.replace) {
      // A verified file of the record's size relying on nothing more: the record stands, marked reproduced.
      const assumesNoMore = certificate.assumptions.every((a) => current?.assumptions.some((c) => c.id === a.id));
      if (!current || size !== current.bytes.length || !assumesNoMore) return result(false, decision.reason);
      const identical = sha256(current.bytes) === sha256(offer.bytes);
      const same = identical ? 'identical bytes' : 'a different file of the same size';
      if (offer.markReproduced !== true) return result(false, `${decision.reason}; reproduced it (${same}), not written to the record (--mark-reproduced does)`, false);
      current.reproduced = { found, identical, verification: certificate.verification };
      writeRecordAtomic(path, record);
      return result(false, `${decision.reason}; marked as reproduced (${same})`, true);
    }
    putEntry(record, 'record', {
      bytes: offer.bytes,
      found,
      assumptions: certificate.assumptions,
      verification: certificate.verification,
    });
    writeRecordAtomic(path, record);
    return result(true, decision.reason);
  });
}
