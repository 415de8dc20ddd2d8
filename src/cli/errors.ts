/**
 * Errors that the CLI reports as one line on stderr with a chosen exit code.
 * Anything else reaching the top level is an internal error (a bug in golf).
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = 1) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes scripts can rely on. */
export const ExitCode = {
  ok: 0,
  /** The command ran but the answer is "no": a failed check, an assembly error, a failed regress. */
  failure: 1,
  /** The command line or an input file given to it was not usable (bad flag, bad target file). */
  usage: 2,
  /** golf check --native: the file passed on the emulator, but the native run asked for could not be made. */
  emulatorOnly: 3,
  /** A bug in golf itself. */
  internal: 70,
} as const;
