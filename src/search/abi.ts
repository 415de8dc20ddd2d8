/**
 * The two system-call conventions (src/linux/syscall-abi.ts, which states them) in the shape the
 * search needs: the trap as bytes, and the numbers of the calls a golf target makes (write, exit).
 * The walk reads these to know what the next system call requires; the Linux layer's own syscall
 * code stays the judge of what a call does (final validation).
 */
import { INT80_CONVENTION_32, SYSCALL_CONVENTION_64, type SyscallConvention } from '../linux/syscall-abi.js';
import { encodeAll } from '../x86/encoder.js';

export interface SyscallAbi {
  readonly name: 'syscall' | 'int 0x80';
  /** Bytes of the trap instruction: its shortest encoding in golf's instruction table. */
  readonly trap: readonly number[];
  readonly numberReg: number;
  /** Argument registers in order. */
  readonly args: readonly number[];
  /** Only the low 32 bits of each register are used (int 0x80). */
  readonly width: 4 | 8;
  readonly write: number;
  /** read: with a count of 0 from stdin it has no effect (the walk may use it for rcx/r11). */
  readonly read: number;
  readonly exit: readonly number[];
  /** Registers the trap instruction itself overwrites (see SyscallConvention.clobbered). */
  readonly clobbered: readonly number[];
}

/** The shortest bytes of a convention's trap instruction, from the encoder (64-bit code). */
function trapBytes(convention: SyscallConvention): number[] {
  const shortest = encodeAll(convention.trap, 64, 0)[0];
  if (shortest === undefined) throw new Error(`golf's instruction table has no 64-bit encoding of ${convention.name}`);
  return Array.from(shortest.bytes);
}

function searchAbi(convention: SyscallConvention): SyscallAbi {
  return {
    name: convention.name,
    trap: trapBytes(convention),
    numberReg: convention.numberReg,
    args: convention.args,
    width: convention.width,
    write: convention.calls.write,
    read: convention.calls.read,
    exit: [convention.calls.exit, convention.calls.exit_group],
    clobbered: convention.clobbered,
  };
}

export const SYSCALL_64: SyscallAbi = searchAbi(SYSCALL_CONVENTION_64);
export const INT80_32: SyscallAbi = searchAbi(INT80_CONVENTION_32);

/** The conventions available under a profile (int 0x80 needs IA32 emulation). */
export function abisFor(ia32Emulation: boolean): SyscallAbi[] {
  return ia32Emulation ? [SYSCALL_64, INT80_32] : [SYSCALL_64];
}
