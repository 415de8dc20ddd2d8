/**
 * Status-flag effects of every semantics id, written once (Intel SDM, each instruction's "Flags
 * Affected"): which flags an instruction reads, which it certainly defines and which it leaves
 * undefined. A `Record<Sem, ...>`, so a new Sem without its flag effects is a type error. The
 * instruction fuzzer reads it to keep undefined flags out of its comparisons; the search's
 * commutation and effect pruning can read the same facts.
 */
import type { Form } from './table.js';
import { AF, CF, OF, PF, SF, STATUS, ZF } from './rflags.js';
import { Sem } from './sem.js';

/** Flags each condition code reads (o no b ae e ne be a s ns p np l ge le g). */
export const CC_READS: readonly number[] = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, SF | ZF | OF, SF | ZF | OF];

export interface FlagEffect {
  /** Flags read as inputs to the result or to control flow. */
  reads: number;
  /** The flags read are those of the form's condition code (CC_READS), not `reads`. */
  readsCondition?: boolean;
  /** Flags certainly written with a defined value. */
  defines: number;
  /** Flags left undefined. */
  undefines: number;
  /**
   * Shifts and rotates by a count: nothing is written for a count of 0, so `defines` only holds when the
   * count is known non-zero (otherwise none); with a count of one, `undefinesIfOne` replaces `undefines`.
   */
  count?: { undefinesIfOne: number };
  /** With a rep prefix and rcx = 0 nothing is compared and the flags stay as they were (repe/repne scas, cmps). */
  repMayCompareNothing?: boolean;
}

const NONE: FlagEffect = { reads: 0, defines: 0, undefines: 0 };
const ARITH: FlagEffect = { reads: 0, defines: STATUS, undefines: 0 };
const LOGIC: FlagEffect = { reads: 0, defines: STATUS, undefines: AF };
const MUL: FlagEffect = { reads: 0, defines: CF | OF, undefines: SF | ZF | AF | PF };
const ROTATE: FlagEffect = { reads: 0, defines: 0, undefines: OF, count: { undefinesIfOne: 0 } };
const SHIFT: FlagEffect = { reads: 0, defines: SF | ZF | PF, undefines: OF | CF | AF, count: { undefinesIfOne: AF } };
const BIT_TEST: FlagEffect = { reads: 0, defines: CF, undefines: OF | SF | AF | PF | ZF };
const BIT_SCAN: FlagEffect = { reads: 0, defines: ZF, undefines: CF | OF | SF | AF | PF };
const CONDITION: FlagEffect = { reads: 0, readsCondition: true, defines: 0, undefines: 0 };
const COMPARE_STRING: FlagEffect = { reads: 0, defines: STATUS, undefines: 0, repMayCompareNothing: true };

