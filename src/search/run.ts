/**
 * The coordinator of a search: runs the units of a shard on a piscina pool (also for one worker:
 * the walk is synchronous, so this thread must stay free to notice Ctrl-C), hands each new unit
 * the best size known so far as a bound (or the bound it was given, if smaller), and combines the unit results deterministically (size,
 * then bytes), so the answer does not depend on the number of workers. Progress is reported
 * through a callback, when a unit ends and on a timer in between (workers count their nodes into
 * shared memory: progress.ts); Ctrl-C flips a shared stop flag.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { KernelProfile } from '../linux/profile.js';
import type { Target } from '../targets/target.js';
import { ProgressBoard } from './progress.js';
import { better, units, unitsNoun, type Found, type SearchSpace, type Unit, type UnitContext, type UnitResult } from './engine.js';
import type { LoopPlans } from './loop-tries.js';

export interface SearchRequest {
  target: Target;
  profile: KernelProfile;
  space: SearchSpace;
  workers: number;
  /** Seconds; Infinity for none. */
  timeLimit: number;
  seed: number;
  /** The units to search, in this order (default: every unit of the space, in index order). */
  units?: readonly Unit[];
  /** Files larger than this cannot win (a bound known before the search): every unit stops there. */
  bound?: number;
  /** Shares one Ctrl-C flag and one deadline between the phases of a shard (see shard-run.ts). */
  control?: SearchControl;
  /** The loop family's plans when an earlier phase of the same shard computed them (shard-run.ts). */
  loopPlans?: LoopPlans | null;
  /** How often progress is reported between unit ends, in ms (default 1000). */
  progressIntervalMs?: number;
}

/** The stop flag workers read and the deadline of the whole run. */
export interface SearchControl {
  stopFlag: Int32Array;
  /** ms since the epoch; Number.MAX_SAFE_INTEGER for none. */
  deadline: number;
}

export function searchControl(timeLimitSeconds: number, started = Date.now()): SearchControl {
  return {
    stopFlag: new Int32Array(new SharedArrayBuffer(4)),
    deadline: Number.isFinite(timeLimitSeconds) ? started + timeLimitSeconds * 1000 : Number.MAX_SAFE_INTEGER,
  };
}

export interface Progress {
  best: Found | null;
  unitsDone: number;
  unitsTotal: number;
  /** Nodes walked so far, including those of units still running. */
  nodes: number;
  candidates: number;
  elapsedMs: number;
  /** File sizes the running units are exhausting now, ascending (empty between units). */
  sizes: number[];
  /** 'unit': a unit just ended; 'tick': the timer, while units run. */
  event: 'unit' | 'tick';
  /** The loop family's plans are being computed (before any unit runs). */
  planningLoops?: boolean;
  /** What the units are ("layout families", or their sizes in an exact search: engine.ts unitsNoun). */
  unitsNoun?: string;
}

export interface SearchOutcome {
  best: Found | null;
  /** When the best result was first found (ms since start), null if none. */
  timeToBestMs: number | null;
  results: UnitResult[];
  unitsTotal: number;
  nodes: number;
  candidates: number;
  elapsedMs: number;
  interrupted: boolean;
  /** The loop family's plans this search used (null: none), for a later phase of the same shard. */
  loopPlans: LoopPlans | null;
}

/** Nodes the loop-plan search may take (it finishes well below this for the usual costs). */
const LOOP_PLAN_NODES = 200_000_000;

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The compiled worker: next to this module's compiled form (dist/src/search -> dist/workers), or
 * in dist/ when this module runs from its TypeScript source (tests); workers need compiled code.
 */
function workerFile(): string {
  const fromSource = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSource ? '../../dist/workers/search-worker.js' : '../../workers/search-worker.js', import.meta.url));
}

export async function runSearch(request: SearchRequest, onProgress: (p: Progress) => void = () => {}): Promise<SearchOutcome> {
  const started = Date.now();
  const all = request.units ?? units(request.space);
  const { stopFlag, deadline } = request.control ?? searchControl(request.timeLimit, started);
  const onSigint = (): void => { Atomics.store(stopFlag, 0, 1); };
  process.on('SIGINT', onSigint);
  const results: UnitResult[] = [];
  let best: Found | null = null;
  let timeToBestMs: number | null = null;
  let nodes = 0;
  let candidates = 0;
  const known = request.bound ?? Number.MAX_SAFE_INTEGER;
  // Given by an earlier phase of the same shard, or computed below before the first unit.
  let loop: LoopPlans | null = request.loopPlans ?? null;
  const threads = Math.max(1, request.workers);
  const board = new ProgressBoard(threads);
  const ctxFor = (lane: number): UnitContext => ({
    target: request.target, profile: request.profile, space: request.space, deadline, stopFlag,
    bound: best ? Math.min(best.size, known) : known, progress: board.lane(lane), loop,
  });
  let planningLoops = false;
  const report = (event: Progress['event']): void => {
    const live = board.read();
    onProgress({ best, unitsDone: results.length, unitsTotal: all.length, nodes: nodes + live.nodes, candidates, elapsedMs: Date.now() - started, sizes: live.sizes, event, planningLoops, unitsNoun: unitsNoun(request.space) });
  };
  const finish = (r: UnitResult, lane: number): void => {
    board.clear(lane);
    results.push(r);
    nodes += r.nodes;
    candidates += r.candidates;
    const next = better(best, r.best);
    if (next !== best) {
      if (!best || next!.size < best.size) timeToBestMs = Date.now() - started;
      best = next;
    }
    report('unit');
  };
  const timer = setInterval(() => report('tick'), request.progressIntervalMs ?? 1000);
  try {
    const pool = new Piscina({ filename: workerFile(), maxThreads: threads, minThreads: threads });
    try {
      // The loop family's plans first (every unit uses them; computing them is a task like a unit's).
      const loopCost = request.space.loopCost ?? 0;
      if (loopCost > 0 && request.loopPlans === undefined) {
        planningLoops = true;
        loop = (await pool.run({ loop: { target: request.target, argcAssumable: request.profile.argcAssumable, maxCost: loopCost, limit: LOOP_PLAN_NODES, deadline, stopFlag, ...(request.space.arch === 'i386' ? { i386: true } : {}) } })) as LoopPlans | null;
        planningLoops = false;
      }
      const queue: Unit[] = [...all];
      const lane = async (_: unknown, i: number): Promise<void> => {
        for (let unit = queue.shift(); unit; unit = queue.shift()) {
          board.clear(i);
          finish((await pool.run({ unit, ctx: ctxFor(i) })) as UnitResult, i);
        }
      };
      await Promise.all(Array.from({ length: threads }, lane));
    } finally {
      await pool.destroy();
    }
  } finally {
    clearInterval(timer);
    process.off('SIGINT', onSigint);
  }
  results.sort((a, b) => a.unit.index - b.unit.index);
  return {
    best, timeToBestMs, results, unitsTotal: all.length, nodes, candidates,
    elapsedMs: Date.now() - started, interrupted: Atomics.load(stopFlag, 0) === 1, loopPlans: loop,
  };
}
