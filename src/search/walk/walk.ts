/**
 * The code search for one layout: a depth-first walk that runs the real interpreter one
 * instruction at a time over a partly built file, from Linux's real initial state (all of the
 * initial stack, argc included). Bytes the layout fixes and bytes already placed execute as they
 * are (entry points inside the magic, header bytes swallowed by immediates, loops back into
 * placed code); where execution reaches open bytes, the walk branches over the moves of the
 * alphabet (alphabet.ts).
 *
 * Data flows through memory with provenance (stack-window.ts): a push of file bytes not chosen yet
 * carries their offsets, and a write system call turns each byte of its buffer into a constraint
 * on the file byte it came from. System calls are judged by their effects: a write must put out
 * the next bytes of its stream, a read of 0 bytes from stdin or a write of 0 bytes is a no-op
 * (at most `maxNoops` a path), exit/exit_group ends the path and yields a candidate when every
 * stream is complete and the status matches. Semantics come only from the Cpu.
 *
 * Pruning: a path ends at `maxPathSteps` instructions; a decision state whose future cannot
 * differ from one already explored is not explored again (visited.ts: same machine state, same
 * open bytes, same values in the bytes the earlier subtree looked at); and the cost bound
 * (bound.ts) must fit in the open bytes left.
 */
import { Stop, type Cpu, type MemoryWatch } from '../../emu/cpu.js';
import { processCpu } from '../../linux/process-cpu.js';
import { startProcess } from '../../linux/emulate.js';
import { checkExec } from '../../linux/loader.js';
import { AddressSpace, PAGE_SIZE, Prot } from '../../linux/memory.js';
import type { KernelProfile } from '../../linux/profile.js';
import { Random } from '../../linux/random.js';
import { Sem } from '../../x86/sem.js';
import { DecodeStatus, Reg } from '../../x86/decoded.js';
import { decodeInto, newDecoded } from '../../x86/decoder.js';
import type { SyscallAbi } from '../abi.js';
import type { Layout, OpenBase } from '../layout.js';
import { mappingRangeRule } from '../../linux/loader.js';
import { IA32, processProfile } from '../../linux/personality.js';
import { Alphabet, type WalkView } from './alphabet.js';
import { Board, LinkedBoard } from './board.js';
import { lowerBound } from './bound.js';
import { type Goal } from './goal.js';
import { countNodeBlock, NODE_BLOCK } from '../progress.js';
import { MAX_MOVE, MoveKind, MoveList } from './moves.js';
import { meets, type CallNeeds, type RegNeed } from './needs.js';
import type { PlanTrie } from './plan.js';
import { StackWindow } from './stack-window.js';
import { stateMemo, type StateMemo } from './visited.js';
import { dataPlans, placements, type DataPlan } from './data-plan.js';
import { loaderVerdict } from '../process.js';

export type { Goal } from './goal.js';

const TWO32 = 0x1_0000_0000;
const NO_PIECES: readonly number[] = [];
const MAX_INSN = 15;
/** The walk's fixed seed: where the stack and an ET_DYN image land (validation varies both). */
const WALK_SEED = 0x601f;

export interface WalkOptions {
  profile: KernelProfile;
  /** The argument count the target runs with (argc at rsp at entry). */
  argc: number;
  abis: readonly SyscallAbi[];
  /** Instructions per path (loops are bounded by it). */
  maxPathSteps: number;
  /** Stop after this many walk nodes (0 = no limit). */
  nodeLimit: number;
  /** Polled every 1024 nodes: true ends the walk (time limit, Ctrl-C). */
  stopped: () => boolean;
  /** The lane's live progress counters (progress.ts), bumped every NODE_BLOCK nodes. */
  progress?: Int32Array;
  /** Called with each complete candidate file; return true to accept it and end the walk. */
  accept: (file: Uint8Array) => boolean;
  /** A write may put out part of what is left of its stream (the rest by later writes). */
  splitWrites?: boolean;
  /** No-op system calls a path may make (read of 0 bytes from stdin, write of 0 bytes). Default 2. */
  maxNoops?: number;
  /**
   * Tests only: follow this file's bytes. At each decision only the move the file has there is
   * tried, and `onMissing` hears of a decision where the alphabet does not offer it. Says whether
   * a known program lies in the walk's space; never used by a search.
   */
  guide?: { file: Uint8Array; onMissing: (offset: number, bytes: Uint8Array, offered: Uint8Array[]) => void };
  /**
   * Prune by the cost bound (bound.ts; the default). false walks every program within the open
   * bytes with the bound taken as 0: an exact search, and what the bound's test compares with.
   */
  useBound?: boolean;
  /**
   * 'straight' (default): every move that sets registers or data must bring the next call closer
   * (fewer unmet needs, or one stack piece more), and no values are parked for later calls: the
   * space of programs whose code runs once per call. 'broad': moves may also park values and
   * set up later passes of a loop (a much larger space, used with a plan).
   */
  mode?: 'straight' | 'broad';
  /**
   * 'deepening' (default): rounds of a growing byte budget, so the cheapest programs come first
   * and a file that exists is found after few nodes. 'one-round': only the complete last round,
   * for walks that must exhaust the layout (an exact search at sizes below its answer): the
   * earlier rounds repeat part of it (at 74 bytes, hello's loop family takes 9.67 M nodes with
   * deepening and 6.43 M in one round: no file exists there), and which file is found first may
   * differ, not whether one is.
   */
  schedule?: 'deepening' | 'one-round';
  /**
   * Walk one part of the tree, for workers to share one layout's walk (engine.ts): the subtrees
   * below the decisions at depth PART_DEPTH, numbered in the walk's fixed order, whose number is
   * `index` modulo `count`. The decisions down to PART_DEPTH take no part in the state memo, so
   * every part walks the same tree above it and the parts together walk the whole tree once.
   */
  branchPart?: { index: number; count: number };
  /**
   * Tile a plan (plan.ts): the moves are the trie's tokens in order, plus jumps, fillers,
   * skippers, traps where the trie allows them, and need moves for the registers in `freeRegs`.
   */
  plan?: { trieFor: (stackPieces: number) => PlanTrie | null; freeRegs: (stackPieces: number) => readonly number[] };
}

export interface WalkResult {
  file: Uint8Array | null;
  nodes: number;
  candidates: number;
  /** The walk explored everything (not cut by node limit or deadline). */
  exhausted: boolean;
}

/** The decision depth whose subtrees a branchPart walk divides among the parts (see WalkOptions). */
const PART_DEPTH = 1;

/** How far above rsp a write's buffer on the stack may start. */
const STACK_PLACES = 24;

/** planAllows: a move outside the trie that the plan leaves free, or one it refuses. */
const FREE = -2;
const REFUSED = -1;

const CONTINUE = 0;
const PRUNE = 1;

/**
 * A value that holds while the data plan and the output written so far stay the same (most
 * nodes): kept, not rebuilt. `compute` is bound once, so a lookup allocates nothing.
 */
class PlanOutputCache<T> {
  private plan: DataPlan | null | undefined = undefined;
  private key = -1;
  private value: T | undefined = undefined;

  constructor(private readonly compute: () => T) {}

  get(plan: DataPlan | null, key: number): T {
    if (this.plan !== plan || this.key !== key || this.value === undefined) {
      this.plan = plan;
      this.key = key;
      this.value = this.compute();
    }
    return this.value;
  }

  /** The next lookup computes the value again (something else it depends on has changed). */
  forget(): void {
    this.value = undefined;
  }
}

/** Semantics ids whose one read and one write of equal size are a plain copy (provenance travels). */
function isCopy(sem: number): boolean {
  return sem === Sem.push || sem === Sem.pop || sem === Sem.mov || sem === Sem.movs;
}

/**
 * Alphabets by mode and conventions, built once per thread: building one runs the encoder for
 * every template (most of a small layout's walk time otherwise). Walks of a thread run one at a
 * time, so they can share one alphabet's scratch buffers.
 */
const alphabets = new Map<string, Alphabet>();
function alphabetFor(abis: readonly SyscallAbi[], mode: 64 | 32): Alphabet {
  const key = `${mode}:${abis.map((a) => a.name).join(',')}`;
  let a = alphabets.get(key);
  if (!a) {
    a = new Alphabet(abis, mode);
    alphabets.set(key, a);
  }
  return a;
}

