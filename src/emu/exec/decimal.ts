/** The decimal adjusts of 32-bit mode (daa, das, aaa, aas, aam, aad) and salc, on AX (results from ../bcd.ts). */
import { Sem } from '../../x86/sem.js';
import { aaa, aad, aam, aas, bcdOut, daa, das, salc } from '../bcd.js';
import { GO, RAX } from '../cpu-state.js';
import type { CpuState } from '../cpu-state.js';
import { Vector } from '../exceptions.js';
import type { Exec, ExecFamily } from './exec.js';

/** AX and RFLAGS from bcd.ts's result. */
function store(cpu: CpuState): void {
  cpu.writeReg(RAX, 2, bcdOut.ax, 0);
  cpu.rflags = bcdOut.flags;
}

/** An adjust of AX and the flags alone. */
function adjust(op: (ax: number, flags: number) => void): Exec {
  return (cpu, insn) => {
    op(cpu.regLo[RAX]! & 0xffff, cpu.rflags);
    store(cpu);
    cpu.rip = insn.next;
    return GO;
  };
}

export const DECIMAL = {
  [Sem.daa]: adjust(daa), [Sem.das]: adjust(das), [Sem.aaa]: adjust(aaa), [Sem.aas]: adjust(aas), [Sem.salc]: adjust(salc),
  // aam's base is its imm8; a base of 0 is #DE (rip unchanged).
  [Sem.aam]: (cpu, insn) => {
    if (!aam(cpu.regLo[RAX]! & 0xffff, cpu.rflags, insn.d.imm & 0xff)) return cpu.raise(Vector.DE, cpu.rip);
    store(cpu);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.aad]: (cpu, insn) => {
    aad(cpu.regLo[RAX]! & 0xffff, cpu.rflags, insn.d.imm & 0xff);
    store(cpu);
    cpu.rip = insn.next;
    return GO;
  },
} satisfies ExecFamily;
