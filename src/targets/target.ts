/**
 * What a target is: the output and exit status a program must produce, and the conditions it is
 * run under. Targets come from JSON files (see schema.ts) or from command-line flags (resolve.ts).
 */
import { createHash } from 'node:crypto';
import { toHex } from './bytes.js';

/** In a target's argv, this element stands for the path the file is executed by (argv[0] usually). */
export const FILE_PLACEHOLDER = '<file>';

/**
 * The environment a target is run under: "any" means the program must work whatever environment
 * the user's shell passes (golf tries an empty and a large one); a list means exactly these strings.
 */
export type TargetEnvironment = 'any' | readonly string[];

export interface Target {
  /** Short name: the file name without ".json", or "command-line" for --stdout/--exit-code. */
  readonly name: string;
  /** Where the target came from (a file path, or the flags), for messages. */
  readonly origin: string;
  readonly description: string;
  /** Exact bytes required on stdout (fd 1). */
  readonly stdout: Uint8Array;
  /** Exact bytes required on stderr (fd 2); empty unless the target says otherwise. */
  readonly stderr: Uint8Array;
  /** Required exit status, 0..255 (the kernel keeps only the low 8 bits of the exit code). */
  readonly exitCode: number;
  /** Arguments, FILE_PLACEHOLDER standing for the executed path; default [FILE_PLACEHOLDER] (argc = 1). */
  readonly argv: readonly string[];
  /** Bytes available on stdin; default empty. */
  readonly stdin: Uint8Array;
  readonly env: TargetEnvironment;
}

/** argv for one run: the placeholder replaced by the path the file is executed by. */
export function argvFor(target: Target, execPath: string): string[] {
  return target.argv.map((a) => (a === FILE_PLACEHOLDER ? execPath : a));
}

/**
 * A fingerprint of what the target requires (not its name or description): records store it, so
 * a record made for an earlier version of a target file is recognised as stale.
 */
export function targetFingerprint(target: Target): string {
  const canonical = JSON.stringify({
    stdout: toHex(target.stdout),
    stderr: toHex(target.stderr),
    exitCode: target.exitCode,
    argv: target.argv,
    stdin: toHex(target.stdin),
    env: target.env,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