export class Walk implements MemoryWatch, WalkView {
  private readonly mem = new AddressSpace();
  private readonly cpu: Cpu;
  readonly board: Board;
  private readonly win: StackWindow;
  /** Address of file offset 0: the layout's, or, with an open load address, the one the code chose. */
  loadBase: number;
  readonly size: number;
  private fileEnd: number;
  private pageEnd: number;
  private readonly fileReadable: boolean;
  readonly regLo: Uint32Array;
  readonly regHi: Uint32Array;
  readonly argcAssumable: boolean;
  private readonly alphabet: Alphabet;
  private readonly abi64: SyscallAbi | null;
  private readonly abi32: SyscallAbi | null;
  /** Bytes of a stack word (push, pop, a stack-built string's piece): 8, or 4 in a 32-bit process. */
  private readonly word: 4 | 8;
  private readonly maxNoops: number;
  private readonly invalidate: (address: number) => void;
  private readonly memo: StateMemo;
  private readonly straight: boolean;
  private readonly layoutTrapCost: number;
  /** The layout's open bytes the loader reads (Layout.loaderRead), and how many were open at each depth. */
  private readonly loaderRead: readonly number[];
  private readonly loaderReadOpen: Int16Array;
  /** How many of them were open before the current plan reserved its data. */
  private loaderReadOpenAtPlan = 0;
  /** The loader's verdict per combination of their values (few combinations recur). */
  private readonly loaderAccepts = new Map<string, boolean>();
  private readonly memoValues = new Int32Array(2);
  /** Trap instructions placed on the current path (the bound asks whether one exists). */
  private trapsPlaced = 0;

  // goal progress on the current path
  out1 = 0;
  out2 = 0;
  private noops = 0;
  private steps = 0;
  /** Lowest stack address written on the current path (hashes cover the stack from there up). */
  private lowWritten: number;

  // per-depth saved state
  private readonly maxDepth: number;
  private readonly savedLo: Uint32Array;
  private readonly savedHi: Uint32Array;
  private readonly savedRip: Float64Array;
  private readonly savedFlags: Int32Array;
  private readonly savedProgress: Int32Array;
  private readonly savedLow: Float64Array;
  private readonly lists: MoveList[] = [];
  /** Output bytes written when the instruction at off was placed (jumps back need an effect since). */
  private readonly placedAtOutput: Int32Array;

  // the data watch of the current instruction
  private readonly rdAddr = new Float64Array(8);
  private readonly rdSize = new Int32Array(8);
  private readonly wrAddr = new Float64Array(8);
  private readonly wrSize = new Int32Array(8);
  private nRd = 0;
  private nWr = 0;
  private dirty = false;

  private readonly scratch = new Uint8Array(MAX_INSN);
  private readonly dec = newDecoded();
  private curLen = 0;
  private curSem = -1;
  private nodes = 0;
  private candidates = 0;
  private cut = false;
  private found: Uint8Array | null = null;
  private readonly goal: Goal;
  private readonly options: WalkOptions;
  private needsCache: CallNeeds[] = [];
  private needsNode = -1;

  private constructor(layout: Layout, goal: Goal, options: WalkOptions, mem: AddressSpace, cpu: Cpu, loadBase: number, rsp: number) {
    this.goal = goal;
    this.options = options;
    this.mem = mem;
    this.cpu = cpu;
    this.regLo = cpu.regLo;
    this.regHi = cpu.regHi;
    this.size = layout.size;
    this.loadBase = loadBase;
    this.fileEnd = loadBase + layout.size;
    this.pageEnd = loadBase + Math.ceil(layout.size / PAGE_SIZE) * PAGE_SIZE;
    this.argcAssumable = options.profile.argcAssumable;
    this.word = cpu.mode === 64 ? 8 : 4;
    // 32-bit code enters the kernel through int 0x80 only here (syscall in compatibility mode is
    // an AMD-only path golf does not model), so a 32-bit walk keeps just that convention.
    const abis = cpu.mode === 64 ? options.abis : options.abis.filter((a) => a.width === 4);
    this.abi64 = abis.find((a) => a.width === 8) ?? null;
    this.abi32 = abis.find((a) => a.width === 4) ?? null;
    this.maxNoops = options.maxNoops ?? 2;
    this.alphabet = alphabetFor(abis, cpu.mode);
    this.openBase = layout.openBase ?? null;
    this.board = this.openBase ? new LinkedBoard(layout, this.openBase.links) : new Board(layout);
    this.provisionalBase = this.openBase !== null;
    this.wideMoves = this.openBase !== null;
    this.baseByte = new Uint8Array(layout.size);
    if (this.openBase) for (const k of [1, 2, 3]) for (const at of [this.openBase.vaddrAt, this.openBase.entryAt]) this.baseByte[at + k] = 1;
    this.baseLimits = processProfile(options.profile, IA32);
    this.maxDepth = this.board.open + 4;
    this.win = new StackWindow(mem, rsp, this.maxDepth);
    this.lowWritten = this.win.hi;
    const filePage = mem.getPage(Math.floor(loadBase / PAGE_SIZE));
    this.fileReadable = filePage !== undefined && (filePage.prot & Prot.read) !== 0;
    const data = filePage!.data;
    const inv = mem.onCodeWrite ?? ((): void => {});
    this.invalidate = inv;
    // A program write into its own pages is outside what the walk undoes: such paths are dropped.
    mem.onCodeWrite = (address) => {
      inv(address);
      this.dirty = true;
    };
    const openBase = this.openBase;
    this.board.onChange = (off, v) => {
      data[off] = v;
      inv(this.loadBase + off);
      if (openBase !== null && this.baseByte[off] === 1) this.rebase();
      if (this.board.det[off]! >= 0) this.win.fileByteAssigned(off, v);
      else this.planned[off] = 0;
    };
    const d = this.maxDepth + 1;
    this.savedLo = new Uint32Array(16 * d);
    this.savedHi = new Uint32Array(16 * d);
    this.savedRip = new Float64Array(d);
    this.savedFlags = new Int32Array(d);
    this.savedProgress = new Int32Array(4 * d);
    this.savedLow = new Float64Array(d);
    for (let i = 0; i < d; i++) this.lists.push(new MoveList(512));
    if (this.board.masks.length < this.board.maskWords * (2 * d + 2)) throw new Error('touch masks too small for the walk depth');
    this.placedAtOutput = new Int32Array(layout.size);
    this.planned = new Uint8Array(layout.size);
    this.memo = stateMemo(this.board.maskWords);
    this.layoutTrapCost = this.trapCostOfLayout();
    this.loaderRead = layout.loaderRead;
    this.loaderReadOpen = new Int16Array(d);
    this.straight = (options.mode ?? 'straight') === 'straight' && !options.plan;
    this.part = options.branchPart ?? null;
  }

  // ---- an open load address (Layout.openBase): the code chooses the base ----

  /** The layout's open load address, or null (the base is fixed). */
  private readonly openBase: OpenBase | null;
  /** 1 for the bytes that hold the base (p_vaddr's and e_entry's bytes 1-3). */
  private readonly baseByte: Uint8Array;
  /** The base bytes are not all placed yet: the walk runs at the layout's base for now. */
  private provisionalBase: boolean;
  /** The placed base bytes name an address the loader cannot map there: the state has no file below it. */
  private baseRefused = false;
  private readonly baseLimits: KernelProfile;
  /** The file page moved to the chosen base (undone when a base byte opens again). */
  private moved: ReturnType<AddressSpace['movePage']> = null;

