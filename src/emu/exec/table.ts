/**
 * Every semantics id's Exec, combined from the family modules. The record's type is
 * `Record<Sem, Exec>`, so a Sem that no family defines is a compile error here (not a run-time
 * "no semantics" stop); test/emu/exec-table.test.ts checks that no Sem is in two families.
 */
import { SEM_COUNT } from '../../x86/sem.js';
import type { Sem } from '../../x86/sem.js';
import { ARITH } from './arith.js';
import { BITS } from './bits.js';
import { BRANCHES } from './branches.js';
import { DECIMAL } from './decimal.js';
import type { Exec, ExecFamily } from './exec.js';
import { FLAG_OPS } from './flag-ops.js';
import { MOVES } from './moves.js';
import { MULDIV } from './muldiv.js';
import { SHIFTS } from './shifts.js';
import { STACK } from './stack.js';
import { STRINGS } from './strings.js';
import { SYSTEM } from './system.js';

export const EXEC_FAMILIES: Readonly<Record<string, ExecFamily>> = {
  moves: MOVES, stack: STACK, arith: ARITH, muldiv: MULDIV, shifts: SHIFTS, bits: BITS,
  branches: BRANCHES, flagOps: FLAG_OPS, strings: STRINGS, decimal: DECIMAL, system: SYSTEM,
};

export const EXEC: Readonly<Record<Sem, Exec>> = Object.freeze({
  ...MOVES, ...STACK, ...ARITH, ...MULDIV, ...SHIFTS, ...BITS,
  ...BRANCHES, ...FLAG_OPS, ...STRINGS, ...DECIMAL, ...SYSTEM,
});

/** The same as a dense array indexed by Sem id: what the run loop dispatches through. */
export const EXEC_BY_SEM: readonly Exec[] = Array.from({ length: SEM_COUNT }, (_, sem) => EXEC[sem as Sem]);
