/**
 * The system calls golf models, for `syscall` (64-bit table) and `int 0x80` (32-bit table), with
 * the kernel's argument widths, error numbers and copy behaviour. A process's I/O state lives in
 * ProcessIo so one object can be reused across runs.
 *
 * The standard streams are what `golf run --native` gives the child: stdout and stderr are pipes
 * whose reader drains them, and stdin is one of the StdinKinds below. A write to a pipe copies the
 * buffer page by page (PipeWriter below), so a buffer whose tail is unreadable is written up to a
 * page boundary of the buffer, or not at all.
 */
import type { AddressSpace } from './memory.js';

/** Linux errno values used here. */
export const Errno = { EBADF: 9, EFAULT: 14, ENOSYS: 38 } as const;

/**
 * How fd 0 is open, as different users' set-ups give it (golf check probes each; the native runner
 * gives each for real, see src/linux/native.ts):
 * - `read-only`: /dev/null or a pipe opened for reading (a script's `< /dev/null`, CI, cron, golf
 *   run --native): reads give the run's stdin bytes, then 0 (end of file); writes fail with -EBADF.
 * - `closed`: no fd 0 at all (`<&-`, some daemons): reads and writes fail with -EBADF.
 * - `read-write`: a descriptor open for reading and writing, as a terminal's is: writes succeed,
 *   reads give the run's stdin bytes and then wait for input that never comes (the process keeps
 *   running until the step limit or the native timeout). Modelled natively by a Unix socket whose
 *   other end golf keeps open; what the program writes there is kept as `stdinWrites`.
 */
export type StdinKind = 'read-only' | 'closed' | 'read-write';
export const STDIN_KINDS: readonly StdinKind[] = ['read-only', 'closed', 'read-write'];

/** The largest user address a buffer may end at (access_ok: USER_PTR_MAX = TASK_SIZE_MAX). */
export const USER_PTR_MAX = 0x7ffffffff000;
/** MAX_RW_COUNT: one read/write transfers at most INT_MAX rounded down to a page. */
export const MAX_RW_COUNT = 0x7ffff000;
/** A pipe buffer holds one page; stdin given to the emulator is modelled as a pipe too. */
export const PIPE_BUFFER = 4096;

/**
 * The writer's view of a pipe (fs/pipe.c, pipe_write), enough to say how many bytes a write of a
 * partly readable buffer transfers:
 * - the first `count % 4096` bytes are merged into the last buffer when the pipe is not empty and
 *   they fit in its page; if they cannot be copied whole the write fails with -EFAULT;
 * - the rest is copied one fresh page buffer at a time; a page that cannot be copied whole ends the
 *   write, which returns the bytes of the pages before it (-EFAULT if none); the faulting page
 *   leaves nothing behind (measured: the next write still merges into the buffer before it);
 * - a writer that finds the pipe full (64 KiB) sleeps until the reader has drained it, then goes
 *   on with fresh pages, so it never changes what the next write finds.
 * Measured on Linux 6.18 with the reader draining, k readable bytes then an unmapped page, first
 * write on the pipe: k=0 or any k < 4096 -> -EFAULT; k=4096..8191 -> 4096; k=8193 -> 8192;
 * k=65535 -> 61440; k=70000 of 200000 -> 69632; k=131077 -> 131072 (the steps are pages of the
 * buffer, not of the address space). After 10 bytes, a 4196-byte write with 200 readable returned
 * 100 (merged, then the page faulted) and a following 5000-byte write with 4500 readable merged
 * again: 904.
 *
 * When the reader runs is up to the scheduler, so whether a write finds the pipe empty is not
 * determined by the program: after a 10-byte write, a 5000-byte write with 4095 readable bytes
 * returned 904 (merged) in 21 of 30 native runs and -EFAULT (the reader had emptied the pipe) in 9.
 * The model takes the common case, a reader that has not run since the previous write; writes
 * whose result does not depend on it (the first write, writes after whole pages, writes that fail
 * or succeed either way) match the kernel exactly.
 */
