/** Multiplication and division: mul, imul (one, two and three operands), div, idiv. */
import { Sem } from '../../x86/sem.js';
import { out, sext32, SIZE_MASK, szp } from '../alu.js';
import { divS128, divU128, mulS64, mulU32, mulU64, wide } from '../arith64.js';
import { GO, RAX, RDX } from '../cpu-state.js';
import type { CpuState } from '../cpu-state.js';
import { Vector } from '../exceptions.js';
import { AF, CF, OF, STATUS } from '../flags.js';
import type { Exec, ExecFamily } from './exec.js';

/** mul / imul with one operand: the accumulator times src into rdx:rax (ax for bytes). */
function multiplyAccumulator(cpu: CpuState, signed: boolean, size: number, b: number, bHi: number): void {
  const a = cpu.readReg(RAX, size); const aHi = cpu.hi;
  let lo: number, hi: number, wide2 = 0, wide3 = 0, overflow: boolean;
  if (size <= 2) {
    const bits = size * 8;
    const p = signed ? sext32(a, size) * sext32(b, size) : a * b;
    const mask = SIZE_MASK[size]!;
    lo = p & mask;
    hi = (p >> bits) & mask;
    overflow = signed ? p !== sext32(lo, size) : hi !== 0;
    if (size === 1) cpu.writeReg(RAX, 2, p & 0xffff, 0);
    else { cpu.writeReg(RAX, 2, lo, 0); cpu.writeReg(RDX, 2, hi, 0); }
  } else if (size === 4) {
    lo = mulU32(a, b);
    hi = wide[1]!;
    if (signed) hi = (hi - ((a & 0x80000000) !== 0 ? b : 0) - ((b & 0x80000000) !== 0 ? a : 0)) >>> 0;
    overflow = signed ? hi !== ((lo & 0x80000000) !== 0 ? 0xffffffff : 0) : hi !== 0;
    cpu.writeReg(RAX, 4, lo, 0);
    cpu.writeReg(RDX, 4, hi, 0);
  } else {
    if (signed) mulS64(a, aHi, b, bHi); else mulU64(a, aHi, b, bHi);
    lo = wide[0]!; hi = wide[1]!; wide2 = wide[2]!; wide3 = wide[3]!;
    const ext = (hi & 0x80000000) !== 0 ? 0xffffffff : 0;
    overflow = signed ? wide2 !== ext || wide3 !== ext : (wide2 | wide3) !== 0;
    cpu.writeReg(RAX, 8, lo, hi);
    cpu.writeReg(RDX, 8, wide2, wide3);
  }
  cpu.rflags = (cpu.rflags & ~STATUS) | (overflow ? CF | OF : 0) | (szp(lo, size === 8 ? hi : 0, size) & ~AF);
}

/** Two/three-operand imul: truncated product in out.lo/out.hi, CF=OF when it did not fit. */
function multiplyTruncating(cpu: CpuState, size: number, a: number, aHi: number, b: number, bHi: number): void {
  let lo: number, hi = 0, overflow: boolean;
  if (size === 2) {
    const p = sext32(a, 2) * sext32(b, 2);
    lo = p & 0xffff;
    overflow = p !== sext32(lo, 2);
  } else if (size === 4) {
    lo = mulU32(a, b);
    const h = (wide[1]! - ((a & 0x80000000) !== 0 ? b : 0) - ((b & 0x80000000) !== 0 ? a : 0)) >>> 0;
    overflow = h !== ((lo & 0x80000000) !== 0 ? 0xffffffff : 0);
  } else {
    mulS64(a, aHi, b, bHi);
    lo = wide[0]!; hi = wide[1]!;
    const ext = (hi & 0x80000000) !== 0 ? 0xffffffff : 0;
    overflow = wide[2] !== ext || wide[3] !== ext;
  }
  out.lo = lo;
  out.hi = hi;
  out.flags = (cpu.rflags & ~STATUS) | (overflow ? CF | OF : 0) | (szp(lo, hi, size) & ~AF);
}

