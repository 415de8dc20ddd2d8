/**
 * piscina worker: searches one unit (a layout family) of a golf search. Compiled to
 * dist/workers/search-worker.js; the coordinator is src/search/run.ts.
 */
import { searchUnit, type UnitContext, type Unit, type UnitResult } from '../src/search/engine.js';
import { SYSCALL_64 } from '../src/search/abi.js';
import { computeLoopPlans, type LoopPlans } from '../src/search/loop-tries.js';
import type { Target } from '../src/targets/target.js';

export interface UnitTask {
  unit: Unit;
  ctx: UnitContext;
}

/** The loop family's plans, computed once per search before its units run. */
export interface LoopTask {
  loop: { target: Target; argcAssumable: boolean; maxCost: number; limit: number; deadline: number; stopFlag: Int32Array };
}

export default function searchWorker(task: UnitTask | LoopTask): UnitResult | LoopPlans | null {
  if ('loop' in task) {
    const { deadline, stopFlag } = task.loop;
    const stopped = (): boolean => Date.now() > deadline || Atomics.load(stopFlag, 0) === 1;
    return computeLoopPlans(task.loop.target, SYSCALL_64, task.loop.argcAssumable, task.loop.maxCost, task.loop.limit, stopped);
  }
  return searchUnit(task.unit, task.ctx);
}
