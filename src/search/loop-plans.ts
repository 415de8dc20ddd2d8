/**
 * Loop plans: the register programs of a loop whose one system-call instruction serves every call
 * of the goal (lm978's "ouroboros": the same `syscall` does the write, then, on the next pass,
 * the exit). Only the registers whose needed values differ between the calls vary from pass to
 * pass (the call number and the first argument: fd, then exit status); everything else a write
 * needs (length, buffer) is the same on every pass and is left to the walk's ordinary moves.
 *
 * A loop plan is a short instruction sequence, with the data block (the stack pieces pushed and
 * rsi pointed at them) at one place in it, that run from the state before the first pass gives the
 * write's number and fd, and run again from what the first pass left (rax = the write's result)
 * gives the exit's number and status. Found by a depth-first search that runs both passes side by
 * side on the real interpreter: the second pass starts from a guess of what the first pass leaves
 * in the spare registers and on the top of the stack, and a plan is kept only when running the two
 * passes one after the other, without guesses, confirms it.
 *
 * Plans are position-free: their tiling into a layout (where each instruction goes, jumps,
 * swallowed header bytes, the trap's place) is the walk's job (walk/walk.ts, plan mode).
 */
import { Stop, type Cpu } from '../emu/cpu.js';
import { processCpu } from '../linux/process-cpu.js';
import { AddressSpace, PAGE_SIZE, Prot } from '../linux/memory.js';
import { Reg } from '../x86/decoded.js';
import type { SyscallAbi } from './abi.js';
import { imm, mustEncode as encodeIn, reg, type CodeMode } from './walk/encodings.js';

/** One instruction of a plan; -1 bytes in `pattern` are wildcards the tiling chooses (immediates on fixed bytes). */
export interface PlanItem {
  /** Bytes as run in the search (wildcards filled with the value used). */
  bytes: Uint8Array;
  /** What the tiling may place: bytes, -1 where any value that keeps the effect will do. */
  pattern: number[];
  /** Bytes the item costs at least once tiled (an immediate on fixed header bytes costs none). */
  cost: number;
  text: string;
  /** Registers (bit per Reg number), bit 16 flags, bit 17 stack: what it reads or writes. */
  footprint: number;
  /** Of those, what it reads before writing (its result depends on them). */
  reads: number;
}

export interface LoopPlan {
  /** The items in order; `dataAt` is where the data block goes (before items[dataAt]). */
  items: PlanItem[];
  dataAt: number;
  cost: number;
  /**
   * A plan in three parts (LoopGoal.parts), its items in placement order: a prelude run once
   * (items before headAt), the loop's body up to the trap (headAt..trapAt: the loop jumps back to
   * its start), then the trap, then code after it (trapAt..: run at the start of every later pass).
   * Absent: the whole plan is the body, the trap after it.
   */
  parts?: { headAt: number; trapAt: number; trap: readonly number[] };
}

export interface LoopGoal {
  abi: SyscallAbi;
  /** The write's fd and length (its result), then the exit status. */
  fd: number;
  length: number;
  exitCode: number;
  /** Stack pieces of the write's buffer (the data block pushes this many qwords). */
  pieces: number;
  /** argc at the top of the stack at entry, or -1 when files may not rely on it. */
  argc: number;
  /**
   * The code's mode: 64 (long mode, the default) or 32 (a 32-bit process: inc/dec are one byte,
   * stack words are 4 bytes, and the initial stack holds 4-byte argc, argv and envp words).
   */
  mode?: CodeMode;
  /**
   * Plans in three parts (LoopPlan.parts): the first pass runs a prelude and the body, the second
   * the code after the trap and then the body (Raiter's i386 hello: pushes before the loop, `pop
   * eax` in it, `dec ebx` after its `int 0x80`). Off: the two passes run the same code.
   */
  parts?: boolean;
}

const FLAGS = 1 << 16;
const STACK = 1 << 17;
const bit = (r: number): number => 1 << r;

