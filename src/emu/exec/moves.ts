/** Data movement: mov and its extending forms, lea, xchg, the accumulator extensions, bswap, xlat, setcc, cmovcc. */
import { Sem } from '../../x86/sem.js';
import { sext32, SIGN_BIT, SIZE_MASK } from '../alu.js';
import { GO, RAX, RBX, RDX, TWO32 } from '../cpu-state.js';
import { conditionHolds } from '../flags.js';
import type { Exec, ExecFamily } from './exec.js';

/** Byte-reverses a 32-bit value. */
function swap(x: number): number {
  return ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) >>> 0;
}

/** movsx / movsxd: the source (its own size) sign-extended to the operation size. */
const moveSignExtended: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const s = sext32(cpu.read(d, ops[1]!, ops[1]!.size), ops[1]!.size);
  cpu.write(ops[0]!, size, size === 4 || size === 8 ? s >>> 0 : s & SIZE_MASK[size]!, s < 0 ? 0xffffffff : 0);
  cpu.rip = insn.next;
  return GO;
};

export const MOVES = {
  [Sem.mov]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const lo = cpu.read(d, ops[1]!, size);
    cpu.write(ops[0]!, size, lo, cpu.hi);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.movzx]: (cpu, insn) => {
    const d = insn.d, ops = d.ops;
    const lo = cpu.read(d, ops[1]!, ops[1]!.size);
    cpu.write(ops[0]!, d.opsize, lo, 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.movsx]: moveSignExtended,
  [Sem.movsxd]: moveSignExtended,
  [Sem.lea]: (cpu, insn) => {
    const size = insn.d.opsize;
    cpu.write(insn.d.ops[0]!, size, size === 2 ? cpu.eaLo & 0xffff : cpu.eaLo, cpu.eaHi);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.xchg]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const a = cpu.read(d, ops[0]!, size); const aHi = cpu.hi;
    const b = cpu.read(d, ops[1]!, size); const bHi = cpu.hi;
    cpu.write(ops[0]!, size, b, bHi); // memory (if any) is operand 0: it faults before any register changes
    cpu.write(ops[1]!, size, a, aHi);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.cbw]: (cpu, insn) => {
    const size = insn.d.opsize;
    const half = size / 2;
    const s = sext32(cpu.readReg(RAX, half), half);
    cpu.writeReg(RAX, size, size === 2 ? s & 0xffff : s >>> 0, s < 0 ? 0xffffffff : 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.cwd]: (cpu, insn) => {
    const size = insn.d.opsize;
    const neg = size === 8 ? (cpu.regHi[RAX]! >>> 31) : (cpu.regLo[RAX]! & SIGN_BIT[size]!) !== 0 ? 1 : 0;
    cpu.writeReg(RDX, size, neg ? (size === 2 ? 0xffff : 0xffffffff) : 0, neg ? 0xffffffff : 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.bswap]: (cpu, insn) => {
    const r = insn.d.ops[0]!.reg;
    if (insn.d.opsize === 8) { const lo = cpu.regLo[r]!; cpu.regLo[r] = swap(cpu.regHi[r]!); cpu.regHi[r] = swap(lo); }
    else cpu.writeReg(r, 4, swap(cpu.regLo[r]!), 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.xlat]: (cpu, insn) => {
    const asize = insn.d.asize;
    let a = cpu.addrReg(RBX, asize) + (cpu.regLo[RAX]! & 0xff);
    if (asize === 4) a %= TWO32; else if (asize === 2) a &= 0xffff;
    cpu.writeReg(RAX, 1, cpu.readMem(a, 1, a % TWO32), 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.setcc]: (cpu, insn) => {
    cpu.write(insn.d.ops[0]!, 1, conditionHolds(insn.d.cc, cpu.rflags) ? 1 : 0, 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.cmovcc]: (cpu, insn) => {
    const d = insn.d, ops = d.ops, size = d.opsize;
    const lo = cpu.read(d, ops[1]!, size); // the source is read (and may fault) even when false
    const hi = cpu.hi;
    if (conditionHolds(d.cc, cpu.rflags)) cpu.write(ops[0]!, size, lo, hi);
    else if (size === 4) cpu.regHi[ops[0]!.reg] = 0; // a 32-bit destination is written either way
    cpu.rip = insn.next;
    return GO;
  },
} satisfies ExecFamily;
