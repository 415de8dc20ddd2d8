/** The stack: push, pop, pushf, popf, and pusha/popa (32-bit mode). */
import { Sem } from '../../x86/sem.js';
import { GO, RAX, RBP, RBX, RCX, RDI, RDX, RSI, RSP } from '../cpu-state.js';
import type { CpuState } from '../cpu-state.js';
import { FIXED_ONE, POPF_WRITABLE, PUSHF_MASK, RF } from '../flags.js';
import type { ExecFamily } from './exec.js';

const PUSHA_ORDER = [RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI];
const POPA_ORDER = [RDI, RSI, RBP, RSP, RBX, RDX, RCX, RAX];

/**
 * pusha/pushaw (32-bit mode): eax, ecx, edx, ebx, the original esp, ebp, esi, edi, each of `size`
 * bytes below esp. Every store is made before esp moves, so a fault leaves esp as it was.
 */
function pushAll(cpu: CpuState, size: number): void {
  const R = cpu.regLo;
  const sp = R[RSP]!;
  for (let i = 0; i < 8; i++) {
    const a = (sp - size * (i + 1)) >>> 0;
    const v = PUSHA_ORDER[i] === RSP ? sp : R[PUSHA_ORDER[i]!]!;
    cpu.writeMem(a, size, size === 2 ? v & 0xffff : v, 0, a);
  }
  R[RSP] = (sp - 8 * size) >>> 0;
}

/** popa/popaw: the reverse of pushAll; the saved esp is skipped; all loads happen before any register changes. */
function popAll(cpu: CpuState, size: number): void {
  const R = cpu.regLo;
  const sp = R[RSP]!;
  const values: number[] = [];
  for (let i = 0; i < 8; i++) {
    const a = (sp + size * i) >>> 0;
    values.push(cpu.readMem(a, size, a));
  }
  for (let i = 0; i < 8; i++) if (POPA_ORDER[i] !== RSP) cpu.writeReg(POPA_ORDER[i]!, size, values[i]!, 0);
  R[RSP] = (sp + 8 * size) >>> 0;
}

export const STACK = {
  [Sem.push]: (cpu, insn) => {
    const d = insn.d, size = d.opsize;
    const lo = cpu.read(d, d.ops[0]!, size);
    cpu.push(size, lo, cpu.hi);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.pop]: (cpu, insn) => {
    const size = insn.d.opsize;
    const lo = cpu.pop(size); const hi = cpu.hi;
    // A memory destination addressed through rsp uses the incremented rsp.
    if (insn.hasMem) cpu.address(insn);
    cpu.write(insn.d.ops[0]!, size, lo, hi);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.pushf]: (cpu, insn) => {
    const size = insn.d.opsize;
    const f = (cpu.rflags & PUSHF_MASK) >>> 0;
    cpu.push(size, size === 2 ? f & 0xffff : f, 0);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.popf]: (cpu, insn) => {
    const size = insn.d.opsize;
    const v = cpu.pop(size);
    const writable = size === 2 ? POPF_WRITABLE & 0xffff : POPF_WRITABLE;
    cpu.rflags = ((cpu.rflags & ~writable & ~RF) | (v & writable) | FIXED_ONE) >>> 0;
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.pusha]: (cpu, insn) => {
    pushAll(cpu, insn.d.opsize);
    cpu.rip = insn.next;
    return GO;
  },
  [Sem.popa]: (cpu, insn) => {
    popAll(cpu, insn.d.opsize);
    cpu.rip = insn.next;
    return GO;
  },
} satisfies ExecFamily;
