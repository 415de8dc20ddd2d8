/** Bit instructions: bt, bts, btr, btc, bsf, bsr. */
import { OpKind } from '../../x86/decoded.js';
import { Sem } from '../../x86/sem.js';
import { sext32 } from '../alu.js';
import { GO, TWO32 } from '../cpu-state.js';
import type { CpuState } from '../cpu-state.js';
import type { CachedInstruction } from '../decode-cache.js';
import { CF, ZF } from '../flags.js';
import type { Exec, ExecFamily } from './exec.js';

/**
 * bt/bts/btr/btc. With a register bit offset and a memory operand the offset is signed and
 * selects an operand-sized word relative to the address; an immediate offset is masked.
 */
function bitTest(cpu: CpuState, insn: CachedInstruction): void {
  const d = insn.d, size = d.opsize;
  const ops = d.ops;
  const bits = size * 8;
  let offLo: number, offHi = 0;
  if (ops[1]!.kind === OpKind.reg) { offLo = cpu.readReg(ops[1]!.reg, size); offHi = cpu.hi; }
  else offLo = d.imm & 0xff;
  const bit = offLo & (bits - 1);
  if (insn.hasMem && ops[1]!.kind === OpKind.reg) {
    // Signed offset of the operation size; the word index may move the address either way.
    const signedOff = size === 8 ? (offHi | 0) * TWO32 + offLo : sext32(offLo, size);
    const words = Math.floor(signedOff / bits);
    cpu.ea = cpu.ea + words * size;
    if (cpu.mode !== 64 || d.asize !== 8) cpu.ea = ((cpu.ea % TWO32) + TWO32) % TWO32;
    if (cpu.ea < 0) cpu.ea += 2 ** 64; // below 0 wraps to the top of the address space: faults
    cpu.eaLo = (cpu.eaLo + words * size) >>> 0;
  }
  const dst = ops[0]!;
  let lo = cpu.read(d, dst, size);
  let hi = cpu.hi;
  const inHi = bit >= 32;
  const m = inHi ? (1 << (bit - 32)) >>> 0 : (1 << bit) >>> 0;
  const was = ((inHi ? hi : lo) & m) !== 0;
  cpu.rflags = (cpu.rflags & ~CF) | (was ? CF : 0);
  if (d.sem === Sem.bt) return;
  let w = inHi ? hi : lo;
  if (d.sem === Sem.bts) w = (w | m) >>> 0;
  else if (d.sem === Sem.btr) w = (w & ~m) >>> 0;
  else w = (w ^ m) >>> 0;
  if (inHi) hi = w; else lo = w;
  cpu.write(dst, size, lo, hi);
}

const bitTestOp: Exec = (cpu, insn) => {
  bitTest(cpu, insn);
  cpu.rip = insn.next;
  return GO;
};

/** bsf / bsr: ZF set and the destination unchanged for a zero source. */
const bitScan: Exec = (cpu, insn) => {
  const d = insn.d, ops = d.ops, size = d.opsize;
  const lo = cpu.read(d, ops[1]!, size); const hi = cpu.hi;
  if ((lo | hi) === 0) {
    cpu.rflags |= ZF;
  } else {
    let index: number;
    if (d.sem === Sem.bsf) index = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
    else index = hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
    cpu.write(ops[0]!, size, index, 0);
    cpu.rflags &= ~ZF;
  }
  cpu.rip = insn.next;
  return GO;
};

export const BITS = {
  [Sem.bt]: bitTestOp, [Sem.bts]: bitTestOp, [Sem.btr]: bitTestOp, [Sem.btc]: bitTestOp,
  [Sem.bsf]: bitScan, [Sem.bsr]: bitScan,
} satisfies ExecFamily;
