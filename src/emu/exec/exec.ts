/**
 * The shape of an instruction's semantics. The run loop has computed the memory operand's address
 * (when there is one) before calling it. It returns GO with rip set to where execution goes on
 * (insn.next, a branch target, or the same instruction for a rep string step that continues), or
 * the Stop that ends the run, with rip as that stop requires (unchanged for a fault, past the
 * instruction for a trap or system call). Memory faults are thrown by the accesses (Fault).
 */
import type { Sem } from '../../x86/sem.js';
import type { CpuState } from '../cpu-state.js';
import type { CachedInstruction } from '../decode-cache.js';

export type Exec = (cpu: CpuState, insn: CachedInstruction) => number;

/** A family module's share of the semantics (checked with `satisfies`, so its keys stay literal). */
export type ExecFamily = Partial<Record<Sem, Exec>>;
