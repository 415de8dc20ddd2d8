/**
 * The system calls golf models, for `syscall` (64-bit table) and `int 0x80` (32-bit table), with
 * the kernel's argument widths, error numbers and copy behaviour. A process's I/O state lives in
 * ProcessIo so one object can be reused across runs.
 *
 * The standard streams are what `golf run --native` gives the child (Node's child_process):
 * stdin is /dev/null opened read-only (reads return 0, writes fail with EBADF), stdout and stderr
 * are Unix stream sockets. A socket write copies the buffer in chunks of STREAM_WRITE_CHUNK bytes
 * (one skb each); a chunk that cannot be read whole ends the write: it returns the bytes of the
 * chunks before it, or -EFAULT if there were none (measured on Linux 6.18: a 200-byte write whose
 * last 190 bytes are unmapped returns -EFAULT and writes nothing).
 */
import type { AddressSpace } from './memory.js';

/** Linux errno values used here. */
export const Errno = { EBADF: 9, EFAULT: 14, ENOSYS: 38 } as const;

/** The largest user address a buffer may end at (access_ok: USER_PTR_MAX = TASK_SIZE_MAX). */
export const USER_PTR_MAX = 0x7ffffffff000;
/** MAX_RW_COUNT: one read/write transfers at most INT_MAX rounded down to a page. */
export const MAX_RW_COUNT = 0x7ffff000;
/** Bytes per skb of a Unix stream socket write: SKB_MAX_HEAD(0) + 32 KiB of page frags (measured: 36544). */
export const STREAM_WRITE_CHUNK = 36544;
/** Stdin given to the emulator is modelled as a pipe filled in page-sized buffers. */
export const PIPE_BUFFER = 4096;

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
  private stdin: Uint8Array = new Uint8Array(0);
  private stdinPos = 0;
  pid = 1;

  reset(stdin: Uint8Array, pid: number): void {
    this.stdout = [];
    this.stderr = [];
    this.stdin = stdin;
    this.stdinPos = 0;
    this.pid = pid;
  }

  /** access_ok: a buffer must end at or below USER_PTR_MAX without wrapping. */
  static accessOk(address: number, count: number): boolean {
    return count === 0 || (address + count <= USER_PTR_MAX && address >= 0);
  }

  /** write(2) on fd 1/2 (sockets); other fds are closed or read-only: -EBADF. */
  write(mem: AddressSpace, fd: number, address: number, count: number): number {
    if (fd !== 1 && fd !== 2) return -Errno.EBADF;
    if (count === 0) return 0;
    if (!ProcessIo.accessOk(address, count)) return -Errno.EFAULT;
    const wanted = Math.min(count, MAX_RW_COUNT);
    const readable = mem.readAvailable(address, wanted);
    const whole = readable.length === wanted ? wanted : Math.floor(readable.length / STREAM_WRITE_CHUNK) * STREAM_WRITE_CHUNK;
    if (whole === 0) return -Errno.EFAULT;
    (fd === 1 ? this.stdout : this.stderr).push(readable.slice(0, whole));
    return whole;
  }

  /** read(2): fd 0 is stdin (/dev/null unless the run gave stdin bytes); fds 1 and 2 are not readable here. */
  read(mem: AddressSpace, fd: number, address: number, count: number): number {
    if (fd !== 0) return -Errno.EBADF;
    if (!ProcessIo.accessOk(address, count)) return -Errno.EFAULT;
    const wanted = Math.min(count, MAX_RW_COUNT, this.stdin.length - this.stdinPos);
    if (wanted <= 0) return 0;
    const data = this.stdin.subarray(this.stdinPos, this.stdinPos + wanted);
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