/** The instructions loop plans are made of (the walk's alphabet offers each of them too). */
export function planAlphabet(goal: LoopGoal): PlanItem[] {
  const items: PlanItem[] = [];
  const mode = goal.mode ?? 64;
  const mustEncode = (ins: Parameters<typeof encodeIn>[0]): Uint8Array => encodeIn(ins, 0, mode);
  const add = (ins: Parameters<typeof encodeIn>[0], text: string, footprint: number, reads: number, wildcard = -1): void => {
    const bytes = mustEncode(ins);
    const pattern = Array.from(bytes, (b, i) => (wildcard >= 0 && i >= wildcard ? -1 : b));
    const cost = wildcard >= 0 ? wildcard : bytes.length;
    items.push({ bytes, pattern, cost, text, footprint, reads });
  };
  // immediates: the numbers the two calls need, and one below each exit number (adc/inc make it)
  const values = new Set<number>([0, goal.fd, goal.exitCode, goal.abi.write]);
  for (const e of goal.abi.exit) for (const d of [-1, 0]) values.add(e + d);
  const spare = spareRegs(goal.abi);
  const arg0 = goal.abi.args[0]!;
  const SP = bit(Reg.rsp);
  for (const r of [...spare, arg0]) add({ mnemonic: 'xchg', operands: [reg(Reg.rax, 4), reg(r, 4)] }, `xchg eax, ${NAMES[r]}`, bit(Reg.rax) | bit(r), bit(Reg.rax) | bit(r));
  for (const r of [Reg.rax, arg0, ...spare]) {
    add({ mnemonic: 'push', operands: [reg(r, mode === 64 ? 8 : 4)] }, `push ${(mode === 64 ? NAMES64 : NAMES)[r]}`, bit(r) | SP | STACK, bit(r) | SP);
    add({ mnemonic: 'pop', operands: [reg(r, mode === 64 ? 8 : 4)] }, `pop ${(mode === 64 ? NAMES64 : NAMES)[r]}`, bit(r) | SP | STACK, SP | STACK);
  }
  for (const v of values) {
    if (v > 255) continue;
    // mov r8 keeps bits 8-63, which are 0 for every value plans use: treated as a plain write
    add({ mnemonic: 'mov', operands: [reg(Reg.rax, 1), imm(v)] }, `mov al, ${v}`, bit(Reg.rax), 0);
    add({ mnemonic: 'mov', operands: [reg(Reg.rbx, 1), imm(v)] }, `mov bl, ${v}`, bit(Reg.rbx), 0);
    if (v < 128) add({ mnemonic: 'push', operands: [imm(v)], opsize: mode === 64 ? 8 : 4 }, `push ${v}`, SP | STACK, SP);
  }
  for (const r of [Reg.rax, arg0]) {
    add({ mnemonic: 'inc', operands: [reg(r, 4)] }, `inc ${NAMES[r]}`, bit(r) | FLAGS, bit(r));
    add({ mnemonic: 'dec', operands: [reg(r, 4)] }, `dec ${NAMES[r]}`, bit(r) | FLAGS, bit(r));
    add({ mnemonic: 'xor', operands: [reg(r, 4), reg(r, 4)] }, `xor ${NAMES[r]}, ${NAMES[r]}`, bit(r) | FLAGS, 0);
  }
  // carry set-ups and uses; their immediates may lie on fixed header bytes (a wildcard the tiling fills)
  add({ mnemonic: 'cmp', operands: [reg(Reg.rax, 1), imm(0xff)] }, 'cmp al, (large)', bit(Reg.rax) | FLAGS, bit(Reg.rax), 1);
  add({ mnemonic: 'adc', operands: [reg(Reg.rax, 4), imm(0)] }, 'adc eax, 0', bit(Reg.rax) | FLAGS, bit(Reg.rax) | FLAGS, 1);
  add({ mnemonic: 'sbb', operands: [reg(Reg.rax, 4), imm(0)] }, 'sbb eax, 0', bit(Reg.rax) | FLAGS, bit(Reg.rax) | FLAGS, 1);
  add({ mnemonic: 'stc', operands: [] }, 'stc', FLAGS, 0);
  add({ mnemonic: 'clc', operands: [] }, 'clc', FLAGS, 0);
  add({ mnemonic: 'cmc', operands: [] }, 'cmc', FLAGS, FLAGS);
  return items;
}

/**
 * The registers a plan may park values in between passes: of rbx, rbp, rsi, rdi the first two no
 * call of the convention reads (rbx and rbp for syscall; ebp and esi for int 0x80, whose write
 * reads ebx, ecx and edx).
 */
