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
import { AddressSpace, Prot } from '../linux/memory.js';
import { Reg } from '../x86/decoded.js';
import type { SyscallAbi } from './abi.js';
import { imm, mustEncode, reg } from './walk/encodings.js';

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
}

const FLAGS = 1 << 16;
const STACK = 1 << 17;
const bit = (r: number): number => 1 << r;

/** The instructions loop plans are made of (the walk's alphabet offers each of them too). */
export function planAlphabet(goal: LoopGoal): PlanItem[] {
  const items: PlanItem[] = [];
  const add = (ins: Parameters<typeof mustEncode>[0], text: string, footprint: number, reads: number, wildcard = -1): void => {
    const bytes = mustEncode(ins);
    const pattern = Array.from(bytes, (b, i) => (wildcard >= 0 && i >= wildcard ? -1 : b));
    const cost = wildcard >= 0 ? wildcard : bytes.length;
    items.push({ bytes, pattern, cost, text, footprint, reads });
  };
  // immediates: the numbers the two calls need, and one below each exit number (adc/inc make it)
  const values = new Set<number>([0, goal.fd, goal.exitCode, goal.abi.write]);
  for (const e of goal.abi.exit) for (const d of [-1, 0]) values.add(e + d);
  const spare = [Reg.rbx, Reg.rbp];
  const arg0 = goal.abi.args[0]!;
  const SP = bit(Reg.rsp);
  for (const r of [...spare, arg0]) add({ mnemonic: 'xchg', operands: [reg(Reg.rax, 4), reg(r, 4)] }, `xchg eax, ${NAMES[r]}`, bit(Reg.rax) | bit(r), bit(Reg.rax) | bit(r));
  for (const r of [Reg.rax, arg0, ...spare]) {
    add({ mnemonic: 'push', operands: [reg(r, 8)] }, `push ${NAMES64[r]}`, bit(r) | SP | STACK, bit(r) | SP);
    add({ mnemonic: 'pop', operands: [reg(r, 8)] }, `pop ${NAMES64[r]}`, bit(r) | SP | STACK, SP | STACK);
  }
  for (const v of values) {
    if (v > 255) continue;
    // mov r8 keeps bits 8-63, which are 0 for every value plans use: treated as a plain write
    add({ mnemonic: 'mov', operands: [reg(Reg.rax, 1), imm(v)] }, `mov al, ${v}`, bit(Reg.rax), 0);
    add({ mnemonic: 'mov', operands: [reg(Reg.rbx, 1), imm(v)] }, `mov bl, ${v}`, bit(Reg.rbx), 0);
    if (v < 128) add({ mnemonic: 'push', operands: [imm(v)], opsize: 8 }, `push ${v}`, SP | STACK, SP);
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

  constructor(items: readonly PlanItem[], pieces: number) {
    this.mem.map(CODE, 0x10000, Prot.read | Prot.exec);
    this.mem.map(STACK_A - STACK_BYTES, 2 * STACK_BYTES, Prot.read | Prot.write);
    this.mem.map(STACK_B - STACK_BYTES, 2 * STACK_BYTES, Prot.read | Prot.write);
    this.cpu = processCpu(this.mem, 64);
    items.forEach((it, k) => {
      this.mem.poke(CODE + k * SLOT, it.bytes);
      this.slotOf.set(it, CODE + k * SLOT);
    });
    const block: number[] = [];
    for (let i = 0; i < pieces; i++) block.push(...mustEncode({ mnemonic: 'push', operands: [imm(MARKER)], opsize: 8 }));
    block.push(...mustEncode({ mnemonic: 'push', operands: [reg(Reg.rsp, 8)] }), ...mustEncode({ mnemonic: 'pop', operands: [reg(Reg.rsi, 8)] }));
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

  /** The qword at pass p's rsp (low and high halves). */
  top(p: number): [number, number] {
    const a = this.rsp(p);
    return [this.mem.read32(a), this.mem.read32(a + 4)];
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
  rbx: number;
  rbp: number;
  carry: number;
  /** The qword at rsp after the first pass, or -1 for "a data piece" (nothing pushed after the block). */
  top: number;
}

const UNBOUND = -2;

/**
 * Loop plans of cost at most `maxCost`, cheapest first, each confirmed by running both passes in
 * order on the interpreter. `limit` bounds the search nodes (the result says whether it was cut).
 */
export function loopPlans(goal: LoopGoal, maxCost: number, limit = 2_000_000, only?: readonly string[], stopped: () => boolean = () => false): { plans: LoopPlan[]; exhausted: boolean } {
  const items = planAlphabet(goal).filter((i) => !only || only.includes(i.text));
  const machines = new PassMachines(items, goal.pieces);
  const later = new Set<number>([0, goal.exitCode]);
  for (const e of goal.abi.exit) for (const d of [-1, 0]) later.add(e + d);
  const values = [...later];
  const bound: Bound = { rbx: UNBOUND, rbp: UNBOUND, carry: UNBOUND, top: UNBOUND };
  const found = new Map<string, LoopPlan>();
  let nodes = 0;
  let cut = false;
  const seq: (PlanItem | null)[] = [];
  const arg0 = goal.abi.args[0]!;
  const nr = goal.abi.numberReg;

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
    machines.writeQword(STACK_A, goal.argc >= 0 ? goal.argc : MARKER, goal.argc >= 0 ? 0 : MARKER);
    machines.writeQword(STACK_A + 8, MARKER, 0x7ffe);
    machines.writeQword(STACK_A + 16, 0, 0);
    machines.writeQword(STACK_A + 24, MARKER, MARKER);
  };
  const startB = (): void => {
    const lo = machines.lo[1]!;
    const hi = machines.hi[1]!;
    lo.fill(0);
    hi.fill(0);
    lo[nr] = goal.length;
    lo[arg0] = goal.fd;
    lo[Reg.rdx] = goal.length;
    lo[Reg.rsp] = STACK_B;
    lo[Reg.rsi] = STACK_B;
    machines.flags[1] = 0x202;
    pageB.fill(0, offB, offB + WINDOW);
    for (let a = STACK_B; a < STACK_B + 64; a += 8) machines.writeQword(a, MARKER, MARKER);
  };
  /** Gives the second pass's input `what` a value (registers, carry, stack top). */
  const bind = (what: keyof Bound, v: number): void => {
    bound[what] = v;
    if (what === 'rbx') machines.lo[1]![Reg.rbx] = v;
    else if (what === 'rbp') machines.lo[1]![Reg.rbp] = v;
    else if (what === 'carry') machines.flags[1] = (machines.flags[1]! & ~1) | v;
    else machines.writeQword(STACK_B, v >= 0 ? v : MARKER, v >= 0 ? 0 : MARKER);
  };
  const choices: Record<keyof Bound, number[]> = { rbx: values, rbp: values, carry: [0, 1], top: [-1, ...values] };

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
  const pageA = machines.mem.getPage(Math.floor((STACK_A - WINDOW_BELOW) / 0x1000))!.data;
  const pageB = machines.mem.getPage(Math.floor((STACK_B - WINDOW_BELOW) / 0x1000))!.data;
  const offA = (STACK_A - WINDOW_BELOW) % 0x1000;
  const offB = (STACK_B - WINDOW_BELOW) % 0x1000;
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
    for (const it of seq) if (!machines.run(0, it)) return false;
    if (unmet(0) !== 0) return false;
    // the write's result, the trap's clobbers (rcx, r11 are not read by plans), then the second pass
    machines.lo[1]!.set(machines.lo[0]!);
    machines.hi[1]!.set(machines.hi[0]!);
    machines.flags[1] = machines.flags[0]!;
    machines.lo[1]![nr] = goal.length;
    machines.hi[1]![nr] = 0;
    // the second pass runs on the first pass's stack
    machines.lo[1]![Reg.rsp] = machines.lo[0]![Reg.rsp]!;
    for (const it of seq) if (!machines.run(1, it)) return false;
    return unmet(1) === 0;
  };

  const consistent = (): boolean => {
    const lo = machines.lo[0]!;
    if (bound.rbx !== UNBOUND && (lo[Reg.rbx] !== bound.rbx || machines.hi[0]![Reg.rbx] !== 0)) return false;
    if (bound.rbp !== UNBOUND && (lo[Reg.rbp] !== bound.rbp || machines.hi[0]![Reg.rbp] !== 0)) return false;
    if (bound.carry !== UNBOUND && (machines.flags[0]! & 1) !== bound.carry) return false;
    if (bound.top === UNBOUND) return true;
    const [tl, th] = machines.top(0);
    return bound.top >= 0 ? tl === bound.top && th === 0 : tl === MARKER && th === MARKER;
  };
  /** The second pass's inputs an item uses that are still unbound. */
  const inputsOf = (it: PlanItem | null): (keyof Bound)[] => {
    const out: (keyof Bound)[] = [];
    if (!it) return out;
    const r = it.reads & ~written;
    if (r & bit(Reg.rbx) && bound.rbx === UNBOUND) out.push('rbx');
    if (r & bit(Reg.rbp) && bound.rbp === UNBOUND) out.push('rbp');
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
    mix(bound.rbx);
    mix(bound.rbp);
    mix(bound.carry);
    mix(bound.top);
    mix(written);
    mix(dataDone ? 1 : 0);
    return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
  };
  const dfs = (depth: number, cost: number, last: number): void => {
    if (cut) return;
    // the node limit, or Ctrl-C and the time limit (looked at every 4096 nodes)
    if (++nodes > limit || ((nodes & 4095) === 0 && stopped())) {
      cut = true;
      return;
    }
    if (dataDone === needData && unmet(0) === 0 && unmet(1) === 0 && consistent()) {
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
    const options: (PlanItem | null)[] = dataDone || !needData ? pool : [null, ...pool];
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
    if (machines.run(0, it) && machines.run(1, it)) {
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
    budget = max;
    dfs(0, 0, -1);
    // Only minimal programs: one that still works without one of its instructions is that one
    // plus a byte or two that do nothing for the calls (a filler the tiling can place anyway).
    return [...partial.values()].filter((p) => minimal(p.seq));
  };
  const minimal = (list: (PlanItem | null)[]): boolean => {
    for (let i = 0; i < list.length; i++) {
      if (list[i] === null) continue;
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
    if (ok) found.set(key, { items: list.filter((x): x is PlanItem => x !== null), dataAt: list.indexOf(null), cost });
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
  const numberKey = `${goal.abi.name}/${goal.fd}/${goal.length}/${goal.exitCode}/${goal.argc}/${numberMax}/${only?.join('|') ?? ''}`;
  const byText = new Map(items.map((it) => [it.text, it]));
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
      for (const merged of interleavings(a.seq, b.seq)) record(merged, a.cost + b.cost);
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
