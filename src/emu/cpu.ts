/**
 * The x86-64 (and 32-bit) user-mode interpreter: fetches through the AddressSpace (exec permission
 * checked), decodes with golf's table-driven decoder, caches decoded instructions per address, and
 * executes by dispatching on the form's semantics id (Sem) to the family modules in exec/ (one
 * function per Sem, exec/table.ts). The state and its operand, address and stack access are
 * cpu-state.ts's.
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
import { Fault, Vector } from './exceptions.js';
import { PAGE_SIZE, type Memory } from './memory.js';
import type { Platform } from './platform.js';
import { DecodeStatus, OpKind } from '../x86/decoded.js';
import type { Decoded } from '../x86/decoded.js';
import { decode } from '../x86/decoder.js';
import { Sem } from '../x86/sem.js';
import { CpuState, GO, RSP, Stop, TWO32 } from './cpu-state.js';
import type { StopReason } from './cpu-state.js';
import { DecodeCache, MAX_INSTRUCTION_LENGTH } from './decode-cache.js';
import type { CachedInstruction } from './decode-cache.js';
import { EXEC_BY_SEM } from './exec/table.js';
import { INITIAL_RFLAGS, TF } from './flags.js';
import { unmodelledReason } from './unmodelled.js';

export { Stop } from './cpu-state.js';
export type { MemoryWatch, StopReason } from './cpu-state.js';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

export class Cpu extends CpuState {
  private readonly cache = new DecodeCache();
  private readonly fetchBuf = new Uint8Array(MAX_INSTRUCTION_LENGTH);

  constructor(mem: Memory, mode: 64 | 32, platform: Platform) {
    super(mem, mode, platform);
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
      this.touches.noteFetch(Math.floor(ip / PAGE_SIZE));
      this.touches.noteFetch(Math.floor((ip + d.length - 1) / PAGE_SIZE));
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
    if (insn.hasMem) this.address(insn);
    const r = EXEC_BY_SEM[insn.d.sem]!(this, insn);
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
    this.touches.noteFetch(Math.floor(ip / PAGE_SIZE));
    this.touches.noteFetch(Math.floor((ip + n - 1) / PAGE_SIZE));
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
