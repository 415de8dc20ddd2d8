/**
 * Where record files live and how they are read and written. Layout: DIR/<profile>/<target>.json.
 * Writes go to a temporary file in the same directory and are renamed over the old file, so a
 * reader (or a crash) never sees a half-written record.
 */
import type { ArchName } from '../linux/personality.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseRecord, RecordError, serializeRecord, type RecordFile } from './record.js';
import { writeFileAtomic } from '../targets/atomic-file.js';

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The key records are kept under (the results/ folder and the record's "profile" field): the
 * profile's name for x86-64 files, "<profile>-i386" for ELF32 files searched for a 32-bit process
 * (their own records: an i386 file never competes with an x86-64 one).
 */
export function recordKey(profile: string, arch: ArchName = 'x86-64'): string {
  return arch === 'i386' ? `${profile}${I386_SUFFIX}` : profile;
}

/** The profile name and architecture of a record key (recordKey's inverse). */
export function splitRecordKey(key: string): { profile: string; arch: ArchName } {
  return key.endsWith(I386_SUFFIX) ? { profile: key.slice(0, -I386_SUFFIX.length), arch: 'i386' } : { profile: key, arch: 'x86-64' };
}

const I386_SUFFIX = '-i386';

export function recordPath(dir: string, profile: string, targetName: string): string {
  // Names become path components: refuse anything that could escape the results directory.
  if (!NAME_PATTERN.test(profile)) throw new RecordError(`profile name "${profile}" cannot be used as a results directory name`);
  if (!NAME_PATTERN.test(targetName)) throw new RecordError(`target name "${targetName}" cannot be used as a record file name`);
  return join(dir, profile, targetName + '.json');
}

/** Reads one record file, or returns null when it does not exist. */
export function readRecord(path: string): RecordFile | null {
  if (!existsSync(path)) return null;
  return parseRecord(readFileSync(path, 'utf8'), path);
}

/** Atomically replaces (or creates) a record file. */
export function writeRecordAtomic(path: string, record: RecordFile): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(path, serializeRecord(record));
}

/** Every record file under dir, as paths (sorted: profile, then target). */
export function listRecordPaths(dir: string): string[] {
  if (!existsSync(dir)) throw new RecordError(`results directory ${dir} does not exist`);
  if (!statSync(dir).isDirectory()) throw new RecordError(`${dir} is not a directory`);
  const paths: string[] = [];
  for (const profile of readdirSync(dir).sort()) {
    const profileDir = join(dir, profile);
    if (!statSync(profileDir).isDirectory()) continue;
    for (const f of readdirSync(profileDir).sort()) {
      if (f.endsWith('.json') && !f.startsWith('.')) paths.push(join(profileDir, f));
    }
  }
  return paths;
}
