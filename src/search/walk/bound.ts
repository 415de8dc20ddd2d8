/**
 * The walk's cost bound: a lower estimate of the open bytes a state still needs before its goal
 * can be met, compared with the open bytes left. Three parts:
 *
 * - data: every byte still to be written needs a byte of the file (or of an immediate) with its
 *   value, unless that value already stands somewhere in the file or on the stack;
 * - trap: with effects still to come and no trap instruction in the file, a new one needs two
 *   bytes (one when a 0f or 05 of the layout could be its first or second byte);
 * - registers: the unmet register needs of the next call, at most two per byte (xchg eax, r and
 *   pop r change two registers in one byte), except a write's buffer address, which costs what
 *   the cheapest move that makes it costs (a copy from a register or the stack top that holds it,
 *   a lea from a register near it, a mov of an imm32, a rip-relative lea);
 * - later calls (where code runs once per call): each needs a trap of its own and the registers
 *   that must change from what the call before it leaves (a write leaves its length in rax and its
 *   fd, buffer and length in their registers).
 *
 * It is not a true lower bound for every program of the walk's space: fixed bytes that run later
 * (header bytes as code) or that a move overlaps can pay for registers, traps and pointers, which
 * the parts above charge to open bytes. test/search/bound.test.ts shows such layouts by brute
 * force, and that on the search's own layouts of small goals the bound removed no file. The search
 * reports it as a heuristic; `--exact` (useBound false) walks without it.
 */
import type { CallNeeds } from './needs.js';
import { meets } from './needs.js';

export interface BoundView {
  readonly size: number;
  readonly regLo: Uint32Array;
  readonly regHi: Uint32Array;
  needs(): readonly CallNeeds[];
  /** The bytes still to be written, per stream. */
  pending(): readonly Uint8Array[];
  /** Whether some byte value is already present: assigned in the file, or a plain byte on the stack. */
  present(v: number): boolean;
  /** Whether a trap (0f 05, cd 80) is assigned somewhere, or how many bytes a new one needs at least. */
  trapCost(): number;
  /** What the calls after the next one cost at least (0 where a loop may run old code for them). */
  laterCost(): number;
  /** Bytes the plan's instructions still to be placed cost at least (0 without a plan). */
  planCost(): number;
  /** Bytes the cheapest move of the alphabet needs to give register `reg` one of `values` (0 if it has one). */
  pointerCost(reg: number, values: readonly number[]): number;
}

export function lowerBound(w: BoundView): number {
  let data = 0;
  for (const s of w.pending()) for (let i = 0; i < s.length; i++) if (!w.present(s[i]!)) data++;
  const needs = w.needs();
  if (needs.length === 0) return data + w.planCost();
  let regs = Infinity;
  for (const call of needs) {
    let unmet = 0;
    let pointer = 0;
    for (const n of call.regs) {
      if (meets(n, w.regLo[n.reg]!, w.regHi[n.reg]!)) continue;
      // a buffer address is no small number: it takes a lea, a mov imm32 or a copy of a register
      if (call.kind === 'write' && n === call.regs[2]) pointer = w.pointerCost(n.reg, n.values);
      else unmet++;
    }
    regs = Math.min(regs, Math.ceil(unmet / 2) * 2 + pointer * 2);
  }
  // a plan's remaining instructions are what sets the registers it controls: count the larger
  return data + w.trapCost() + Math.max(Math.ceil(regs / 2), w.planCost()) + w.laterCost();
  // (regs is kept doubled above so that half-byte register costs and whole-byte pointer costs add up)
}