export const FLAG_EFFECTS: Readonly<Record<Sem, FlagEffect>> = Object.freeze({
  [Sem.mov]: NONE, [Sem.movzx]: NONE, [Sem.movsx]: NONE, [Sem.movsxd]: NONE, [Sem.lea]: NONE, [Sem.xchg]: NONE,
  [Sem.push]: NONE, [Sem.pop]: NONE,
  [Sem.add]: ARITH, [Sem.or]: LOGIC, [Sem.adc]: { ...ARITH, reads: CF }, [Sem.sbb]: { ...ARITH, reads: CF },
  [Sem.and]: LOGIC, [Sem.sub]: ARITH, [Sem.xor]: LOGIC, [Sem.cmp]: ARITH,
  [Sem.test]: LOGIC, [Sem.inc]: { reads: 0, defines: STATUS & ~CF, undefines: 0 }, [Sem.dec]: { reads: 0, defines: STATUS & ~CF, undefines: 0 },
  [Sem.neg]: ARITH, [Sem.not]: NONE,
  [Sem.mul]: MUL, [Sem.imul1]: MUL, [Sem.imul2]: MUL, [Sem.imul3]: MUL,
  [Sem.div]: { reads: 0, defines: 0, undefines: STATUS }, [Sem.idiv]: { reads: 0, defines: 0, undefines: STATUS },
  [Sem.rol]: ROTATE, [Sem.ror]: ROTATE, [Sem.rcl]: { ...ROTATE, reads: CF }, [Sem.rcr]: { ...ROTATE, reads: CF },
  [Sem.shl]: SHIFT, [Sem.shr]: SHIFT, [Sem.sar]: SHIFT,
  [Sem.shld]: { reads: 0, defines: 0, undefines: OF | AF | CF }, [Sem.shrd]: { reads: 0, defines: 0, undefines: OF | AF | CF },
  [Sem.cbw]: NONE, [Sem.cwd]: NONE,
  [Sem.jmp]: NONE, [Sem.jcc]: CONDITION, [Sem.call]: NONE, [Sem.ret]: NONE,
  [Sem.loop]: NONE, [Sem.loope]: { reads: ZF, defines: 0, undefines: 0 }, [Sem.loopne]: { reads: ZF, defines: 0, undefines: 0 }, [Sem.jrcxz]: NONE,
  [Sem.setcc]: CONDITION, [Sem.cmovcc]: CONDITION,
  [Sem.bt]: BIT_TEST, [Sem.bts]: BIT_TEST, [Sem.btr]: BIT_TEST, [Sem.btc]: BIT_TEST,
  [Sem.bsf]: BIT_SCAN, [Sem.bsr]: BIT_SCAN, [Sem.bswap]: NONE,
  [Sem.xlat]: NONE, [Sem.lahf]: { reads: STATUS & ~OF, defines: 0, undefines: 0 }, [Sem.sahf]: { reads: 0, defines: STATUS & ~OF, undefines: 0 },
  [Sem.pushf]: { reads: STATUS, defines: 0, undefines: 0 }, [Sem.popf]: { reads: 0, defines: STATUS, undefines: 0 },
  [Sem.clc]: { reads: 0, defines: CF, undefines: 0 }, [Sem.stc]: { reads: 0, defines: CF, undefines: 0 },
  // cmc's CF is the old one inverted: defined only where the old one was.
  [Sem.cmc]: { reads: CF, defines: 0, undefines: 0 }, [Sem.cld]: NONE, [Sem.std]: NONE,
  [Sem.lods]: NONE, [Sem.stos]: NONE, [Sem.movs]: NONE, [Sem.scas]: COMPARE_STRING, [Sem.cmps]: COMPARE_STRING,
  [Sem.nop]: NONE, [Sem.pause]: NONE, [Sem.int3]: NONE, [Sem.int]: NONE, [Sem.ud2]: NONE, [Sem.hlt]: NONE,
  [Sem.syscall]: NONE, [Sem.cpuid]: NONE, [Sem.rdtsc]: NONE,
  // pusha stores no flags; counted as reading them all, as the fuzzer always has (conservative).
  [Sem.pusha]: { reads: STATUS, defines: 0, undefines: 0 }, [Sem.popa]: NONE,
  [Sem.daa]: { reads: CF | AF, defines: CF | AF | SF | ZF | PF, undefines: OF }, [Sem.das]: { reads: CF | AF, defines: CF | AF | SF | ZF | PF, undefines: OF },
  [Sem.aaa]: { reads: AF, defines: AF | CF, undefines: OF | SF | ZF | PF }, [Sem.aas]: { reads: AF, defines: AF | CF, undefines: OF | SF | ZF | PF },
  [Sem.aam]: { reads: 0, defines: SF | ZF | PF, undefines: OF | AF | CF }, [Sem.aad]: { reads: 0, defines: SF | ZF | PF, undefines: OF | AF | CF },
  [Sem.salc]: { reads: CF, defines: 0, undefines: 0 }, [Sem.into]: { reads: OF, defines: 0, undefines: 0 },
  [Sem.sysenter]: NONE,
});

/** Flags a form reads (as inputs to its result or control flow). repe/repne scas/cmps test the ZF they have just set. */
export function flagsReadBy(form: Form): number {
  const e = FLAG_EFFECTS[form.sem];
  return e.readsCondition ? CC_READS[form.cc]! : e.reads;
}

/** Flags a form certainly defines (clearing earlier undefinedness). */
export function flagsDefinedBy(form: Form, countKnownNonZero: boolean, rep: number): number {
  const e = FLAG_EFFECTS[form.sem];
  if (rep !== 0 && e.repMayCompareNothing) return 0;
  if (e.count !== undefined && !countKnownNonZero) return 0;
  return e.defines;
}

/** Flags a form leaves undefined (conservatively: for counts only known at run time, all candidates). */
export function flagsUndefinedBy(form: Form, countIsOne: boolean): number {
  const e = FLAG_EFFECTS[form.sem];
  return e.count !== undefined && countIsOne ? e.count.undefinesIfOne : e.undefines;
}
