/** Shifts and rotates: the group rol..sar and the double shifts shld/shrd (results from ../shifts.ts). */
import { Sem } from '../../x86/sem.js';
import { out } from '../alu.js';
import { GO, RCX } from '../cpu-state.js';
import { shift, shiftDouble } from '../shifts.js';
import type { Exec, ExecFamily } from './exec.js';

/** rol ror rcl rcr shl shr sar by 1, cl or imm8 (insn.countFrom); sar is /7 of the group (/6 is an alias of shl). */
const shiftGroup: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const a = cpu.read(d, ops[0]!, size); const aHi = cpu.hi;
  const count = insn.countFrom === 0 ? 1 : insn.countFrom === 1 ? cpu.regLo[RCX]! & 0xff : d.imm & 0xff;
  shift(d.sem === Sem.sar ? 7 : d.sem - Sem.rol, size, a, aHi, count, cpu.rflags);
  cpu.write(ops[0]!, size, out.lo, out.hi);
  cpu.rflags = out.flags;
  cpu.rip = insn.next;
  return GO;
};

/** shld / shrd by cl or imm8. */
const shiftDoubleOp: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const a = cpu.read(d, ops[0]!, size); const aHi = cpu.hi;
  const b = cpu.read(d, ops[1]!, size);
  const count = insn.countFrom === 1 ? cpu.regLo[RCX]! & 0xff : d.imm & 0xff;
  shiftDouble(d.sem === Sem.shld, size, a, aHi, b, cpu.hi, count, cpu.rflags);
  cpu.write(ops[0]!, size, out.lo, out.hi);
  cpu.rflags = out.flags;
  cpu.rip = insn.next;
  return GO;
};

export const SHIFTS = {
  [Sem.rol]: shiftGroup, [Sem.ror]: shiftGroup, [Sem.rcl]: shiftGroup, [Sem.rcr]: shiftGroup,
  [Sem.shl]: shiftGroup, [Sem.shr]: shiftGroup, [Sem.sar]: shiftGroup,
  [Sem.shld]: shiftDoubleOp, [Sem.shrd]: shiftDoubleOp,
} satisfies ExecFamily;
