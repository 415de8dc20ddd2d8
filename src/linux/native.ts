/**
 * Runs an ELF file on the host kernel: the oracle golf's emulator is compared with.
 *
 * Node's child_process retries a file that execve refuses with ENOEXEC as a /bin/sh script, which
 * would hide exactly the failures golf must see. So the exec is made by a tiny helper program
 * (scripts/exec-helper.asm, its 283 bytes embedded below): it sets up fd 0 as asked, marks fd 3
 * and above close-on-exec (so the program has only fds 0-2, whatever golf inherited), calls
 * execve(path, argv, envp) and, if that fails, writes the errno to fd 3. An empty fd 3 therefore
 * means the exec succeeded and everything after it is the program's own doing.
 *
 * stdin is one of the emulator's StdinKinds (syscalls.ts): /dev/null opened read-only (Node's
 * 'ignore' for fd 0), closed by the helper, or a Unix socket (Node's 'pipe', passed as fd 4 and
 * moved to fd 0 by the helper) whose other end golf keeps open and reads, so writes succeed and
 * reads wait, as on a terminal. stdout and stderr are real pipes; the child gets the given
 * environment (empty by default) and a timeout. The pipes matter: a write's partial-copy behaviour
 * on a faulting buffer differs between pipes and the Unix stream sockets Node creates for 'pipe',
 * and the emulator models a pipe (src/linux/syscalls.ts). Node has no anonymous-pipe API, so each
 * stream is a FIFO in a private temporary directory (host-pipes.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPipe, type OpenPipe } from './host-pipes.js';
import type { RunResult } from './run-result.js';
import type { StdinKind } from './syscalls.js';
/** scripts/exec-helper.asm, assembled (test/linux/native-stdin.test.ts checks the two agree where nasm is installed). */
const EXEC_HELPER_HEX =
  '7f454c4602010100000000000000000002003e0001000000780040000000000040000000000000000000000000000000' +
  '000000004000380001004000000000000100000005000000000000000000000000004000000000000000400000000000' +
  '1b010000000000001b010000000000000010000000000000488b5c24108a1b80fb63750bb80300000031ff0f05eb1380' +
  'fb777512b821000000bf0400000031f60f0585c07852b8b4010000bf03000000beffffffffba040000000f05b8480000' +
  '00bf03000000be02000000ba010000000f05b848000000bf040000000f05488b0c24488d54cc10488b7c2418488d7424' +
  '20b83b0000000f05f7d8504889e6bf03000000ba04000000b8010000000f05bf7f000000b83c0000000f05';

/** scripts/int80-probe.asm: exits 42 through `int 0x80`, or dies with SIGSEGV where that does not work. */
const INT80_PROBE_HEX =
  '7f454c4602010100000000000000000002003e0001000000780040000000000040000000000000000000000000000000' +
  '000000004000380001004000000000000100000005000000000000000000000000004000000000000000400000000000' +
  '840000000000000084000000000000000010000000000000b801000000bb2a000000cd80';

/** scripts/elf32-probe.asm: a plain ELF32 file exiting 42 through int 0x80; ENOEXEC without IA32 emulation. */
const ELF32_PROBE_HEX =
  '7f454c460101010000000000000000000200030001000000548004083400000000000000000000003400200001002800' +
  '000000000100000000000000008004080080040860000000600000000500000000100000b801000000bb2a000000cd80';

/**
 * The host probes: programs that exit with PROBE_WORKS_STATUS exactly when the host has the
 * feature (int 0x80 from 64-bit code; ELF32 execution). Used here and, through a NativeRunner, by
 * verify/host-capabilities.ts.
 */
export const HOST_PROBES = { 'ia32-emulation': INT80_PROBE_HEX, elf32: ELF32_PROBE_HEX } as const;
export type HostProbe = keyof typeof HOST_PROBES;
export const PROBE_WORKS_STATUS = 42;

export function hostProbeBytes(probe: HostProbe): Uint8Array {
  return new Uint8Array(Buffer.from(HOST_PROBES[probe], 'hex'));
}