  /**
   * After a base byte changed: the base the board names (p_vaddr's byte or else e_entry's for
   * each of the three), or the layout's while one is open; the walk moves there. Code run before
   * the base is chosen is position independent (relative jumps; a call then is pruned, see step),
   * so moving the file page, rip and the address of file offset 0 by the same delta is exact.
   */
  private rebase(): void {
    const ob = this.openBase!;
    const det = this.board.det;
    const pick = (k: number): number => {
      const v = det[ob.vaddrAt + k]!;
      if (v >= 0) return k === 1 ? v & 0xf0 : v;
      const w = det[ob.entryAt + k]!;
      return w >= 0 && k === 1 ? w & 0xf0 : w;
    };
    const b1 = pick(1);
    const b2 = pick(2);
    const b3 = pick(3);
    const chosen = b1 >= 0 && b2 >= 0 && b3 >= 0;
    const target = chosen ? b3 * 0x1000000 + b2 * 0x10000 + b1 * 0x100 : ob.initialBase;
    this.provisionalBase = !chosen;
    this.baseRefused = chosen && !this.baseUsable(target);
    if (this.baseRefused || target === this.loadBase) return;
    const delta = target - this.loadBase;
    const mem = this.mem;
    if (this.moved) {
      mem.unmovePage(this.moved);
      this.moved = null;
    }
    if (target !== ob.initialBase) this.moved = mem.movePage(Math.floor(ob.initialBase / PAGE_SIZE), Math.floor(target / PAGE_SIZE));
    for (let i = 0; i < this.size; i++) {
      this.invalidate(this.loadBase + i);
      this.invalidate(target + i);
    }
    this.loadBase = target;
    this.fileEnd += delta;
    this.pageEnd += delta;
    this.cpu.rip += delta;
    this.piecesCache.forget(); // the pieces' addresses depend on the base
    this.needsNode = -1;
  }

  /** Data accesses of the instruction just run that reach the file page fix an open base where it is (pinBase). */
  private baseSettledByAccesses(): boolean {
    for (let k = 0; k < this.nRd && k < 8; k++) if (this.inFilePage(this.rdAddr[k]!, this.rdSize[k]!)) return this.pinBase();
    for (let k = 0; k < this.nWr && k < 8; k++) if (this.inFilePage(this.wrAddr[k]!, this.wrSize[k]!)) return this.pinBase();
    return true;
  }

  private inFilePage(address: number, size: number): boolean {
    return address + size > this.loadBase && address < this.pageEnd;
  }

  /**
   * A data access found the file at the layout's base while the base bytes were still open: what
   * it saw is right only if the base stays there, so its open bytes take the layout's values
   * (false when a placed one disagrees).
   */
  private pinBase(): boolean {
    const ob = this.openBase!;
    const b = this.board;
    for (const k of [1, 2, 3]) {
      const off = ob.vaddrAt + k;
      if (!b.isOpen(off)) continue;
      const v = b.image[off]!;
      if (!b.allows(off, v)) return false;
      b.set(off, v);
    }
    return !this.provisionalBase && !this.baseRefused;
  }

  /** The loader's mapping rules for the first page at `base` (the whole file's verdict comes when its bytes are placed). */
  private baseUsable(base: number): boolean {
    if (mappingRangeRule(base, PAGE_SIZE, this.baseLimits) !== null) return false;
    const ob = this.openBase!;
    return (base >= ob.initialBase && base + PAGE_SIZE <= ob.initialBase + ob.extent) || !this.mem.overlaps(base, PAGE_SIZE);
  }

  /** Open-base walks also offer and/or eax skippers and jecxz to a hole (alphabet.ts). */
  readonly wideMoves: boolean;

  static run(layout: Layout, goal: Goal, options: WalkOptions): WalkResult {
    const image = layout.image.slice();
    const checked = checkExec(image, options.profile);
    if (checked.kind !== 'ok') return { file: null, nodes: 0, candidates: 0, exhausted: true };
    const mem = new AddressSpace();
    // the process's own mode: long mode, or compatibility mode for an ELF32 file (the loader's personality)
    const cpu = processCpu(mem, checked.exe.personality.mode);
    const argv = Array.from({ length: Math.max(1, options.argc) }, (_, i) => (i === 0 ? './a.out' : `arg${i}`));
    const started = startProcess(checked.exe, mem, cpu, options.profile, new Random(WALK_SEED), { argv, env: [], execPath: './a.out' });
    if (started.kind !== 'started') return { file: null, nodes: 0, candidates: 0, exhausted: true };
    const load = checked.exe.phdrs.find((ph) => ph.type === 1)!;
    const loadBase = started.loaded.bias + load.vaddr - load.offset;
    const walk = new Walk(layout, goal, options, mem, cpu, loadBase, started.rsp);
    cpu.watch = walk;
    // Data first: each plan reserves its bytes, then the code is searched around them. Split
    // writes are planned lazily (buffers chosen when each write runs), as are goals without output.
    let plans: DataPlan[] = dataPlans(walk.board, [goal.stdout, goal.stderr], walk.word);
    // An open load address: buffers in the file only (strings built on the stack cost more code
    // than the load address's bytes save), so a layout with no room for a stream whole (no split
    // writes) has no file: bytes the walk places never hold data (bufferPlaces), so room only shrinks.
    if (layout.openBase) {
      plans = plans.filter((p) => p.streams.every((sp) => sp === null || sp.kind === 'file'));
      const room = (s: Uint8Array): boolean => s.length === 0 || options.splitWrites === true || placements(walk.board, s, s.length).length > 0;
      if (!room(goal.stdout) || !room(goal.stderr)) plans = [];
    }
    // Iterative deepening on the bytes the code spends, across all plans at once: the cheapest
    // programs of every plan come first (they leave the most room); a plan's last round, with all
    // its open bytes to spend, is complete.
    const rounds = plans.map(() => true);
    // The step grows with the budget (a quarter of it): every round repeats the ones before, and
    // programs that need many bytes (split writes, loops) would otherwise be reached only after
    // dozens of near-identical rounds. Any schedule is complete: the last round spends everything.
    const firstBudget = options.schedule === 'one-round' ? Number.MAX_SAFE_INTEGER : 0;
    for (let budget = firstBudget; rounds.some(Boolean) && !walk.found && !walk.cut; budget += Math.max(1, budget >> 2)) {
      for (let i = 0; i < plans.length && !walk.found && !walk.cut; i++) if (rounds[i]) rounds[i] = walk.withPlan(plans[i]!, budget);
    }
    return { file: walk.found, nodes: walk.nodes, candidates: walk.candidates, exhausted: !walk.cut };
  }

  /** The data plan of the current walk (null: buffers are chosen when writes run). */
  private plan: DataPlan | null = null;
  /** Open bytes when the plan's data was reserved, and the bytes this round may spend beyond it. */
  private openAtPlan = 0;
  private budget = 0;

  /** Open bytes spent since the plan's data was reserved (code, and bytes data reads fixed). */
  private spent(): number {
    return this.openAtPlan - this.board.open;
  }

  /** 1 for bytes holding data: reserved by the current plan (the same on every path of it) or written by a write. */
  private readonly planned: Uint8Array;

  /** One round of the walk under a plan with a byte budget; false when the plan has no larger rounds. */
  private withPlan(plan: DataPlan, budget: number): boolean {
    const mark = this.board.mark();
    this.plan = plan;
    if (this.options.plan) {
      const out = plan.streams[0] ?? plan.streams[1];
      const pieces = out && out.kind === 'stack' ? out.pieces.length : 0;
      this.trie = this.options.plan.trieFor(pieces);
      this.freeRegs = this.options.plan.freeRegs(pieces);
      this.planNode = 0;
      if (!this.trie) {
        this.plan = null;
        this.board.undo(mark);
        return false;
      }
    }
    let ok = true;
    this.loaderReadOpenAtPlan = this.openLoaderRead();
    if (plan) {
      for (const sp of plan.streams) {
        if (!sp) continue;
        for (const piece of sp.pieces) {
          const stream = piece.stream === 0 ? this.goal.stdout : this.goal.stderr;
          for (let i = 0; i < piece.length && ok; i++) {
            const off = piece.offset + i;
            if (off >= this.size) ok = stream[piece.from + i] === 0;
            else if (this.board.isOpen(off)) {
              this.board.set(off, stream[piece.from + i]!);
              this.planned[off] = 1;
            }
            else ok = this.board.peek(off) === stream[piece.from + i];
          }
        }
      }
    }
    let more = false;
    if (ok) {
      this.openAtPlan = this.board.open;
      // a budget beyond the open bytes is the plan's last, complete round
      const b = Math.min(budget, this.openAtPlan);
      this.budget = b;
      // no bound here: the bytes from the entry to the first open byte have not run yet, and
      // fixed bytes can set registers for free (explore() bounds the state after them)
      this.memo.clear();
      this.explore(0);
      more = b < this.openAtPlan;
    }
    this.board.undo(mark);
    this.planned.fill(0);
    this.plan = null;
    return more;
  }

