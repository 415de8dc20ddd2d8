/**
 * Files the commands read and write. `-` means stdin for an input and stdout for an output.
 * Outputs are checked before the work that produces them (so a long search is never thrown away
 * for a bad -o), and written atomically: a temporary file in the same folder, renamed over the
 * target, so a reader or a crash never sees half a file.
 */
import { accessSync, chmodSync, closeSync, constants, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, ExitCode } from './errors.js';
import { isSpecialFile, temporaryNameFor, writeFileAtomic } from '../targets/atomic-file.js';

/** The name that stands for stdin (inputs) or stdout (outputs). */
export const STDIO = '-';

/** golf reads at most this much of a file: far more than any mapped tiny program needs. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

const code = (err: unknown): string => (err as NodeJS.ErrnoException).code ?? String(err);

/** Reads a whole input file (or stdin for `-`); every file-system problem is one usage error line. */
export function readInput(path: string, what = 'a file'): Uint8Array {
  if (path === STDIO) {
    try {
      return new Uint8Array(readFileSync(0));
    } catch (err) {
      throw new CliError(`cannot read stdin (${code(err)})`, ExitCode.usage);
    }
  }
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new CliError(`${path}: is a directory, not a regular file (${what} expected)`, ExitCode.usage);
    // A device or fifo could be endless (/dev/zero): stdin is what - is for.
    if (!st.isFile()) throw new CliError(`${path}: not a regular file (${what} expected; - reads stdin)`, ExitCode.usage);
    size = st.size;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(code(err) === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code(err)})`, ExitCode.usage);
  }
  if (size > MAX_INPUT_BYTES) throw new CliError(`${path}: ${size} bytes; golf reads files of at most ${MAX_INPUT_BYTES} bytes`, ExitCode.usage);
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new CliError(`${path}: cannot read (${code(err)})`, ExitCode.usage);
  }
}

/**
 * Fails now, with one line, if `path` could not be written later: its folder is missing or not a
 * folder, the path is a folder, or nothing can be created there (read-only, no permission). The
 * test is a real one: a file is created in the folder and removed again.
 */
export function checkWritable(path: string, flag: string): void {
  if (path === STDIO) return;
  const fail = (why: string): never => {
    throw new CliError(`${flag} ${path}: ${why}`, ExitCode.usage);
  };
  const dir = dirname(resolve(path));
  try {
    if (!statSync(dir).isDirectory()) fail(`${dirname(path)} is not a folder`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    fail(code(err) === 'ENOENT' ? `folder ${dirname(path)} does not exist` : `cannot use folder ${dirname(path)} (${code(err)})`);
  }
  try {
    if (statSync(path).isDirectory()) fail('is a folder; give a file name');
  } catch (err) {
    if (err instanceof CliError) throw err;
  }
  if (isSpecialFile(path)) {
    try {
      accessSync(path, constants.W_OK);
    } catch (err) {
      fail(`cannot write there (${code(err)})`);
    }
    return;
  }
  const probe = temporaryNameFor(path);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    fail(`cannot write there (${code(err)})`);
  } finally {
    rmSync(probe, { force: true });
  }
}

function writeTemp(path: string, bytes: Uint8Array | string, executable: boolean): string {
  const temp = temporaryNameFor(path);
  writeFileSync(temp, bytes, { flag: 'wx' });
  if (executable) chmodSync(temp, 0o755);
  return temp;
}

/** Writes an output atomically (stdout for `-`, special files such as /dev/null in place); executables get mode 755. */
export function writeOutput(path: string, bytes: Uint8Array | string, options: { executable?: boolean; flag?: string } = {}): void {
  if (path === STDIO) {
    process.stdout.write(bytes);
    return;
  }
  try {
    writeFileAtomic(path, bytes, options.executable === true ? 0o755 : undefined);
  } catch (err) {
    throw new CliError(`${options.flag ? `${options.flag} ` : ''}${path}: cannot write (${code(err)})`, ExitCode.usage);
  }
}

/**
 * Writes a new file at the first of `candidates` that does not exist yet, never replacing one
 * (link(2) of a complete temporary file fails with EEXIST instead). Returns the path written.
 */
export function writeNewFile(candidates: Iterable<string>, bytes: Uint8Array, executable: boolean): string {
  for (const path of candidates) {
    let temp: string | null = null;
    try {
      temp = writeTemp(path, bytes, executable);
      linkSync(temp, path);
      return path;
    } catch (err) {
      if (code(err) !== 'EEXIST') throw new CliError(`${path}: cannot write (${code(err)})`, ExitCode.usage);
    } finally {
      if (temp) rmSync(temp, { force: true });
    }
  }
  throw new CliError('no free file name to write the result to', ExitCode.usage);
}

/** Whether two paths name the same file (same device and inode, so links and ./x count too). */
export function sameFile(a: string, b: string): boolean {
  if (a === STDIO || b === STDIO) return false;
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
