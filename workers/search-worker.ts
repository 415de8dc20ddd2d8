/**
 * piscina worker: searches one unit (a layout family) of a golf search. Compiled to
 * dist/workers/search-worker.js; the coordinator is src/search/run.ts.
 */
import { searchUnit, type UnitContext, type Unit, type UnitResult } from '../src/search/engine.js';
import { INT80_32, SYSCALL_64 } from '../src/search/abi.js';
import { computeLoopPlans, type LoopPlans } from '../src/search/loop-tries.js';
import type { Target } from '../src/targets/target.js';

export interface UnitTask {
  unit: Unit;
  ctx: UnitContext;
}

/** The loop family's plans, computed once per search before its units run. */
export interface LoopTask {
  /** arch i386: 32-bit code calling through int 0x80 (else long mode and syscall). */
  loop: { target: Target; argcAssumable: boolean; maxCost: number; limit: number; deadline: number; stopFlag: Int32Array; i386?: boolean };
}

export default function searchWorker(task: UnitTask | LoopTask): UnitResult | LoopPlans | null {
  if ('loop' in task) {
    const { deadline, stopFlag } = task.loop;
    const stopped = (): boolean => Date.now() > deadline || Atomics.load(stopFlag, 0) === 1;
    const i386 = task.loop.i386 === true;
    return computeLoopPlans(task.loop.target, i386 ? INT80_32 : SYSCALL_64, task.loop.argcAssumable, task.loop.maxCost, task.loop.limit, stopped, i386 ? 32 : 64);
  }
  return searchUnit(task.unit, task.ctx);
}
