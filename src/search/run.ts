/**
 * The coordinator of a search: runs the units of a shard on a piscina pool (also for one worker:
 * the walk is synchronous, so this thread must stay free to notice Ctrl-C), hands each new unit
 * the best size known so far as a bound (or the bound it was given, if smaller), and combines the unit results deterministically (size,
 * then bytes), so the answer does not depend on the number of workers. Progress is reported
 * through a callback; Ctrl-C flips a shared stop flag.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { KernelProfile } from '../linux/profile.js';
import type { Target } from '../targets/target.js';
import { better, units, type Found, type SearchSpace, type Unit, type UnitContext, type UnitResult } from './engine.js';

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
  nodes: number;
  candidates: number;
  elapsedMs: number;
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
}

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
  const all = request.units ?? units(request.space.maxSize);
  const { stopFlag, deadline } = request.control ?? searchControl(request.timeLimit, started);
  const onSigint = (): void => { Atomics.store(stopFlag, 0, 1); };
  process.on('SIGINT', onSigint);
  const results: UnitResult[] = [];
  let best: Found | null = null;
  let timeToBestMs: number | null = null;
  let nodes = 0;
  let candidates = 0;
  const known = request.bound ?? Number.MAX_SAFE_INTEGER;
  const ctxFor = (): UnitContext => ({
    target: request.target, profile: request.profile, space: request.space, deadline, stopFlag,
    bound: best ? Math.min(best.size, known) : known,
  });
  const finish = (r: UnitResult): void => {
    results.push(r);
    nodes += r.nodes;
    candidates += r.candidates;
    const next = better(best, r.best);
    if (next !== best) {
      if (!best || next!.size < best.size) timeToBestMs = Date.now() - started;
      best = next;
    }
    onProgress({ best, unitsDone: results.length, unitsTotal: all.length, nodes, candidates, elapsedMs: Date.now() - started });
  };
  try {
    const threads = Math.max(1, request.workers);
    const pool = new Piscina({ filename: workerFile(), maxThreads: threads, minThreads: threads });
    try {
      const queue: Unit[] = [...all];
      const lane = async (): Promise<void> => {
        for (let unit = queue.shift(); unit; unit = queue.shift()) {
          finish((await pool.run({ unit, ctx: ctxFor() })) as UnitResult);
        }
      };
      await Promise.all(Array.from({ length: threads }, lane));
    } finally {
      await pool.destroy();
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  results.sort((a, b) => a.unit.index - b.unit.index);
  return {
    best, timeToBestMs, results, unitsTotal: all.length, nodes, candidates,
    elapsedMs: Date.now() - started, interrupted: Atomics.load(stopFlag, 0) === 1,
  };
}
