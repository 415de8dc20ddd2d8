/**
 * The search proper: the space is a fixed list of units, one per (phoff, e_type) layout family;
 * each unit grows the file size N from the smallest its program-header table allows and, for each
 * solved layout (one per entry offset), walks the code space. A unit's answer is the first
 * validated file at the smallest N; units are combined by size, then bytes (lexicographically), so
 * the answer does not depend on how units were spread over workers or machines.
 *
 * An exact search splits each family further, into one unit per file size (a size slice), in
 * size order: it must exhaust every size, and one family (for hello, P=12 ET_DYN) holds nearly all
 * of the work, which as one unit would keep one worker busy while the others wait. Each slice is
 * cut again into EXACT_PARTS parts of every walk's tree (walk.ts branchPart), because one walk (the
 * largest size's) is itself a sixth of the work. The parts of a slice together walk what the
 * family's unit walks at that size, so the completeness claim is the same; where a file exists
 * the answer is the best of the parts' first files.
 */
import { IA32, X86_64, type ArchName, type Personality } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import { emulatorRunner } from '../verify/machine.js';
import type { Target } from '../targets/target.js';
import { verifyFile, verifyOptionsFor, type EmulatedRunner } from '../verify/verify.js';
import { abisFor, INT80_32 } from './abi.js';
import { layoutSpace, minFileSize, openBaseLayouts, solveLayouts, type Layout, type SolveOptions } from './layout.js';
import { loaderVerdict } from './process.js';
import { loopTries, type LoopPlans } from './loop-tries.js';
import { countWalkEnd, reportSize } from './progress.js';
import { Walk } from './walk/walk.js';

export interface SearchSpace {
  maxSize: number;
  /** Instructions per walk path. */
  maxPathSteps: number;
  /** Walk nodes per layout (0 = unlimited). */
  nodeLimit: number;
  /** Streams may be written in several pieces (off by default: a much larger space). */
  splitWrites?: boolean;
  /** Highest cost (bytes) of the loop family's plans; 0 leaves loops out. */
  loopCost?: number;
  /**
   * Which files: x86-64 (ELF64, the default) or i386 (ELF32 for the compat loader, 32-bit code,
   * int 0x80; loop plans of 32-bit code with the buffer in the file).
   */
  arch?: ArchName;
  /**
   * No cost bound: the walk goes through every program of the space that fits the open bytes
   * (bound.ts is a heuristic, so only such a search can say that no smaller file exists in the
   * space). Much slower: meant for small targets and for checking the bound.
   */
  exact?: boolean;
}

/** The personality (loader, code mode) of a space's files. */
export function spacePersonality(space: Pick<SearchSpace, 'arch'>): Personality {
  return space.arch === 'i386' ? IA32 : X86_64;
}

/**
 * Layouts whose load address the code chooses (layout.ts openBaseLayouts) open some 13 more
 * header bytes, so their walks are larger: they get this many times the per-layout node limit,
 * and only the straight family walks them (hello's 60-byte file, P=4 ET_EXEC entry 37, is found
 * after 402 k nodes; the loop family would double the time of the other 59 entries).
 */
export const OPEN_BASE_NODE_FACTOR = 4;

/** The search accepts a file that meets its target within this many steps (golf merge re-verifies each claim with the same). */
export const SEARCH_VERIFY_STEPS = 10_000;

export const DEFAULT_SPACE: SearchSpace = { maxSize: 96, maxPathSteps: 80, nodeLimit: 300_000, loopCost: 7 };

/** One unit of work: a layout family, or one file size of it (a size slice). */
export interface Unit {
  index: number;
  phoff: number;
  type: 2 | 3;
  /** A size slice: only files of this many bytes (absent: every size up to the space's maximum). */
  size?: number;
  /** One part of a size slice's walks (walk.ts branchPart); absent: the whole. */
  part?: { index: number; count: number };
}

/** Parts of each size slice of an exact search (see the top of this file). */
export const EXACT_PARTS = 2;
/**
 * Parts of the slices at the space's largest size: they are walked last, and the largest of them
 * is the largest unit of all, so its two halves ran alone at the end (hello to 80 bytes: one part
 * alone for the last 40 s of 503). Smaller parts shorten that tail; they repeat more of the top.
 */
export const LAST_SIZE_PARTS = 4;

/** How many parts the slices of one size are cut into. */
export function slicePartsAt(size: number, maxSize: number): number {
  return size === maxSize ? LAST_SIZE_PARTS : EXACT_PARTS;
}

/** What names a unit across runs and machines (its family, and its size for a slice); not its index. */
export function unitKey(unit: Pick<Unit, 'phoff' | 'type' | 'size' | 'part'>): string {
  const family = `${unit.phoff}/${unit.type}`;
  if (unit.size === undefined) return family;
  return unit.part === undefined ? `${family}/${unit.size}` : `${family}/${unit.size}/${unit.part.index}of${unit.part.count}`;
}

