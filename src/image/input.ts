/**
 * What `golf image FILE` puts in the image, and which target a verification compares with.
 *
 * FILE is an executable, or a record of results/ (results/default/hello.json, or the same path
 * without ".json", which is how the README names a target's best file): a record gives its best
 * entry (the file `golf table` shows) and its own target. For a plain file with no target given,
 * the target is that of any record in results/ holding the very same bytes.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { ELF_MAGIC } from '../linux/elf.js';
import { parseRecord, RecordError, RECORD_FORMAT, type EntryKind, type RecordFile } from '../results/record.js';
import { listRecordPaths, readRecord } from '../results/store.js';
import { bestEntry } from '../results/summary.js';
import { sha256 } from '../targets/bytes.js';
import type { Target } from '../targets/target.js';

export class ImageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageInputError';
  }
}

export interface ImageInput {
  executable: Uint8Array;
  /** Where the bytes came from, for messages: the path, or "results/default/hello.json (record, 86 bytes)". */
  origin: string;
  /** The record FILE named, with the entry taken from it, or null for a plain file. */
  record: { path: string; file: RecordFile; entry: EntryKind } | null;
}

/** Files above this size are not what golf makes; refuse them rather than read a disk image into memory. */
const MAX_BYTES = 64 << 20;

function readBytes(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ImageInputError(`${path} is a directory, not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageInputError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path} (${code ?? String(err)})`);
  }
  if (size > MAX_BYTES) throw new ImageInputError(`${path} is ${size} bytes; golf image takes files of at most ${MAX_BYTES} bytes`);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new ImageInputError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function looksLikeRecord(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 200));
  return /^\s*\{/.test(head) && head.includes(RECORD_FORMAT);
}

function fromRecord(path: string, bytes: Uint8Array): ImageInput {
  let file: RecordFile;
  try {
    file = parseRecord(new TextDecoder().decode(bytes), path);
  } catch (err) {
    if (err instanceof RecordError) throw new ImageInputError(err.message);
    throw err;
  }
  const best = bestEntry(file);
  if (!best) throw new ImageInputError(`record ${path} has no entries`);
  const [entry, e] = best;
  return { executable: e.bytes, origin: `${path} (${entry} entry, ${e.bytes.length} bytes)`, record: { path, file, entry } };
}

export function readImageInput(path: string): ImageInput {
  if (!existsSync(path) && existsSync(`${path}.json`)) {
    const bytes = readBytes(`${path}.json`);
    if (looksLikeRecord(bytes)) return fromRecord(`${path}.json`, bytes);
  }
  const bytes = readBytes(path);
  if (looksLikeRecord(bytes)) return fromRecord(path, bytes);
  return { executable: bytes, origin: path, record: null };
}

/** Why these bytes are not an ELF executable, or null when they start like one. */
export function notElfReason(bytes: Uint8Array): string | null {
  if (bytes.length < ELF_MAGIC.length || ELF_MAGIC.some((b, i) => bytes[i] !== b)) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    return bytes.length === 0 ? 'it is empty' : `it does not start with the ELF magic 7f 45 4c 46 (starts with ${head})`;
  }
  return null;
}

/** The target of a record in `resultsDir` holding exactly these bytes (any entry), or null. */
export function targetOfRecordedFile(bytes: Uint8Array, resultsDir: string): { target: Target; path: string } | null {
  const digest = sha256(bytes);
  let paths: string[];
  try {
    paths = listRecordPaths(resultsDir);
  } catch {
    return null;
  }
  for (const path of paths) {
    let record: RecordFile | null;
    try {
      record = readRecord(path);
    } catch {
      continue; // a broken record is regress's business, not a reason to refuse an image
    }
    if (record && Object.values(record.entries).some((e) => e && sha256(e.bytes) === digest)) return { target: record.target, path };
  }
  return null;
}