function spareRegs(abi: SyscallAbi): [number, number] {
  const free = [Reg.rbx, Reg.rbp, Reg.rsi, Reg.rdi].filter((r) => r !== abi.numberReg && !abi.args.slice(0, 3).includes(r));
  return [free[0]!, free[1]!];
}

const NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const NAMES64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi'];

const CODE = 0x10000000;
const SLOT = 16;
const STACK_A = 0x20000800;
const STACK_B = 0x30000800;
const STACK_BYTES = 0x2000;
/** The stack bytes a plan can touch around each pass's starting rsp (pushes below, pops above). */
const WINDOW_BELOW = 96;
const WINDOW = 192;
/** A data block stand-in: `pieces` pushes of a marker, then rsi = rsp (push rsp; pop rsi). */
const MARKER = 0x2a2a2a2a;

/** The two passes' machines on one interpreter: registers are swapped in and out per instruction. */
class PassMachines {
  readonly mem = new AddressSpace();
  readonly cpu: Cpu;
  readonly lo: Uint32Array[] = [new Uint32Array(16), new Uint32Array(16)];
  readonly hi: Uint32Array[] = [new Uint32Array(16), new Uint32Array(16)];
  readonly flags = [0, 0];
  private readonly slotOf = new Map<PlanItem, number>();
  private dataSlot = 0;
  private dataSteps = 0;

  /** Bytes of a stack word: 8 in long mode, 4 in a 32-bit process. */
  readonly word: 4 | 8;

  constructor(items: readonly PlanItem[], pieces: number, mode: CodeMode, bufferReg: number) {
    this.word = mode === 64 ? 8 : 4;
    const mustEncode = (ins: Parameters<typeof encodeIn>[0]): Uint8Array => encodeIn(ins, 0, mode);
    this.mem.map(CODE, 0x10000, Prot.read | Prot.exec);
    this.mem.map(STACK_A - STACK_BYTES, 2 * STACK_BYTES, Prot.read | Prot.write);
    this.mem.map(STACK_B - STACK_BYTES, 2 * STACK_BYTES, Prot.read | Prot.write);
    this.cpu = processCpu(this.mem, mode);
    items.forEach((it, k) => {
      this.mem.poke(CODE + k * SLOT, it.bytes);
      this.slotOf.set(it, CODE + k * SLOT);
    });
    const block: number[] = [];
    for (let i = 0; i < pieces; i++) block.push(...mustEncode({ mnemonic: 'push', operands: [imm(MARKER)], opsize: this.word }));
    // the write's buffer register (rsi for syscall, ecx for int 0x80) pointed at the pieces
    block.push(...mustEncode({ mnemonic: 'push', operands: [reg(Reg.rsp, this.word)] }), ...mustEncode({ mnemonic: 'pop', operands: [reg(bufferReg, this.word)] }));
    this.dataSlot = CODE + items.length * SLOT;
    this.mem.poke(this.dataSlot, Uint8Array.from(block));
    this.dataSteps = pieces + 2;
  }

  /** Runs an item (or the data block, item null) on pass p's machine; false if it faults. */
  run(p: number, item: PlanItem | null): boolean {
    const c = this.cpu;
    c.regLo.set(this.lo[p]!);
    c.regHi.set(this.hi[p]!);
    c.rflags = this.flags[p]!;
    c.rip = item ? this.slotOf.get(item)! : this.dataSlot;
    const stop = c.run(item ? 1 : this.dataSteps);
    this.lo[p]!.set(c.regLo);
    this.hi[p]!.set(c.regHi);
    this.flags[p] = c.rflags;
    return stop === Stop.stepLimit;
  }

  rsp(p: number): number {
    return this.hi[p]![Reg.rsp]! * 0x1_0000_0000 + this.lo[p]![Reg.rsp]!;
  }

  /**
   * The stack word at pass p's rsp (low and high halves; a 32-bit word's high half reads as 0, or
   * as MARKER with a MARKER low half, so "a data piece" compares alike in both modes).
   */
  top(p: number): [number, number] {
    const a = this.rsp(p);
    const lo = this.mem.read32(a);
    if (this.word === 4) return [lo, lo === MARKER ? MARKER : 0];
    return [lo, this.mem.read32(a + 4)];
  }

