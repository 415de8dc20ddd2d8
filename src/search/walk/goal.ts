/**
 * The goal of a walk as observable effects: the bytes that must reach fd 1 and fd 2 (each stream
 * in order; how the streams interleave is not observable through two pipes), then the exit status.
 * Also the values the walk's moves may use as immediates: the numbers the remaining system calls
 * need, and their neighbours (one off, for inc/dec/adc/sbb), derived from the goal and the
 * conventions, never from a known program.
 */
import type { SyscallAbi } from '../abi.js';

export interface Goal {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

/** The calls the walk lets a file make besides its effects: reads of 0 bytes from stdin. */
export interface NoopPolicy {
  /** How many such calls a path may make. */
  max: number;
}

export function streamOf(goal: Goal, fd: number): Uint8Array | null {
  return fd === 1 ? goal.stdout : fd === 2 ? goal.stderr : null;
}

/**
 * Immediates worth offering: every number a later system call of the goal needs in some
 * convention (call numbers, fds, lengths of the whole streams and of each suffix of them, the exit
 * code) and each of these plus or minus one. Sorted, distinct, non-negative, below 2^32.
 */
export function goalValues(goal: Goal, abis: readonly SyscallAbi[]): number[] {
  const base = new Set<number>([0, goal.exitCode]);
  for (const abi of abis) {
    base.add(abi.write);
    for (const e of abi.exit) base.add(e);
    base.add(abi.read);
  }
  for (const [fd, s] of [[1, goal.stdout], [2, goal.stderr]] as const) {
    if (s.length === 0) continue;
    base.add(fd);
    base.add(s.length);
  }
  const out = new Set<number>();
  for (const v of base) for (const d of [-1, 0, 1]) if (v + d >= 0 && v + d < 2 ** 32) out.add(v + d);
  return [...out].sort((a, b) => a - b);
}
