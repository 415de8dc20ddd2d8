/**
 * golf 0.1.0's code walk (search v1), kept only so `npm run bench` can measure it beside the
 * current walk (src/search/walk/) on the same layouts in the same run. Nothing else uses it.
 *
 * The code search for one layout: a depth-first walk that drives the real interpreter one
 * instruction at a time over a partially known file. Bytes fixed by the layout execute as they are
 * (entry points inside the magic, REX soup, header bytes swallowed by immediates all arise this
 * way); where an instruction would read unassigned bytes, the walk branches over instructions
 * encoded there by the table-driven encoder, with immediates taken from what the next system call
 * needs. System calls check the output so far against the target; a write's unassigned buffer
 * bytes are assigned the target bytes at that moment (the string lands in whatever hole it is
 * pointed at). Semantics come only from the Cpu; this file decides what to try, never what it does.
 */
import { Stop } from '../src/emu/cpu.js';
import { PAGE_SIZE } from '../src/linux/memory.js';
import type { KernelProfile } from '../src/linux/profile.js';
import { DecodeStatus, Reg } from '../src/x86/decoded.js';
import { decode } from '../src/x86/decoder.js';
import { encodeAll, type AsmInstruction, type AsmOperand } from '../src/x86/encoder.js';
import type { SyscallAbi } from '../src/search/abi.js';
import type { Layout } from '../src/search/layout.js';
import { startProcess, type WalkProcess } from '../src/search/process.js';

const TWO32 = 0x1_0000_0000;
const MAX_INSN = 15;

export interface Goal {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number;
}

export interface WalkOptions {
  profile: KernelProfile;
  /** The argument count the target runs with (what the stack word at rsp holds at entry). */
  argc: number;
  abis: readonly SyscallAbi[];
  /** Instructions per path (header code may loop). */
  maxPathSteps: number;
  /** Stop after this many walk nodes (0 = no limit). */
  nodeLimit: number;
  /** Polled every 1024 nodes: true ends the walk (time limit, Ctrl-C). */
  stopped: () => boolean;
  /** Called with each complete candidate file; return true to accept it and end the walk. */
  accept: (file: Uint8Array) => boolean;
  /** A write may put out the longest prefix of what is left that fits at a hole (see writePieces). */
  splitWrites?: boolean;
}

export interface WalkResult {
  file: Uint8Array | null;
  nodes: number;
  candidates: number;
  /** The walk explored everything (not cut by node limit or deadline). */
  exhausted: boolean;
}

interface Need {
  reg: number;
  width: 4 | 8;
  /** Values that satisfy the need, as exact numbers (< 2^53). */
  values: number[];
  /** Any value whose low 8 bits equal this (exit codes), or -1. */
  low8: number;
}

/** Legacy and REX prefix bytes: fixed bytes that may stand in front of an instruction placed after them. */
function isPrefixByte(b: number): boolean {
  return (b >= 0x40 && b <= 0x4f) || b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36 || b === 0x64 || b === 0x65;
}

/** One instruction (or push/pop pair) the walk may place. */
interface Template {
  bytes: Uint8Array;
  firstLength: number;
  /** Instructions in `bytes`. */
  count: number;
  /** 'progress' must bring the next system call closer; 'free' (traps, skippers, jumps) need not. */
  kind: 'progress' | 'free';
  /** Its bytes depend on where it is placed (RIP-relative lea, jumps). */
  relative: boolean;
}

/** A template just placed in fresh bytes, remembered so the next one can be checked for order. */
interface Placed {
  off: number;
  bytes: Uint8Array;
  count: number;
  before: CpuSnapshot;
}

interface CpuSnapshot {
  lo: Uint32Array;
  hi: Uint32Array;
  rip: number;
  flags: number;
}

