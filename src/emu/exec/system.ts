/**
 * Traps, system entry and machine queries: nop, pause, int3, int n, into, ud2, hlt, syscall,
 * sysenter, cpuid, rdtsc. Which signal an exception becomes is the platform's (see cpu.ts).
 */
import { Sem } from '../../x86/sem.js';
import { GO, R11, RAX, RBX, RCX, RDX, Stop, TWO32 } from '../cpu-state.js';
import { Gate, Vector } from '../exceptions.js';
import { OF, RF } from '../flags.js';
import { cpuid, cpuidOut } from '../machine-info.js';
import type { Exec, ExecFamily } from './exec.js';

const nothing: Exec = (cpu, insn) => {
  cpu.rip = insn.next;
  return GO;
};

export const SYSTEM = {
  [Sem.nop]: nothing,
  [Sem.pause]: nothing,
  [Sem.int3]: (cpu, insn) => {
    cpu.rip = insn.next;
    return cpu.raise(Vector.BP, 0);
  },
  [Sem.int]: (cpu, insn) => {
    const n = insn.d.imm & 0xff;
    const gate = cpu.userGates[n]!;
    if (gate === Gate.kernelOnly) return cpu.raise(Vector.GP, 0);
    cpu.rip = insn.next;
    return gate === Gate.systemCall ? Stop.int80 : cpu.raise(n, 0);
  },
  // #OF (a trap: after the instruction) when OF is set.
  [Sem.into]: (cpu, insn) => {
    cpu.rip = insn.next;
    return (cpu.rflags & OF) !== 0 ? cpu.raise(Vector.OF, 0) : GO;
  },
  [Sem.ud2]: (cpu) => cpu.raise(Vector.UD, cpu.rip),
  [Sem.hlt]: (cpu) => cpu.raise(Vector.GP, 0),
  [Sem.syscall]: (cpu, insn) => {
    const next = insn.next;
    cpu.regLo[RCX] = next % TWO32;
    cpu.regHi[RCX] = Math.floor(next / TWO32);
    cpu.regLo[R11] = cpu.rflags & ~RF;
    cpu.regHi[R11] = 0;
    cpu.rip = next;
    return Stop.syscall;
  },
  // #UD on AMD CPUs in long and compatibility mode (golf models an AMD CPU; see cpu.ts).
  [Sem.sysenter]: (cpu) => {
    cpu.usedSysenter = true;
    return cpu.raise(Vector.UD, cpu.rip);
  },
  [Sem.cpuid]: (cpu, insn) => {
    cpuid(cpu.regLo[RAX]!);
    cpu.writeReg(RAX, 4, cpuidOut[0]!, 0);
    cpu.writeReg(RBX, 4, cpuidOut[1]!, 0);
    cpu.writeReg(RCX, 4, cpuidOut[2]!, 0);
    cpu.writeReg(RDX, 4, cpuidOut[3]!, 0);
    cpu.usedCpuid = true;
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.rdtsc]: (cpu, insn) => {
    cpu.writeReg(RAX, 4, cpu.steps % TWO32, 0);
    cpu.writeReg(RDX, 4, Math.floor(cpu.steps / TWO32), 0);
    cpu.usedRdtsc = true;
    cpu.rip = insn.next;
    return GO;
  },
} satisfies ExecFamily;
