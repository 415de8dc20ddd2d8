/**
 * Writing a file so that it is never seen half-written: the bytes go to a temporary file in the
 * same folder, which is then renamed over the target (a crash leaves the old file or none). An
 * existing file that is not a regular one (/dev/null, a FIFO, a terminal) is written in place
 * instead: renaming over it would replace it, and as root that turns /dev/null into a regular file.
 * Used by every writer of outputs, records and archives, so the rule is written once.
 */
import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/** The name of a fresh temporary file next to `path` (hidden, unique to this process). */
export function temporaryNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.golf-${process.pid}-${counter++}.tmp`);
}

/** Whether `path` exists and is neither a regular file nor a folder (a device, FIFO or socket). */
export function isSpecialFile(path: string): boolean {
  try {
    const s = statSync(path);
    return !s.isFile() && !s.isDirectory();
  } catch {
    return false;
  }
}

/** Writes `bytes` to `path` atomically (see above), with `mode` if given; throws the system error. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, mode?: number): void {
  if (isSpecialFile(path)) {
    writeFileSync(path, bytes);
    return;
  }
  const temp = temporaryNameFor(path);
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    if (mode !== undefined) chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