  /** A stack word (its high half only in long mode). */
  writeWord(address: number, lo: number, hi: number): void {
    if (this.word === 8) this.writeQword(address, lo, hi);
    else this.mem.poke(address, Uint8Array.of(lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24));
  }

  writeQword(address: number, lo: number, hi: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, lo, true);
    new DataView(b.buffer).setUint32(4, hi, true);
    this.mem.poke(address, b);
  }
}

/**
 * What the second pass starts from beyond the write's result: what the first pass leaves in the
 * spare registers, the carry and the stack top. Unknown while the plan is being built, so each is
 * bound when the second pass first uses it (the search branches over the values worth having
 * there) and checked against what the first pass really left once the plan is complete.
 */
interface Bound {
  /** The two spare registers (spareRegs). */
  s0: number;
  s1: number;
  carry: number;
  /** The qword at rsp after the first pass, or -1 for "a data piece" (nothing pushed after the block). */
  top: number;
}

const UNBOUND = -2;

/** Part markers of a three-part plan (in search order: after-trap code, MARK, prelude, HEAD, body). */
const marker = (text: string): PlanItem => ({ bytes: new Uint8Array(0), pattern: [], cost: 0, text, footprint: -1, reads: 0 });
const MARK = marker('MARK');
const HEAD = marker('HEAD');

/**
 * Loop plans of cost at most `maxCost`, cheapest first, each confirmed by running both passes in
 * order on the interpreter. `limit` bounds the search nodes (the result says whether it was cut).
 */