/** `a` starts with `b`. */
function isPrefix(a: Uint8Array, b: Uint8Array): boolean {
  if (b.length > a.length) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `b` placed `shift` bytes after `a` agrees with it where they overlap. */
function overlapsAt(a: Uint8Array, b: Uint8Array, shift: number): boolean {
  for (let i = shift; i < a.length && i - shift < b.length; i++) if (a[i] !== b[i - shift]) return false;
  return true;
}

/** A register value the walk cannot know ahead (a future buffer, a trap's clobber). */
const UNKNOWN = -1;

/** Register value `v` meets need `n`. */
function meets(n: Need, v: number): boolean {
  return n.low8 >= 0 ? v >= 0 && (v & 0xff) === n.low8 : n.values.includes(v);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function sameWords(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const reg = (r: number, size: number): AsmOperand => ({ kind: 'reg', reg: r, size });
const imm = (v: number): AsmOperand => ({ kind: 'imm', value: BigInt(v) });

export class Walk {
  private readonly size: number;
  /** Per file offset: assigned value, or -1 while unassigned. */
  private readonly det: Int16Array;
  private readonly proc: WalkProcess;
  /** Cheapest code cost at which each state was reached in this deepening round. */
  private readonly visited = new Map<string, number>();
  /** Code bytes this deepening round may assign. */
  private budget = 0;
  private readonly encodeCache = new Map<string, Uint8Array | null>();
  private readonly invalidate: (address: number) => void;
  private dirty = false;
  private out1 = 0;
  private out2 = 0;
  private assignedHash = 0;
  private nodes = 0;
  private candidates = 0;
  private cut = false;
  private found: Uint8Array | null = null;
  private readonly scratch = new Uint8Array(MAX_INSN);

  private constructor(private readonly layout: Layout, private readonly goal: Goal, private readonly options: WalkOptions, proc: WalkProcess) {
    this.size = layout.size;
    this.det = new Int16Array(layout.size);
    for (let i = 0; i < layout.size; i++) this.det[i] = layout.allowed[i] === null || layout.allowed[i]!.length > 1 ? -1 : layout.image[i]!;
    this.proc = proc;
    const inv = proc.mem.onCodeWrite ?? ((): void => {});
    this.invalidate = inv;
    // A program write into its own pages is outside what the walk undoes: such paths are dropped.
    proc.mem.onCodeWrite = (address) => {
      inv(address);
      this.dirty = true;
    };
  }

  static run(layout: Layout, goal: Goal, options: WalkOptions): WalkResult {
    const proc = startProcess(layout.image.slice(), options.profile, options.argc);
    if (!proc) return { file: null, nodes: 0, candidates: 0, exhausted: true };
    const walk = new Walk(layout, goal, options, proc);
    // Iterative deepening on code bytes: the cheapest programs are tried first, so they take the
    // fewest holes and jumps; bytes of the header swallowed by an instruction cost nothing.
    // Output bytes need unassigned bytes of their own (sharing with code is possible but rare and
    // still found when the code happens to match), so code may use at most the rest.
    const open = walk.det.reduce((n, d) => n + (d === -1 ? 1 : 0), 0) - goal.stdout.length - goal.stderr.length;
    const start = walk.saveCpu();
    for (walk.budget = walk.lowerBound(); walk.budget <= open && !walk.found && !walk.cut; walk.budget++) {
      walk.visited.clear();
      walk.restoreCpu(start);
      walk.node(0, 0);
    }
    return { file: walk.found, nodes: walk.nodes, candidates: walk.candidates, exhausted: !walk.cut };
  }

  // ---- bytes ----

  /** Byte at file offset `off` as the process sees it now (unassigned bytes hold the layout's value). */
  private byteAt(off: number): number {
    if (off < 0 || off >= this.size) return 0;
    const d = this.det[off]!;
    return d >= 0 ? d : this.layout.image[off]!;
  }

  private canTake(off: number, v: number): boolean {
    if (off < 0) return false;
    if (off >= this.size) return v === 0 && off < this.pageEnd();
    const d = this.det[off]!;
    if (d >= 0) return d === v;
    const allowed = this.layout.allowed[off]!;
    return allowed === null || allowed.includes(v);
  }

  private pageEnd(): number {
    return Math.ceil(this.size / PAGE_SIZE) * PAGE_SIZE;
  }

  /** Assigns `bytes` at file offset `off`; pushes assigned offsets onto `log`. False (nothing kept) if incompatible. */
  private assign(off: number, bytes: ArrayLike<number>, log: number[]): boolean {
    const start = log.length;
    for (let i = 0; i < bytes.length; i++) {
      const o = off + i;
      const v = bytes[i]!;
      if (!this.canTake(o, v)) {
        this.undo(log, start);
        return false;
      }
      if (o < this.size && this.det[o] === -1) {
        this.det[o] = v;
        this.assignedHash = (this.assignedHash ^ Math.imul(o + 1, 0x9e3779b1) ^ Math.imul(v + 7, 0x85ebca6b)) >>> 0;
        this.poke(o, v);
        log.push(o);
      }
    }
    return true;
  }

  private undo(log: number[], downTo: number): void {
    while (log.length > downTo) {
      const o = log.pop()!;
      const v = this.det[o]!;
      this.assignedHash = (this.assignedHash ^ Math.imul(o + 1, 0x9e3779b1) ^ Math.imul(v + 7, 0x85ebca6b)) >>> 0;
      this.det[o] = -1;
      this.poke(o, this.layout.image[o]!);
    }
  }

  /** The file's pages as the process maps them (looked up once: poke runs on every assign and undo). */
  private pageData: (Uint8Array | null)[] = [];

  private poke(off: number, v: number): void {
    const a = this.proc.loadBase + off;
    const index = Math.floor(off / PAGE_SIZE);
    let data = this.pageData[index];
    if (data === undefined) {
      data = this.proc.mem.getPage(Math.floor(a / PAGE_SIZE))?.data ?? null;
      this.pageData[index] = data;
    }
    if (data) data[a % PAGE_SIZE] = v;
    else this.proc.mem.poke(a, Uint8Array.of(v));
    this.invalidate(a);
  }

  // ---- registers ----

  private regValue(r: number): number {
    return this.proc.cpu.regHi[r]! * TWO32 + this.proc.cpu.regLo[r]!;
  }

  /**
   * The word at the top of the stack when the walk knows it: argc, as long as nothing was popped or
   * pushed since entry (the walk's process holds only argc; the rest of Linux's initial stack is
   * not modelled here). UNKNOWN when the profile forbids relying on argc.
   */
  private stackTop(): number {
    if (!this.options.profile.argcAssumable || this.regValue(Reg.rsp) !== this.proc.initialRsp) return UNKNOWN;
    return this.options.argc;
  }

  private satisfied(n: Need): boolean {
    const cpu = this.proc.cpu;
    if (n.low8 >= 0) return (cpu.regLo[n.reg]! & 0xff) === n.low8;
    const v = n.width === 4 ? cpu.regLo[n.reg]! : this.regValue(n.reg);
    return n.values.includes(v);
  }

  /** placesFor results by (assigned bytes, output so far): the same for every register state. */
  private readonly placesMemo = new Map<string, number[]>();

  /** Addresses where `bytes` could lie in the file image right now (assigned bytes equal, others allowed). */
  private placesFor(bytes: Uint8Array): number[] {
    const key = `${this.assignedHash},${this.out1},${this.out2}`;
    const memo = this.placesMemo.get(key);
    if (memo) return memo;
    if (this.placesMemo.size > 100_000) this.placesMemo.clear();
    const out = this.computePlaces(bytes);
    this.placesMemo.set(key, out);
    return out;
  }

  private computePlaces(bytes: Uint8Array): number[] {
    const out: number[] = [];
    for (let off = 0; off + bytes.length <= this.pageEnd() && off < this.size; off++) {
      let ok = true;
      for (let i = 0; i < bytes.length && ok; i++) ok = this.canTake(off + i, bytes[i]!);
      // Only placements flush with a hole's start or end: any other offset wastes bytes of the hole.
      const flushStart = off === 0 || this.det[off - 1] !== -1;
      const end = off + bytes.length;
      const flushEnd = end >= this.size || this.det[end] !== -1;
      if (ok && (flushStart || flushEnd)) out.push(this.proc.loadBase + off);
    }
    return out;
  }

  private readonly piecesMemo = new Map<string, { places: number[]; lengths: number[] }>();

  /**
   * Where the next write's bytes may lie and how many it may write: the whole rest of the stream
   * first; with splitWrites also, at the start of every hole, the longest prefix of the rest that
   * fits there (at least 2 bytes, so a piece pays for its system call), the remainder being left to
   * later writes. A piece that does not fill its hole could have been placed whole or longer, so
   * shorter prefixes are not tried. Buffer and length are judged together when the write happens.
   */
  private writePieces(rest: Uint8Array): { places: number[]; lengths: number[] } {
    const whole = this.placesFor(rest);
    if (!this.options.splitWrites) return { places: whole, lengths: [rest.length] };
    const key = `${this.assignedHash},${this.out1},${this.out2}`;
    const memo = this.piecesMemo.get(key);
    if (memo) return memo;
    if (this.piecesMemo.size > 100_000) this.piecesMemo.clear();
    const places = [...whole];
    const lengths = whole.length > 0 ? [rest.length] : [];
    for (let off = 0; off < this.size; off++) {
      if (off > 0 && this.det[off - 1] === -1) continue;
      let k = 0;
      while (k < rest.length && this.canTake(off + k, rest[k]!)) k++;
      if (k < 2 || k === rest.length) continue;
      const address = this.proc.loadBase + off;
      if (!places.includes(address)) places.push(address);
      if (!lengths.includes(k)) lengths.push(k);
    }
    const out = { places, lengths };
    this.piecesMemo.set(key, out);
    return out;
  }

  /** What the next system call needs in each convention. */
  private needs(abi: SyscallAbi): Need[] {
    const g = this.goal;
    let fd = 0;
    let rest: Uint8Array | null = null;
    if (this.out1 < g.stdout.length) { fd = 1; rest = g.stdout.subarray(this.out1); }
    else if (this.out2 < g.stderr.length) { fd = 2; rest = g.stderr.subarray(this.out2); }
    if (rest) {
      const pieces = this.writePieces(rest);
      const places = pieces.places.filter((a) => abi.width === 8 || a < TWO32);
      return [
        { reg: abi.numberReg, width: abi.width, values: [abi.write], low8: -1 },
        { reg: abi.args[0]!, width: abi.width, values: [fd], low8: -1 },
        { reg: abi.args[1]!, width: abi.width, values: places, low8: -1 },
        { reg: abi.args[2]!, width: abi.width, values: pieces.lengths, low8: -1 },
      ];
    }
    return [
      { reg: abi.numberReg, width: abi.width, values: [...abi.exit], low8: -1 },
      { reg: abi.args[0]!, width: abi.width, values: [g.exitCode], low8: g.exitCode },
    ];
  }

  /** Fewest unmet needs over the conventions: the walk's measure of progress. */
  private distance(): number {
    let best = Infinity;
    for (const abi of this.options.abis) best = Math.min(best, this.needs(abi).filter((n) => !this.satisfied(n)).length);
    return best;
  }

  // ---- the walk ----

  /**
   * Fewest code bytes still needed: the unmet needs of the next system call, a 2-byte trap for it
   * and each later one, and what the later calls need beyond what the earlier ones leave behind.
   */
  private lowerBound(): number {
    const g = this.goal;
    const writesLeft = (this.out1 < g.stdout.length ? 1 : 0) + (this.out2 < g.stderr.length ? 1 : 0);
    let best = Infinity;
    for (const abi of this.options.abis) {
      const now = this.registers(abi.width);
      best = Math.min(best, this.callCost(this.needs(abi), now, now, this.stackTop()) + this.laterCost(abi, now));
    }
    return best + 2 * (writesLeft + 1);
  }

  /** Every register's value as a call of that width reads it. */
  private registers(width: 4 | 8): number[] {
    const out: number[] = [];
    for (let r = 0; r < 16; r++) out.push(width === 4 ? this.proc.cpu.regLo[r]! : this.regValue(r));
    return out;
  }

  /**
   * Fewest bytes that meet `needs` from registers `regs`, where `pool` holds every value some
   * register could carry by then. Per need: 1 for `xchg eax, r` (rax wants a value some register
   * holds, or rax holds what r wants) or `cdq` (rdx = 0); 2 for 8-bit moves, xor, inc/dec and
   * register copies; an address no register holds costs a 5-byte mov (below 4 GiB) or a 7-byte
   * lea. A chain of k exchanges fixes k + 1 registers, so when rax's own need is met by exchange
   * together with others, one byte is taken off. A known stack top (argc) costs 1 (`pop r`).
   */
  private callCost(needs: readonly Need[], regs: readonly number[], pool: readonly number[], stackTop: number): number {
    let bytes = 0;
    let exchanges = 0;
    let raxExchange = false;
    for (const n of needs) {
      if (meets(n, regs[n.reg]!)) continue;
      const held = pool.some((v, s) => s !== n.reg && v !== UNKNOWN && meets(n, v));
      if ((held && n.reg === Reg.rax) || (n.reg !== Reg.rax && regs[Reg.rax] !== UNKNOWN && meets(n, regs[Reg.rax]!))) {
        bytes += 1;
        exchanges++;
        if (n.reg === Reg.rax) raxExchange = true;
      } else if (n.reg === Reg.rdx && n.values.includes(0)) bytes += 1;
      else if (stackTop !== UNKNOWN && meets(n, stackTop)) bytes += 1;
      else if (held) bytes += 2;
      else {
        const cur = regs[n.reg]!;
        const near = n.low8 >= 0 || n.values.some((v) => v < 256 || (cur !== UNKNOWN && Math.abs(v - cur) <= 1));
        bytes += near ? 2 : n.values.some((v) => v < TWO32) ? 5 : 7;
      }
    }
    return raxExchange && exchanges >= 2 ? bytes - 1 : bytes;
  }

  /**
   * Bytes needed between the later system calls of the shortest remaining sequence (each stream
   * written whole, then exit). After write(a) the registers are known: the number register holds
   * a's length, the fd and length arguments stay, the buffer holds a's place, the trap's own
   * clobbers are gone, and the rest keep what they hold now (values held now could be moved
   * anywhere, so they count as held for every later call). A sequence that splits a write (splitWrites)
   * pays for more calls than counted here, so the bound stays below its cost.
   */
  private laterCost(abi: SyscallAbi, now: readonly number[]): number {
    const g = this.goal;
    const rest: { fd: number; bytes: Uint8Array }[] = [];
    if (this.out1 < g.stdout.length) rest.push({ fd: 1, bytes: g.stdout.subarray(this.out1) });
    if (this.out2 < g.stderr.length) rest.push({ fd: 2, bytes: g.stderr.subarray(this.out2) });
    if (rest.length === 0) return 0;
    const regs = now.slice();
    // The current buffer register is about to hold the current string's place: not a place for later strings.
    const curBuffer = now[abi.args[1]!]!;
    const places = now.filter((v, r) => r !== abi.args[1] && !abi.clobbered.includes(r) && v !== curBuffer);
    let bytes = 0;
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      const b = rest[i + 1];
      regs[abi.numberReg] = a.bytes.length;
      regs[abi.args[0]!] = a.fd;
      regs[abi.args[1]!] = UNKNOWN;
      regs[abi.args[2]!] = a.bytes.length;
      for (const r of abi.clobbered) regs[r] = UNKNOWN;
      const pool = [...regs, ...now];
      if (b) {
        bytes += this.callCost([
          { reg: abi.numberReg, width: abi.width, values: [abi.write], low8: -1 },
          { reg: abi.args[0]!, width: abi.width, values: [b.fd], low8: -1 },
          { reg: abi.args[2]!, width: abi.width, values: [b.bytes.length], low8: -1 },
        ], regs, pool, this.stackTop());
        bytes += this.laterBufferCost(a.bytes, b.bytes, places);
      } else {
        bytes += this.callCost([
          { reg: abi.numberReg, width: abi.width, values: [...abi.exit], low8: -1 },
          { reg: abi.args[0]!, width: abi.width, values: [g.exitCode], low8: g.exitCode },
        ], regs, pool, this.stackTop());
      }
    }
    return bytes;
  }

  /**
   * Bytes to point the buffer register at `b` after it pointed at `a`: none if one string starts
   * the other (same place), 2 if `b` can sit one byte off `a` (inc/dec) or where a register now
   * points, else a 5-byte mov (image below 4 GiB) or 7-byte lea. Registers the trap clobbers are
   * not counted: rcx's return address is where the code goes on, so a string there would be code.
   */
  private laterBufferCost(a: Uint8Array, b: Uint8Array, places: readonly number[]): number {
    if (isPrefix(a, b) || isPrefix(b, a)) return 0;
    if (overlapsAt(a, b, 1) || overlapsAt(b, a, 1)) return 2;
    for (const v of places) if (this.fitsAt(v - this.proc.loadBase, b)) return 2;
    return this.proc.loadBase + this.pageEnd() <= TWO32 ? 5 : 7;
  }

  /** `bytes` could lie at file offset `off` (assigned bytes equal, others allowed). */
  private fitsAt(off: number, bytes: Uint8Array): boolean {
    if (off < 0 || off >= this.size) return false;
    for (let i = 0; i < bytes.length; i++) if (!this.canTake(off + i, bytes[i]!)) return false;
    return true;
  }

  private stateKey(): string {
    const c = this.proc.cpu;
    return `${c.rip},${c.rflags},${c.regLo.join(',')},${c.regHi.join(',')},${this.out1},${this.out2},${this.assignedHash}`;
  }

  private saveCpu(): CpuSnapshot {
    const c = this.proc.cpu;
    return { lo: c.regLo.slice(), hi: c.regHi.slice(), rip: c.rip, flags: c.rflags };
  }

  private restoreCpu(s: CpuSnapshot): void {
    const c = this.proc.cpu;
    c.regLo.set(s.lo);
    c.regHi.set(s.hi);
    c.rip = s.rip;
    c.rflags = s.flags;
  }

  private outOfBudget(): boolean {
    if (this.found) return true;
    if ((this.options.nodeLimit > 0 && this.nodes >= this.options.nodeLimit) || ((this.nodes & 1023) === 0 && this.options.stopped())) {
      this.cut = true;
      return true;
    }
    return this.cut;
  }

  private node(depth: number, cost: number, prev: Placed | null = null): void {
    if (this.outOfBudget() || depth > this.options.maxPathSteps) return;
    this.nodes++;
    const key = this.stateKey();
    const seen = this.visited.get(key);
    if (seen !== undefined && seen <= cost) return;
    this.visited.set(key, cost);
    const cpu = this.proc.cpu;
    const off = cpu.rip - this.proc.loadBase;
    // Which bytes would the instruction at rip read? Decode the current view and look for unassigned ones.
    for (let i = 0; i < MAX_INSN; i++) this.scratch[i] = this.byteAt(off + i);
    const inImage = off >= 0 && off < this.size;
    const d = inImage ? decode(this.scratch, 0, 64, cpu.rip) : null;
    let open = false;
    if (d) {
      const len = d.status === DecodeStatus.truncated || d.length === 0 ? MAX_INSN : d.length;
      for (let i = 0; i < len && !open; i++) open = off + i < this.size && this.det[off + i] === -1;
    }
    if (!open) {
      this.execute(depth, cost);
      return;
    }
    const base = this.distance();
    // Instructions of equal size with equal effect (mov al,1 / inc eax from 0 / push 1; pop rax)
    // lead to the same futures; only the first (in alphabet order) is followed.
    const effects = new Set<string>();
    let k = 0;
    for (;;) {
      for (const t of this.templates(off + k, cpu.rip + k, base)) {
        if (this.outOfBudget()) return;
        const log: number[] = [];
        if (!this.assign(off + k, t.bytes, log)) continue;
        // Two position-free instructions placed back to back in fresh bytes that commute are
        // followed in one order only (the smaller bytes first): the other order fills the same
        // bytes and reaches the same state.
        const orderable = k === 0 && t.kind === 'progress' && !t.relative && log.length === t.bytes.length;
        if (orderable && prev && off === prev.off + prev.bytes.length && compareBytes(t.bytes, prev.bytes) < 0 && this.commutes(prev, t)) {
          this.undo(log, 0);
          continue;
        }
        const first = decode(this.bytesAt(off), 0, 64, cpu.rip);
        const placed = orderable ? { off, bytes: t.bytes, count: t.count, before: this.saveCpu() } : null;
        if (first.status === DecodeStatus.ok && first.length === k + t.firstLength) this.execute(depth, cost + log.length, t.count, t.kind === 'progress' ? base : -1, effects, `${k}:${t.bytes.length}`, placed);
        this.undo(log, 0);
      }
      if (off + k >= this.size || this.det[off + k] === -1 || !isPrefixByte(this.det[off + k]!) || k >= 4) break;
      k++;
    }
  }

  private bytesAt(off: number): Uint8Array {
    const b = new Uint8Array(MAX_INSN);
    for (let i = 0; i < MAX_INSN; i++) b[i] = this.byteAt(off + i);
    return b;
  }

  /**
   * Runs `count` instructions at rip, handles a system call stop, and recurses; undoes the CPU.
   * With `mustImprove` >= 0 the path continues only if the distance fell below it.
   */
  private execute(depth: number, cost: number, count = 1, mustImprove = -1, effects: Set<string> | null = null, shape = '', placed: Placed | null = null): void {
    const saved = this.saveCpu();
    const out1 = this.out1;
    const out2 = this.out2;
    const writeLog: number[] = [];
    this.dirty = false;
    const stop = this.proc.cpu.run(count);
    let repeated = false;
    if (effects && !this.dirty) {
      const c = this.proc.cpu;
      const effect = `${shape}:${stop}:${c.rip}:${c.regLo.join(',')}:${c.regHi.join(',')}`;
      repeated = effects.has(effect);
      effects.add(effect);
    }
    if (repeated) {
      // same size, same effect as an instruction already followed from this state
    } else if (this.dirty) {
      this.restoreImage();
    } else if (stop === Stop.stepLimit) {
      if ((mustImprove < 0 || this.distance() < mustImprove) && cost + this.lowerBound() <= this.budget) this.node(depth + count, cost, placed);
    } else if (stop === Stop.syscall || stop === Stop.int80) {
      const abi = this.options.abis.find((a) => (stop === Stop.syscall ? a.width === 8 : a.width === 4));
      if (abi && this.systemCall(abi, writeLog)) this.node(depth + 1, cost);
    }
    this.undo(writeLog, 0);
    this.out1 = out1;
    this.out2 = out2;
    this.restoreCpu(saved);
  }

  /**
   * Whether `t` (about to run right after `prev`) commutes with it: run in the other order from
   * the state before `prev` (bytes swapped in memory only), each step still brings the system
   * call closer, and both orders end in the same state. Leaves bytes and CPU as they were.
   */
  private commutes(prev: Placed, t: Template): boolean {
    const cpu = this.proc.cpu;
    const now = this.saveCpu();
    this.dirty = false;
    const after = cpu.run(t.count) === Stop.stepLimit && !this.dirty ? this.saveCpu() : null;
    this.restoreCpu(now);
    if (!after) {
      if (this.dirty) this.restoreImage();
      return false;
    }
    const total = prev.bytes.length + t.bytes.length;
    for (let i = 0; i < total; i++) this.poke(prev.off + i, i < t.bytes.length ? t.bytes[i]! : prev.bytes[i - t.bytes.length]!);
    this.restoreCpu(prev.before);
    let ok = false;
    const d0 = this.distance();
    if (cpu.run(t.count) === Stop.stepLimit && !this.dirty) {
      const d1 = this.distance();
      if (d1 < d0 && cpu.run(prev.count) === Stop.stepLimit && !this.dirty && this.distance() < d1) {
        ok = cpu.rip === after.rip && cpu.rflags === after.flags && sameWords(cpu.regLo, after.lo) && sameWords(cpu.regHi, after.hi);
      }
    }
    for (let i = 0; i < total; i++) this.poke(prev.off + i, this.byteAt(prev.off + i));
    if (this.dirty) this.restoreImage();
    this.restoreCpu(now);
    return ok;
  }

  private restoreImage(): void {
    for (let o = 0; o < this.size; o++) this.poke(o, this.byteAt(o));
    this.dirty = false;
  }

  /** Performs write/exit as the walk understands them; false prunes the path. Records a candidate on a correct exit. */
  private systemCall(abi: SyscallAbi, log: number[]): boolean {
    const cpu = this.proc.cpu;
    const arg = (i: number): number => (abi.width === 4 ? cpu.regLo[abi.args[i]!]! : this.regValue(abi.args[i]!));
    const nr = abi.width === 4 ? cpu.regLo[abi.numberReg]! : this.regValue(abi.numberReg);
    const g = this.goal;
    if (nr === abi.write) {
      const fd = arg(0);
      const buf = arg(1);
      const len = arg(2);
      const target = fd === 1 ? g.stdout.subarray(this.out1) : fd === 2 && this.out1 === g.stdout.length ? g.stderr.subarray(this.out2) : null;
      if (!target || len < 1 || len > target.length) return false;
      const off = buf - this.proc.loadBase;
      if (off < 0 || off + len > this.pageEnd() || !this.assign(off, target.subarray(0, len), log)) return false;
      if (fd === 1) this.out1 += len;
      else this.out2 += len;
      cpu.regLo[Reg.rax] = len;
      cpu.regHi[Reg.rax] = 0;
      return true;
    }
    if (abi.exit.includes(nr)) {
      if (this.out1 === g.stdout.length && this.out2 === g.stderr.length && (arg(0) & 0xff) === g.exitCode) {
        this.candidates++;
        const file = new Uint8Array(this.size);
        for (let i = 0; i < this.size; i++) file[i] = this.byteAt(i);
        if (this.options.accept(file)) this.found = file;
      }
      return false;
    }
    return false;
  }

  // ---- the alphabet ----

  private encode(ins: AsmInstruction, address: number): Uint8Array | null {
    const key = `${address}:${ins.mnemonic}:${ins.operands.map((o) => (o.kind === 'reg' ? `r${o.reg}.${o.size}` : o.kind === 'imm' ? `i${o.value}` : `m${o.base}.${o.disp}`)).join(',')}`;
    let e = this.encodeCache.get(key);
    if (e === undefined) {
      const all = encodeAll(ins, 64, address);
      e = all.length > 0 ? all[0]!.bytes : null;
      this.encodeCache.set(key, e);
    }
    return e;
  }

  /** Instructions worth trying at file offset `off` (address `address`), cheapest ideas first. */
  private *templates(off: number, address: number, distance: number): Generator<Template> {
    const seen = new Set<string>();
    const one = (ins: AsmInstruction, kind: 'progress' | 'free' = 'progress'): Template | null => {
      const b = this.encode(ins, address);
      if (!b) return null;
      const k = b.join(',');
      if (seen.has(k)) return null;
      seen.add(k);
      return { bytes: b, firstLength: b.length, count: 1, kind, relative: ins.mnemonic === 'jmp' };
    };
    // RIP-relative operands only depend on target - address: encode them at address 0 with that
    // difference (the encoder's range check applies to the displacement, not to high addresses).
    const lea = (r: number, v: number): ReturnType<typeof one> => {
      const b = this.encode({ mnemonic: 'lea', operands: [reg(r, 8), { kind: 'mem', size: 0, base: Reg.rip, index: -1, scale: 1, disp: v - address, segment: 0 }] }, 0);
      if (!b || seen.has(b.join(','))) return null;
      seen.add(b.join(','));
      return { bytes: b, firstLength: b.length, count: 1, kind: 'progress', relative: true };
    };
    const cpu = this.proc.cpu;
    for (const abi of this.options.abis) {
      const needs = this.needs(abi);
      const unmet = needs.filter((n) => !this.satisfied(n));
      if (unmet.length === 0) {
        yield { bytes: Uint8Array.from(abi.trap), firstLength: abi.trap.length, count: 1, kind: 'free', relative: false };
        continue;
      }
      if (unmet.length > distance) continue;
      for (const n of unmet) {
        const r = n.reg;
        const small = n.values.filter((v) => v < 256).slice(0, 8);
        for (const v of small) {
          const t = one({ mnemonic: 'mov', operands: [reg(r, 1), imm(v)] });
          if (t) yield t;
        }
        if (n.values.includes(0)) {
          const t = one({ mnemonic: 'xor', operands: [reg(r, 4), reg(r, 4)] });
          if (t) yield t;
          if (r === Reg.rdx) {
            const c = one({ mnemonic: 'cdq', operands: [] });
            if (c) yield c;
          }
        }
        for (const op of ['inc', 'dec']) {
          const t = one({ mnemonic: op, operands: [reg(r, 4)] });
          if (t) yield t;
        }
        // Linux's entry state: argc at rsp (a file relying on it states the assumption argc-N).
        const top = this.stackTop();
        if (top !== UNKNOWN && (n.values.includes(top) || (n.low8 >= 0 && (top & 0xff) === n.low8))) {
          const t = one({ mnemonic: 'pop', operands: [reg(r, 8)] });
          if (t) yield t;
        }
        // A register that already holds a wanted value: copy or exchange it.
        for (let s = 0; s < 16; s++) {
          if (s === r || s === Reg.rsp) continue;
          const has = n.width === 4 ? cpu.regLo[s]! : this.regValue(s);
          if (!n.values.includes(has) && !(n.low8 >= 0 && (cpu.regLo[s]! & 0xff) === n.low8)) continue;
          for (const ins of [
            { mnemonic: 'xchg', operands: [reg(r, 4), reg(s, 4)] },
            { mnemonic: 'mov', operands: [reg(r, 4), reg(s, 4)] },
            { mnemonic: 'mov', operands: [reg(r, 8), reg(s, 8)] },
          ] as AsmInstruction[]) {
            const t = one(ins);
            if (t) yield t;
          }
        }
        for (const v of n.values.filter((x) => x < 128).slice(0, 4)) {
          const push = this.encode({ mnemonic: 'push', operands: [imm(v)] }, address);
          const pop = push && this.encode({ mnemonic: 'pop', operands: [reg(r, 8)] }, address + push.length);
          if (push && pop) yield { bytes: Uint8Array.from([...push, ...pop]), firstLength: push.length, count: 2, kind: 'progress', relative: false };
        }
        for (const v of n.values.slice(0, 64)) {
          if (v < TWO32) {
            const t = one({ mnemonic: 'mov', operands: [reg(r, 4), imm(v)] });
            if (t) yield t;
          }
          if (this.layout.type === 2 || v < 256) continue;
          // Position-independent address (ET_DYN may be placed anywhere): lea reg, [rel v].
          const t = lea(r, v);
          if (t) yield t;
        }
        if (this.layout.type === 2) {
          for (const v of n.values.filter((x) => x >= 256).slice(0, 64)) {
            const t = lea(r, v);
            if (t) yield t;
          }
        }
      }
    }
    // Skippers: an accumulator compare whose immediate swallows the assigned bytes that follow.
    if (off + 1 < this.size && this.det[off + 1] !== -1) {
      const v8 = this.byteAt(off + 1);
      const t8 = one({ mnemonic: 'cmp', operands: [reg(Reg.rax, 1), imm(v8)] }, 'free');
      if (t8) yield t8;
      let v32 = 0;
      for (let i = 4; i >= 1; i--) v32 = v32 * 256 + this.byteAt(off + i);
      const t32 = one({ mnemonic: 'cmp', operands: [reg(Reg.rax, 4), imm(v32)] }, 'free');
      if (t32) yield t32;
    }
    // Short jumps to the start of every other unassigned run of bytes, when this run is too
    // short for the longest instruction of the alphabet (a 7-byte lea) plus a jump.
    let hole = 0;
    while (off + hole < this.size && this.det[off + hole] === -1) hole++;
    for (let t = 0; t < this.size && hole < 9; t++) {
      if (this.det[t] !== -1 || (t > 0 && this.det[t - 1] === -1) || Math.abs(t - off) < 2) continue;
      const target = this.proc.loadBase + t;
      const rel = target - (address + 2);
      if (rel < -128 || rel > 127) continue;
      const j = one({ mnemonic: 'jmp', operands: [imm(target)] }, 'free');
      if (j && j.bytes.length === 2) yield j;
    }
  }
}
