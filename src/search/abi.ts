/**
 * The two system-call conventions a 64-bit process can use (kernel-facts.md section 5), as the
 * search needs them: which register carries the number and each argument, and the numbers of the
 * calls a golf target needs. The walk reads these to know what the next system call requires;
 * the Linux layer's own syscall code stays the judge of what a call does (final validation).
 */
import { SYSCALLS_32, SYSCALLS_64 } from '../linux/syscalls.js';
import { Reg } from '../x86/decoded.js';

export interface SyscallAbi {
  readonly name: 'syscall' | 'int 0x80';
  /** Bytes of the trap instruction (0f 05 or cd 80). */
  readonly trap: readonly number[];
  readonly numberReg: number;
  /** Argument registers in order. */
  readonly args: readonly number[];
  /** Only the low 32 bits of each register are used (int 0x80). */
  readonly width: 4 | 8;
  readonly write: number;
  readonly exit: readonly number[];
  /**
   * Registers the trap instruction itself overwrites, so their values before the call are gone
   * after it (`syscall` puts the return address in rcx and the flags in r11; see src/emu/cpu.ts).
   */
  readonly clobbered: readonly number[];
}

export const SYSCALL_64: SyscallAbi = {
  name: 'syscall',
  trap: [0x0f, 0x05],
  numberReg: Reg.rax,
  args: [Reg.rdi, Reg.rsi, Reg.rdx, Reg.r10, Reg.r8, Reg.r9],
  width: 8,
  write: SYSCALLS_64.write,
  exit: [SYSCALLS_64.exit, SYSCALLS_64.exit_group],
  clobbered: [Reg.rcx, Reg.r11],
};

export const INT80_32: SyscallAbi = {
  name: 'int 0x80',
  trap: [0xcd, 0x80],
  numberReg: Reg.rax,
  args: [Reg.rbx, Reg.rcx, Reg.rdx, Reg.rsi, Reg.rdi, Reg.rbp],
  width: 4,
  write: SYSCALLS_32.write,
  exit: [SYSCALLS_32.exit, SYSCALLS_32.exit_group],
  clobbered: [],
};

/** The conventions available under a profile (int 0x80 needs IA32 emulation). */
export function abisFor(ia32Emulation: boolean): SyscallAbi[] {
  return ia32Emulation ? [SYSCALL_64, INT80_32] : [SYSCALL_64];
}
