/**
 * The two system-call conventions a 64-bit process can use (kernel-facts.md section 5), written
 * once: the trap instruction, the register carrying the number, the argument registers in order,
 * how much of each register the kernel reads, which table the number indexes, and which registers
 * the trap itself overwrites. The emulator reads a call's number and arguments through these; the
 * search (src/search/abi.ts) plans the calls a target needs from them.
 */
import { Reg } from '../x86/decoded.js';
import type { AsmInstruction } from '../x86/encoder.js';
import { IA32_SYSCALL_COUNT, SYSCALLS_32, SYSCALLS_64, x64SyscallExists, type SyscallName } from './syscalls.js';

export interface SyscallConvention {
  readonly name: 'syscall' | 'int 0x80';
  /** The trap instruction, in the encoder's terms (its bytes come from golf's instruction table). */
  readonly trap: Readonly<AsmInstruction>;
  /** The kernel reads the number from the low 32 bits of this register under both conventions. */
  readonly numberReg: number;
  /** Argument registers in order. */
  readonly args: readonly number[];
  /** Bytes of each argument register the kernel reads: 8, or only the low 4 (int 0x80). */
  readonly width: 4 | 8;
  /** The numbers of the calls golf models in this convention's table. */
  readonly calls: Readonly<Record<SyscallName, number>>;
  /** Whether the table has an entry for a number; the kernel answers any other with -ENOSYS. */
  readonly exists: (nr: number) => boolean;
  /**
   * Registers the trap instruction itself overwrites, so their values before the call are gone
   * after it. The judge is the CPU's semantics (src/emu/cpu.ts, case Sem.syscall: rcx gets the
   * return address and r11 the flags; int 0x80 writes none); test/linux/syscall-abi.test.ts runs
   * each trap on the Cpu and checks this list against what it changed.
   */
  readonly clobbered: readonly number[];
}

export const SYSCALL_CONVENTION_64: SyscallConvention = {
  name: 'syscall',
  trap: { mnemonic: 'syscall', operands: [] },
  numberReg: Reg.rax,
  args: [Reg.rdi, Reg.rsi, Reg.rdx, Reg.r10, Reg.r8, Reg.r9],
  width: 8,
  calls: SYSCALLS_64,
  exists: x64SyscallExists,
  clobbered: [Reg.rcx, Reg.r11],
};

export const INT80_CONVENTION_32: SyscallConvention = {
  name: 'int 0x80',
  trap: { mnemonic: 'int', operands: [{ kind: 'imm', value: 0x80n }] },
  numberReg: Reg.rax,
  args: [Reg.rbx, Reg.rcx, Reg.rdx, Reg.rsi, Reg.rdi, Reg.rbp],
  width: 4,
  calls: SYSCALLS_32,
  exists: (nr) => nr < IA32_SYSCALL_COUNT,
  clobbered: [],
};
