/** Integer arithmetic and logic: the binary ALU group (add..cmp), test, inc, dec, neg, not. */
import { Sem } from '../../x86/sem.js';
import { add, binary, logic, out, SIZE_MASK, sub } from '../alu.js';
import { GO } from '../cpu-state.js';
import type { Exec, ExecFamily } from './exec.js';

/** add or adc sbb and sub xor cmp: the Sem order is the /digit order alu.binary takes. */
const binaryOp: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const a = cpu.read(d, ops[0]!, size); const aHi = cpu.hi;
  const b = cpu.read(d, ops[1]!, size);
  binary(d.sem - Sem.add, size, a, aHi, b, cpu.hi, cpu.rflags);
  if (d.sem !== Sem.cmp) cpu.write(ops[0]!, size, out.lo, out.hi);
  cpu.rflags = out.flags;
  cpu.rip = insn.next;
  return GO;
};

/** inc / dec: CF is kept. */
const step: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const a = cpu.read(d, ops[0]!, size);
  if (d.sem === Sem.inc) add(size, a, cpu.hi, 1, 0, 0, cpu.rflags, true);
  else sub(size, a, cpu.hi, 1, 0, 0, cpu.rflags, true);
  cpu.write(ops[0]!, size, out.lo, out.hi);
  cpu.rflags = out.flags;
  cpu.rip = insn.next;
  return GO;
};

export const ARITH = {
  [Sem.add]: binaryOp, [Sem.or]: binaryOp, [Sem.adc]: binaryOp, [Sem.sbb]: binaryOp,
  [Sem.and]: binaryOp, [Sem.sub]: binaryOp, [Sem.xor]: binaryOp, [Sem.cmp]: binaryOp,
  [Sem.test]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const a = cpu.read(d, ops[0]!, size); const aHi = cpu.hi;
    const b = cpu.read(d, ops[1]!, size);
    logic(size, (a & b) >>> 0, (aHi & cpu.hi) >>> 0, cpu.rflags);
    cpu.rflags = out.flags;
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.inc]: step,
  [Sem.dec]: step,
  [Sem.neg]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const a = cpu.read(d, ops[0]!, size);
    sub(size, 0, 0, a, cpu.hi, 0, cpu.rflags, false);
    cpu.write(ops[0]!, size, out.lo, out.hi);
    cpu.rflags = out.flags;
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.not]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const a = cpu.read(d, ops[0]!, size);
    cpu.write(ops[0]!, size, size === 4 || size === 8 ? ~a >>> 0 : ~a & SIZE_MASK[size]!, ~cpu.hi >>> 0);
    cpu.rip = insn.next;
    return GO;
  },
} satisfies ExecFamily;