export class PipeWriter {
  /** Nothing written yet (the model's reader only empties the pipe while a writer waits). */
  private empty = true;
  /** Bytes in the last buffer's page (its offset + len). */
  private lastFill = 0;

  reset(): void {
    this.empty = true;
    this.lastFill = 0;
  }

  /**
   * Bytes a write of `count` (1..MAX_RW_COUNT) transfers when only its first `readable` bytes can be
   * copied, or -EFAULT; updates the pipe as the kernel does.
   */
  write(count: number, readable: number): number {
    let done = 0;
    const chars = count % PIPE_BUFFER;
    if (chars !== 0 && !this.empty && this.lastFill + chars <= PIPE_BUFFER) {
      if (readable < chars) return -Errno.EFAULT;
      this.lastFill += chars;
      done = chars;
      if (done === count) return count;
    }
    const rest = count - done;
    const available = readable - done;
    if (available >= rest) {
      this.empty = false;
      this.lastFill = rest - (Math.ceil(rest / PIPE_BUFFER) - 1) * PIPE_BUFFER;
      return count;
    }
    // Whole pages copied, then the page that faulted, which is dropped.
    const pages = Math.floor(available / PIPE_BUFFER);
    if (pages > 0) {
      this.empty = false;
      this.lastFill = PIPE_BUFFER;
    }
    done += pages * PIPE_BUFFER;
    return done > 0 ? done : -Errno.EFAULT;
  }
}

/** Number of entries of the 6.18 syscall tables: numbers at or above this give -ENOSYS. */
export const X64_SYSCALL_COUNT = 470;
export const IA32_SYSCALL_COUNT = 470;
/** The 64-bit table has no entries 336..423 (reserved for the 32-bit time64 calls). */
export function x64SyscallExists(nr: number): boolean {
  return nr < X64_SYSCALL_COUNT && !(nr >= 336 && nr < 424);
}

/** What each table's modelled calls are (one place for the numbers). */
export const SYSCALLS_64 = { read: 0, write: 1, getpid: 39, exit: 60, exit_group: 231 } as const;
export const SYSCALLS_32 = { exit: 1, read: 3, write: 4, getpid: 20, exit_group: 252 } as const;

export type SyscallName = keyof typeof SYSCALLS_64;

export class ProcessIo {
  stdout: Uint8Array[] = [];
  stderr: Uint8Array[] = [];
  /** What the program wrote to fd 0 (only a read-write stdin accepts writes). */
  stdinWrites: Uint8Array[] = [];
  private stdin: Uint8Array = new Uint8Array(0);
  private stdinPos = 0;
  private stdinKind: StdinKind = 'read-only';
  private readonly stdoutPipe = new PipeWriter();
  private readonly stderrPipe = new PipeWriter();
  pid = 1;
  /**
   * Set when the last read or write cannot complete as the kernel would make it: the process
   * waits for input that never comes ("waits"), or the case is outside the model ("unsupported").
   * The caller stops the run; the call's return value is then meaningless.
   */
  halt: { kind: 'waits' | 'unsupported'; what: string } | null = null;

  reset(stdin: Uint8Array, pid: number, stdinKind: StdinKind = 'read-only'): void {
    this.stdout = [];
    this.stderr = [];
    this.stdinWrites = [];
    this.stdoutPipe.reset();
    this.stderrPipe.reset();
    this.stdin = stdin;
    this.stdinPos = 0;
    this.stdinKind = stdinKind;
    this.pid = pid;
    this.halt = null;
  }

  /** access_ok: a buffer must end at or below USER_PTR_MAX without wrapping. */
  static accessOk(address: number, count: number): boolean {
    return count === 0 || (address + count <= USER_PTR_MAX && address >= 0);
  }