export function loopPlans(goal: LoopGoal, maxCost: number, limit = 2_000_000, only?: readonly string[], stopped: () => boolean = () => false): { plans: LoopPlan[]; exhausted: boolean } {
  const items = planAlphabet(goal).filter((i) => !only || only.includes(i.text));
  const machines = new PassMachines(items, goal.pieces, goal.mode ?? 64, goal.abi.args[1]!);
  const W = machines.word;
  const [S0, S1] = spareRegs(goal.abi);
  const later = new Set<number>([0, goal.exitCode]);
  for (const e of goal.abi.exit) for (const d of [-1, 0]) later.add(e + d);
  const values = [...later];
  const bound: Bound = { s0: UNBOUND, s1: UNBOUND, carry: UNBOUND, top: UNBOUND };
  const found = new Map<string, LoopPlan>();
  let nodes = 0;
  let cut = false;
  const seq: (PlanItem | null)[] = [];
  const arg0 = goal.abi.args[0]!;
  const nr = goal.abi.numberReg;
  // the part being searched: 0 after-trap code (second pass only), 1 prelude (first pass only), 2 body (both)
  const parts = goal.parts === true;
  let phase = parts ? 0 : 2;

  const startA = (): void => {
    const lo = machines.lo[0]!;
    const hi = machines.hi[0]!;
    lo.fill(0);
    hi.fill(0);
    lo[Reg.rsp] = STACK_A;
    machines.flags[0] = 0x202;
    // Linux's initial stack as far as a plan may read it: argc (when files may rely on it), the
    // argv[0] pointer (a stack address that differs between runs), argv's terminating NULL, and
    // what follows (envp, which depends on the environment): unknown values are markers no goal needs.
    pageA.fill(0, offA, offA + WINDOW);
    pageB.fill(0, offB, offB + WINDOW);
    machines.writeWord(STACK_A, goal.argc >= 0 ? goal.argc : MARKER, goal.argc >= 0 ? 0 : MARKER);
    machines.writeWord(STACK_A + W, MARKER, 0x7ffe);
    machines.writeWord(STACK_A + 2 * W, 0, 0);
    machines.writeWord(STACK_A + 3 * W, MARKER, MARKER);
  };
  const startB = (): void => {
    const lo = machines.lo[1]!;
    const hi = machines.hi[1]!;
    lo.fill(0);
    hi.fill(0);
    lo[nr] = goal.length;
    lo[arg0] = goal.fd;
    lo[goal.abi.args[2]!] = goal.length;
    lo[Reg.rsp] = STACK_B;
    lo[goal.abi.args[1]!] = STACK_B;
    machines.flags[1] = 0x202;
    pageB.fill(0, offB, offB + WINDOW);
    for (let a = STACK_B; a < STACK_B + 64; a += 8) machines.writeQword(a, MARKER, MARKER);
  };
  /** Gives the second pass's input `what` a value (registers, carry, stack top). */
  const bind = (what: keyof Bound, v: number): void => {
    bound[what] = v;
    if (what === 's0') machines.lo[1]![S0] = v;
    else if (what === 's1') machines.lo[1]![S1] = v;
    else if (what === 'carry') machines.flags[1] = (machines.flags[1]! & ~1) | v;
    else machines.writeWord(STACK_B, v >= 0 ? v : MARKER, v >= 0 ? 0 : MARKER);
  };
  const choices: Record<keyof Bound, number[]> = { s0: values, s1: values, carry: [0, 1], top: [-1, ...values] };

  const unmet = (p: number): number => {
    const lo = machines.lo[p]!;
    const hi = machines.hi[p]!;
    let n = 0;
    if (p === 0) {
      if (focusNr && (lo[nr] !== goal.abi.write || hi[nr] !== 0)) n++;
      if (focusArg && (lo[arg0] !== goal.fd || hi[arg0] !== 0)) n++;
    } else {
      if (focusNr && (!goal.abi.exit.includes(lo[nr]!) || hi[nr] !== 0)) n++;
      if (focusArg && (lo[arg0]! & 0xff) !== goal.exitCode) n++;
    }
    return n;
  };
  // which registers the current search must get right, and whether it places the data block
  let focusNr = true;
  let focusArg = true;
  let needData = true;

  const saved = Array.from({ length: 32 }, () => ({ lo: [new Uint32Array(16), new Uint32Array(16)], hi: [new Uint32Array(16), new Uint32Array(16)], flags: [0, 0], stackA: new Uint8Array(WINDOW), stackB: new Uint8Array(WINDOW) }));
  const pageA = machines.mem.getPage(Math.floor((STACK_A - WINDOW_BELOW) / PAGE_SIZE))!.data;
  const pageB = machines.mem.getPage(Math.floor((STACK_B - WINDOW_BELOW) / PAGE_SIZE))!.data;
  const offA = (STACK_A - WINDOW_BELOW) % PAGE_SIZE;
  const offB = (STACK_B - WINDOW_BELOW) % PAGE_SIZE;
  const save = (d: number): void => {
    const s = saved[d]!;
    for (const p of [0, 1]) {
      s.lo[p]!.set(machines.lo[p]!);
      s.hi[p]!.set(machines.hi[p]!);
      s.flags[p] = machines.flags[p]!;
    }
    s.stackA.set(pageA.subarray(offA, offA + WINDOW));
    s.stackB.set(pageB.subarray(offB, offB + WINDOW));
  };
  const restore = (d: number): void => {
    const s = saved[d]!;
    for (const p of [0, 1]) {
      machines.lo[p]!.set(s.lo[p]!);
      machines.hi[p]!.set(s.hi[p]!);
      machines.flags[p] = s.flags[p]!;
    }
    pageA.set(s.stackA, offA);
    pageB.set(s.stackB, offB);
  };

  /** The two passes in order without guesses: the plan really works. */
  const confirm = (): boolean => {
    const focus = [focusNr, focusArg];
    focusNr = true;
    focusArg = true;
    try {
      return confirmBoth();
    } finally {
      [focusNr, focusArg] = focus as [boolean, boolean];
    }
  };
  const confirmBoth = (): boolean => {
    startA();
    // the first pass: prelude and body; the second: after-trap code and body (seq is in search order:
    // after-trap code, MARK, prelude, HEAD, body)
    const passA: (PlanItem | null)[] = [];
    const passB: (PlanItem | null)[] = [];
    const body: (PlanItem | null)[] = [];
    let part = parts ? 0 : 2;
    for (const it of seq) {
      if (it === MARK) part = 1;
      else if (it === HEAD) part = 2;
      else (part === 0 ? passB : part === 1 ? passA : body).push(it);
    }
    if (part !== 2) return false;
    passA.push(...body);
    passB.push(...body);
    for (const it of passA) if (!machines.run(0, it)) return false;
    if (unmet(0) !== 0) return false;
    // the write's result, the trap's clobbers (rcx, r11 are not read by plans), then the second pass
    machines.lo[1]!.set(machines.lo[0]!);
    machines.hi[1]!.set(machines.hi[0]!);
    machines.flags[1] = machines.flags[0]!;
    machines.lo[1]![nr] = goal.length;
    machines.hi[1]![nr] = 0;
    // the second pass runs on the first pass's stack
    machines.lo[1]![Reg.rsp] = machines.lo[0]![Reg.rsp]!;
    for (const it of passB) if (!machines.run(1, it)) return false;
    return unmet(1) === 0;
  };

  const consistent = (): boolean => {
    const lo = machines.lo[0]!;
    if (bound.s0 !== UNBOUND && (lo[S0] !== bound.s0 || machines.hi[0]![S0] !== 0)) return false;
    if (bound.s1 !== UNBOUND && (lo[S1] !== bound.s1 || machines.hi[0]![S1] !== 0)) return false;
    if (bound.carry !== UNBOUND && (machines.flags[0]! & 1) !== bound.carry) return false;
    if (bound.top === UNBOUND) return true;
    const [tl, th] = machines.top(0);
    return bound.top >= 0 ? tl === bound.top && th === 0 : tl === MARKER && th === MARKER;
  };
  /** The second pass's inputs an item uses that are still unbound. */
  const inputsOf = (it: PlanItem | null): (keyof Bound)[] => {
    const out: (keyof Bound)[] = [];
    if (!it) return out;
    if (phase === 1 || it === MARK || it === HEAD) return out; // the second pass does not run the prelude
    const r = it.reads & ~written;
    if (r & bit(S0) && bound.s0 === UNBOUND) out.push('s0');
    if (r & bit(S1) && bound.s1 === UNBOUND) out.push('s1');
    if (r & FLAGS && bound.carry === UNBOUND) out.push('carry');
    if (r & STACK && bound.top === UNBOUND && !(written & STACK)) out.push('top');
    return out;
  };
  /** Inputs the second pass has overwritten before reading them (their first-pass values do not matter). */
  let written = 0;

  let dataDone = false;
  let budget = maxCost;
  const memo = new Map<number, number>();
  const stateKey = (): number => {
    let h1 = 0x811c9dc5;
    let h2 = 0x1b873593;
    const mix = (v: number): void => {
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 13);
    };
    for (const p of [0, 1]) {
      for (let r = 0; r < 8; r++) {
        if (r === Reg.rsp) continue;
        mix(machines.lo[p]![r]!);
        mix(machines.hi[p]![r]!);
      }
      mix(machines.flags[p]! & 0x8d5);
      mix(machines.rsp(p) - (p === 0 ? STACK_A : STACK_B));
      const [tl, th] = machines.top(p);
      mix(tl);
      mix(th);
    }
    mix(bound.s0);
    mix(bound.s1);
    mix(bound.carry);
    mix(bound.top);
    mix(written);
    mix(dataDone ? 1 : 0);
    mix(phase);
    return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  };
  const dfs = (depth: number, cost: number, last: number): void => {
    if (cut) return;
    // the node limit, or Ctrl-C and the time limit (looked at every 4096 nodes)
    if (++nodes > limit || ((nodes & 4095) === 0 && stopped())) {
      cut = true;
      return;
    }
    if (phase === 2 && dataDone === needData && unmet(0) === 0 && unmet(1) === 0 && consistent()) {
      const key = seq.map((it) => (it ? it.text : 'DATA')).join('; ');
      if (!partial.has(key)) partial.set(key, { seq: [...seq], cost });
    }
    const need = Math.max(unmet(0), unmet(1));
    if (cost + Math.ceil(need / 2) > budget || depth >= 30) return;
    // the same two states (and what is bound and written) reached before at no higher cost: nothing new below
    const key = stateKey();
    const seen = memo.get(key);
    if (seen !== undefined && seen <= cost) return;
    memo.set(key, cost);
    const options: (PlanItem | null)[] = phase === 0 ? [MARK, ...pool] : phase === 1 ? [HEAD, ...pool] : dataDone || !needData ? pool : [null, ...pool];
    for (let k = 0; k < options.length; k++) {
      const it = options[k]!;
      if (it && cost + it.cost > budget) continue;
      // independent neighbours in one order only (the tiling tries other orders where bytes force them)
      const prev = seq[seq.length - 1];
      if (it && prev && (prev.footprint & it.footprint) === 0 && k < last) continue;
      tryItem(depth, cost, k, it, inputsOf(it));
    }
  };
  /** Runs an item on both passes, first binding the second pass's unbound inputs it uses. */
  const tryItem = (depth: number, cost: number, k: number, it: PlanItem | null, unbound: (keyof Bound)[]): void => {
    if (unbound.length > 0) {
      const what = unbound[0]!;
      for (const v of choices[what]) {
        save(depth);
        bind(what, v);
        tryItem(depth, cost, k, it, unbound.slice(1));
        bound[what] = UNBOUND;
        restore(depth);
      }
      return;
    }
    save(depth);
    if (it === MARK || it === HEAD) {
      seq.push(it);
      phase++;
      dfs(depth + 1, cost, -1);
      phase--;
      seq.pop();
    } else if (phase === 1) {
      // prelude: the first pass only (what it leaves for the second is checked by consistent())
      if (machines.run(0, it)) {
        seq.push(it);
        dfs(depth + 1, cost + it!.cost, k);
        seq.pop();
      }
    } else if ((phase === 0 || machines.run(0, it)) && machines.run(1, it)) {
      seq.push(it);
      if (!it) dataDone = true;
      const w = written;
      // a push covers the stack top; a write of a spare register or the carry covers its input
      written |= it ? it.footprint & ~it.reads : STACK;
      if (it && it.footprint & STACK && !it.text.startsWith('pop')) written |= STACK;
      dfs(depth + 1, cost + (it ? it.cost : 0), it ? k : -1);
      written = w;
      if (!it) dataDone = false;
      seq.pop();
    }
    restore(depth);
  };

  let pool: PlanItem[] = items;
  let partial = new Map<string, { seq: (PlanItem | null)[]; cost: number }>();
  /** Programs over `use` that get the focused registers right on both passes, at most `max` bytes. */
  const programs = (use: PlanItem[], nrToo: boolean, argToo: boolean, withData: boolean, max: number): { seq: (PlanItem | null)[]; cost: number }[] => {
    pool = use;
    focusNr = nrToo;
    focusArg = argToo;
    needData = withData;
    partial = new Map();
    memo.clear();
    startA();
    startB();
    phase = parts ? 0 : 2;
    budget = max;
    dfs(0, 0, -1);
    // Only minimal programs: one that still works without one of its instructions is that one
    // plus a byte or two that do nothing for the calls (a filler the tiling can place anyway).
    return [...partial.values()].filter((p) => minimal(p.seq));
  };
  const minimal = (list: (PlanItem | null)[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      if (list[i] === null || list[i] === MARK || list[i] === HEAD) continue;
      seq.length = 0;
      seq.push(...list.slice(0, i), ...list.slice(i + 1));
      const works = confirmBoth();
      seq.length = 0;
      if (works) return false;
    }
    return true;
  };
  const record = (list: (PlanItem | null)[], cost: number): void => {
    const key = list.map((it) => (it ? it.text : 'DATA')).join('; ');
    if (found.has(key)) return;
    seq.length = 0;
    seq.push(...list);
    const ok = confirm();
    seq.length = 0;
    if (!ok) return;
    if (!parts) {
      found.set(key, { items: list.filter((x): x is PlanItem => x !== null), dataAt: list.indexOf(null), cost });
      return;
    }
    // placement order: prelude, body (with the data block), trap, after-trap code
    const mark = list.indexOf(MARK);
    const head = list.indexOf(HEAD);
    const after = list.slice(0, mark) as PlanItem[];
    const prelude = list.slice(mark + 1, head) as PlanItem[];
    const body = list.slice(head + 1);
    const bodyItems = body.filter((x): x is PlanItem => x !== null);
    const dataAt = body.includes(null) ? prelude.length + body.indexOf(null) : prelude.length + bodyItems.length + after.length;
    found.set(key, {
      items: [...prelude, ...bodyItems, ...after], dataAt, cost,
      parts: { headAt: prelude.length, trapAt: prelude.length + bodyItems.length, trap: goal.abi.trap },
    });
  };
  // The number register and the fd/status register are mostly set apart: programs for each alone
  // (the stack pieces go with the second, whose pops and pushes they sit between), then every
  // interleaving of two of them; and joint programs (xchg eax, edi couples both) up to a smaller cost.
  const touches = (it: PlanItem, r: number): boolean => (it.footprint & bit(r)) !== 0;
  // the cheapest number program bounds what an fd/status program may cost, and the cheapest of
  // those what a number program may cost
  const numberItems = items.filter((it) => !touches(it, arg0));
  let numberMin = 1;
  while (numberMin < maxCost && programs(numberItems, true, false, false, numberMin).length === 0) numberMin++;
  const argPrograms = programs(items.filter((it) => !touches(it, nr)), false, true, true, maxCost - numberMin);
  const numberMax = maxCost - Math.min(Infinity, ...argPrograms.map((p) => p.cost));
  // number programs never touch the data block: the same for every piece count (kept per goal)
  const numberKey = `${goal.mode ?? 64}/${goal.abi.name}/${goal.fd}/${goal.length}/${goal.exitCode}/${goal.argc}/${numberMax}/${only?.join('|') ?? ''}`;
  const byText = new Map([...items, MARK, HEAD].map((it) => [it.text, it]));
  let numberPrograms: { seq: (PlanItem | null)[]; cost: number }[] = [];
  const cached = numberProgramCache.get(numberKey);
  if (cached) numberPrograms = cached.map((c) => ({ seq: c.texts.map((t) => byText.get(t)!), cost: c.cost }));
  else if (Number.isFinite(numberMax)) {
    numberPrograms = programs(numberItems, true, false, false, numberMax);
    if (!cut) {
      if (numberProgramCache.size > 16) numberProgramCache.clear();
      numberProgramCache.set(numberKey, numberPrograms.map((p) => ({ texts: p.seq.map((it) => it!.text), cost: p.cost })));
    }
  }
  for (const a of numberPrograms) {
    for (const b of argPrograms) {
      if (a.cost + b.cost > maxCost) continue;
      for (const merged of parts ? partwise(a.seq, b.seq) : interleavings(a.seq, b.seq)) record(merged, a.cost + b.cost);
    }
  }
  for (const j of programs(items, true, true, true, Math.min(maxCost, JOINT_COST))) record(j.seq, j.cost);
  const plans = [...found.values()].sort((a, b) => a.cost - b.cost || a.items.length - b.items.length);
  return { plans, exhausted: !cut };
}


