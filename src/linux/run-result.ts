/**
 * What running an ELF file produced, in one shape for the emulator and for the host kernel, so
 * the two can be compared field by field (the differential tests) and printed by `golf run --json`.
 */
export type Outcome = 'exited' | 'killed' | 'exec-failed' | 'step-limit' | 'unsupported';

export interface RunResult {
  outcome: Outcome;
  /** Exit status (low 8 bits of the exit code) when outcome is "exited", else null. */
  exitCode: number | null;
  /** Signal name ("SIGSEGV", ...) when outcome is "killed", else null. */
  signal: string | null;
  /** errno name of a failed execve ("ENOEXEC", "EACCES", ...) when outcome is "exec-failed", else null. */
  execError: string | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** What the program wrote to fd 0: only a read-write stdin (as a terminal's) accepts writes. */
  stdinWrites: Uint8Array;
  /** Instructions executed (emulator), null for native runs. */
  steps: number | null;
  /** Human-readable reason for "unsupported" (e.g. "system call 57 (syscall)", "instruction 0f 10 c0"), else null. */
  unsupported: string | null;
  /** Where the run was judged: the built-in model or the host kernel. */
  engine: 'emulator' | 'native';
}

/** One thing a file relies on that not every Linux machine provides; stable id + sentence. */
export interface Assumption {
  /** Stable identifier, e.g. "argc-1", "ia32-emulation", "overcommit", "mmap-min-addr", "kernel>=6.7". */
  id: string;
  /** What exactly is relied on, e.g. "maps 4.3 GiB of anonymous memory (needs overcommit)". */
  text: string;
}

/** A run as JSON: output bytes in base64, the same fields for emulated and native runs (`--json`). */
export interface RunResultJson {
  outcome: Outcome;
  exitCode: number | null;
  signal: string | null;
  execError: string | null;
  stdout: string;
  stderr: string;
  /** Base64 of what the program wrote to fd 0 (see RunResult.stdinWrites). */
  stdinWrites: string;
  steps: number | null;
  unsupported: string | null;
}

/**
 * What the emulator and the kernel must agree on for the same file: everything a process shows
 * from outside (outcome, exit code, signal, exec error, output). Steps exist only in the emulator.
 * The differential tests and the header fuzz compare this.
 */
export function observableResult(r: RunResult): Omit<RunResultJson, 'steps' | 'unsupported'> {
  const { steps: _steps, unsupported: _unsupported, ...seen } = runResultJson(r);
  return seen;
}

export function runResultJson(r: RunResult): RunResultJson {
  return {
    outcome: r.outcome,
    exitCode: r.exitCode,
    signal: r.signal,
    execError: r.execError,
    stdout: Buffer.from(r.stdout).toString('base64'),
    stderr: Buffer.from(r.stderr).toString('base64'),
    stdinWrites: Buffer.from(r.stdinWrites).toString('base64'),
    steps: r.steps,
    unsupported: r.unsupported,
  };
}

/** A result in a few words ("exited 42", "killed SIGSEGV", "exec-failed ENOEXEC", "step-limit"), as manifests state outcomes. */
export function briefOutcome(r: RunResult): string {
  if (r.outcome === 'exited') return `exited ${r.exitCode}`;
  if (r.outcome === 'killed') return `killed ${r.signal}`;
  if (r.outcome === 'exec-failed') return `exec-failed ${r.execError}`;
  return r.outcome;
}
