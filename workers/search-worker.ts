/**
 * piscina worker: searches one unit (a layout family) of a golf search. Compiled to
 * dist/workers/search-worker.js; the coordinator is src/search/run.ts.
 */
import { searchUnit, type UnitContext, type Unit, type UnitResult } from '../src/search/engine.js';

export interface UnitTask {
  unit: Unit;
  ctx: UnitContext;
}

export default function searchWorker(task: UnitTask): UnitResult {
  return searchUnit(task.unit, task.ctx);
}
