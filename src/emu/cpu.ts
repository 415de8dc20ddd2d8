/**
 * The x86-64 (and 32-bit) user-mode interpreter: fetches through the AddressSpace (exec permission
 * checked), decodes with golf's table-driven decoder, caches decoded instructions per address, and
 * executes by dispatching on the form's semantics id (Sem).
 *
 * Registers are 32-bit halves (regLo/regHi) so that no BigInt is ever needed. Memory faults are #PF
 * Faults thrown by the Memory; they and every other architectural exception stop the run with
 * Stop.exception (exception, faultAddress, faultCause set). Which signal that is, and which `int n`
 * gates user code may use, is the OS model's (the Platform given to the constructor; Linux's is
 * linux/traps.ts). System calls stop the run (Stop.syscall / Stop.int80) so the OS layer can execute
 * them and call run() again. This module imports nothing of the OS model.
 *
 * Behaviour where the manual is silent or machine-dependent (all deterministic):
 * - A rep-prefixed string instruction executes one element per step: `steps` counts iterations, a
 *   step limit can stop it half-way with rcx/rsi/rdi consistent (as an interrupt would), and TF
 *   traps after each iteration.
 * - Single-step: an instruction that starts with TF set raises #DB after it completes (so popf
 *   setting TF traps after the following instruction; syscall and int 0x80 do not trap themselves,
 *   because the CPU masks TF on kernel entry).
 * - popf: only CF PF AF ZF SF TF DF OF NT AC ID change (IF/IOPL are kept at CPL 3), RF is cleared.
 * - sysenter: #UD as on AMD CPUs, golf's reference machine (AMD does not allow sysenter
 *   outside legacy mode; Intel CPUs would enter the kernel): usedSysenter tells the caller.
 * - 32-bit mode: pusha/popa, the decimal adjusts and salc (bcd.ts), into (#OF when OF is set). Far branches, segment-register instructions and the other 32-bit-only
 *   opcodes are outside the table (unsupported, see unmodelled.ts).
 * - cpuid/rdtsc: fixed answers (machine-info.ts); rdtsc returns the step count. usedCpuid/usedRdtsc
 *   tell the caller the program observed machine-dependent values.
 * - mul/imul: SF ZF PF from the low half of the result, AF cleared. div/idiv: flags unchanged.
 * - bt/bts/btr/btc change only CF. bsf/bsr: ZF defined; CF OF SF AF PF unchanged; with a zero
 *   source the destination is left unchanged (whole 64-bit register, as AMD and Intel CPUs do).
 * - int3 raises #BP; `int n` goes through the platform's gate n (#GP for a kernel-only gate, the
 *   gate's own exception after the instruction, or Stop.int80 for the system-call gate); hlt and
 *   over-long instructions raise #GP; ud2 and invalid encodings #UD; a zero or overflowing divide #DE.
 * - RFLAGS.AC set (by popf) makes misaligned data accesses raise #AC, as Linux enables CR0.AM
 *   (measured natively), unless the platform's page-touch model suspends it (Linux's first touch of
 *   a page with a non-canonical rsp, linux/noncanonical-rsp.ts, also measured).
 * - A non-canonical address used through SS (base rsp/rbp, push/pop) is #SS; through other segments
 *   the Memory's #PF (measured natively: Linux sends SIGBUS for the first, SIGSEGV for the second).
 * - faultAddress is the faulting data/fetch address for #PF, the instruction address for #UD/#DE,
 *   and 0 where the kernel reports none (#GP, #BP, ...).
 */
import { Fault, Gate, Vector } from './exceptions.js';
import type { Memory } from './memory.js';
import type { PageTouches, Platform } from './platform.js';
import { DecodeStatus, OpKind, Reg } from '../x86/decoded.js';
import type { Decoded, Operand } from '../x86/decoded.js';
import { decode } from '../x86/decoder.js';
import { Sem } from '../x86/sem.js';
import { add, binary, logic, out, SIGN_BIT, SIZE_MASK, sub, szp } from './alu.js';
import { divS128, divU128, mulS64, mulU32, mulU64, wide } from './arith64.js';
import { DecodeCache, MAX_INSTRUCTION_LENGTH } from './decode-cache.js';
import type { CachedInstruction } from './decode-cache.js';
import { AC, AF, CF, conditionHolds, DF, FIXED_ONE, INITIAL_RFLAGS, OF, POPF_WRITABLE, PUSHF_MASK, RF, STATUS, TF, ZF } from './flags.js';
import { aaa, aad, aam, aas, bcdOut, daa, das, salc } from './bcd.js';
import { cpuid, cpuidOut } from './machine-info.js';
import { shift, shiftDouble } from './shifts.js';
import { unmodelledReason } from './unmodelled.js';

/** Told of each data access before it happens (address as a number, size in bytes). */
export interface MemoryWatch {
  read(address: number, size: number): void;
  write(address: number, size: number): void;
}

/** Why run() returned. */
export const Stop = { syscall: 1, int80: 2, exception: 3, stepLimit: 4, unsupported: 5 } as const;
export type StopReason = (typeof Stop)[keyof typeof Stop];