  stackPieceAddresses(): readonly number[] | null {
    // an open load address: buffers in the file only (no strings built on the stack)
    if (!this.plan) return this.openBase ? NO_PIECES : null;
    return this.piecesCache.get(this.plan, this.outputKey());
  }

  private readonly piecesCache = new PlanOutputCache(() => this.computeStackPieceAddresses());

  /** How far each stream has been written, as one number (exact for streams shorter than 2^21 bytes). */
  private outputKey(): number {
    return this.out1 * TWO32 + this.out2;
  }

  private computeStackPieceAddresses(): readonly number[] {
    const plan = this.plan!;
    const out: number[] = [];
    for (const sp of plan.streams) {
      if (!sp || sp.kind !== 'stack') continue;
      const done = sp.pieces[0]!.stream === 0 ? this.out1 : this.out2;
      if (done > 0) continue;
      for (const p of sp.pieces) out.push(this.loadBase + p.offset);
    }
    return out;
  }

  // ---- MemoryWatch: data accesses of the instruction being run ----

  read(address: number, size: number): void {
    if (this.nRd < 8) {
      this.rdAddr[this.nRd] = address;
      this.rdSize[this.nRd] = size;
    }
    this.nRd++;
  }

  write(address: number, size: number): void {
    if (this.nWr < 8) {
      this.wrAddr[this.nWr] = address;
      this.wrSize[this.nWr] = size;
    }
    this.nWr++;
  }

  // ---- WalkView ----

  get rflags(): number {
    return this.cpu.rflags;
  }

  get broad(): boolean {
    return !this.straight;
  }

  get noopsLeft(): number {
    return this.maxNoops - this.noops;
  }

  slot(off: number): number {
    if (off < 0) return -2;
    if (off >= this.size) return off < this.pageEnd - this.loadBase ? 0 : -2;
    return this.board.isOpen(off) ? -1 : 0;
  }

  canTake(off: number, v: number): boolean {
    return this.board.canTake(off, v);
  }

  fieldValue(off: number): number {
    if (off < 0) return -1;
    if (off >= this.size) return off < this.pageEnd - this.loadBase ? 0 : -1;
    if (!this.board.isOpen(off)) return this.board.byte(off);
    return this.board.isFree(off) ? -1 : this.board.image[off]!;
  }

  flushSource(address: number, n: number): boolean {
    const b = this.board;
    const from = address - this.loadBase;
    let first = -1;
    let last = -1;
    for (let i = 0; i < n; i++) {
      if (!b.isOpen(from + i)) continue;
      if (first < 0) first = from + i;
      last = from + i;
    }
    return first < 0 || !b.isOpen(first - 1) || !b.isOpen(last + 1);
  }

  holeStart(off: number): boolean {
    return this.board.isOpen(off) && !this.board.isOpen(off - 1);
  }

  placedStart(off: number): boolean {
    if (off < 0 || off >= this.size || this.board.start[off] !== 1) return false;
    // a jump there is offered because code starts there: that code is part of what matters below
    this.board.touch(off);
    return true;
  }

  effectsSincePlaced(off: number): number {
    return this.out1 + this.out2 - this.placedAtOutput[off]!;
  }

  pointsIntoFile(address: number): boolean {
    return address >= this.loadBase && address < this.pageEnd;
  }

  stackTop(): number {
    const rsp = this.regHi[Reg.rsp]! * TWO32 + this.regLo[Reg.rsp]!;
    if (!this.win.contains(rsp) || !this.win.contains(rsp + this.word - 1)) return -1;
    let v = 0;
    for (let i = this.word - 1; i >= 0; i--) {
      if (this.win.tag(rsp + i) !== 0) return -1;
      v = v * 256 + this.win.get(rsp + i);
    }
    // argc is Linux's, but a file may rely on it only where the profile allows
    if (!this.argcAssumable && rsp === this.win.lo + 256 && v === this.options.argc) return -1;
    return v < 2 ** 53 ? v : -1;
  }

  sourceByte(address: number, out: Int32Array): boolean {
    return this.source(address, out, false);
  }

  /**
   * Value and provenance of a byte a copy reads. As an offer (`executed` false) a byte of code the
   * walk placed is refused: the alphabet builds data only from open, fixed or past-EOF bytes, so
   * what it offers depends on the board's shape alone. When an instruction really reads it, it is
   * a plain value and counts as looked at.
   */
  private source(address: number, out: Int32Array, executed: boolean): boolean {
    if (address >= this.loadBase && address < this.fileEnd) {
      if (!this.fileReadable) return false;
      const off = address - this.loadBase;
      const b = this.board;
      if (b.isOpen(off)) {
        out[0] = b.image[off]!;
        out[1] = off + 1;
        return true;
      }
      if (!executed && b.walkAssigned(off) && this.planned[off] === 0) return false;
      out[0] = b.byte(off);
      out[1] = 0;
      return true;
    }
    if (address >= this.fileEnd && address < this.pageEnd) {
      if (!this.fileReadable) return false;
      out[0] = 0;
      out[1] = 0;
      return true;
    }
    if (this.win.contains(address)) {
      out[0] = this.win.get(address);
      out[1] = this.win.tag(address);
      return true;
    }
    return false;
  }

  /** Whether `value` (with tag) can stand for target byte t. */
  private compatible(value: number, tag: number, t: number): boolean {
    return tag !== 0 ? this.board.canTake(tag - 1, t) : value === t;
  }

  /** The rest of the stream the next write serves (stdout first, else stderr), or null. */
  private pendingStream(): Uint8Array | null {
    if (this.out1 < this.goal.stdout.length) return this.goal.stdout.subarray(this.out1);
    if (this.out2 < this.goal.stderr.length) return this.goal.stderr.subarray(this.out2);
    return null;
  }

  /**
   * Whether the stack from rsp + `at` up can be the bytes rest[j..] (as many as lie in the window).
   */
  private stackMatches(rest: Uint8Array, j: number, at: number): boolean {
    const rsp = this.regHi[Reg.rsp]! * TWO32 + this.regLo[Reg.rsp]!;
    for (let i = Math.max(0, -j); j + i < rest.length; i++) {
      const a = rsp + at + i;
      if (!this.win.contains(a)) return false;
      if (!this.compatible(this.win.get(a), this.win.tag(a), rest[j + i]!)) return false;
    }
    return true;
  }

  /**
   * Whether pushing these 8 bytes makes a stack string of the next write's stream grow. Stack
   * strings are built qword by qword from their end and read from rsp (the buffer starts at the
   * last qword pushed), so a qword holds bytes j..j+7 of the rest with j a multiple of 8. For bytes
   * taken from the file (`source` >= 0), the bytes used must also lie flush with the start or the
   * end of their open run (other placements inside a run only split it).
   */
  pushExtends(values: Uint8Array, tags: Int16Array, source = -1): boolean {
    for (const rest of [this.pendingStream(), this.otherStream()]) {
      if (!rest) continue;
      for (let j = 0; j < rest.length; j += this.word) {
        const used = Math.min(this.word, rest.length - j);
        let ok = true;
        for (let i = 0; i < used && ok; i++) ok = this.compatible(values[i]!, tags[i]!, rest[j + i]!);
        if (!ok) continue;
        if (source >= 0 && !this.flushSource(source, used)) continue;
        if (j + this.word >= rest.length || this.stackMatches(rest, j + this.word, 0)) return true;
      }
    }
    return false;
  }

  private otherStream(): Uint8Array | null {
    if (this.out1 < this.goal.stdout.length && this.out2 < this.goal.stderr.length) return this.goal.stderr.subarray(this.out2);
    return null;
  }

  laterValues(): readonly number[] {
    const out: number[] = [];
    const pendingWrites = (this.out1 < this.goal.stdout.length ? 1 : 0) + (this.out2 < this.goal.stderr.length ? 1 : 0);
    if (pendingWrites === 0) return out;
    for (const abi of this.options.abis) {
      for (const e of abi.exit) out.push(e, e - 1);
      if (pendingWrites === 2) out.push(abi.write, 2);
    }
    out.push(this.goal.exitCode & 0xff);
    return [...new Set(out)];
  }

