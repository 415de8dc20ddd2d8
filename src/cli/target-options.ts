/**
 * The target flags every command that takes a target offers (`golf check`, `golf search`), so
 * they are spelled, documented and validated the same way everywhere.
 */
import type { Command } from 'commander';
import { CliError, ExitCode } from './errors.js';
import { resolveTarget, type TargetOptions } from '../targets/resolve.js';
import { TargetError } from '../targets/schema.js';
import type { Target } from '../targets/target.js';

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--target <name|path.json>', 'a shipped target (hello, hello-lower, exit42, true) or a target file (- reads one from stdin)')
    .option('--stdout <text>', 'required stdout, with escapes \\n \\t \\r \\0 \\\\ \\xHH (instead of --target)')
    .option('--stderr <text>', 'required stderr (default: empty)')
    .option('--stdout-file <file>', 'required stdout: the exact bytes of FILE (- reads stdin)')
    .option('--stderr-file <file>', 'required stderr: the exact bytes of FILE (- reads stdin)')
    .option('--exit-code <n>', 'required exit status 0..255 (with --stdout or --stdout-file)');
}

/** The target the options describe; a bad or missing target is a usage error (exit 2). */
export function targetFromOptions(options: TargetOptions): Target {
  try {
    return resolveTarget(options);
  } catch (err) {
    if (err instanceof TargetError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
}
