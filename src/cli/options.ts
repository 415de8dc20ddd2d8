/** Option values several commands share, each validated one way with one usage-error line. */
import { existsSync, statSync } from 'node:fs';
import { findProfile, profileNames, type KernelProfile } from '../linux/profile.js';
import { CliError, ExitCode } from './errors.js';
import { STDIO } from './io.js';

export function parseIntegerOption(value: string, flag: string, min: number, max: number): number {
  const n = /^[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new CliError(`${flag} must be an integer from ${min} to ${max} (got "${value}")`, ExitCode.usage);
  return n;
}

// --shard (I/N, auto, auto/N) is parsed where the other sharding options are.
export { parseShard } from './shard-options.js';

/** Every command that takes --profile refuses a name it does not know, before doing anything. */
export function profileFromOption(name: string): KernelProfile {
  const profile = findProfile(name);
  if (!profile) throw new CliError(`unknown profile "${name}" (known: ${profileNames().join(', ')})`, ExitCode.usage);
  return profile;
}

/** A --results folder: it must exist (records are never written to a mistyped place). */
export function resultsFolder(dir: string): string {
  if (dir === STDIO) throw new CliError('--results needs a folder, not - (stdin/stdout)', ExitCode.usage);
  if (!existsSync(dir)) throw new CliError(`results directory ${dir} does not exist`, ExitCode.usage);
  if (!statSync(dir).isDirectory()) throw new CliError(`results directory ${dir} is not a directory`, ExitCode.usage);
  return dir;
}