  needs(): readonly CallNeeds[] {
    // the needs depend on the output so far, the assignments and rsp: cached per decision point
    if (this.needsNode !== this.nodes) {
      this.needsCache = this.computeNeeds();
      this.needsNode = this.nodes;
    }
    return this.needsCache;
  }

  /** Bytes still to be written that no plan has reserved (a plan's bytes are paid for). */
  pending(): readonly Uint8Array[] {
    return this.pendingCache.get(this.plan, this.outputKey());
  }

  private readonly pendingCache = new PlanOutputCache(() => this.computePending());

  private computePending(): readonly Uint8Array[] {
    const out: Uint8Array[] = [];
    if (!this.plan?.streams[0]) out.push(this.goal.stdout.subarray(this.out1));
    if (!this.plan?.streams[1]) out.push(this.goal.stderr.subarray(this.out2));
    return out;
  }

  present(v: number): boolean {
    const b = this.board;
    for (let i = 0; i < this.size; i++) if (b.isFixed(i) && b.peek(i) === v) return true;
    const win = this.win;
    const rsp = this.regValue(Reg.rsp);
    for (let a = Math.max(win.lo, rsp); a < win.hi; a++) if (win.tag(a) === 0 && win.get(a) === v) return true;
    return false;
  }

  pointerCost(_reg: number, values: readonly number[]): number {
    if (values.length === 0) return 0;
    const top = this.stackTop();
    let best = 7;
    for (const v of values) {
      if (v === top) return 1;
      if (v < TWO32) best = Math.min(best, 5);
      for (let q = 0; q < 16; q++) {
        const d = v - this.regValue(q);
        if (d === 0) return 1;
        if (d >= -128 && d < 128) best = Math.min(best, 4);
      }
    }
    return best;
  }

  laterCost(): number {
    if (!this.straight) return 0;
    const g = this.goal;
    const len1 = g.stdout.length - this.out1;
    const len2 = g.stderr.length - this.out2;
    if (len1 <= 0 && len2 <= 0) return 0;
    const trap = this.layoutTrapCost;
    // (scalars, not arrays of writes: this runs at every decision state)
    let best = Infinity;
    for (const abi of this.options.abis) {
      const exitCost = (fd: number, length: number): number =>
        trap + Math.ceil(((abi.exit.includes(length) ? 0 : 1) + ((fd & 0xff) === g.exitCode ? 0 : 1)) / 2);
      if (len2 <= 0) best = Math.min(best, exitCost(1, len1));
      else if (len1 <= 0) best = Math.min(best, exitCost(2, len2));
      else {
        // from one write's registers to the other's: number (the first's length), fd, buffer (the
        // same one serves when both streams have the same bytes left), length
        const sameLength = len1 === len2;
        const same = sameLength && sameBytes(g.stdout.subarray(this.out1), g.stderr.subarray(this.out2));
        const change = (first: number): number => (first === abi.write ? 0 : 1) + 1 + (same ? 0 : 1) + (sameLength ? 0 : 1);
        best = Math.min(best, trap + Math.ceil(change(len1) / 2) + exitCost(2, len2), trap + Math.ceil(change(len2) / 2) + exitCost(1, len1));
      }
    }
    return best;
  }

  /**
   * Bytes the next call's trap needs at least. Where code runs once per call, every call needs a
   * trap of its own (jumping back to an earlier one costs its 2 bytes as well); in a loop the one
   * placed may serve again.
   */
  trapCost(): number {
    if (this.straight) return this.layoutTrapCost;
    return this.trapsPlaced > 0 ? 0 : this.layoutTrapCost;
  }

  /**
   * Bytes a first trap needs at least in this layout: 0 when the fixed bytes hold one, 1 when a
   * fixed 0f (cd) could be completed by an open byte after it or a fixed 05 (80) by one before.
   */
  private trapCostOfLayout(): number {
    const b = this.board;
    let best = 2;
    for (const abi of this.options.abis) {
      const [t0, t1] = [abi.trap[0]!, abi.trap[1]!];
      for (let i = 0; i + 1 < this.size; i++) {
        const f0 = b.isFixed(i) && b.peek(i) === t0;
        const f1 = b.isFixed(i + 1) && b.peek(i + 1) === t1;
        if (f0 && f1) return 0;
        if ((f0 && b.isOpen(i + 1) && b.allows(i + 1, t1)) || (f1 && b.isOpen(i) && b.allows(i, t0))) best = 1;
      }
    }
    return best;
  }

  private computeNeeds(): CallNeeds[] {
    const out: CallNeeds[] = [];
    const g = this.goal;
    for (const abi of this.options.abis) {
      const w = abi.width;
      for (const [fd, stream, done] of [[1, g.stdout, this.out1], [2, g.stderr, this.out2]] as const) {
        if (done >= stream.length) continue;
        const rest = stream.subarray(done);
        const places = this.bufferPlaces(rest, w, fd === 1 ? 0 : 1);
        const lengths = [rest.length];
        if (this.options.splitWrites && !this.plan?.streams[fd === 1 ? 0 : 1]) this.prefixPlaces(rest, w, places, lengths);
        const regs: RegNeed[] = [
          { reg: abi.numberReg, width: 4, values: [abi.write], low8: -1 },
          { reg: abi.args[0]!, width: 4, values: [fd], low8: -1 },
          { reg: abi.args[1]!, width: w, values: places, low8: -1 },
          { reg: abi.args[2]!, width: w, values: lengths, low8: -1 },
        ];
        out.push({ abi, kind: 'write', fd, regs });
      }
      if (this.out1 >= g.stdout.length && this.out2 >= g.stderr.length) {
        out.push({ abi, kind: 'exit', fd: 0, regs: [
          { reg: abi.numberReg, width: 4, values: [...abi.exit], low8: -1 },
          { reg: abi.args[0]!, width: 4, values: [g.exitCode], low8: g.exitCode & 0xff },
        ] });
      }
    }
    return out;
  }

  /** Addresses where the rest of a stream could lie for a write: in the file image, or on the stack. */
  private bufferPlaces(rest: Uint8Array, width: 4 | 8, stream: 0 | 1): number[] {
    const out: number[] = [];
    const planned = this.plan?.streams[stream];
    if (!planned && this.fileReadable) {
      const last = this.pageEnd - this.loadBase - rest.length;
      for (let off = 0; off <= last && off < this.size; off++) {
        let ok = true;
        for (let i = 0; i < rest.length && ok; i++) ok = this.dataFits(off + i, rest[i]!);
        if (!ok) continue;
        // only placements flush with a hole's start or end, or wholly on assigned bytes: others waste bytes
        const flushStart = off === 0 || !this.board.isOpen(off - 1) || !this.board.isOpen(off);
        const end = off + rest.length;
        const flushEnd = end >= this.size || !this.board.isOpen(end);
        if (flushStart || flushEnd) out.push(this.loadBase + off);
      }
    }
    // on the stack at or above rsp (a pointer pushed on top of a finished string is popped next)
    const rsp = this.regHi[Reg.rsp]! * TWO32 + this.regLo[Reg.rsp]!;
    for (let k = 0; k < STACK_PLACES; k++) if (this.stackMatches(rest, 0, k)) out.push(rsp + k);
    return width === 4 ? out.filter((a) => a < TWO32) : out;
  }

  /**
   * Split writes: at the start of every open run (or on data already written), the longest prefix
   * of what is left that fits there, at least 2 bytes (so a piece pays for its system call); the
   * remainder is left to later writes. A prefix that does not fill its run could have been longer,
   * so shorter ones are not offered.
   */
  private prefixPlaces(rest: Uint8Array, width: 4 | 8, places: number[], lengths: number[]): void {
    for (let off = 0; off < this.size; off++) {
      if (this.board.isOpen(off) && this.board.isOpen(off - 1)) continue;
      let k = 0;
      while (k < rest.length && this.dataFits(off + k, rest[k]!)) k++;
      if (k < 2 || k === rest.length) continue;
      const address = this.loadBase + off;
      if (width === 4 && address >= TWO32) continue;
      if (!places.includes(address)) places.push(address);
      if (!lengths.includes(k)) lengths.push(k);
    }
  }

