/**
 * Real pipes for a native child's stdout and stderr. Node has no anonymous-pipe API (its 'pipe'
 * stdio is a Unix stream socket), so each pipe is a FIFO in a private temporary directory: golf
 * opens the read end (non-blocking, so the open does not wait for a writer), then the write end,
 * hands the write end to the child and closes its own copy. The read end sees EOF when the last
 * writer (the program, or anything it started) has closed it.
 *
 * A FIFO whose reader reached EOF has no writer left, so its path is reused by a later run; one
 * abandoned before EOF (a process still holds the write end) is unlinked instead, so no later run
 * can read a stranger's bytes.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One pipe being read: the write end to give the child, and the bytes read so far. */
export interface OpenPipe {
  /** The write end's descriptor; the caller passes it to the child and then closes it. */
  readonly writeFd: number;
  /** True once the read end is closed (EOF reached or abandoned). */
  readonly closed: boolean;
  /** Everything read from the pipe. */
  bytes(): Uint8Array;
  /** Calls `listener` once the read end is closed (at once if it already is). */
  onClose(listener: () => void): void;
  /** Stops reading and closes the read end now (the FIFO is not reused). */
  abandon(): void;
}

/** FIFOs made per mkfifo call: one call per few runs instead of one per run. */
const FIFO_BATCH = 8;

let directory: string | null = null;
let made = 0;
const idle: string[] = [];

const DIRECTORY_PREFIX = 'golf-pipes-';
/** `golf-pipes-<pid>-<random>`: the owner's pid tells whether the directory is still in use. */
const DIRECTORY_NAME = new RegExp(`^${DIRECTORY_PREFIX}(\\d+)-`);

function fifoDirectory(): string {
  if (directory === null) {
    removeDeadDirectories();
    const dir = mkdtempSync(join(tmpdir(), `${DIRECTORY_PREFIX}${process.pid}-`));
    directory = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return directory;
}

/**
 * Removes the FIFO directories of processes that no longer exist: a process killed, or a test
 * worker stopped, before its 'exit' handler ran leaves its directory behind.
 */
function removeDeadDirectories(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return;
  }
  for (const name of names) {
    const match = DIRECTORY_NAME.exec(name);
    if (!match || processExists(Number(match[1]))) continue;
    rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A FIFO path with no reader or writer. */
function takeFifo(): string {
  const reused = idle.pop();
  if (reused !== undefined) return reused;
  const dir = fifoDirectory();
  const paths = Array.from({ length: FIFO_BATCH }, () => join(dir, `fifo-${made++}`));
  const result = spawnSync('mkfifo', ['-m', '600', ...paths], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : String(result.stderr).trim();
    throw new Error(`cannot create a pipe for the native run (mkfifo: ${why})`);
  }
  idle.push(...paths.slice(1));
  return paths[0]!;
}

/** Opens a fresh pipe: its read end is being drained into memory from now on. */
export function openPipe(): OpenPipe {
  const path = takeFifo();
  let readFd = -1;
  let writeFd = -1;
  try {
    readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    writeFd = openSync(path, constants.O_WRONLY);
  } catch (e) {
    if (readFd >= 0) closeSync(readFd);
    unlinkSync(path);
    throw e;
  }
  const reader = new Socket({ fd: readFd, readable: true, writable: false });
  const chunks: Buffer[] = [];
  const listeners: Array<() => void> = [];
  let closed = false;
  let reachedEof = false;
  reader.on('data', (d: Buffer) => chunks.push(d));
  reader.on('end', () => {
    reachedEof = true;
  });
  reader.on('error', () => {
    // A read error ends the pipe like EOF would; what was read so far is the output.
  });
  reader.on('close', () => {
    closed = true;
    if (reachedEof) idle.push(path);
    else rmSync(path, { force: true });
    for (const listener of listeners.splice(0)) listener();
  });
  return {
    writeFd,
    get closed() {
      return closed;
    },
    bytes: () => new Uint8Array(Buffer.concat(chunks)),
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
    abandon() {
      if (!closed) reader.destroy();
    },
  };
}

/**
 * Removes this process's FIFO folder now instead of at exit, for a process that ends without its
 * 'exit' handlers (a test worker that vitest stops). Only when no pipe is open; the next pipe makes
 * a new folder.
 */
export function releasePipeDirectory(): void {
  if (directory === null) return;
  rmSync(directory, { recursive: true, force: true });
  directory = null;
  idle.length = 0;
}
