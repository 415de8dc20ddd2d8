/**
 * The target file format and its validation. A target file is a JSON object:
 *
 *   {
 *     "description": "optional text",
 *     "stdout": "Hello, World!\n",        required; bytes (see below)
 *     "stderr": "",                        optional, default empty
 *     "exitCode": 0,                       required, integer 0..255
 *     "argv": ["<file>"],                  optional, default ["<file>"] (argc = 1)
 *     "stdin": "",                         optional, default empty
 *     "env": "any"                         optional: "any" (default) or a list of "NAME=value"
 *   }
 *
 * Bytes are a JSON string (its UTF-8 encoding) or {"hex": "48656c6c6f"} or {"base64": "SGVsbG8="}.
 * Every problem is reported as one line naming the file and the field.
 */
import { fromHex } from './bytes.js';
import { FILE_PLACEHOLDER, type Target, type TargetEnvironment } from './target.js';

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const KNOWN_FIELDS = new Set(['description', 'stdout', 'stderr', 'exitCode', 'argv', 'stdin', 'env']);

/** Parses target JSON text; `origin` (a path) and `name` are used in messages and kept on the target. */
export function parseTargetJson(text: string, origin: string, name: string): Target {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new TargetError(`target ${origin}: not valid JSON (${why})`);
  }
  return targetFromObject(value, origin, name);
}

export function targetFromObject(value: unknown, origin: string, name: string): Target {
  const fail = (what: string): never => {
    throw new TargetError(`target ${origin}: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('must be a JSON object');
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_FIELDS.has(key)) fail(`unknown field "${key}" (known: ${[...KNOWN_FIELDS].join(', ')})`);
  }
  if (!('stdout' in obj)) fail('missing required field "stdout"');
  if (!('exitCode' in obj)) fail('missing required field "exitCode"');

  const description = obj.description ?? '';
  if (typeof description !== 'string') fail('"description" must be a string');

  const exitCode = obj.exitCode;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) {
    fail(`"exitCode" must be an integer from 0 to 255 (got ${JSON.stringify(exitCode)})`);
  }

  let argv: readonly string[] = [FILE_PLACEHOLDER];
  if (obj.argv !== undefined) {
    const a = obj.argv;
    if (!Array.isArray(a) || a.length === 0 || !a.every((s) => typeof s === 'string')) {
      fail('"argv" must be a non-empty list of strings ("<file>" stands for the executed path)');
    }
    argv = a as string[];
    if (argv.some((s) => s.includes('\0'))) fail('"argv" strings cannot contain NUL');
  }

  let env: TargetEnvironment = 'any';
  if (obj.env !== undefined && obj.env !== 'any') {
    const e = obj.env;
    if (!Array.isArray(e) || !e.every((s) => typeof s === 'string' && s.includes('=') && !s.includes('\0'))) {
      fail('"env" must be "any" or a list of "NAME=value" strings');
    }
    env = e as string[];
  }

  return {
    name,
    origin,
    description: description as string,
    stdout: bytesField(obj.stdout, 'stdout', fail),
    stderr: obj.stderr === undefined ? new Uint8Array(0) : bytesField(obj.stderr, 'stderr', fail),
    exitCode: exitCode as number,
    argv,
    stdin: obj.stdin === undefined ? new Uint8Array(0) : bytesField(obj.stdin, 'stdin', fail),
    env,
  };
}

function bytesField(value: unknown, field: string, fail: (what: string) => never): Uint8Array {
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const v = value as Record<string, unknown>;
    if (keys.length === 1 && typeof v.hex === 'string') {
      const bytes = fromHex(v.hex);
      if (bytes === null) fail(`"${field}.hex" is not an even number of hex digits`);
      return bytes as Uint8Array;
    }
    if (keys.length === 1 && typeof v.base64 === 'string') {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v.base64) || v.base64.length % 4 !== 0) fail(`"${field}.base64" is not base64`);
      return new Uint8Array(Buffer.from(v.base64, 'base64'));
    }
  }
  return fail(`"${field}" must be a string, {"hex": "..."} or {"base64": "..."}`);
}

/** The JSON form of a target, as parseTargetJson reads it (used to write target files and records). */
export function targetToObject(target: Target): Record<string, unknown> {
  const text = (bytes: Uint8Array): unknown => {
    const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const roundTrips = Buffer.compare(Buffer.from(decoded, 'utf8'), Buffer.from(bytes)) === 0;
    return roundTrips ? decoded : { hex: Buffer.from(bytes).toString('hex') };
  };
  const out: Record<string, unknown> = {};
  if (target.description) out.description = target.description;
  out.stdout = text(target.stdout);
  if (target.stderr.length > 0) out.stderr = text(target.stderr);
  out.exitCode = target.exitCode;
  if (!(target.argv.length === 1 && target.argv[0] === FILE_PLACEHOLDER)) out.argv = [...target.argv];
  if (target.stdin.length > 0) out.stdin = text(target.stdin);
  if (target.env !== 'any') out.env = [...target.env];
  return out;
}
