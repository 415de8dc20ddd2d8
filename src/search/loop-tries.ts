/**
 * The loop family's plans as a search carries them to its workers (plain data), and the tries the
 * walk tiles them from (built once per worker thread and plan set).
 */
import { loopPlans, type LoopGoal, type LoopPlan } from './loop-plans.js';
import type { Target } from '../targets/target.js';
import type { SyscallAbi } from './abi.js';
import { PlanTrie, planSequences } from './walk/plan.js';
import type { CodeMode } from './walk/encodings.js';

export interface LoopPlans {
  /** Identifies the plan set (for the per-thread trie cache). */
  key: string;
  /** Highest plan cost searched, and whether that search was complete. */
  maxCost: number;
  exhausted: boolean;
  /** Plans by the number of stack pieces of the write's buffer (0: the buffer is in the file). */
  byPieces: Record<number, LoopPlan[]>;
  /** The write's buffer and length registers (rsi, rdx for syscall; ecx, edx for int 0x80). */
  bufferReg: number;
  lengthReg: number;
}

/**
 * The loop family applies to goals of one write and an exit. In 32-bit code (mode 32) the buffer
 * is in the file only: the tiling's stack-piece forms (plan.ts) are long-mode encodings.
 */
export function loopGoalsFor(target: Target, abi: SyscallAbi, argcAssumable: boolean, mode: CodeMode = 64): LoopGoal[] | null {
  const streams = [target.stdout, target.stderr].filter((s) => s.length > 0);
  if (streams.length !== 1) return null;
  const stream = streams[0]!;
  const fd = target.stdout.length > 0 ? 1 : 2;
  const argc = argcAssumable ? target.argv.length : -1;
  // 32-bit code: plans with a prelude and code after the trap too (Raiter's i386 loops)
  const parts = mode === 32 ? { parts: true } : {};
  const out: LoopGoal[] = [{ abi, fd, length: stream.length, exitCode: target.exitCode, pieces: 0, argc, mode, ...parts }];
  const pieces = Math.ceil(stream.length / 8);
  if (pieces <= 3 && mode === 64) out.push({ abi, fd, length: stream.length, exitCode: target.exitCode, pieces, argc, mode });
  return out;
}

/** Computes the loop plans of a target (deterministic: the same target and options give the same plans). */
export function computeLoopPlans(target: Target, abi: SyscallAbi, argcAssumable: boolean, maxCost: number, limit: number, stopped: () => boolean = () => false, mode: CodeMode = 64): LoopPlans | null {
  const goals = loopGoalsFor(target, abi, argcAssumable, mode);
  if (!goals) return null;
  const byPieces: Record<number, LoopPlan[]> = {};
  let exhausted = true;
  for (const g of goals) {
    const r = loopPlans(g, maxCost, limit, undefined, stopped);
    byPieces[g.pieces] = r.plans;
    exhausted &&= r.exhausted;
  }
  const key = `${mode}/${abi.name}/${goals[0]!.fd}/${goals[0]!.length}/${target.exitCode}/${goals[0]!.argc}/${maxCost}`;
  return { key, maxCost, exhausted, byPieces, bufferReg: abi.args[1]!, lengthReg: abi.args[2]! };
}

const cache = new Map<string, { trieFor: (pieces: number) => PlanTrie | null; freeRegs: (pieces: number) => readonly number[] }>();

/** The walk's plan option for a plan set: a trie per piece count; the length register (and the buffer's for a file buffer) left free. */
export function loopTries(plans: LoopPlans): { trieFor: (pieces: number) => PlanTrie | null; freeRegs: (pieces: number) => readonly number[] } {
  const hit = cache.get(plans.key);
  if (hit) return hit;
  const tries = new Map<number, PlanTrie>();
  for (const [k, list] of Object.entries(plans.byPieces)) {
    const pieces = Number(k);
    if (list.length > 0) tries.set(pieces, PlanTrie.of(list.flatMap((p) => planSequences(p, pieces))));
  }
  const made = {
    trieFor: (pieces: number) => tries.get(pieces) ?? null,
    freeRegs: (pieces: number) => (pieces === 0 ? [plans.lengthReg, plans.bufferReg] : [plans.lengthReg]),
  };
  if (cache.size > 8) cache.clear();
  cache.set(plans.key, made);
  return made;
}