/** errno numbers execve can fail with, by name (asm-generic/errno-base.h). */
const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM', 2: 'ENOENT', 5: 'EIO', 7: 'E2BIG', 8: 'ENOEXEC', 12: 'ENOMEM', 13: 'EACCES', 14: 'EFAULT',
  20: 'ENOTDIR', 21: 'EISDIR', 22: 'EINVAL', 26: 'ETXTBSY', 36: 'ENAMETOOLONG', 40: 'ELOOP',
};

export interface NativeOptions {
  /** The program's argv; default [path]. */
  argv?: string[];
  /** Default []. */
  env?: string[];
  /** Default 5000 ms; a program still running then is killed and reported as "step-limit". */
  timeoutMs?: number;
  /** How fd 0 is open; default read-only (/dev/null). */
  stdin?: StdinKind;
}

/** The exec helper's first argument for each kind of stdin. */
const HELPER_STDIN_MODE: Record<StdinKind, string> = { 'read-only': 'r', closed: 'c', 'read-write': 'w' };

export const DEFAULT_NATIVE_TIMEOUT_MS = 5000;

/** The exec helper's bytes (for the test that rebuilds scripts/exec-helper.asm). */
export function execHelperBytes(): Uint8Array {
  return new Uint8Array(Buffer.from(EXEC_HELPER_HEX, 'hex'));
}

/** True on Linux x86-64, the only host that can run the files golf makes. */
export function nativeSupported(): boolean {
  return process.platform === 'linux' && process.arch === 'x64';
}

/** Writes an embedded program once per machine (content-addressed name, atomic rename). */
function installProgram(kind: string, hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  const path = join(tmpdir(), `golf-${kind}-${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}`);
  if (!existsSync(path)) {
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, bytes, { mode: 0o755 });
    chmodSync(temp, 0o755);
    renameSync(temp, path);
  }
  return path;
}

let helperPath: string | null = null;

function execHelper(): string {
  if (helperPath && existsSync(helperPath)) return helperPath;
  helperPath = installProgram('exec', EXEC_HELPER_HEX);
  return helperPath;
}

let int80Refusal: string | null | undefined;

/**
 * How this host refuses `int 0x80` system calls from 64-bit processes ("killed by SIGSEGV"), or
 * null if they work: measured once by running a probe, because a kernel with IA32 emulation
 * compiled in may still not deliver them (disabled at boot, or a hypervisor such as this reference
 * VM's that kills the process with SIGSEGV). Off Linux x86-64: "not a Linux x86-64 host".
 */
export function hostInt80Refusal(): string | null {
  if (int80Refusal === undefined) {
    if (!nativeSupported()) return 'not a Linux x86-64 host';
    const probe = spawnSync(installProgram('int80-probe', INT80_PROBE_HEX), [], { stdio: 'ignore', timeout: 5000 });
    int80Refusal = probe.status === PROBE_WORKS_STATUS ? null : probe.signal ? `killed by ${probe.signal}` : `exit status ${String(probe.status)} instead of ${PROBE_WORKS_STATUS}`;
  }
  return int80Refusal;
}

export function hostInt80Works(): boolean {
  return hostInt80Refusal() === null;
}

let elf32Refusal: string | null | undefined;

/**
 * How this host refuses 32-bit (ELF32) executables ("execve fails with ENOEXEC"), or null if they
 * run: measured once by executing a plain ELF32 file through the exec helper (a direct exec, so a
 * refusal is seen as the errno, not retried as a shell script).
 */