const TWO32 = 4294967296;
/** Canonical 64-bit addresses: below 2^47 or at/above 2^64 - 2^47. */
const CANONICAL_LOW_END = 2 ** 47;
const CANONICAL_HIGH_START = 2 ** 64 - 2 ** 47;
const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R11 = 11;

/** Continue with the next instruction (exec's "no stop" result). */
const GO = 0;

/** Byte-reverses a 32-bit value. */
function swap(x: number): number {
  return ((x >>> 24) | ((x >>> 8) & 0xff00) | ((x & 0xff00) << 8) | (x << 24)) >>> 0;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Sign-extends the low `size` bytes of lo (size 1, 2 or 4) to a signed 32-bit number. */
function sext32(lo: number, size: number): number {
  return size === 1 ? (lo << 24) >> 24 : size === 2 ? (lo << 16) >> 16 : lo | 0;
}

export class Cpu {
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

  private readonly cache = new DecodeCache();
  /** The OS's view of first touches of pages (they may suspend #AC or raise #GP). */
  private readonly touches: PageTouches;
  private readonly userGates: Uint8Array;
  private readonly fetchBuf = new Uint8Array(MAX_INSTRUCTION_LENGTH);
  /** Stack pointer width and address mask of the mode. */
  private readonly stackSize: number;
  /** High half of the last operand read (size 8), set by read(). */
  private hi = 0;
  /** Effective address of the current instruction's memory operand, as lo/hi halves and as a number. */
  private eaLo = 0;
  private eaHi = 0;
  private ea = 0;
  /** The memory operand is addressed through SS (base rsp/rbp, no fs/gs override). */
  private eaStack = false;

  constructor(readonly mem: Memory, readonly mode: 64 | 32, platform: Platform) {
    this.stackSize = mode === 64 ? 8 : 4;
    this.touches = platform.touches;
    this.userGates = platform.userGates;
    mem.onCodeWrite = this.codeWritten;
  }

  private readonly codeWritten = (address: number): void => this.cache.invalidate(address);

  /**
   * Linux's entry state: all registers 0, rflags 0x202; forgets decoded code (mappings may change).
   * Also makes this CPU the one told of writes to code (an address space may serve a 64-bit and a
   * 32-bit CPU in turn).
   */
  reset(): void {
    this.mem.onCodeWrite = this.codeWritten;
    this.regLo.fill(0);
    this.regHi.fill(0);
    this.rip = 0;
    this.rflags = INITIAL_RFLAGS;
    this.steps = 0;
    this.exception = -1;
    this.faultAddress = 0;
    this.faultCause = 0;
    this.unsupported = '';
    this.usedCpuid = false;
    this.usedRdtsc = false;
    this.usedSysenter = false;
    this.cache.clear();
    this.touches.reset();
  }

  /** Executes at most maxSteps instructions. */
  run(maxSteps: number): StopReason {
    const end = this.steps + maxSteps;
    const cache = this.cache;
    const touches = this.touches;
    if (this.steps === 0) touches.setInitialStack(this.regHi[RSP]! * TWO32 + this.regLo[RSP]!);
    try {
      for (;;) {
        if (this.steps >= end) return Stop.stepLimit;
        if (touches.alignmentCheckSuspended && this.rspCanonical()) touches.alignmentCheckSuspended = false;
        const ip = this.rip;
        let insn = cache.get(ip);
        if (insn === undefined) {
          const fetched = this.fetchDecode(ip);
          if (typeof fetched === 'number') return fetched;
          insn = fetched;
        }
        const r = this.stepOne(insn);
        if (r !== GO) return r as StopReason;
      }
    } catch (e) {
      if (e instanceof Fault) return this.raise(e.vector, e.address, e.cause);
      throw e;
    }
  }

  /**
   * Executes one instruction at rip that the caller has decoded itself from the same bytes (the
   * search's walk decodes each instruction once, to see which bytes it reads): what run(1) does,
   * without fetching, decoding or caching it again. Its bytes must still be fetchable (executable
   * pages), as a fetch would check; a form run(1) would refuse goes through run(1).
   */
  runDecoded(d: Decoded): StopReason {
    if (d.status !== DecodeStatus.ok || this.steps === 0) return this.run(1);
    const ip = this.rip;
    try {
      if (this.touches.alignmentCheckSuspended && this.rspCanonical()) this.touches.alignmentCheckSuspended = false;
      for (let i = 0; i < d.length; i++) this.mem.fetch8(this.mode === 64 ? ip + i : (ip + i) % TWO32);
      this.touches.noteFetch(Math.floor(ip / 4096));
      this.touches.noteFetch(Math.floor((ip + d.length - 1) / 4096));
      const r = this.stepOne(describeInstruction(this.decodedInsn, d, ip, this.mode));
      return r === GO ? Stop.stepLimit : (r as StopReason);
    } catch (e) {
      if (e instanceof Fault) return this.raise(e.vector, e.address, e.cause);
      throw e;
    }
  }

  /** Executes one instruction and counts it: GO to go on, else the stop (a trap flag set before it raises #DB after it). */
  private stepOne(insn: CachedInstruction): number {
    const tf = this.rflags & TF;
    const r = this.exec(insn);
    if (r !== GO) {
      if (r === Stop.syscall || r === Stop.int80) this.steps++;
      return r;
    }
    this.steps++;
    if (tf !== 0) return this.raise(Vector.DB, 0);
    return GO;
  }

  /** runDecoded's one instruction record, refilled each time (no allocation per step). */
  private readonly decodedInsn: CachedInstruction = { d: null as unknown as Decoded, next: 0, hasMem: false, moffs: false, countFrom: -1 };

  /** Decided on the high half alone: the 64-bit value as a number rounds near 2^64 - 2^47. */
  private rspCanonical(): boolean {
    const hi = this.regHi[RSP]!;
    return this.mode !== 64 || hi < 0x8000 || hi >= 0xffff8000;
  }

  /** Notes the data pages of an access of `size` bytes at a (lowBits: exact low 32 bits of a). */
  private touch(a: number, lowBits: number, size: number): void {
    const page = Math.floor(a / 4096);
    const touches = this.touches;
    if (page !== touches.lastPage && touches.noteData(page, this.rspCanonical())) throw new Fault(Vector.GP, 0, 'read', 0);
    if ((lowBits & 0xfff) + size > 0x1000 && touches.noteData(page + 1, this.rspCanonical())) throw new Fault(Vector.GP, 0, 'read', 0);
  }

  private raise(vector: number, address: number, cause = 0): StopReason {
    this.exception = vector;
    this.faultAddress = address;
    this.faultCause = cause;
    return Stop.exception;
  }

  /**
   * Fetches up to 15 bytes (stopping at the first unfetchable one), decodes them and caches the
   * result. Returns the cache entry, or the Stop to report (signal/unsupported fields set).
   */
  private fetchDecode(ip: number): CachedInstruction | StopReason {
    const buf = this.fetchBuf;
    let n = 0;
    let fault: Fault | null = null;
    for (; n < MAX_INSTRUCTION_LENGTH; n++) {
      try {
        buf[n] = this.mem.fetch8(this.mode === 64 ? ip + n : (ip + n) % TWO32);
      } catch (e) {
        if (!(e instanceof Fault)) throw e;
        fault = e;
        break;
      }
    }
    // Only bytes the instruction really needs may fault: a short buffer is fine if it decodes.
    if (n === 0) throw fault!;
    this.touches.noteFetch(Math.floor(ip / 4096));
    this.touches.noteFetch(Math.floor((ip + n - 1) / 4096));
    const d = decode(buf.subarray(0, n), 0, this.mode, ip);
    switch (d.status) {
      case DecodeStatus.ok: break;
      case DecodeStatus.truncated: throw fault!;
      case DecodeStatus.invalid: return this.raise(Vector.UD, ip);
      case DecodeStatus.tooLong: return this.raise(Vector.GP, 0);
      default: {
        const name = d.mnemonic ? ` (${d.mnemonic})` : '';
        const bytes = buf.subarray(0, d.length);
        const why = unmodelledReason(bytes, this.mode);
        this.unsupported = `instruction ${hex(bytes)}${name} at 0x${ip.toString(16)} ${why ? `is refused: ${why}` : "is not in golf's instruction table"}`;
        return Stop.unsupported;
      }
    }
    const insn = describeInstruction({ d, next: 0, hasMem: false, moffs: false, countFrom: -1 }, d, ip, this.mode);
    this.cache.set(ip, insn);
    return insn;
  }

  // ---------------------------------------------------------------- register and memory access

  /** Reads register `reg` (Reg numbering) of `size` bytes; the high half (size 8) goes to this.hi. */
  private readReg(reg: number, size: number): number {
    if (size === 8) { this.hi = this.regHi[reg]!; return this.regLo[reg]!; }
    this.hi = 0;
    if (size === 4) return this.regLo[reg]!;
    if (size === 2) return this.regLo[reg]! & 0xffff;
    return reg < 16 ? this.regLo[reg]! & 0xff : (this.regLo[reg - 16]! >>> 8) & 0xff;
  }

  /** Writes register `reg`: 32-bit writes zero the upper half, 8/16-bit writes merge. */
  private writeReg(reg: number, size: number, lo: number, hi: number): void {
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
  private readMem(a: number, size: number, lowBits: number): number {
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
  private writeMem(a: number, size: number, lo: number, hi: number, lowBits: number): void {
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
  private read(d: Decoded, op: Operand, size: number): number {
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

  private write(op: Operand, size: number, lo: number, hi: number): void {
    if (op.kind === OpKind.reg) this.writeReg(op.reg, size, lo, hi);
    else {
      if (this.eaStack) this.checkStackCanonical(this.ea);
      this.writeMem(this.ea, size, lo, hi, this.eaLo);
    }
  }

  /** Computes the memory operand's effective address (eaLo/eaHi truncated to the address size, and ea). */
  private address(insn: CachedInstruction): void {
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

  private push(size: number, lo: number, hi: number): void {
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
  private pop(size: number): number {
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
   */
  private pushAll(size: number): void {
    const R = this.regLo;
    const sp = R[RSP]!;
    const order = [RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI];
    for (let i = 0; i < 8; i++) {
      const a = (sp - size * (i + 1)) >>> 0;
      const v = order[i] === RSP ? sp : R[order[i]!]!;
      this.writeMem(a, size, size === 2 ? v & 0xffff : v, 0, a);
    }
    R[RSP] = (sp - 8 * size) >>> 0;
  }

  /** popa/popaw: the reverse of pushAll; the saved esp is skipped; all loads happen before any register changes. */
  private popAll(size: number): void {
    const R = this.regLo;
    const sp = R[RSP]!;
    const order = [RDI, RSI, RBP, RSP, RBX, RDX, RCX, RAX];
    const values: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = (sp + size * i) >>> 0;
      values.push(this.readMem(a, size, a));
    }
    for (let i = 0; i < 8; i++) if (order[i] !== RSP) this.writeReg(order[i]!, size, values[i]!, 0);
    R[RSP] = (sp + 8 * size) >>> 0;
  }

  /** Jumps to the 64-bit (lo, hi) address, truncated by the operation size. */
  private jumpTo(lo: number, hi: number, size: number): void {
    this.rip = size === 8 ? hi * TWO32 + lo : size === 4 ? lo : lo & 0xffff;
  }

  /** The address-size counter/index register value (rcx, rsi, rdi by asize) as a number. */
  private addrReg(reg: number, asize: number): number {
    return asize === 8 ? this.regHi[reg]! * TWO32 + this.regLo[reg]! : asize === 4 ? this.regLo[reg]! : this.regLo[reg]! & 0xffff;
  }

  /** Adds delta (small, signed) to an address-size register: 32-bit updates clear the upper half, 16-bit merge. */
  private addAddrReg(reg: number, asize: number, delta: number): void {
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

  // ---------------------------------------------------------------- execution

  /** Executes one instruction (one iteration of a rep string instruction); returns GO or a Stop. */
  private exec(insn: CachedInstruction): number {
    const d = insn.d;
    const ops = d.ops;
    const size = d.opsize;
    if (insn.hasMem) this.address(insn);
    let next = insn.next;
    switch (d.sem) {
      case Sem.mov: {
        const lo = this.read(d, ops[1]!, size);
        this.write(ops[0]!, size, lo, this.hi);
        break;
      }
      case Sem.movzx: {
        const lo = this.read(d, ops[1]!, ops[1]!.size);
        this.write(ops[0]!, size, lo, 0);
        break;
      }
      case Sem.movsx: case Sem.movsxd: {
        const s = sext32(this.read(d, ops[1]!, ops[1]!.size), ops[1]!.size);
        this.write(ops[0]!, size, size === 4 || size === 8 ? s >>> 0 : s & SIZE_MASK[size]!, s < 0 ? 0xffffffff : 0);
        break;
      }
      case Sem.lea:
        this.write(ops[0]!, size, size === 2 ? this.eaLo & 0xffff : this.eaLo, this.eaHi);
        break;
      case Sem.xchg: {
        const a = this.read(d, ops[0]!, size); const aHi = this.hi;
        const b = this.read(d, ops[1]!, size); const bHi = this.hi;
        this.write(ops[0]!, size, b, bHi); // memory (if any) is operand 0: it faults before any register changes
        this.write(ops[1]!, size, a, aHi);
        break;
      }
      case Sem.push: {
        const lo = this.read(d, ops[0]!, size);
        this.push(size, lo, this.hi);
        break;
      }
      case Sem.pop: {
        const lo = this.pop(size); const hi = this.hi;
        // A memory destination addressed through rsp uses the incremented rsp.
        if (insn.hasMem) this.address(insn);
        this.write(ops[0]!, size, lo, hi);
        break;
      }
      case Sem.add: case Sem.or: case Sem.adc: case Sem.sbb: case Sem.and: case Sem.sub: case Sem.xor: case Sem.cmp: {
        const a = this.read(d, ops[0]!, size); const aHi = this.hi;
        const b = this.read(d, ops[1]!, size);
        binary(d.sem - Sem.add, size, a, aHi, b, this.hi, this.rflags);
        if (d.sem !== Sem.cmp) this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.test: {
        const a = this.read(d, ops[0]!, size); const aHi = this.hi;
        const b = this.read(d, ops[1]!, size);
        logic(size, (a & b) >>> 0, (aHi & this.hi) >>> 0, this.rflags);
        this.rflags = out.flags;
        break;
      }
      case Sem.inc: case Sem.dec: {
        const a = this.read(d, ops[0]!, size);
        if (d.sem === Sem.inc) add(size, a, this.hi, 1, 0, 0, this.rflags, true);
        else sub(size, a, this.hi, 1, 0, 0, this.rflags, true);
        this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.neg: {
        const a = this.read(d, ops[0]!, size);
        sub(size, 0, 0, a, this.hi, 0, this.rflags, false);
        this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.not: {
        const a = this.read(d, ops[0]!, size);
        this.write(ops[0]!, size, size === 4 || size === 8 ? ~a >>> 0 : ~a & SIZE_MASK[size]!, ~this.hi >>> 0);
        break;
      }
      case Sem.mul: case Sem.imul1:
        this.multiplyAccumulator(d.sem === Sem.imul1, size, this.read(d, ops[0]!, size), this.hi);
        break;
      case Sem.imul2: case Sem.imul3: {
        const srcOp = d.sem === Sem.imul2 ? ops[0]! : ops[1]!;
        const a = this.read(d, srcOp, size); const aHi = this.hi;
        const b = this.read(d, ops[d.sem === Sem.imul2 ? 1 : 2]!, size);
        this.multiplyTruncating(size, a, aHi, b, this.hi);
        this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.div: case Sem.idiv:
        if (!this.divide(d.sem === Sem.idiv, size, this.read(d, ops[0]!, size), this.hi)) return this.raise(Vector.DE, this.rip);
        break;
      case Sem.rol: case Sem.ror: case Sem.rcl: case Sem.rcr: case Sem.shl: case Sem.shr: case Sem.sar: {
        const a = this.read(d, ops[0]!, size); const aHi = this.hi;
        const count = insn.countFrom === 0 ? 1 : insn.countFrom === 1 ? this.regLo[RCX]! & 0xff : d.imm & 0xff;
        shift(d.sem === Sem.sar ? 7 : d.sem - Sem.rol, size, a, aHi, count, this.rflags);
        this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.shld: case Sem.shrd: {
        const a = this.read(d, ops[0]!, size); const aHi = this.hi;
        const b = this.read(d, ops[1]!, size);
        const count = insn.countFrom === 1 ? this.regLo[RCX]! & 0xff : d.imm & 0xff;
        shiftDouble(d.sem === Sem.shld, size, a, aHi, b, this.hi, count, this.rflags);
        this.write(ops[0]!, size, out.lo, out.hi);
        this.rflags = out.flags;
        break;
      }
      case Sem.cbw: {
        const half = size / 2;
        const s = sext32(this.readReg(RAX, half), half);
        this.writeReg(RAX, size, size === 2 ? s & 0xffff : s >>> 0, s < 0 ? 0xffffffff : 0);
        break;
      }
      case Sem.cwd: {
        const neg = size === 8 ? (this.regHi[RAX]! >>> 31) : (this.regLo[RAX]! & SIGN_BIT[size]!) !== 0 ? 1 : 0;
        this.writeReg(RDX, size, neg ? (size === 2 ? 0xffff : 0xffffffff) : 0, neg ? 0xffffffff : 0);
        break;
      }
      case Sem.jmp:
        if (ops[0]!.kind === OpKind.rel) next = this.branchTarget(d);
        else { const lo = this.read(d, ops[0]!, size); this.jumpTo(lo, this.hi, size); return GO; }
        break;
      case Sem.jcc:
        if (conditionHolds(d.cc, this.rflags)) next = this.branchTarget(d);
        break;
      case Sem.call: {
        let tLo = 0, tHi = 0;
        if (ops[0]!.kind !== OpKind.rel) { tLo = this.read(d, ops[0]!, size); tHi = this.hi; }
        this.push(size, next % TWO32, Math.floor(next / TWO32));
        if (ops[0]!.kind === OpKind.rel) next = this.branchTarget(d);
        else { this.jumpTo(tLo, tHi, size); return GO; }
        break;
      }
      case Sem.ret: {
        const lo = this.pop(size); const hi = this.hi;
        if (ops.length > 0) this.addAddrReg(RSP, this.stackSize, d.imm & 0xffff);
        this.jumpTo(lo, hi, size);
        return GO;
      }
      case Sem.loop: case Sem.loope: case Sem.loopne: {
        const asize = d.asize;
        this.addAddrReg(RCX, asize, -1);
        let taken = this.addrReg(RCX, asize) !== 0;
        if (d.sem === Sem.loope) taken &&= (this.rflags & ZF) !== 0;
        else if (d.sem === Sem.loopne) taken &&= (this.rflags & ZF) === 0;
        if (taken) next = this.branchTarget(d);
        break;
      }
      case Sem.jrcxz:
        if (this.addrReg(RCX, d.asize) === 0) next = this.branchTarget(d);
        break;
      case Sem.setcc:
        this.write(ops[0]!, 1, conditionHolds(d.cc, this.rflags) ? 1 : 0, 0);
        break;
      case Sem.cmovcc: {
        const lo = this.read(d, ops[1]!, size); // the source is read (and may fault) even when false
        const hi = this.hi;
        if (conditionHolds(d.cc, this.rflags)) this.write(ops[0]!, size, lo, hi);
        else if (size === 4) this.regHi[ops[0]!.reg] = 0; // a 32-bit destination is written either way
        break;
      }
      case Sem.bt: case Sem.bts: case Sem.btr: case Sem.btc:
        this.bitTest(d, insn, size);
        break;
      case Sem.bsf: case Sem.bsr: {
        const lo = this.read(d, ops[1]!, size); const hi = this.hi;
        if ((lo | hi) === 0) { this.rflags |= ZF; break; }
        let index: number;
        if (d.sem === Sem.bsf) index = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 63 - Math.clz32(hi & -hi);
        else index = hi !== 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(lo);
        this.write(ops[0]!, size, index, 0);
        this.rflags &= ~ZF;
        break;
      }
      case Sem.bswap: {
        const r = ops[0]!.reg;
        if (size === 8) { const lo = this.regLo[r]!; this.regLo[r] = swap(this.regHi[r]!); this.regHi[r] = swap(lo); }
        else this.writeReg(r, 4, swap(this.regLo[r]!), 0);
        break;
      }
      case Sem.xlat: {
        const asize = d.asize;
        let a = this.addrReg(RBX, asize) + (this.regLo[RAX]! & 0xff);
        if (asize === 4) a %= TWO32; else if (asize === 2) a &= 0xffff;
        this.writeReg(RAX, 1, this.readMem(a, 1, a % TWO32), 0);
        break;
      }
      case Sem.lahf:
        this.writeReg(Reg.ah, 1, (this.rflags & 0xd5) | FIXED_ONE, 0);
        break;
      case Sem.sahf:
        this.rflags = (this.rflags & ~0xd5) | ((this.regLo[RAX]! >>> 8) & 0xd5);
        break;
      case Sem.pushf: {
        const f = (this.rflags & PUSHF_MASK) >>> 0;
        this.push(size, size === 2 ? f & 0xffff : f, 0);
        break;
      }
      case Sem.popf: {
        const v = this.pop(size);
        const writable = size === 2 ? POPF_WRITABLE & 0xffff : POPF_WRITABLE;
        this.rflags = ((this.rflags & ~writable & ~RF) | (v & writable) | FIXED_ONE) >>> 0;
        break;
      }
      case Sem.clc: this.rflags &= ~CF; break;
      case Sem.stc: this.rflags |= CF; break;
      case Sem.cmc: this.rflags ^= CF; break;
      case Sem.cld: this.rflags &= ~DF; break;
      case Sem.std: this.rflags |= DF; break;
      case Sem.lods: case Sem.stos: case Sem.movs: case Sem.scas: case Sem.cmps:
        if (!this.stringStep(d)) return GO; // rip stays: the rep instruction continues next step
        break;
      case Sem.nop: case Sem.pause:
        break;
      case Sem.int3:
        this.rip = next;
        return this.raise(Vector.BP, 0);
      case Sem.int: {
        const n = d.imm & 0xff;
        const gate = this.userGates[n]!;
        if (gate === Gate.kernelOnly) return this.raise(Vector.GP, 0);
        this.rip = next;
        return gate === Gate.systemCall ? Stop.int80 : this.raise(n, 0);
      }
      case Sem.ud2:
        return this.raise(Vector.UD, this.rip);
      case Sem.sysenter:
        // #UD on AMD CPUs in long and compatibility mode (golf models an AMD CPU; see the header).
        this.usedSysenter = true;
        return this.raise(Vector.UD, this.rip);
      case Sem.pusha:
        this.pushAll(size);
        break;
      case Sem.popa:
        this.popAll(size);
        break;
      case Sem.daa: case Sem.das: case Sem.aaa: case Sem.aas: case Sem.salc: {
        const ax = this.regLo[RAX]! & 0xffff;
        const f = this.rflags;
        if (d.sem === Sem.daa) daa(ax, f); else if (d.sem === Sem.das) das(ax, f); else if (d.sem === Sem.aaa) aaa(ax, f);
        else if (d.sem === Sem.aas) aas(ax, f); else salc(ax, f);
        this.writeReg(RAX, 2, bcdOut.ax, 0);
        this.rflags = bcdOut.flags;
        break;
      }
      case Sem.aam:
        if (!aam(this.regLo[RAX]! & 0xffff, this.rflags, d.imm & 0xff)) return this.raise(Vector.DE, this.rip);
        this.writeReg(RAX, 2, bcdOut.ax, 0);
        this.rflags = bcdOut.flags;
        break;
      case Sem.aad:
        aad(this.regLo[RAX]! & 0xffff, this.rflags, d.imm & 0xff);
        this.writeReg(RAX, 2, bcdOut.ax, 0);
        this.rflags = bcdOut.flags;
        break;
      case Sem.into:
        // #OF (a trap: after the instruction) when OF is set.
        if ((this.rflags & OF) !== 0) { this.rip = next; return this.raise(Vector.OF, 0); }
        break;
      case Sem.hlt:
        return this.raise(Vector.GP, 0);
      case Sem.syscall:
        this.regLo[RCX] = next % TWO32;
        this.regHi[RCX] = Math.floor(next / TWO32);
        this.regLo[R11] = this.rflags & ~RF;
        this.regHi[R11] = 0;
        this.rip = next;
        return Stop.syscall;
      case Sem.cpuid:
        cpuid(this.regLo[RAX]!);
        this.writeReg(RAX, 4, cpuidOut[0]!, 0);
        this.writeReg(RBX, 4, cpuidOut[1]!, 0);
        this.writeReg(RCX, 4, cpuidOut[2]!, 0);
        this.writeReg(RDX, 4, cpuidOut[3]!, 0);
        this.usedCpuid = true;
        break;
      case Sem.rdtsc:
        this.writeReg(RAX, 4, this.steps % TWO32, 0);
        this.writeReg(RDX, 4, Math.floor(this.steps / TWO32), 0);
        this.usedRdtsc = true;
        break;
      default:
        this.unsupported = `instruction ${d.mnemonic} at 0x${this.rip.toString(16)} (no semantics for sem ${d.sem})`;
        return Stop.unsupported;
    }
    this.rip = next;
    return GO;
  }

  private branchTarget(d: Decoded): number {
    const t = d.target;
    if (this.mode === 64) return t;
    return d.opsize === 2 ? t & 0xffff : t >>> 0;
  }

  /** mul / imul with one operand: the accumulator times src into rdx:rax (ax for bytes). */
  private multiplyAccumulator(signed: boolean, size: number, b: number, bHi: number): void {
    const a = this.readReg(RAX, size); const aHi = this.hi;
    let lo: number, hi: number, wide2 = 0, wide3 = 0, overflow: boolean;
    if (size <= 2) {
      const bits = size * 8;
      const p = signed ? sext32(a, size) * sext32(b, size) : a * b;
      const mask = SIZE_MASK[size]!;
      lo = p & mask;
      hi = (p >> bits) & mask;
      overflow = signed ? p !== sext32(lo, size) : hi !== 0;
      if (size === 1) this.writeReg(RAX, 2, p & 0xffff, 0);
      else { this.writeReg(RAX, 2, lo, 0); this.writeReg(RDX, 2, hi, 0); }
    } else if (size === 4) {
      lo = mulU32(a, b);
      hi = wide[1]!;
      if (signed) hi = (hi - ((a & 0x80000000) !== 0 ? b : 0) - ((b & 0x80000000) !== 0 ? a : 0)) >>> 0;
      overflow = signed ? hi !== ((lo & 0x80000000) !== 0 ? 0xffffffff : 0) : hi !== 0;
      this.writeReg(RAX, 4, lo, 0);
      this.writeReg(RDX, 4, hi, 0);
    } else {
      if (signed) mulS64(a, aHi, b, bHi); else mulU64(a, aHi, b, bHi);
      lo = wide[0]!; hi = wide[1]!; wide2 = wide[2]!; wide3 = wide[3]!;
      const ext = (hi & 0x80000000) !== 0 ? 0xffffffff : 0;
      overflow = signed ? wide2 !== ext || wide3 !== ext : (wide2 | wide3) !== 0;
      this.writeReg(RAX, 8, lo, hi);
      this.writeReg(RDX, 8, wide2, wide3);
    }
    this.rflags = (this.rflags & ~STATUS) | (overflow ? CF | OF : 0) | (szp(lo, size === 8 ? hi : 0, size) & ~AF);
  }

  /** Two/three-operand imul: truncated product in out.lo/out.hi, CF=OF when it did not fit. */
  private multiplyTruncating(size: number, a: number, aHi: number, b: number, bHi: number): void {
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
    out.flags = (this.rflags & ~STATUS) | (overflow ? CF | OF : 0) | (szp(lo, hi, size) & ~AF);
  }

  /** div / idiv of rdx:rax (ax for bytes) by src; false on #DE (zero divisor or quotient overflow). */
  private divide(signed: boolean, size: number, b: number, bHi: number): boolean {
    if ((b | bHi) === 0) return false;
    if (size === 1 || size === 2) {
      const n = size === 1
        ? (signed ? sext32(this.regLo[RAX]! & 0xffff, 2) : this.regLo[RAX]! & 0xffff)
        : signed ? ((this.regLo[RDX]! & 0xffff) << 16 | (this.regLo[RAX]! & 0xffff))
          : (this.regLo[RDX]! & 0xffff) * 65536 + (this.regLo[RAX]! & 0xffff);
      const dv = signed ? sext32(b, size) : b;
      const q = Math.trunc(n / dv);
      const r = n - q * dv;
      const bits = size * 8;
      if (signed ? q < -(2 ** (bits - 1)) || q >= 2 ** (bits - 1) : q >= 2 ** bits) return false;
      const mask = SIZE_MASK[size]!;
      if (size === 1) this.writeReg(RAX, 2, ((r & 0xff) << 8) | (q & 0xff), 0);
      else { this.writeReg(RAX, 2, q & mask, 0); this.writeReg(RDX, 2, r & mask, 0); }
      return true;
    }
    if (size === 4) {
      const n0 = this.regLo[RAX]!, n1 = this.regLo[RDX]!;
      if (signed) {
        const ext = (n1 & 0x80000000) !== 0 ? 0xffffffff : 0;
        if (!divS128(n0, n1, ext, ext, b, (b & 0x80000000) !== 0 ? 0xffffffff : 0)) return false;
        if (wide[1] !== ((wide[0]! & 0x80000000) !== 0 ? 0xffffffff : 0)) return false;
      } else {
        if (!divU128(n0, n1, 0, 0, b, 0) || wide[1] !== 0) return false;
      }
      this.writeReg(RAX, 4, wide[0]!, 0);
      this.writeReg(RDX, 4, wide[2]!, 0);
      return true;
    }
    const ok = signed
      ? divS128(this.regLo[RAX]!, this.regHi[RAX]!, this.regLo[RDX]!, this.regHi[RDX]!, b, bHi)
      : divU128(this.regLo[RAX]!, this.regHi[RAX]!, this.regLo[RDX]!, this.regHi[RDX]!, b, bHi);
    if (!ok) return false;
    this.writeReg(RAX, 8, wide[0]!, wide[1]!);
    this.writeReg(RDX, 8, wide[2]!, wide[3]!);
    return true;
  }

  /**
   * bt/bts/btr/btc. With a register bit offset and a memory operand the offset is signed and
   * selects an operand-sized word relative to the address; an immediate offset is masked.
   */
  private bitTest(d: Decoded, insn: CachedInstruction, size: number): void {
    const ops = d.ops;
    const bits = size * 8;
    let offLo: number, offHi = 0;
    if (ops[1]!.kind === OpKind.reg) { offLo = this.readReg(ops[1]!.reg, size); offHi = this.hi; }
    else offLo = d.imm & 0xff;
    const bit = offLo & (bits - 1);
    if (insn.hasMem && ops[1]!.kind === OpKind.reg) {
      // Signed offset of the operation size; the word index may move the address either way.
      const signedOff = size === 8 ? (offHi | 0) * TWO32 + offLo : sext32(offLo, size);
      const words = Math.floor(signedOff / bits);
      this.ea = this.ea + words * size;
      if (this.mode !== 64 || d.asize !== 8) this.ea = ((this.ea % TWO32) + TWO32) % TWO32;
      if (this.ea < 0) this.ea += 2 ** 64; // below 0 wraps to the top of the address space: faults
      this.eaLo = (this.eaLo + words * size) >>> 0;
    }
    const dst = ops[0]!;
    let lo = this.read(d, dst, size);
    let hi = this.hi;
    const inHi = bit >= 32;
    const m = inHi ? (1 << (bit - 32)) >>> 0 : (1 << bit) >>> 0;
    const was = ((inHi ? hi : lo) & m) !== 0;
    this.rflags = (this.rflags & ~CF) | (was ? CF : 0);
    if (d.sem === Sem.bt) return;
    let w = inHi ? hi : lo;
    if (d.sem === Sem.bts) w = (w | m) >>> 0;
    else if (d.sem === Sem.btr) w = (w & ~m) >>> 0;
    else w = (w ^ m) >>> 0;
    if (inHi) hi = w; else lo = w;
    this.write(dst, size, lo, hi);
  }

  /**
   * One element of a string instruction. Returns true when the instruction is finished (rip moves
   * on), false when a rep prefix makes it run again.
   */
  private stringStep(d: Decoded): boolean {
    const size = d.opsize;
    const asize = d.asize;
    const rep = d.rep;
    if (rep !== 0 && this.addrReg(RCX, asize) === 0) return true;
    const delta = (this.rflags & DF) !== 0 ? -size : size;
    let compare = false;
    switch (d.sem) {
      case Sem.lods: {
        const lo = this.readMem(this.addrReg(RSI, asize), size, this.regLo[RSI]!);
        this.writeReg(RAX, size, lo, this.hi);
        this.addAddrReg(RSI, asize, delta);
        break;
      }
      case Sem.stos: {
        const lo = this.readReg(RAX, size);
        this.writeMem(this.addrReg(RDI, asize), size, lo, this.hi, this.regLo[RDI]!);
        this.addAddrReg(RDI, asize, delta);
        break;
      }
      case Sem.movs: {
        const lo = this.readMem(this.addrReg(RSI, asize), size, this.regLo[RSI]!);
        this.writeMem(this.addrReg(RDI, asize), size, lo, this.hi, this.regLo[RDI]!);
        this.addAddrReg(RSI, asize, delta);
        this.addAddrReg(RDI, asize, delta);
        break;
      }
      case Sem.scas: {
        const a = this.readReg(RAX, size); const aHi = this.hi;
        const b = this.readMem(this.addrReg(RDI, asize), size, this.regLo[RDI]!);
        sub(size, a, aHi, b, this.hi, 0, this.rflags, false);
        this.rflags = out.flags;
        this.addAddrReg(RDI, asize, delta);
        compare = true;
        break;
      }
      default: { // cmps: [rsi] - [rdi]
        const a = this.readMem(this.addrReg(RSI, asize), size, this.regLo[RSI]!); const aHi = this.hi;
        const b = this.readMem(this.addrReg(RDI, asize), size, this.regLo[RDI]!);
        sub(size, a, aHi, b, this.hi, 0, this.rflags, false);
        this.rflags = out.flags;
        this.addAddrReg(RSI, asize, delta);
        this.addAddrReg(RDI, asize, delta);
        compare = true;
        break;
      }
    }
    if (rep === 0) return true;
    this.addAddrReg(RCX, asize, -1);
    if (this.addrReg(RCX, asize) === 0) return true;
    if (compare) {
      const zf = (this.rflags & ZF) !== 0;
      if (rep === 0xf3 ? !zf : zf) return true;
    }
    return false;
  }
}

/**
 * Fills `into` with what the interpreter derives once per decoded instruction (run's cache entries
 * and runDecoded's record): the next address, whether it has a memory operand, where a shift count
 * comes from.
 */
function describeInstruction(into: { d: Decoded; next: number; hasMem: boolean; moffs: boolean; countFrom: number }, d: Decoded, ip: number, mode: 64 | 32): CachedInstruction {
  const form = d.form!;
  let hasMem = false;
  for (let i = 0; i < d.ops.length; i++) if (d.ops[i]!.kind === OpKind.mem) hasMem = true;
  let countFrom = -1;
  if (d.sem >= Sem.rol && d.sem <= Sem.shrd) {
    const spec = d.sem === Sem.shld || d.sem === Sem.shrd ? form.operands[2] : form.operands[1];
    countFrom = spec === 'one' ? 0 : spec === 'cl' ? 1 : 2;
  }
  into.d = d;
  into.next = mode === 64 ? ip + d.length : (ip + d.length) % TWO32;
  into.hasMem = hasMem;
  into.moffs = form.operands.includes('moffs');
  into.countFrom = countFrom;
  return into;
}
