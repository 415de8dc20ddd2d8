/** Control flow: jmp, jcc, call, ret, loop/loope/loopne, jrcxz. */
import { OpKind } from '../../x86/decoded.js';
import { Sem } from '../../x86/sem.js';
import { GO, RCX, RSP, TWO32 } from '../cpu-state.js';
import { conditionHolds, ZF } from '../flags.js';
import type { Exec, ExecFamily } from './exec.js';

/** loop / loope / loopne: rcx (by address size) counts down first. */
const loop: Exec = (cpu, insn) => {
  const d = insn.d, asize = d.asize;
  cpu.addAddrReg(RCX, asize, -1);
  let taken = cpu.addrReg(RCX, asize) !== 0;
  if (d.sem === Sem.loope) taken &&= (cpu.rflags & ZF) !== 0;
  else if (d.sem === Sem.loopne) taken &&= (cpu.rflags & ZF) === 0;
  cpu.rip = taken ? cpu.branchTarget(d) : insn.next;
  return GO;
};

export const BRANCHES = {
  [Sem.jmp]: (cpu, insn) => {
    const d = insn.d, op = d.ops[0]!;
    if (op.kind === OpKind.rel) cpu.rip = cpu.branchTarget(d);
    else { const lo = cpu.read(d, op, d.opsize); cpu.jumpTo(lo, cpu.hi, d.opsize); }
    return GO;
  },
  [Sem.jcc]: (cpu, insn) => {
    cpu.rip = conditionHolds(insn.d.cc, cpu.rflags) ? cpu.branchTarget(insn.d) : insn.next;
    return GO;
  },
  [Sem.call]: (cpu, insn) => {
    const d = insn.d, op = d.ops[0]!, size = d.opsize, next = insn.next;
    let tLo = 0, tHi = 0;
    if (op.kind !== OpKind.rel) { tLo = cpu.read(d, op, size); tHi = cpu.hi; }
    cpu.push(size, next % TWO32, Math.floor(next / TWO32));
    if (op.kind === OpKind.rel) cpu.rip = cpu.branchTarget(d);
    else cpu.jumpTo(tLo, tHi, size);
    return GO;
  },
  [Sem.ret]: (cpu, insn) => {
    const d = insn.d, size = d.opsize;
    const lo = cpu.pop(size); const hi = cpu.hi;
    if (d.ops.length > 0) cpu.addAddrReg(RSP, cpu.stackSize, d.imm & 0xffff);
    cpu.jumpTo(lo, hi, size);
    return GO;
  },
  [Sem.loop]: loop, [Sem.loope]: loop, [Sem.loopne]: loop,
  [Sem.jrcxz]: (cpu, insn) => {
    cpu.rip = cpu.addrReg(RCX, insn.d.asize) === 0 ? cpu.branchTarget(insn.d) : insn.next;
    return GO;
  },
} satisfies ExecFamily;