  /**
   * Whether a write's buffer may hold data value v at file offset `off`: an open byte that allows
   * it, a byte the layout fixes to it, or a byte earlier data put there (never code the walk placed).
   */
  private dataFits(off: number, v: number): boolean {
    if (off >= this.size) return v === 0 && off < this.pageEnd - this.loadBase;
    if (off < 0) return false;
    if (this.board.isOpen(off)) return this.board.allows(off, v);
    if (this.board.isFixed(off)) return this.board.peek(off) === v;
    if (this.planned[off] === 0) return false;
    return this.board.byte(off) === v;
  }

  // ---- the walk ----

  private regValue(r: number): number {
    return this.regHi[r]! * TWO32 + this.regLo[r]!;
  }

  /** How many of the layout's loader-read open bytes are still open. */
  private openLoaderRead(): number {
    let n = 0;
    for (const off of this.loaderRead) if (this.board.isOpen(off)) n++;
    return n;
  }

  /**
   * Whether the loader still accepts the file, as far as the bytes assigned so far decide. The
   * layout probed each loader-read byte alone, so code or data placed in several of them (the
   * bytes of p_filesz and p_memsz) can make a pair of values the kernel refuses: on hello's loop
   * family at 73 bytes, 486 k of 3.2 M walk nodes lay below such a pair, nearly all "zeroing the
   * end of the last file page failed". Once the last of those bytes is assigned, the verdict on
   * them is exact (no other byte the loader reads is open), so a refused state has no file below
   * it; until then nothing is decided. Bytes past the file's size do not enter the verdict while
   * the file keeps its page count, so the trimmed file the engine also tries has the same one.
   */
  private loaderAcceptsHere(depth: number): boolean {
    if (this.baseRefused) return false;
    const open = this.openLoaderRead();
    this.loaderReadOpen[depth] = open;
    const before = depth > 0 ? this.loaderReadOpen[depth - 1]! : this.loaderReadOpenAtPlan;
    if (open > 0 || before === 0) return true;
    // the verdict rests on these values: a memo entry above must keep states that differ in them apart
    const b = this.board;
    let key = '';
    for (const off of this.loaderRead) {
      b.touch(off);
      key += String.fromCharCode(b.peek(off));
    }
    let ok = this.loaderAccepts.get(key);
    if (ok === undefined) {
      ok = (this.verdict ??= loaderVerdict(this.options.profile))(b.snapshot()).startsWith('ok');
      this.loaderAccepts.set(key, ok);
    }
    return ok;
  }

  private verdict: ((file: Uint8Array) => string) | null = null;

  /** The cost bound of the current state (0 when a test turns pruning by it off). */
  private bound(): number {
    return this.options.useBound === false ? 0 : lowerBound(this);
  }

  private outOfBudget(): boolean {
    if (this.found) return true;
    if ((this.options.nodeLimit > 0 && this.nodes >= this.options.nodeLimit) || ((this.nodes & 1023) === 0 && this.options.stopped())) {
      this.cut = true;
      return true;
    }
    return this.cut;
  }

  private save(depth: number): void {
    const c = this.cpu;
    this.savedLo.set(c.regLo, depth * 16);
    this.savedHi.set(c.regHi, depth * 16);
    this.savedRip[depth] = c.rip;
    this.savedFlags[depth] = c.rflags;
    const p = depth * 4;
    this.savedProgress[p] = this.out1;
    this.savedProgress[p + 1] = this.out2;
    this.savedProgress[p + 2] = this.noops;
    this.savedProgress[p + 3] = this.steps;
    this.savedLow[depth] = this.lowWritten;
    this.win.save(depth);
  }

  private restore(depth: number): void {
    const c = this.cpu;
    // element by element: subarray views would be allocated at every node
    const lo = this.savedLo;
    const hi = this.savedHi;
    for (let i = 0, j = depth * 16; i < 16; i++, j++) {
      c.regLo[i] = lo[j]!;
      c.regHi[i] = hi[j]!;
    }
    c.rip = this.savedRip[depth]!;
    c.rflags = this.savedFlags[depth]!;
    const p = depth * 4;
    this.out1 = this.savedProgress[p]!;
    this.out2 = this.savedProgress[p + 1]!;
    this.noops = this.savedProgress[p + 2]!;
    this.steps = this.savedProgress[p + 3]!;
    this.lowWritten = this.savedLow[depth]!;
    this.win.restore(depth);
  }

  /** Decodes at rip from the board: true when the instruction there reads no open byte (curLen/curSem set). */
  private determined(): boolean {
    const off = this.cpu.rip - this.loadBase;
    if (off < 0 || off >= this.pageEnd - this.loadBase) {
      this.curLen = 0;
      this.curSem = -1;
      this.decodedAtRip = false;
      return true;
    }
    const b = this.scratch;
    const board = this.board;
    for (let i = 0; i < MAX_INSN; i++) b[i] = board.peek(off + i);
    const d = decodeInto(this.dec, b, 0, this.cpu.mode, this.cpu.rip);
    const len = d.status === DecodeStatus.truncated || d.length === 0 ? MAX_INSN : d.length;
    for (let i = 0; i < len; i++) if (board.isOpen(off + i)) return false;
    // decoding is prefix-determined: exactly these bytes decided what runs
    for (let i = 0; i < len; i++) board.touch(off + i);
    this.curLen = len;
    this.curSem = d.status === DecodeStatus.ok ? d.sem : -1;
    this.decodedAtRip = true;
    return true;
  }

  /** determined() left the instruction at rip decoded in `dec` (step() runs it without decoding again). */
  private decodedAtRip = false;

  /** Runs the determined instruction at rip; CONTINUE or PRUNE (found is set by an accepted exit). */
  private step(): number {
    const cpu = this.cpu;
    if (this.wideMoves) {
      // placed base bytes the loader cannot map there: nothing below runs as the file would
      if (this.baseRefused) return PRUNE;
      // before an open base is chosen, a call's return address would name the wrong one
      if (this.provisionalBase && this.curSem === Sem.call) return PRUNE;
    }
    this.nRd = 0;
    this.nWr = 0;
    this.dirty = false;
    // the instruction determined() decoded, run as it is: one decode per instruction
    const stop = this.decodedAtRip ? cpu.runDecoded(this.dec) : cpu.run(1);
    this.decodedAtRip = false;
    this.steps++;
    if (this.dirty || stop === Stop.exception || stop === Stop.unsupported) return PRUNE;
    if (this.nRd > 8 || this.nWr > 8) return PRUNE;
    if (this.provisionalBase && !this.baseSettledByAccesses()) return PRUNE;
    if (!this.provenance()) return PRUNE;
    if (stop === Stop.syscall || stop === Stop.int80) return this.systemCall(stop === Stop.syscall ? this.abi64 : this.abi32);
    return CONTINUE;
  }

  /** Carries provenance through the instruction just run; false when its accesses leave the modelled memory. */
  private provenance(): boolean {
    const win = this.win;
    for (let k = 0; k < this.nWr; k++) {
      const a = this.wrAddr[k]!;
      if (!win.contains(a) || !win.contains(a + this.wrSize[k]! - 1)) return false;
      if (a < this.lowWritten) this.lowWritten = a;
    }
    const t = this.src;
    if (isCopy(this.curSem) && this.nRd === 1 && this.nWr === 1 && this.rdSize[0] === this.wrSize[0]) {
      const from = this.rdAddr[0]!;
      const to = this.wrAddr[0]!;
      const n = this.rdSize[0]!;
      // read every tag first: source and destination may overlap
      for (let i = 0; i < n; i++) this.copyTags[i] = this.source(from + i, t, true) ? t[1]! : 0;
      for (let i = 0; i < n; i++) win.setTag(to + i, this.copyTags[i]!);
      return true;
    }
    for (let k = 0; k < this.nRd; k++) {
      const a = this.rdAddr[k]!;
      for (let i = 0; i < this.rdSize[k]!; i++) if (!this.concretize(a + i)) return false;
    }
    for (let k = 0; k < this.nWr; k++) {
      const a = this.wrAddr[k]!;
      for (let i = 0; i < this.wrSize[k]!; i++) win.setTag(a + i, 0);
    }
    return true;
  }

  private readonly src = new Int32Array(2);
  private readonly copyTags = new Int16Array(16);