/** Whether a space's units are size slices (exact searches: see the top of this file). */
export function slicedBySize(space: Pick<SearchSpace, 'exact'>): boolean {
  return space.exact === true;
}

/** What a space's units are, for messages ("3 of 28 layout families ran"). */
export function unitsNoun(space: Pick<SearchSpace, 'exact'>): string {
  return slicedBySize(space) ? 'layout family sizes' : 'layout families';
}

export interface Found {
  size: number;
  hex: string;
}

export interface UnitResult {
  unit: Unit;
  best: Found | null;
  /** Every file size below this was searched completely in this unit's space (no walk was cut). */
  exhaustedBelow: number;
  /** The unit stopped early (time limit, interrupt, or a bound from a better result elsewhere). */
  stoppedBy: 'done' | 'stopped' | 'bound';
  nodes: number;
  candidates: number;
  layouts: number;
  elapsedMs: number;
}

/**
 * The space's units in their fixed order (the index is the position). Size slices come smallest
 * size first, then in family order, so a file found at one size stops the larger slices (bound).
 */
export function units(space: Pick<SearchSpace, 'maxSize' | 'arch' | 'exact'>): Unit[] {
  const personality = spacePersonality(space);
  const families = layoutSpace(space.maxSize, personality);
  if (!slicedBySize(space)) return families.map((u, index) => ({ index, phoff: u.phoff, type: u.type }));
  const out: Unit[] = [];
  for (let size = minFileSize(0, personality); size <= space.maxSize; size++) {
    for (const u of families) {
      if (minFileSize(u.phoff, personality) > size) continue;
      const count = slicePartsAt(size, space.maxSize);
      for (let index = 0; index < count; index++) out.push({ index: out.length, phoff: u.phoff, type: u.type, size, part: { index, count } });
    }
  }
  return out;
}

/**
 * The smallest file size a unit searches: the loader reads the whole program header from the
 * file; written whole, a stream is one buffer whose nonzero bytes can only come from the file
 * (memory past EOF reads as 0), so no smaller file can hold it. (Split writes may reuse one buffer.)
 * A size slice starts at its size (past it when no file of that size can hold the target).
 */
export function unitFirstSize(unit: Unit, target: Pick<Target, 'stdout' | 'stderr'>, space: SearchSpace): number {
  const minSize = minFileSize(unit.phoff, spacePersonality(space));
  const first = space.splitWrites === true ? minSize : Math.max(minSize, nonzeroSpan(target.stdout), nonzeroSpan(target.stderr));
  return Math.max(first, unit.size ?? 0);
}

/**
 * How many layouts a unit walks at one file size: what searchUnit walks there (a cost figure for
 * planning shards; see unit-cost.ts).
 */
export function unitLayoutCount(unit: Unit, size: number, profile: KernelProfile): number {
  const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: profile.taskSize, commitLimitBytes: profile.commitLimitBytes };
  return layoutsAt(unit, size, { limits, verdict: loaderVerdict(profile) }).length;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Deterministic order of results: smaller first, then lexicographically smaller bytes. */
export function better(a: Found | null, b: Found | null): Found | null {
  if (!a) return b;
  if (!b) return a;
  if (a.size !== b.size) return a.size < b.size ? a : b;
  return a.hex <= b.hex ? a : b;
}

/** Drops trailing zero bytes the loader does not need in the file (they read as 0 anyway). */
export function trimmed(file: Uint8Array, minSize: number): Uint8Array {
  let end = file.length;
  while (end > minSize && file[end - 1] === 0) end--;
  return file.subarray(0, end);
}

export interface UnitContext {
  target: Target;
  profile: KernelProfile;
  space: SearchSpace;
  deadline: number;
  /** Set to 1 by the coordinator to stop every unit at once (Ctrl-C). */
  stopFlag?: Int32Array;
  /** Files at or above this size cannot win (a result found elsewhere); units stop there. */
  bound: number;
  runner?: EmulatedRunner;
  /** This unit's lane of live progress counters (progress.ts); absent when nobody watches. */
  progress?: Int32Array;
  /** Restrict the system-call conventions by name ("syscall", "int 0x80"); all the profile allows by default. */
  abiNames?: readonly string[];
  /** Loop plans for the target (one write, then exit), computed once per search; absent: no loop family. */
  loop?: LoopPlans | null;
}

/**
 * Entries worth walking: inside bytes the header fixes (they run as whatever instruction they
 * form), or at the start of a run of free bytes. Entering a free run past its start only wastes
 * the bytes before the entry, which a layout entering at the start can use as well.
 */
function usefulEntry(layout: Layout): boolean {
  const e = layout.entryOffset;
  return layout.allowed[e] !== null || e === 0 || layout.allowed[e - 1] !== null;
}

/**
 * The layouts a unit walks at one size: the solved ones at useful entries, then (ELF32 ET_EXEC)
 * those whose load address the code chooses, at every entry (the entry offset is e_entry's low
 * byte, which code or data around it may need).
 */
