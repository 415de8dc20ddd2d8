/**
 * The record file format: results/<profile>/<target>.json holds, for one target and one kernel
 * profile, the best file golf has found ("record") and the reference entries it is compared with
 * ("baseline": golf's straightforward layout; "seed-article": the seed article's 164-byte program,
 * where it meets the target), plus the size history that `golf regress` enforces.
 */
import type { Assumption } from '../linux/run-result.js';
import { fromHex, sha256, toHex } from '../targets/bytes.js';
import { targetFromObject, targetToObject } from '../targets/schema.js';
import { targetFingerprint, type Target } from '../targets/target.js';
import { ENTRY_KINDS, type EntryKind } from './entry-kinds.js';
import { parseRecordImages, type RecordImages } from './record-images.js';

export const RECORD_FORMAT = 'golf-record/1';

export { ENTRY_KINDS, type EntryKind };

/** How an entry's file was obtained. */
export interface Found {
  /** The golf command line (or script) that produced it. */
  command: string;
  /** golf's package version at the time. */
  version: string;
  /** The search seed, when the file came from a seeded search. */
  seed: number | null;
  /** ISO 8601 time the entry was written. */
  time: string;
}

/** How far the file was verified when the entry was written. */
export interface EntryVerification {
  /** Verified by the built-in emulator under this profile in this many environments. */
  emulator: { profile: string; environments: number };
  /** Verified on a real kernel (os.release() and machine), or null when not run natively. */
  native: { kernel: string; machine: string } | null;
  /** Why a native run was attempted but not applicable (e.g. the host lacks int 0x80), else null. */
  nativeNotRun: string | null;
}

export interface Entry {
  bytes: Uint8Array;
  found: Found;
  assumptions: Assumption[];
  verification: EntryVerification;
  /**
   * The latest search that reached this entry's size again without replacing it, and how it
   * verified what it found then (identical: the very same bytes). A record nobody can reproduce
   * with the current golf is worth knowing about; one reproduced today is fresh evidence.
   */
  reproduced?: Reproduction;
}

export interface Reproduction {
  found: Found;
  identical: boolean;
  verification: EntryVerification;
}

export interface HistoryEvent {
  entry: EntryKind;
  size: number;
  sha256: string;
  time: string;
}

export interface RecordFile {
  target: Target;
  profile: string;
  entries: Partial<Record<EntryKind, Entry>>;
  /** Every entry ever written to this file, oldest first: a record may never grow past it. */
  history: HistoryEvent[];
  /** Container image archives of the best file and the engines that ran them (optional). */
  image?: RecordImages;
}

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordError';
  }
}

const HEX_LINE_BYTES = 32;

export function serializeRecord(file: RecordFile): string {
  const entries: Record<string, unknown> = {};
  for (const kind of ENTRY_KINDS) {
    const e = file.entries[kind];
    if (!e) continue;
    const hex = toHex(e.bytes);
    const lines: string[] = [];
    for (let i = 0; i < hex.length; i += HEX_LINE_BYTES * 2) lines.push(hex.slice(i, i + HEX_LINE_BYTES * 2));
    entries[kind] = {
      size: e.bytes.length,
      sha256: sha256(e.bytes),
      hex: lines,
      found: e.found,
      assumptions: e.assumptions,
      verification: e.verification,
      ...(e.reproduced ? { reproduced: e.reproduced } : {}),
    };
  }
  const obj = {
    format: RECORD_FORMAT,
    target: { name: file.target.name, fingerprint: targetFingerprint(file.target), ...targetToObject(file.target) },
    profile: file.profile,
    entries,
    history: file.history,
    ...(file.image ? { image: file.image } : {}),
  };
  return JSON.stringify(obj, null, 2) + '\n';
}