  /**
   * A byte read by an instruction that is not a plain copy: if it is (a copy of) an open file byte,
   * that byte takes the value the instruction just used (its layout value).
   */
  private concretize(address: number): boolean {
    let off = -1;
    if (address >= this.loadBase && address < this.fileEnd) {
      off = address - this.loadBase;
      this.board.touch(off);
    } else if (this.win.contains(address)) off = this.win.tag(address) - 1;
    if (off < 0 || !this.board.isOpen(off)) return true;
    const v = this.board.image[off]!;
    if (!this.board.allows(off, v)) return false;
    this.board.set(off, v);
    return true;
  }

  private arg(abi: SyscallAbi, i: number): number {
    const r = abi.args[i]!;
    return abi.width === 8 ? this.regValue(r) : this.regLo[r]!;
  }

  private setResult(v: number): void {
    this.regLo[Reg.rax] = v >>> 0;
    this.regHi[Reg.rax] = 0;
  }

  /** The effect of a system call as the goal sees it. */
  private systemCall(abi: SyscallAbi | null): number {
    if (!abi) return PRUNE;
    const nr = this.regLo[abi.numberReg]!;
    const g = this.goal;
    if (nr === abi.write) {
      const fd = this.regLo[abi.args[0]!]!;
      const buf = this.arg(abi, 1);
      const len = this.arg(abi, 2);
      if (fd !== 1 && fd !== 2) return PRUNE;
      if (len === 0) {
        if (++this.noops > this.maxNoops) return PRUNE;
        this.setResult(0);
        return CONTINUE;
      }
      const stream = fd === 1 ? g.stdout : g.stderr;
      const done = fd === 1 ? this.out1 : this.out2;
      if (this.provisionalBase && buf + len > this.loadBase && buf < this.pageEnd && !this.pinBase()) return PRUNE;
      if (len > stream.length - done) return PRUNE;
      if (!this.options.splitWrites && len !== stream.length - done) return PRUNE;
      for (let i = 0; i < len; i++) if (!this.provide(buf + i, stream[done + i]!)) return PRUNE;
      if (fd === 1) this.out1 += len;
      else this.out2 += len;
      this.setResult(len);
      return CONTINUE;
    }
    if (nr === abi.read) {
      if (this.regLo[abi.args[0]!] !== 0 || this.arg(abi, 2) !== 0) return PRUNE;
      if (++this.noops > this.maxNoops) return PRUNE;
      this.setResult(0);
      return CONTINUE;
    }
    if (abi.exit.includes(nr)) {
      if (this.out1 === g.stdout.length && this.out2 === g.stderr.length && (this.regLo[abi.args[0]!]! & 0xff) === g.exitCode) {
        this.candidates++;
        // the candidate is the whole file: every byte of it matters to the verdict
        const file = this.board.snapshot();
        if (this.options.accept(file)) this.found = file;
      }
      return PRUNE;
    }
    return PRUNE;
  }

  /** The write reads target byte v at an address: make it so, or fail. */
  private provide(address: number, v: number): boolean {
    if (address >= this.loadBase && address < this.pageEnd) {
      if (!this.fileReadable) return false;
      const off = address - this.loadBase;
      if (off >= this.size) return v === 0;
      if (!this.board.isOpen(off)) return this.board.canTake(off, v);
      if (!this.board.allows(off, v)) return false;
      this.board.set(off, v);
      this.planned[off] = 1;
      return true;
    }
    if (this.win.contains(address)) {
      const t = this.win.tag(address);
      if (t !== 0) {
        const o = t - 1;
        if (!this.board.isOpen(o) || !this.board.allows(o, v)) return false;
        this.board.set(o, v);
        this.planned[o] = 1;
        return this.win.get(address) === v;
      }
      return this.win.get(address) === v;
    }
    try {
      return this.mem.read8(address) === v;
    } catch {
      return false;
    }
  }

  /** Hash of the machine state a decision depends on (seeded: two seeds give two independent halves). */
  /**
   * The machine state's two 32-bit hashes (seeded differently), into hashLo and hashHi: registers,
   * flags, rip, the output so far, and the stack window from the lowest byte written or rsp (hashed
   * once for both).
   */
  private stateHashes(): void {
    const c = this.cpu;
    let h1 = 0x2545f491;
    let h2 = 0x6a09e667;
    for (let i = 0; i < 16; i++) {
      const lo = c.regLo[i]!;
      const hi = c.regHi[i]!;
      h1 = Math.imul(h1 ^ lo, 0x85ebca6b);
      h1 = Math.imul((h1 ^ (h1 >>> 13)) ^ hi, 0xc2b2ae35);
      h2 = Math.imul(h2 ^ lo, 0x85ebca6b);
      h2 = Math.imul((h2 ^ (h2 >>> 13)) ^ hi, 0xc2b2ae35);
    }
    const progress = this.out1 | (this.out2 << 12) | (this.noops << 24) | (this.trapsPlaced > 0 ? 1 << 28 : 0);
    const win = this.win.hash(Math.min(this.lowWritten, this.regValue(Reg.rsp)));
    h1 = Math.imul(h1 ^ c.rflags, 0x85ebca6b);
    h1 = Math.imul(h1 ^ (c.rip >>> 0), 0xc2b2ae35);
    h1 = Math.imul(h1 ^ progress, 0x85ebca6b);
    h1 = Math.imul(h1 ^ win, 0xc2b2ae35);
    h2 = Math.imul(h2 ^ c.rflags, 0x85ebca6b);
    h2 = Math.imul(h2 ^ (c.rip >>> 0), 0xc2b2ae35);
    h2 = Math.imul(h2 ^ progress, 0x85ebca6b);
    h2 = Math.imul(h2 ^ win, 0xc2b2ae35);
    this.hashLo = (h1 ^ (h1 >>> 15)) >>> 0;
    this.hashHi = (h2 ^ (h2 >>> 15)) >>> 0;
  }

  private hashLo = 0;
  private hashHi = 0;

  /**
   * The walk from the current state: runs determined instructions until execution reaches open
   * bytes, then tries each move there. Restores everything it changed before returning; the
   * bytes it looked at are left in its run frame for the caller.
   */
  private explore(depth: number): void {
    if (this.outOfBudget() || depth >= this.maxDepth) return;
    this.nodes++;
    if ((this.nodes & (NODE_BLOCK - 1)) === 0) countNodeBlock(this.options.progress);
    const board = this.board;
    const W = board.maskWords;
    const runFrame = 2 * depth;
    const decisionFrame = runFrame + 1;
    board.masks.fill(0, runFrame * W, runFrame * W + W);
    board.frame = runFrame;
    this.save(depth);
    const mark = board.mark();
    let alive = true;
    const mustBeat = this.mustBeat;
    this.mustBeat = -1;
    let first = mustBeat >= 0;
    while (alive && this.determined()) {
      if (this.steps >= this.options.maxPathSteps || this.step() === PRUNE || this.found) alive = false;
      else if (first) {
        first = false;
        if (this.distance() >= mustBeat) alive = false;
      }
    }
    if (alive && this.loaderRead.length > 0 && !this.loaderAcceptsHere(depth)) alive = false;
    const bound = alive ? this.bound() : 0;
    if (alive && this.spent() + bound <= this.budget && bound <= board.open) {
      this.stateHashes();
      const k1 = (this.hashLo ^ board.shapeLo) | 0;
      const k2 = (this.hashHi ^ board.shapeHi) | 0;
      // a part's walk keeps the decisions down to PART_DEPTH out of the memo (WalkOptions.branchPart)
      const memoized = this.part === null || depth > PART_DEPTH;
      const hit = memoized ? this.memo.covered(k1, k2, this.steps, this.spent(), this.valuesUnder) : -1;
      if (hit >= 0) {
        // pruned on the strength of that entry's bytes: the caller's state depends on them too
        this.memo.mergeMask(hit, board.masks, runFrame * W);
      } else {
        board.masks.fill(0, decisionFrame * W, decisionFrame * W + W);
        board.frame = decisionFrame;
        const cut = this.cut;
        this.branch(depth);
        board.frame = runFrame;
        if (memoized && !this.cut && !cut && !this.found) {
          // only bytes still assigned (assigned before this state) can differ between arrivals
          this.keepAssigned(decisionFrame);
          board.valuesUnder(board.masks, decisionFrame * W, this.memoValues);
          this.memo.record(k1, k2, this.steps, this.spent(), board.masks, decisionFrame * W, this.memoValues);
        }
        for (let w = 0; w < W; w++) board.masks[runFrame * W + w]! |= board.masks[decisionFrame * W + w]!;
      }
    }
    board.undo(mark);
    this.restore(depth);
    // hand the touches to the caller's decision frame
    if (depth > 0) {
      const parent = 2 * (depth - 1) + 1;
      for (let w = 0; w < W; w++) board.masks[parent * W + w]! |= board.masks[runFrame * W + w]!;
      board.frame = parent;
    }
  }