function layoutsAt(unit: Pick<Unit, 'phoff' | 'type'>, size: number, options: SolveOptions): Layout[] {
  return [...solveLayouts(unit.phoff, unit.type, size, options).filter(usefulEntry), ...openBaseLayouts(unit.phoff, unit.type, size, options)];
}

/** Length from the first to the last nonzero byte (0 for an empty or all-zero stream). */
function nonzeroSpan(bytes: Uint8Array): number {
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  let end = bytes.length;
  while (end > first && bytes[end - 1] === 0) end--;
  return end - first;
}

export function searchUnit(unit: Unit, ctx: UnitContext): UnitResult {
  const started = Date.now();
  const { target, profile, space } = ctx;
  const run = ctx.runner ?? emulatorRunner(profile);
  const verdict = loaderVerdict(profile);
  const personality = spacePersonality(space);
  const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: personality.taskSize(profile), commitLimitBytes: profile.commitLimitBytes };
  // A 32-bit process calls the kernel through int 0x80 (its own convention, IA32 emulation's).
  const abis = (personality === IA32 ? [INT80_32] : abisFor(profile.ia32Emulation)).filter((a) => !ctx.abiNames || ctx.abiNames.includes(a.name));
  const goal = { stdout: target.stdout, stderr: target.stderr, exitCode: target.exitCode };
  // The loader reads the whole program header from the file.
  const minSize = minFileSize(unit.phoff, personality);
  // A size slice walks its one size (none when no file of that size can hold the target).
  const firstSize = unitFirstSize(unit, target, space);
  const lastSize = unit.size ?? space.maxSize;
  const stopped = (): boolean => Date.now() > ctx.deadline || (ctx.stopFlag !== undefined && Atomics.load(ctx.stopFlag, 0) === 1);
  let nodes = 0;
  let candidates = 0;
  let layouts = 0;
  let exhaustedBelow = firstSize;
  let stoppedBy: UnitResult['stoppedBy'] = 'done';
  const tries = ctx.loop ? loopTries(ctx.loop) : null;
  const accept = (file: Uint8Array): Uint8Array | null => {
    for (const f of [trimmed(file, minSize), file]) {
      if (verifyFile(run, f, target, { ...verifyOptionsFor(profile), stopAtFirstFailure: true, maxSteps: SEARCH_VERIFY_STEPS }).pass) return f.slice();
    }
    return null;
  };
  for (let n = firstSize; n <= lastSize; n++) {
    if (n > ctx.bound) { stoppedBy = 'bound'; break; }
    if (stopped()) { stoppedBy = 'stopped'; break; }
    reportSize(ctx.progress, n);
    let complete = true;
    let best: Found | null = null;
    for (const layout of layoutsAt(unit, n, { limits, verdict, personality })) {
      layouts++;
      let accepted: Uint8Array | null = null;
      const base = {
        profile, argc: target.argv.length, abis, maxPathSteps: space.maxPathSteps, stopped,
        nodeLimit: layout.openBase ? space.nodeLimit * OPEN_BASE_NODE_FACTOR : space.nodeLimit,
        splitWrites: space.splitWrites === true, useBound: space.exact !== true, progress: ctx.progress,
        // an exact search exhausts every size below its answer: no repeated rounds (walk.ts)
        schedule: space.exact === true ? 'one-round' as const : 'deepening' as const,
        ...(unit.part ? { branchPart: unit.part } : {}),
        accept: (file: Uint8Array) => (accepted = accept(file)) !== null,
      };
      // code that runs once per call first; then loops whose one trap serves every call
      const runs = [Walk.run(layout, goal, { ...base, mode: 'straight' })];
      // (an open load address: the straight family only, see OPEN_BASE_NODE_FACTOR)
      if (!accepted && tries && !layout.openBase) runs.push(Walk.run(layout, goal, { ...base, mode: 'broad', plan: tries }));
      for (const r of runs) {
        nodes += r.nodes;
        countWalkEnd(ctx.progress, r.nodes);
        candidates += r.candidates;
        if (!r.exhausted) complete = false;
      }
      // loop plans cut short (node limit, Ctrl-C, time limit): the loop family was not all walked
      if (tries && ctx.loop && !ctx.loop.exhausted) complete = false;
      if (accepted) best = better(best, { size: (accepted as Uint8Array).length, hex: toHex(accepted) });
      if (stopped()) { complete = false; break; }
    }
    if (best) return { unit, best, exhaustedBelow: complete ? n : exhaustedBelow, stoppedBy, nodes, candidates, layouts, elapsedMs: Date.now() - started };
    if (complete && exhaustedBelow === n) exhaustedBelow = n + 1;
    if (stopped()) { stoppedBy = 'stopped'; break; }
  }
  // Every size of the unit exhausted: it claims nothing exists in it (a slice holds one size only).
  if (exhaustedBelow > lastSize) exhaustedBelow = space.maxSize + 1;
  return { unit, best: null, exhaustedBelow, stoppedBy, nodes, candidates, layouts, elapsedMs: Date.now() - started };
}
