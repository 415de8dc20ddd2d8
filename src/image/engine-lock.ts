/**
 * One golf at a time per container engine for a load-run-remove cycle. An image's id is its
 * content, so two golf processes verifying the same file (two test files, or a user's two shells)
 * load the same image, and the first to finish removes it while the other is still running it.
 * The lock is a file created exclusively in the temp folder, holding the owner's pid; a lock whose
 * owner is gone (killed golf) is taken over. Written by hand: Node has no flock, and the only
 * libraries that offer one are native add-ons, which golf avoids.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RETRY_MS = 100;
/** Longer than any one verification can take (load 300 s, run 60 s, remove): then waiting stops. */
const WAIT_LIMIT_MS = 600_000;

function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return true; // being written or just removed: look again
  }
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryTake(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o644);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    if (!ownerAlive(path)) rmSync(path, { force: true });
    return false;
  }
}

/** Runs `work` holding the engine's lock (waits for another golf's verification to end first). */
export async function withEngineLock<T>(engine: string, work: () => Promise<T>): Promise<T> {
  const path = join(tmpdir(), `golf-engine-${engine}.lock`);
  const started = Date.now();
  while (!tryTake(path)) {
    if (Date.now() - started > WAIT_LIMIT_MS) break; // a stuck owner: go on unlocked rather than hang
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
  try {
    return await work();
  } finally {
    if (readOwner(path) === process.pid) rmSync(path, { force: true });
  }
}

function readOwner(path: string): number | null {
  try {
    return Number.parseInt(readFileSync(path, 'utf8'), 10);
  } catch {
    return null;
  }
}