  /** write(2) on fd 1/2 (pipes) and on a read-write fd 0; other fds are closed or read-only: -EBADF. */
  write(mem: AddressSpace, fd: number, address: number, count: number): number {
    if (fd === 0 && this.stdinKind === 'read-write') return this.writeStdin(mem, address, count);
    if (fd !== 1 && fd !== 2) return -Errno.EBADF;
    if (count === 0) return 0;
    if (!ProcessIo.accessOk(address, count)) return -Errno.EFAULT;
    const wanted = Math.min(count, MAX_RW_COUNT);
    const readable = mem.readAvailable(address, wanted);
    const written = (fd === 1 ? this.stdoutPipe : this.stderrPipe).write(wanted, readable.length);
    if (written > 0) (fd === 1 ? this.stdout : this.stderr).push(written === readable.length ? readable : readable.slice(0, written));
    return written;
  }

  /**
   * A write to a read-write stdin (a Unix socket natively): the whole buffer when it is readable,
   * -EFAULT when its first byte is not. A partly readable buffer is sent in socket buffers whose
   * sizes depend on the socket's settings; golf does not model that and stops the run.
   */
  private writeStdin(mem: AddressSpace, address: number, count: number): number {
    if (count === 0) return 0;
    if (!ProcessIo.accessOk(address, count)) return -Errno.EFAULT;
    const wanted = Math.min(count, MAX_RW_COUNT);
    const readable = mem.readAvailable(address, wanted);
    if (readable.length === 0) return -Errno.EFAULT;
    if (readable.length < wanted) {
      this.halt = { kind: 'unsupported', what: 'a write to a read-write stdin from a partly unreadable buffer' };
      return -Errno.EFAULT;
    }
    this.stdinWrites.push(readable);
    return wanted;
  }

  /** read(2): fd 0 is stdin (see StdinKind); fds 1 and 2 are write-only pipes here. */
  read(mem: AddressSpace, fd: number, address: number, count: number): number {
    if (fd !== 0 || this.stdinKind === 'closed') return -Errno.EBADF;
    if (!ProcessIo.accessOk(address, count)) return -Errno.EFAULT;
    const wanted = Math.min(count, MAX_RW_COUNT, this.stdin.length - this.stdinPos);
    if (wanted <= 0) {
      // No input left: end of file, except on a read-write stdin, where a read of 1 byte or more waits.
      if (this.stdinKind === 'read-write' && count > 0) this.halt = { kind: 'waits', what: 'waits for input on stdin (a read of a read-write stdin, as on a terminal)' };
      return 0;
    }
    const data = this.stdin.subarray(this.stdinPos, this.stdinPos + wanted);
    if (this.stdinKind === 'read-write' && !mem.writable(address, wanted)) {
      // A socket copies what it can of its buffers; golf models that only for pipes.
      this.halt = { kind: 'unsupported', what: 'a read of a read-write stdin into a partly unwritable buffer' };
      return -Errno.EFAULT;
    }
    const written = mem.writeAvailable(address, data);
    // pipe_read copies buffer by buffer; a buffer that cannot be copied whole stays in the pipe.
    const consumed = written === wanted ? wanted : alignedPrefix(this.stdinPos, written);
    if (consumed === 0) return -Errno.EFAULT;
    this.stdinPos += consumed;
    return consumed;
  }

  get stdoutBytes(): Uint8Array {
    return concat(this.stdout);
  }

  get stderrBytes(): Uint8Array {
    return concat(this.stderr);
  }

  get stdinWriteBytes(): Uint8Array {
    return concat(this.stdinWrites);
  }
}

/** Bytes of whole pipe buffers (4096-byte blocks of the stdin stream) within [pos, pos + n). */
function alignedPrefix(pos: number, n: number): number {
  const end = pos + n;
  const lastBoundary = end - (end % PIPE_BUFFER);
  return Math.max(0, lastBoundary - pos);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
