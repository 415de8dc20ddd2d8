/**
 * What the next system call needs, per convention: the number, and for each argument register
 * the values that would do. A write needs its fd, a buffer address where the rest of its stream
 * lies (or can be made to lie) and a length; an exit needs only the low 8 bits of its code. The
 * walk's moves and its cost bound read these; whether a call really does what the goal wants is
 * decided when it executes (walk.ts), never here.
 */
import type { SyscallAbi } from '../abi.js';

/** A register need: exact values, or (exit codes) any value with these low 8 bits. */
export interface RegNeed {
  reg: number;
  /** Only the low 32 bits are read (int 0x80 arguments and every system-call number). */
  width: 4 | 8;
  values: number[];
  /** >= 0: any value whose low byte is this. */
  low8: number;
}

export interface CallNeeds {
  abi: SyscallAbi;
  /** 'write' needs a buffer; 'exit' ends the goal. */
  kind: 'write' | 'exit';
  fd: number;
  regs: RegNeed[];
}

export function meets(n: RegNeed, lo: number, hi: number): boolean {
  if (n.low8 >= 0) return (lo & 0xff) === n.low8;
  const v = n.width === 4 ? lo : hi * 0x1_0000_0000 + lo;
  return n.values.includes(v);
}