export function hostElf32Refusal(): string | null {
  if (elf32Refusal === undefined) {
    if (!nativeSupported()) return 'not a Linux x86-64 host';
    const probe = installProgram('elf32-probe', ELF32_PROBE_HEX);
    const run = spawnSync(execHelper(), ['r', probe, probe], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'], timeout: 5000 });
    const status = run.output?.[3] as Buffer | null | undefined;
    if (run.status === PROBE_WORKS_STATUS) elf32Refusal = null;
    else if (status && status.length >= 4) elf32Refusal = `execve fails with ${ERRNO_NAMES[status.readInt32LE(0)] ?? `errno ${status.readInt32LE(0)}`}`;
    else elf32Refusal = run.signal ? `killed by ${run.signal}` : `exit status ${String(run.status)} instead of ${PROBE_WORKS_STATUS}`;
  }
  return elf32Refusal;
}

export function hostElf32Works(): boolean {
  return hostElf32Refusal() === null;
}

function emptyResult(): RunResult {
  return {
    outcome: 'exited',
    exitCode: null,
    signal: null,
    execError: null,
    stdout: new Uint8Array(0),
    stderr: new Uint8Array(0),
    stdinWrites: new Uint8Array(0),
    steps: null,
    unsupported: null,
    engine: 'native',
  };
}

/** Executes `path` directly on the host kernel and reports the outcome in RunResult's shape. */
/** How a file is run on the host kernel: runNative, or a test double where judging is tested. */
export type NativeRunner = (path: string, options: { argv: string[]; env: string[]; timeoutMs?: number; stdin?: StdinKind }) => Promise<RunResult>;

export function runNative(path: string, options: NativeOptions = {}): Promise<RunResult> {
  if (!nativeSupported()) return Promise.reject(new Error('native execution needs a Linux x86-64 host'));
  const argv = options.argv ?? [path];
  const env = options.env ?? [];
  const timeoutMs = options.timeoutMs ?? DEFAULT_NATIVE_TIMEOUT_MS;
  const envObject: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf('=');
    envObject[eq < 0 ? entry : entry.slice(0, eq)] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return new Promise((resolve, reject) => {
    let stdout: OpenPipe;
    let stderr: OpenPipe;
    try {
      stdout = openPipe();
    } catch (e) {
      reject(e as Error);
      return;
    }
    try {
      stderr = openPipe();
    } catch (e) {
      stdout.abandon();
      reject(e as Error);
      return;
    }
    const stdinKind = options.stdin ?? 'read-only';
    let child: ChildProcess;
    try {
      child = spawn(execHelper(), [HELPER_STDIN_MODE[stdinKind], path, ...argv], {
        stdio: ['ignore', stdout.writeFd, stderr.writeFd, 'pipe', stdinKind === 'read-write' ? 'pipe' : 'ignore'],
        env: envObject,
      });
    } catch (e) {
      stdout.abandon();
      stderr.abandon();
      reject(e as Error);
      return;
    } finally {
      // The child has its own copies now; golf must not hold a write end, or EOF never comes.
      closeSync(stdout.writeFd);
      closeSync(stderr.writeFd);
    }
    const status: Buffer[] = [];
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => status.push(d));
    // The read-write stdin: golf reads what the program writes and never ends its side, so a read waits.
    const stdinWrites: Buffer[] = [];
    (child.stdio[4] as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => stdinWrites.push(d));
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
    let settled = false;
    const finish = (): void => {
      if (settled || !exit || !stdout.closed || !stderr.closed) return;
      settled = true;
      clearTimeout(timer);
      const result = emptyResult();
      result.stdout = stdout.bytes();
      result.stderr = stderr.bytes();
      result.stdinWrites = new Uint8Array(Buffer.concat(stdinWrites));
      const errnoBytes = Buffer.concat(status);
      if (errnoBytes.length >= 4) {
        const errno = errnoBytes.readInt32LE(0);
        result.outcome = 'exec-failed';
        result.execError = ERRNO_NAMES[errno] ?? `errno ${errno}`;
      } else if (timedOut) {
        result.outcome = 'step-limit';
      } else if (exit.signal) {
        result.outcome = 'killed';
        result.signal = exit.signal;
      } else {
        result.exitCode = exit.code;
      }
      resolve(result);
    };
    // At the timeout a running child is killed; pipes still open then (a process the program
    // started may hold them) are closed so the run always ends.
    const timer = setTimeout(() => {
      if (!exit) {
        timedOut = true;
        child.kill('SIGKILL');
      }
      stdout.abandon();
      stderr.abandon();
    }, timeoutMs);
    stdout.onClose(finish);
    stderr.onClose(finish);
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stdout.abandon();
      stderr.abandon();
      reject(e);
    });
    child.on('close', (code, signal) => {
      exit = { code, signal };
      finish();
    });
  });
}
