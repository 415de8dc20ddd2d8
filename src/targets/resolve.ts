/**
 * Turning what the user typed into a Target: `--target NAME` (a shipped target in corpus/targets),
 * `--target PATH.json` (any target file), or `--stdout TEXT [--stderr TEXT] --exit-code N`.
 * Shared by `golf check` and `golf search` so that both accept exactly the same options.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { targetsDir } from './paths.js';
import { parseTargetJson, TargetError } from './schema.js';
import { FILE_PLACEHOLDER, type Target } from './target.js';

/** The name of a target made from --stdout/--stderr/--exit-code. */
export const COMMAND_LINE_TARGET = 'command-line';

export interface TargetOptions {
  /** A shipped target name, or a path to a .json target file. */
  target?: string;
  /** Required stdout as text with backslash escapes (\n, \t, \\, \xHH, \0). */
  stdout?: string;
  stderr?: string;
  /** Required stdout/stderr as the exact bytes of a file ("-": stdin). */
  stdoutFile?: string;
  stderrFile?: string;
  /** Required exit status, as typed (validated here). */
  exitCode?: string | number;
}

/** Names of the shipped targets, sorted. */
export function shippedTargetNames(dir: string = targetsDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Reads a target file; a missing or unreadable file is a TargetError, like a malformed one. */
export function loadTargetFile(path: string, name: string = basename(path).replace(/\.json$/, '')): Target {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new TargetError(`target ${path}: is a directory, not a target file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof TargetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new TargetError(code === 'ENOENT' ? `target file ${path} does not exist` : `cannot read target ${path} (${code ?? String(err)})`);
  }
  return parseTargetJson(text, path, name);
}

/** Finds a shipped target by name. */
export function loadShippedTarget(name: string, dir: string = targetsDir()): Target {
  const names = shippedTargetNames(dir);
  if (!names.includes(name)) {
    throw new TargetError(`unknown target "${name}" (shipped targets: ${names.join(', ')}; or give a path ending in .json)`);
  }
  return loadTargetFile(join(dir, name + '.json'), name);
}

export function resolveTarget(options: TargetOptions, dir: string = targetsDir()): Target {
  const given = (['stdout', 'stderr', 'stdoutFile', 'stderrFile', 'exitCode'] as const).filter((k) => options[k] !== undefined);
  if (options.target !== undefined && given.length > 0) {
    throw new TargetError('give either --target or --stdout/--stderr/--stdout-file/--stderr-file/--exit-code, not both');
  }
  if (options.target === '-') return readStdinTarget();
  if (options.target !== undefined) {
    const t = options.target;
    const looksLikePath = t.endsWith('.json') || t.includes('/') || t.includes('\\');
    return looksLikePath ? loadTargetFile(t) : loadShippedTarget(t, dir);
  }
  if (given.length === 0) throw new TargetError('no target: give --target NAME|PATH.json, or --stdout TEXT (or --stdout-file FILE) --exit-code N');
  if (options.exitCode === undefined) throw new TargetError('--stdout/--stderr (and their -file forms) need --exit-code N as well');
  if (options.stdout !== undefined && options.stdoutFile !== undefined) throw new TargetError('give --stdout or --stdout-file, not both');
  if (options.stderr !== undefined && options.stderrFile !== undefined) throw new TargetError('give --stderr or --stderr-file, not both');
  if (options.stdoutFile === '-' && options.stderrFile === '-') throw new TargetError('stdin can hold only one of --stdout-file - and --stderr-file -');
  const stream = (text: string | undefined, file: string | undefined, flag: string): Uint8Array =>
    file !== undefined ? readOutputFile(file, `${flag}-file`) : unescapeText(text ?? '', flag);
  return {
    name: COMMAND_LINE_TARGET,
    origin: 'the command line',
    description: 'given with --stdout/--stderr/--exit-code',
    stdout: stream(options.stdout, options.stdoutFile, '--stdout'),
    stderr: stream(options.stderr, options.stderrFile, '--stderr'),
    exitCode: parseExitCode(options.exitCode),
    argv: [FILE_PLACEHOLDER],
    stdin: new Uint8Array(0),
    env: 'any',
  };
}

/**
 * `--target -`: a target file read from stdin. It has no name of its own, so like a target given
 * with --stdout it is not recorded (and a search writes ./a.out).
 */
function readStdinTarget(): Target {
  let text: string;
  try {
    text = readFileSync(0, 'utf8');
  } catch (err) {
    throw new TargetError(`cannot read a target from stdin (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return { ...parseTargetJson(text, 'stdin', COMMAND_LINE_TARGET), origin: 'stdin' };
}

/** The exact bytes of a file a target's output is kept in ("-": stdin). */
function readOutputFile(path: string, flag: string): Uint8Array {
  try {
    if (path !== '-' && statSync(path).isDirectory()) throw new TargetError(`${flag} ${path}: is a directory`);
    return new Uint8Array(readFileSync(path === '-' ? 0 : path));
  } catch (err) {
    if (err instanceof TargetError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new TargetError(code === 'ENOENT' ? `${flag} ${path}: no such file` : `${flag} ${path}: cannot read (${code ?? String(err)})`);
  }
}

export function parseExitCode(value: string | number): number {
  const text = String(value).trim();
  const n = /^(0|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new TargetError(`--exit-code must be an integer from 0 to 255 (got "${text}")`);
  return n;
}

/**
 * Command-line text to bytes: UTF-8, with the escapes a shell user expects to type for a newline
 * and other control bytes (\n \t \r \0 \\ \xHH). Any other backslash sequence is an error, so a
 * typo never silently changes the target.
 */
export function unescapeText(text: string, flag: string): Uint8Array {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\') {
      const cp = text.codePointAt(i) as number;
      if (cp > 0xffff) i++;
      out.push(...encoder.encode(String.fromCodePoint(cp)));
      continue;
    }
    const next = text[++i];
    switch (next) {
      case 'n': out.push(0x0a); break;
      case 't': out.push(0x09); break;
      case 'r': out.push(0x0d); break;
      case '0': out.push(0x00); break;
      case '\\': out.push(0x5c); break;
      case 'x': {
        const hex = text.slice(i + 1, i + 3);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new TargetError(`${flag}: \\x must be followed by two hex digits`);
        out.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        throw new TargetError(`${flag}: unknown escape "\\${next ?? ''}" (use \\n \\t \\r \\0 \\\\ or \\xHH)`);
    }
  }
  return new Uint8Array(out);
}
