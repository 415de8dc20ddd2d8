/**
 * The machine state the interpreter's semantics act on, and its operand, address and stack
 * access: registers as 32-bit halves (regLo/regHi, so no BigInt is needed), rip, rflags, the
 * memory operand's effective address, reads and writes through the Memory with the alignment,
 * canonical-stack and page-touch checks. cpu.ts adds the run loop (fetch, decode, cache, dispatch);
 * the family modules in exec/ are the semantics. A separate module so that exec/ can name this
 * type without an import cycle (cpu.ts imports exec/).
 */
import { Fault, Vector } from './exceptions.js';
import { PAGE_SIZE, type Memory } from './memory.js';
import type { PageTouches, Platform } from './platform.js';
import { OpKind, Reg } from '../x86/decoded.js';
import type { Decoded, Operand } from '../x86/decoded.js';
import { SIZE_MASK } from './alu.js';
import type { CachedInstruction } from './decode-cache.js';
import { AC, INITIAL_RFLAGS } from './flags.js';

/** Told of each data access before it happens (address as a number, size in bytes). */
export interface MemoryWatch {
  read(address: number, size: number): void;
  write(address: number, size: number): void;
}

/** Why run() returned. */
export const Stop = { syscall: 1, int80: 2, exception: 3, stepLimit: 4, unsupported: 5 } as const;
export type StopReason = (typeof Stop)[keyof typeof Stop];

/** What an instruction's semantics return to go on with the next step (rip already set). */
export const GO = 0;

export const TWO32 = 4294967296;
/** Canonical 64-bit addresses: below 2^47 or at/above 2^64 - 2^47. */
const CANONICAL_LOW_END = 2 ** 47;
const CANONICAL_HIGH_START = 2 ** 64 - 2 ** 47;
export const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R11 = 11;

export class CpuState {
  /** Low 32 bits of rax..r15 (unsigned). */
  readonly regLo = new Uint32Array(16);
  /** High 32 bits of rax..r15 (unsigned; always 0 in 32-bit mode). */
  readonly regHi = new Uint32Array(16);
  rip = 0;
  rflags = INITIAL_RFLAGS;
  /** Instructions executed since reset() (each iteration of a rep string instruction counts). */
  steps = 0;
  /** Set when run() returns Stop.exception: the vector (exceptions.ts Vector), address and #PF cause. */
  exception = -1;
  faultAddress = 0;
  faultCause = 0;
  /** Set when run() returns Stop.unsupported: e.g. "instruction 0f 10 c0 (unsupported by golf's table)". */
  unsupported = '';
  /**
   * Observer of data accesses (reads and writes of memory operands, pushes, pops, string
   * instructions), told before each access; null in ordinary runs. The search uses it to follow
   * where bytes of a partly built file travel.
   */
  watch: MemoryWatch | null = null;
  /** The program executed cpuid / rdtsc, whose real results depend on the machine. */
  usedCpuid = false;
  usedRdtsc = false;
  /** The program executed sysenter, whose effect depends on the CPU vendor. */
  usedSysenter = false;

  /** The OS's view of first touches of pages (they may suspend #AC or raise #GP). */
  protected readonly touches: PageTouches;
  /** Per `int n` vector, the gate the platform gives user code (exceptions.ts Gate). */
  readonly userGates: Uint8Array;
  /** Stack pointer width and address mask of the mode. */
  readonly stackSize: number;
  /** High half of the last operand read (size 8), set by read(). */
  hi = 0;
  /** Effective address of the current instruction's memory operand, as lo/hi halves and as a number. */
  eaLo = 0;
  eaHi = 0;
  ea = 0;
  /** The memory operand is addressed through SS (base rsp/rbp, no fs/gs override). */
  private eaStack = false;

  constructor(readonly mem: Memory, readonly mode: 64 | 32, platform: Platform) {
    this.stackSize = mode === 64 ? 8 : 4;
    this.touches = platform.touches;
    this.userGates = platform.userGates;
  }

  /** Decided on the high half alone: the 64-bit value as a number rounds near 2^64 - 2^47. */
  protected rspCanonical(): boolean {
    const hi = this.regHi[RSP]!;
    return this.mode !== 64 || hi < 0x8000 || hi >= 0xffff8000;
  }

  /** Notes the data pages of an access of `size` bytes at a (lowBits: exact low 32 bits of a). */
  private touch(a: number, lowBits: number, size: number): void {
    const page = Math.floor(a / PAGE_SIZE);
    const touches = this.touches;
    if (page !== touches.lastPage && touches.noteData(page, this.rspCanonical())) throw new Fault(Vector.GP, 0, 'read', 0);
    if ((lowBits & (PAGE_SIZE - 1)) + size > PAGE_SIZE && touches.noteData(page + 1, this.rspCanonical())) throw new Fault(Vector.GP, 0, 'read', 0);
  }