/** Debug aid: the items of the alphabet by text. */
export function itemsByText(goal: LoopGoal): Map<string, PlanItem> {
  return new Map(planAlphabet(goal).map((i) => [i.text, i]));
}

/** Number-register programs by goal (without the piece count, which they do not depend on). */
const numberProgramCache = new Map<string, { texts: string[]; cost: number }[]>();

/** Joint programs (both registers at once) are searched up to this cost: they are rarer and costlier to enumerate. */
const JOINT_COST = 3;

/** Interleavings of two three-part programs, part by part (each part's markers shared). */
function* partwise(a: readonly (PlanItem | null)[], b: readonly (PlanItem | null)[]): Generator<(PlanItem | null)[]> {
  const split = (s: readonly (PlanItem | null)[]): (PlanItem | null)[][] => {
    const m = s.indexOf(MARK);
    const h = s.indexOf(HEAD);
    return [s.slice(0, m), s.slice(m + 1, h), s.slice(h + 1)];
  };
  const [a0, a1, a2] = split(a);
  const [b0, b1, b2] = split(b);
  for (const x of interleavings(a0!, b0!)) for (const y of interleavings(a1!, b1!)) for (const z of interleavings(a2!, b2!)) yield [...x, MARK, ...y, HEAD, ...z];
}

/** Every interleaving of two sequences (order within each kept). */
function* interleavings<T>(a: readonly T[], b: readonly T[]): Generator<T[]> {
  const out: T[] = [];
  function* go(i: number, j: number): Generator<T[]> {
    if (i === a.length && j === b.length) {
      yield [...out];
      return;
    }
    if (i < a.length) {
      out.push(a[i]!);
      yield* go(i + 1, j);
      out.pop();
    }
    if (j < b.length) {
      out.push(b[j]!);
      yield* go(i, j + 1);
      out.pop();
    }
  }
  yield* go(0, 0);
}