/** div / idiv of rdx:rax (ax for bytes) by src; false on #DE (zero divisor or quotient overflow). */
function divide(cpu: CpuState, signed: boolean, size: number, b: number, bHi: number): boolean {
  if ((b | bHi) === 0) return false;
  if (size === 1 || size === 2) {
    const n = size === 1
      ? (signed ? sext32(cpu.regLo[RAX]! & 0xffff, 2) : cpu.regLo[RAX]! & 0xffff)
      : signed ? ((cpu.regLo[RDX]! & 0xffff) << 16 | (cpu.regLo[RAX]! & 0xffff))
        : (cpu.regLo[RDX]! & 0xffff) * 65536 + (cpu.regLo[RAX]! & 0xffff);
    const dv = signed ? sext32(b, size) : b;
    const q = Math.trunc(n / dv);
    const r = n - q * dv;
    const bits = size * 8;
    if (signed ? q < -(2 ** (bits - 1)) || q >= 2 ** (bits - 1) : q >= 2 ** bits) return false;
    const mask = SIZE_MASK[size]!;
    if (size === 1) cpu.writeReg(RAX, 2, ((r & 0xff) << 8) | (q & 0xff), 0);
    else { cpu.writeReg(RAX, 2, q & mask, 0); cpu.writeReg(RDX, 2, r & mask, 0); }
    return true;
  }
  if (size === 4) {
    const n0 = cpu.regLo[RAX]!, n1 = cpu.regLo[RDX]!;
    if (signed) {
      const ext = (n1 & 0x80000000) !== 0 ? 0xffffffff : 0;
      if (!divS128(n0, n1, ext, ext, b, (b & 0x80000000) !== 0 ? 0xffffffff : 0)) return false;
      if (wide[1] !== ((wide[0]! & 0x80000000) !== 0 ? 0xffffffff : 0)) return false;
    } else {
      if (!divU128(n0, n1, 0, 0, b, 0) || wide[1] !== 0) return false;
    }
    cpu.writeReg(RAX, 4, wide[0]!, 0);
    cpu.writeReg(RDX, 4, wide[2]!, 0);
    return true;
  }
  const ok = signed
    ? divS128(cpu.regLo[RAX]!, cpu.regHi[RAX]!, cpu.regLo[RDX]!, cpu.regHi[RDX]!, b, bHi)
    : divU128(cpu.regLo[RAX]!, cpu.regHi[RAX]!, cpu.regLo[RDX]!, cpu.regHi[RDX]!, b, bHi);
  if (!ok) return false;
  cpu.writeReg(RAX, 8, wide[0]!, wide[1]!);
  cpu.writeReg(RDX, 8, wide[2]!, wide[3]!);
  return true;
}

/**
 * bt/bts/btr/btc. With a register bit offset and a memory operand the offset is signed and

/** mul / imul with one operand. */
const multiplyOne: Exec = (cpu, insn) => {
  const d = insn.d, size = d.opsize;
  multiplyAccumulator(cpu, d.sem === Sem.imul1, size, cpu.read(d, d.ops[0]!, size), cpu.hi);
  cpu.rip = insn.next;
  return GO;
};

/** imul r, r/m and imul r, r/m, imm. */
const multiplyInto: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const srcOp = d.sem === Sem.imul2 ? ops[0]! : ops[1]!;
  const a = cpu.read(d, srcOp, size); const aHi = cpu.hi;
  const b = cpu.read(d, ops[d.sem === Sem.imul2 ? 1 : 2]!, size);
  multiplyTruncating(cpu, size, a, aHi, b, cpu.hi);
  cpu.write(ops[0]!, size, out.lo, out.hi);
  cpu.rflags = out.flags;
  cpu.rip = insn.next;
  return GO;
};

/** div / idiv: #DE (rip unchanged) for a zero divisor or a quotient that does not fit. */
const divideOne: Exec = (cpu, insn) => {
  const d = insn.d, size = d.opsize;
  if (!divide(cpu, d.sem === Sem.idiv, size, cpu.read(d, d.ops[0]!, size), cpu.hi)) return cpu.raise(Vector.DE, cpu.rip);
  cpu.rip = insn.next;
  return GO;
};

export const MULDIV = {
  [Sem.mul]: multiplyOne, [Sem.imul1]: multiplyOne,
  [Sem.imul2]: multiplyInto, [Sem.imul3]: multiplyInto,
  [Sem.div]: divideOne, [Sem.idiv]: divideOne,
} satisfies ExecFamily;