  /** Stops with an architectural exception: the vector, its fault address and (#PF) cause. */
  raise(vector: number, address: number, cause = 0): StopReason {
    this.exception = vector;
    this.faultAddress = address;
    this.faultCause = cause;
    return Stop.exception;
  }

  // ---------------------------------------------------------------- register and memory access

  /** Reads register `reg` (Reg numbering) of `size` bytes; the high half (size 8) goes to this.hi. */
  readReg(reg: number, size: number): number {
    if (size === 8) { this.hi = this.regHi[reg]!; return this.regLo[reg]!; }
    this.hi = 0;
    if (size === 4) return this.regLo[reg]!;
    if (size === 2) return this.regLo[reg]! & 0xffff;
    return reg < 16 ? this.regLo[reg]! & 0xff : (this.regLo[reg - 16]! >>> 8) & 0xff;
  }

  /** Writes register `reg`: 32-bit writes zero the upper half, 8/16-bit writes merge. */
  writeReg(reg: number, size: number, lo: number, hi: number): void {
    const R = this.regLo;
    if (size === 4) { R[reg] = lo; this.regHi[reg] = 0; }
    else if (size === 8) { R[reg] = lo; this.regHi[reg] = hi; }
    else if (size === 2) R[reg] = (R[reg]! & 0xffff0000) | (lo & 0xffff);
    else if (reg < 16) R[reg] = (R[reg]! & 0xffffff00) | (lo & 0xff);
    else R[reg - 16] = (R[reg - 16]! & 0xffff00ff) | ((lo & 0xff) << 8);
  }

  /**
   * With RFLAGS.AC set (popf can set it) Linux runs user code with CR0.AM on, so a misaligned data
   * access raises #AC (measured natively).
   */
  private checkAlignment(a: number, lowBits: number, size: number): void {
    // A non-canonical address faults first (left to the access); any canonical one,
    // mapped or not, raises #AC before the page walk (both measured natively).
    if ((lowBits & (size - 1)) !== 0 && (a < CANONICAL_LOW_END || a >= CANONICAL_HIGH_START)) throw new Fault(Vector.AC, 0, 'read', 0);
  }

  /**
   * A non-canonical address reached through SS (rsp/rbp base, push/pop) raises #SS (through DS/ES
   * the Memory faults it). Measured natively.
   */
  private checkStackCanonical(a: number): void {
    if (this.mode === 64 && a >= CANONICAL_LOW_END && a < CANONICAL_HIGH_START) throw new Fault(Vector.SS, 0, 'read', 0);
  }

  /** Reads `size` bytes at a; lowBits = exact low 32 bits of the address (a may be rounded above 2^53). */
  readMem(a: number, size: number, lowBits: number): number {
    const m = this.mem;
    if (this.watch !== null) this.watch.read(a, size);
    if (size !== 1 && (this.rflags & AC) !== 0 && !this.touches.alignmentCheckSuspended) this.checkAlignment(a, lowBits, size);
    this.touch(a, lowBits, size);
    if (size === 1) { this.hi = 0; return m.read8(a); }
    if (size === 2) { this.hi = 0; return m.read16(a); }
    if (size === 4) { this.hi = 0; return m.read32(a); }
    const lo = m.read32(a);
    this.hi = m.read32(this.mode === 64 ? a + 4 : (a + 4) % TWO32);
    return lo;
  }

  /** A store happens whole or not at all: the last byte's page is checked before anything is written. */
  writeMem(a: number, size: number, lo: number, hi: number, lowBits: number): void {
    const m = this.mem;
    if (this.watch !== null) this.watch.write(a, size);
    if (size !== 1 && (this.rflags & AC) !== 0 && !this.touches.alignmentCheckSuspended) this.checkAlignment(a, lowBits, size);
    this.touch(a, lowBits, size);
    if (size === 1) m.write8(a, lo & 0xff);
    else if (size === 2) m.write16(a, lo);
    else if (size === 4) m.write32(a, lo);
    else { m.checkWritable(a, 8); m.write32(a, lo); m.write32(a + 4, hi); }
  }

  /** Reads an explicit operand at operation size `size` (immediates are truncated to it). */
  read(d: Decoded, op: Operand, size: number): number {
    switch (op.kind) {
      case OpKind.reg: return this.readReg(op.reg, size);
      case OpKind.mem:
        if (this.eaStack) this.checkStackCanonical(this.ea);
        return this.readMem(this.ea, size, this.eaLo);
      default:
        if (size === 8) { this.hi = d.immHi >>> 0; return d.imm >>> 0; }
        this.hi = 0;
        return size === 4 ? d.imm >>> 0 : d.imm & SIZE_MASK[size]!;
    }
  }

  write(op: Operand, size: number, lo: number, hi: number): void {
    if (op.kind === OpKind.reg) this.writeReg(op.reg, size, lo, hi);
    else {
      if (this.eaStack) this.checkStackCanonical(this.ea);
      this.writeMem(this.ea, size, lo, hi, this.eaLo);
    }
  }

