/**
 * Errors that the CLI reports as one line on stderr with a chosen exit code, and the one table of
 * exit codes every command follows. Anything else reaching the top level is an internal error.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number = ExitCode.usage) {
    super(message);
    this.name = 'CliError';
  }
}

/** Exit codes scripts can rely on (the README and every --help show them: exitCodesHelp). */
export const ExitCode = {
  ok: 0,
  /** The command ran but the answer is "no": a file or search that failed its target, a failed regress. */
  failure: 1,
  /** The command line or an input given to it was not usable (bad flag, missing or malformed file). */
  usage: 2,
  /**
   * Something outside golf that a run asked for is not available here, so the answer is partial:
   * golf check --native passed on the emulator only (no native run possible), golf image --verify
   * found no container engine or daemon. One code for both; the message says which and why.
   */
  emulatorOnly: 3,
  toolMissing: 3,
  /** A bug in golf itself. */
  internal: 70,
  /** Stopped by Ctrl-C (128 + SIGINT); a search still writes the best file it had. */
  interrupted: 130,
} as const;

/** `golf run`'s own codes beside the program's exit status, as a shell reports them. */
export const RUN_EXIT = { stepLimit: 124, unsupported: 125, execFailed: 126, signalBase: 128 } as const;

export const COMMON_EXIT_CODES: [string, string][] = [
  [`${ExitCode.ok}`, 'success'],
  [`${ExitCode.failure}`, 'the file or search failed its target (a failed check, merge or regress; no file found, except by a --shard search: its partial result is its answer)'],
  [`${ExitCode.usage}`, 'usage or input error (bad flag, missing, unreadable or malformed input file)'],
  [`${ExitCode.emulatorOnly}`, 'a run asked for could not be made here: golf check --native passed on the emulator only, golf image --verify found no engine or daemon'],
  [`${ExitCode.internal}`, 'internal error (a bug in golf: please report it)'],
  [`${ExitCode.interrupted}`, 'interrupted by Ctrl-C (golf search still writes and prints the best file found)'],
];

export const RUN_EXIT_CODES: [string, string][] = [
  ['N', 'the program exited with status N (passed through, as a shell reports it)'],
  [`${RUN_EXIT.stepLimit}`, "the emulator's step limit or the native timeout was reached (as timeout(1))"],
  [`${RUN_EXIT.unsupported}`, 'the program does something golf does not model'],
  [`${RUN_EXIT.execFailed}`, 'the kernel (or its model) refused to execute the file'],
  [`${RUN_EXIT.signalBase}+S`, 'the program was killed by signal S (139: SIGSEGV)'],
  [`${ExitCode.usage}, ${ExitCode.internal}`, 'as for every command, when golf itself cannot run the file (bad flag, unreadable file, bug)'],
];

/** The exit-code section of a command's --help (`golf run` passes the program's status through). */
export function exitCodesHelp(command: string | null): string {
  const rows = command === 'run' ? RUN_EXIT_CODES : COMMON_EXIT_CODES;
  return `Exit codes:\n${rows.map(([code, text]) => `  ${code.padEnd(6)} ${text}`).join('\n')}\n`;
}