  /** The board's values under a mask, for the state memo (one function for the walk, not one per node). */
  private readonly valuesUnder = (m: Uint32Array, base: number, out: Int32Array): void => this.board.valuesUnder(m, base, out);

  /** Clears the bits of bytes that are no longer walk-assigned (they were assigned below this state). */
  private keepAssigned(frame: number): void {
    const board = this.board;
    const W = board.maskWords;
    for (let w = 0; w < W; w++) {
      let bits = board.masks[frame * W + w]!;
      let keep = 0;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits);
        bits &= ~(1 << b);
        if (board.walkAssigned(w * 32 + b)) keep |= 1 << b;
      }
      board.masks[frame * W + w] = keep;
    }
  }

  /** A need or data move just placed must leave distance() below this (straight mode), or -1. */
  private mustBeat = -1;

  /**
   * How far the next call is: the fewest unmet register needs over the calls it could be, plus the
   * stack pieces of that call's stream still to be pushed.
   */
  distance(): number {
    let best = Infinity;
    const pieces = this.stackPieceAddresses();
    for (const call of this.needs()) {
      let d = 0;
      for (const n of call.regs) if (!meets(n, this.regLo[n.reg]!, n.width === 4 ? 0 : this.regHi[n.reg]!)) d++;
      if (call.kind === 'write' && pieces) {
        const sp = this.plan?.streams[call.fd === 1 ? 0 : 1];
        if (sp && sp.kind === 'stack') d += this.piecesLeft(sp.pieces.length, call.fd === 1 ? this.goal.stdout : this.goal.stderr);
      }
      best = Math.min(best, d);
    }
    return best;
  }

  /** Stack pieces of a stream not on the stack yet (the longest stack string alive at rsp counts). */
  private piecesLeft(count: number, stream: Uint8Array): number {
    for (let j = 0; j < stream.length; j += this.word) if (this.stackMatches(stream, j, 0)) return j / this.word;
    return count;
  }

  /** Offset right after a nop just placed (the next move must reach past its open run), or -1. */
  private fillerEnd = -1;

  /** A move of `len` bytes at off covers a byte that is not open (it swallows fixed or placed bytes). */
  private reachesBeyondRun(off: number, len: number): boolean {
    for (let i = 0; i < len; i++) if (!this.board.isOpen(off + i)) return true;
    return false;
  }

  /** Where the walk stands in the plan's trie. */
  private planNode = 0;

  /**
   * How a move fits the plan: the trie node it leads to (a token matched), FREE (allowed, the
   * trie stays where it is), or REFUSED.
   */
  private planAllows(bytes: Uint8Array, len: number, kind: number, reg: number): number {
    const trie = this.trie!;
    const tokens = trie.tokensAt(this.planNode);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const ok = t.kind === 'push-piece' ? kind === MoveKind.data : t.pattern.length === len && patternMatches(t.pattern, bytes);
      if (ok) return trie.child(this.planNode, i);
    }
    // a trap before the loop's first instruction (a no-op call leaving rcx), or once the body is complete
    if (kind === MoveKind.trap) return this.planNode === 0 || trie.isLeaf(this.planNode) ? FREE : REFUSED;
    if (kind === MoveKind.jump || kind === MoveKind.filler || kind === MoveKind.skip) return FREE;
    if (kind === MoveKind.need && this.freeRegs.includes(reg)) return FREE;
    return REFUSED;
  }

  planCost(): number {
    return this.trie ? this.trie.restCost(this.planNode) : 0;
  }

  /** The trie of the current data plan (plan mode), and the registers it leaves to ordinary moves. */
  private trie: PlanTrie | null = null;
  private freeRegs: readonly number[] = [];

  /** The part of the tree this walk takes (WalkOptions.branchPart), and the children of decisions at PART_DEPTH met so far, in walk order. */
  private readonly part: { index: number; count: number } | null;
  private partSeq = 0;

  /**
   * Tries every move of the alphabet at rip; behind assigned prefix bytes (REX soup in the header)
   * also moves placed right after them, which then run with those prefixes.
   */
  private branch(depth: number): void {
    const cpu = this.cpu;
    const board = this.board;
    const off = cpu.rip - this.loadBase;
    const list = this.lists[depth]!;
    const afterFiller = this.fillerEnd === off;
    const distanceHere = this.straight ? this.distance() : 0;
    for (let k = 0; ; k++) {
      this.alphabet.generate(this, off + k, cpu.rip + k, list);
      const guide = this.options.guide;
      let guided = -1;
      if (guide) {
        for (let m = 0; m < list.count && guided < 0; m++) {
          const b = list.at(m);
          if (b.every((v, i) => guide.file[off + k + i] === v)) guided = m;
        }
        if (guided < 0 && (k >= 3 || board.isOpen(off + k))) {
          const offered: Uint8Array[] = [];
          for (let m = 0; m < list.count; m++) offered.push(list.at(m).slice());
          guide.onMissing(off + k, guide.file.subarray(off + k, off + k + 15), offered);
        }
      }
      for (let m = 0; m < list.count; m++) {
        if (this.outOfBudget()) return;
        if (guide && m !== guided) continue;
        // a nop only lines up the instruction after it with bytes ahead: that one must reach them
        if (afterFiller && !this.reachesBeyondRun(off + k, list.length[m]!)) continue;
        const bytes = list.slot(m);
        const len = list.length[m]!;
        let planNext = FREE;
        if (this.options.plan) {
          planNext = this.planAllows(bytes, len, list.kind[m]!, list.reg[m]!);
          if (planNext === REFUSED) continue;
        }
        const mark = board.mark();
        if (!board.place(off + k, bytes, len)) continue;
        // over budget already: its subtree could only be cut one node down
        if (this.spent() > this.budget) {
          board.undo(mark);
          continue;
        }
        if (k > 0 && !(this.determined() && this.curLen === k + len)) {
          board.undo(mark);
          continue;
        }
        const part = this.part;
        if (part !== null && depth === PART_DEPTH && this.partSeq++ % part.count !== part.index) {
          board.undo(mark);
          continue;
        }
        board.markInstruction(off, k + len);
        this.placedAtOutput[off] = this.out1 + this.out2;
        const trap = list.kind[m] === MoveKind.trap;
        if (trap) this.trapsPlaced++;
        const kind = list.kind[m]!;
        this.mustBeat = this.straight && (kind === MoveKind.need || kind === MoveKind.data) ? distanceHere : -1;
        const savedFiller = this.fillerEnd;
        this.fillerEnd = list.kind[m] === MoveKind.filler ? off + k + len : -1;
        const savedPlan = this.planNode;
        if (planNext >= 0) this.planNode = planNext;
        this.explore(depth + 1);
        this.planNode = savedPlan;
        this.fillerEnd = savedFiller;
        if (trap) this.trapsPlaced--;
        board.undo(mark);
      }
      const next = off + k;
      if (k >= 3 || next >= this.size || board.isOpen(next) || !isPrefixByte(board.peek(next))) break;
      board.touch(next);
    }
  }
}

/** Whether the first pattern.length bytes match the pattern (a negative entry matches any byte). */
function patternMatches(pattern: readonly number[], bytes: Uint8Array): boolean {
  for (let k = 0; k < pattern.length; k++) {
    const v = pattern[k]!;
    if (v >= 0 && v !== bytes[k]) return false;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Legacy and REX prefix bytes: fixed bytes that may stand in front of an instruction placed after them. */
function isPrefixByte(b: number): boolean {
  return (b >= 0x40 && b <= 0x4f) || b === 0x66 || b === 0x67 || b === 0xf2 || b === 0xf3 || b === 0x2e || b === 0x3e || b === 0x26 || b === 0x36 || b === 0x64 || b === 0x65;
}

export { MAX_MOVE };
