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