/** Parses a record file; every inconsistency (e.g. bytes not matching their sha256) is a RecordError. */
export function parseRecord(text: string, origin: string): RecordFile {
  const fail = (what: string): never => {
    throw new RecordError(`record ${origin}: ${what}`);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const obj = asObject(value, 'the file', fail);
  if (obj.format !== RECORD_FORMAT) fail(`"format" must be "${RECORD_FORMAT}"`);
  if (typeof obj.profile !== 'string' || obj.profile === '') fail('"profile" must be a profile name');

  const t = asObject(obj.target, '"target"', fail);
  const { name, fingerprint, ...definition } = t;
  if (typeof name !== 'string' || name === '') fail('"target.name" must be a string');
  let target: Target;
  try {
    target = targetFromObject(definition, `${origin} (embedded)`, name as string);
  } catch (err) {
    return fail(`embedded target: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (fingerprint !== targetFingerprint(target)) fail('"target.fingerprint" does not match the embedded target');

  const entries: Partial<Record<EntryKind, Entry>> = {};
  const rawEntries = asObject(obj.entries, '"entries"', fail);
  for (const key of Object.keys(rawEntries)) {
    if (!(ENTRY_KINDS as readonly string[]).includes(key)) fail(`unknown entry "${key}" (known: ${ENTRY_KINDS.join(', ')})`);
    entries[key as EntryKind] = parseEntry(rawEntries[key], `entry "${key}"`, fail);
  }

  if (!Array.isArray(obj.history)) fail('"history" must be a list');
  const history = (obj.history as unknown[]).map((h, i) => {
    const e = asObject(h, `history[${i}]`, fail);
    if (!(ENTRY_KINDS as readonly string[]).includes(e.entry as string)) fail(`history[${i}].entry is not an entry kind`);
    if (!Number.isInteger(e.size) || (e.size as number) < 0) fail(`history[${i}].size must be a byte count`);
    if (typeof e.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(e.sha256)) fail(`history[${i}].sha256 must be a SHA-256 hex digest`);
    if (typeof e.time !== 'string') fail(`history[${i}].time must be a time`);
    return { entry: e.entry as EntryKind, size: e.size as number, sha256: e.sha256 as string, time: e.time as string };
  });
  const record: RecordFile = { target: target!, profile: obj.profile as string, entries, history };
  if (obj.image !== undefined) record.image = parseRecordImages(obj.image, fail);
  return record;
}

function parseEntry(value: unknown, where: string, fail: (what: string) => never): Entry {
  const e = asObject(value, where, fail);
  if (!Array.isArray(e.hex) || !e.hex.every((l) => typeof l === 'string')) fail(`${where}: "hex" must be a list of hex lines`);
  const bytes = fromHex((e.hex as string[]).join(''));
  if (bytes === null) fail(`${where}: "hex" is not hex`);
  if (e.size !== bytes!.length) fail(`${where}: "size" is ${String(e.size)} but the bytes are ${bytes!.length}`);
  if (e.sha256 !== sha256(bytes!)) fail(`${where}: the bytes do not match "sha256" (edited by hand?)`);
  if (!Array.isArray(e.assumptions) || !e.assumptions.every((a) => typeof a?.id === 'string' && typeof a?.text === 'string')) {
    fail(`${where}: "assumptions" must be a list of {id, text}`);
  }
  const entry: Entry = {
    bytes: bytes!,
    found: parseFound(e.found, where, fail),
    assumptions: (e.assumptions as Assumption[]).map((a) => ({ id: a.id, text: a.text })),
    verification: parseVerification(e.verification, where, fail),
  };
  if (e.reproduced !== undefined) {
    const r = asObject(e.reproduced, `${where} "reproduced"`, fail);
    if (typeof r.identical !== 'boolean') fail(`${where}: "reproduced.identical" must be true or false`);
    entry.reproduced = {
      found: parseFound(r.found, `${where} reproduced`, fail),
      identical: r.identical as boolean,
      verification: parseVerification(r.verification, `${where} reproduced`, fail),
    };
  }
  return entry;
}

function parseFound(value: unknown, where: string, fail: (what: string) => never): Found {
  const found = asObject(value, `${where} "found"`, fail);
  if (typeof found.command !== 'string' || typeof found.version !== 'string' || typeof found.time !== 'string') {
    fail(`${where}: "found" needs command, version and time strings`);
  }
  if (found.seed !== null && !Number.isInteger(found.seed)) fail(`${where}: "found.seed" must be an integer or null`);
  return { command: found.command as string, version: found.version as string, seed: (found.seed as number | null) ?? null, time: found.time as string };
}

function parseVerification(value: unknown, where: string, fail: (what: string) => never): EntryVerification {
  const v = asObject(value, `${where} "verification"`, fail);
  const emu = asObject(v.emulator, `${where} "verification.emulator"`, fail);
  if (typeof emu.profile !== 'string' || !Number.isInteger(emu.environments)) fail(`${where}: bad "verification.emulator"`);
  let native: EntryVerification['native'] = null;
  if (v.native !== null) {
    const n = asObject(v.native, `${where} "verification.native"`, fail);
    if (typeof n.kernel !== 'string' || typeof n.machine !== 'string') fail(`${where}: bad "verification.native"`);
    native = { kernel: n.kernel as string, machine: n.machine as string };
  }
  const nativeNotRun = v.nativeNotRun ?? null;
  if (nativeNotRun !== null && typeof nativeNotRun !== 'string') fail(`${where}: "verification.nativeNotRun" must be a string or null`);
  return { emulator: { profile: emu.profile as string, environments: emu.environments as number }, native, nativeNotRun: nativeNotRun as string | null };
}

function asObject(value: unknown, where: string, fail: (what: string) => never): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}
