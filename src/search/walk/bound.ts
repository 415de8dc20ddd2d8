/**
 * The walk's cost bound: a lower estimate of the open bytes a state still needs before its goal
 * can be met, compared with the open bytes left. Three parts:
 *
 * - data: every byte still to be written needs a byte of the file (or of an immediate) with its
 *   value, unless that value already stands somewhere in the file or on the stack;
 * - trap: with effects still to come and no trap instruction in the file, a new one needs two
 *   bytes (one when a 0f or 05 of the layout could be its first or second byte);
 * - registers: the unmet register needs of the next call, at most two per byte (xchg eax, r and
 *   pop r change two registers in one byte).
 *
 * Whether this is a true lower bound for every program of the walk's space is what the property
 * test (test/search/bound.test.ts) checks on small goals by brute force; the search reports it as
 * a heuristic.
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
}

export function lowerBound(w: BoundView): number {
  let data = 0;
  for (const s of w.pending()) for (let i = 0; i < s.length; i++) if (!w.present(s[i]!)) data++;
  const needs = w.needs();
  if (needs.length === 0) return data;
  let regs = Infinity;
  for (const call of needs) {
    let unmet = 0;
    for (const n of call.regs) if (!meets(n, w.regLo[n.reg]!, w.regHi[n.reg]!)) unmet++;
    regs = Math.min(regs, unmet);
  }
  return data + w.trapCost() + Math.ceil(regs / 2);
}