  /** Computes the memory operand's effective address (eaLo/eaHi truncated to the address size, and ea). */
  address(insn: CachedInstruction): void {
    const d = insn.d;
    let lo: number, hi: number;
    if (d.memBase === Reg.rip) {
      const a = d.memDisp;
      lo = a >>> 0;
      hi = a < 0 ? 0xffffffff : Math.floor(a / TWO32) >>> 0;
    } else if (insn.moffs) {
      lo = d.memDisp >>> 0;
      hi = d.memDispHi >>> 0;
    } else {
      // The signed displacement stays in lo; the carry/borrow below propagates its sign into hi.
      lo = d.memDisp;
      hi = 0;
      const base = d.memBase, index = d.memIndex;
      if (base >= 0) { lo += this.regLo[base]!; hi += this.regHi[base]!; }
      if (index >= 0) { const s = d.memScale; lo += this.regLo[index]! * s; hi += this.regHi[index]! * s; }
      const carry = Math.floor(lo / TWO32);
      lo -= carry * TWO32;
      hi = (hi + carry) >>> 0;
    }
    const asize = d.asize;
    this.eaStack = (d.memBase === RSP || d.memBase === RBP) && d.segment !== 0x64 && d.segment !== 0x65;
    if (asize === 8) {
      this.eaLo = lo; this.eaHi = hi;
      this.ea = hi * TWO32 + lo;
    } else {
      this.eaLo = asize === 4 ? lo : lo & 0xffff;
      this.eaHi = 0;
      this.ea = this.eaLo;
    }
  }

  // ---------------------------------------------------------------- stack

  push(size: number, lo: number, hi: number): void {
    const R = this.regLo;
    if (this.stackSize === 8) {
      const l = R[RSP]! - size;
      const h = l < 0 ? (this.regHi[RSP]! - 1) >>> 0 : this.regHi[RSP]!;
      const nl = l >>> 0;
      this.checkStackCanonical(h * TWO32 + nl);
      this.writeMem(h * TWO32 + nl, size, lo, hi, nl);
      R[RSP] = nl;
      this.regHi[RSP] = h;
    } else {
      const a = (R[RSP]! - size) >>> 0;
      this.writeMem(a, size, lo, hi, a);
      R[RSP] = a;
    }
  }

  /** Pops `size` bytes (high half of a 64-bit value in this.hi); rsp is updated after the read. */
  pop(size: number): number {
    const R = this.regLo;
    if (this.stackSize === 8) {
      this.checkStackCanonical(this.regHi[RSP]! * TWO32 + R[RSP]!);
      const lo = this.readMem(this.regHi[RSP]! * TWO32 + R[RSP]!, size, R[RSP]!);
      const l = R[RSP]! + size;
      if (l > 0xffffffff) this.regHi[RSP] = (this.regHi[RSP]! + 1) >>> 0;
      R[RSP] = l >>> 0;
      return lo;
    }
    const lo = this.readMem(R[RSP]!, size, R[RSP]!);
    R[RSP] = (R[RSP]! + size) >>> 0;
    return lo;
  }

  /**
   * pusha/pushaw (32-bit mode): eax, ecx, edx, ebx, the original esp, ebp, esi, edi, each of `size`
   * bytes below esp. Every store is made before esp moves, so a fault leaves esp as it was.

  /** Jumps to the 64-bit (lo, hi) address, truncated by the operation size. */
  jumpTo(lo: number, hi: number, size: number): void {
    this.rip = size === 8 ? hi * TWO32 + lo : size === 4 ? lo : lo & 0xffff;
  }

  /** The address-size counter/index register value (rcx, rsi, rdi by asize) as a number. */

  /** A rel branch's target; outside 64-bit mode truncated to the operation size. */
  branchTarget(d: Decoded): number {
    const t = d.target;
    if (this.mode === 64) return t;
    return d.opsize === 2 ? t & 0xffff : t >>> 0;
  }

  addrReg(reg: number, asize: number): number {
    return asize === 8 ? this.regHi[reg]! * TWO32 + this.regLo[reg]! : asize === 4 ? this.regLo[reg]! : this.regLo[reg]! & 0xffff;
  }

  /** Adds delta (small, signed) to an address-size register: 32-bit updates clear the upper half, 16-bit merge. */
  addAddrReg(reg: number, asize: number, delta: number): void {
    const R = this.regLo;
    if (asize === 8) {
      const l = R[reg]! + delta;
      if (l > 0xffffffff) this.regHi[reg] = (this.regHi[reg]! + 1) >>> 0;
      else if (l < 0) this.regHi[reg] = (this.regHi[reg]! - 1) >>> 0;
      R[reg] = l >>> 0;
    } else if (asize === 4) {
      R[reg] = (R[reg]! + delta) >>> 0;
      this.regHi[reg] = 0;
    } else {
      R[reg] = (R[reg]! & 0xffff0000) | ((R[reg]! + delta) & 0xffff);
    }
  }
}
