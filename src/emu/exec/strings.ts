/** String instructions: lods, stos, movs, scas, cmps, with rep/repe/repne (Decoded.rep) one element per step. */
import type { Decoded } from '../../x86/decoded.js';
import { Sem } from '../../x86/sem.js';
import { out, sub } from '../alu.js';
import { GO, RAX, RCX, RDI, RSI } from '../cpu-state.js';
import type { CpuState } from '../cpu-state.js';
import { DF, ZF } from '../flags.js';
import type { Exec, ExecFamily } from './exec.js';

/**
 * One element of a string instruction. Returns true when the instruction is finished (rip moves
 * on), false when a rep prefix makes it run again.
 */
function stringStep(cpu: CpuState, d: Decoded): boolean {
  const size = d.opsize;
  const asize = d.asize;
  const rep = d.rep;
  if (rep !== 0 && cpu.addrReg(RCX, asize) === 0) return true;
  const delta = (cpu.rflags & DF) !== 0 ? -size : size;
  let compare = false;
  switch (d.sem) {
    case Sem.lods: {
      const lo = cpu.readMem(cpu.addrReg(RSI, asize), size, cpu.regLo[RSI]!);
      cpu.writeReg(RAX, size, lo, cpu.hi);
      cpu.addAddrReg(RSI, asize, delta);
      break;
    }
    case Sem.stos: {
      const lo = cpu.readReg(RAX, size);
      cpu.writeMem(cpu.addrReg(RDI, asize), size, lo, cpu.hi, cpu.regLo[RDI]!);
      cpu.addAddrReg(RDI, asize, delta);
      break;
    }
    case Sem.movs: {
      const lo = cpu.readMem(cpu.addrReg(RSI, asize), size, cpu.regLo[RSI]!);
      cpu.writeMem(cpu.addrReg(RDI, asize), size, lo, cpu.hi, cpu.regLo[RDI]!);
      cpu.addAddrReg(RSI, asize, delta);
      cpu.addAddrReg(RDI, asize, delta);
      break;
    }
    case Sem.scas: {
      const a = cpu.readReg(RAX, size); const aHi = cpu.hi;
      const b = cpu.readMem(cpu.addrReg(RDI, asize), size, cpu.regLo[RDI]!);
      sub(size, a, aHi, b, cpu.hi, 0, cpu.rflags, false);
      cpu.rflags = out.flags;
      cpu.addAddrReg(RDI, asize, delta);
      compare = true;
      break;
    }
    default: { // cmps: [rsi] - [rdi]
      const a = cpu.readMem(cpu.addrReg(RSI, asize), size, cpu.regLo[RSI]!); const aHi = cpu.hi;
      const b = cpu.readMem(cpu.addrReg(RDI, asize), size, cpu.regLo[RDI]!);
      sub(size, a, aHi, b, cpu.hi, 0, cpu.rflags, false);
      cpu.rflags = out.flags;
      cpu.addAddrReg(RSI, asize, delta);
      cpu.addAddrReg(RDI, asize, delta);
      compare = true;
      break;
    }
  }
  if (rep === 0) return true;
  cpu.addAddrReg(RCX, asize, -1);
  if (cpu.addrReg(RCX, asize) === 0) return true;
  if (compare) {
    const zf = (cpu.rflags & ZF) !== 0;
    if (rep === 0xf3 ? !zf : zf) return true;
  }
  return false;
}

/** One element per step: rip stays on a rep instruction that continues, so the next step runs it again. */
const stringOp: Exec = (cpu, insn) => {
  if (stringStep(cpu, insn.d)) cpu.rip = insn.next;
  return GO;
};

export const STRINGS = {
  [Sem.lods]: stringOp, [Sem.stos]: stringOp, [Sem.movs]: stringOp, [Sem.scas]: stringOp, [Sem.cmps]: stringOp,
} satisfies ExecFamily;
