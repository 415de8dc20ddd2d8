/**
 * NASM's choice among the encodings of one instruction (nasm 2.16, default -Ox optimisation).
 * These are facts about nasm, observed by assembling with it (scripts/nasm-expected.sh):
 * - the shortest encoding wins; nasm never emits redundant prefixes or the table's alias forms;
 * - on equal length the sign-extended imm8 form beats the accumulator form (`add ax, 1` = 66 83 c0 01),
 *   and the form whose ModRM r/m holds the first operand beats the reverse one (`mov eax, ebx` = 89 d8);
 * - xchg's operands are tried swapped first (`xchg ebx, ecx` = 87 d9), test's as written (85 cb);
 * - an immediate or displacement whose value is an address (relocatable) is never shrunk: no imm8
 *   forms, a full-size immediate where one exists (`mov rax, label` = 48 b8 imm64), disp32;
 * - `short`/`near` and `strict` restrict the choice; `byte` on an immediate asks for the imm8 form;
 *   `strict qword` takes an 8-byte immediate where a form has one (`mov rax, strict qword 5` = 48 b8).
 */
import { Sem } from '../x86/sem.js';
import type { Encoding } from '../x86/encoder.js';

/** Operand orders nasm tries for the commutative two-operand instructions. */
export const OPERAND_ORDER: ReadonlyMap<number, 'swapped-first' | 'as-written-first'> = new Map([
  [Sem.xchg, 'swapped-first'],
  [Sem.test, 'as-written-first'],
]);

export interface Constraints {
  /** The immediate is an address (relocatable). */
  relocImm: boolean;
  /** The memory displacement is an address (relocatable). */
  relocDisp: boolean;
  /** `short` or `near` on a branch target. */
  jump: 'short' | 'near' | undefined;
  /** Immediate size keyword in bytes (0 if none) and whether it was `strict`. */
  immSize: number;
  immStrict: boolean;
}

const isImmSpec = (s: string): boolean => s === 'imm' || s === 'imm8s' || s === 'imm8' || s === 'imm16' || s === 'imm64';

/** The immediate spec of an encoding's form, or undefined. */
function immSpec(e: Encoding): string | undefined {
  return e.form.operands.find(isImmSpec);
}

/** Bytes the encoding's immediate occupies, from its code (0 without one). */
function immBytes(e: Encoding): number {
  const i = e.form.operands.findIndex(isImmSpec);
  return i < 0 ? 0 : e.code.widths[i]!;
}

function allowed(e: Encoding, c: Constraints): boolean {
  if (e.redundant !== 0 || e.form.alias) return false;
  const spec = immSpec(e);
  if (c.relocImm && spec === 'imm8s') return false;
  if (c.relocDisp && e.dispBytes !== 0 && e.dispBytes < 4) return false;
  if (c.relocDisp && e.dispBytes === 0 && e.form.operands.some((s) => s === 'rm' || s === 'rm8' || s === 'rm16' || s === 'rm32' || s === 'mem')) {
    // A relocatable displacement of 0 still needs its 4 bytes (register-only r/m has no displacement at all).
    return false;
  }
  if (c.jump === 'short' && !e.form.operands.includes('rel8')) return false;
  if (c.jump === 'near' && !e.form.operands.includes('rel')) return false;
  if (spec !== undefined && c.immSize !== 0) {
    const width = immBytes(e);
    if (c.immSize === 1 && width !== 1) return false;
    if (c.immStrict && width !== c.immSize && !(c.immSize === 8 && width === 4 && spec === 'imm')) return false;
  }
  return true;
}

/** Tie-break rank among equal-length encodings (lower is preferred). */
function rank(e: Encoding): number {
  const imm8sFirst = immSpec(e) === 'imm8s' ? 0 : 1;
  const rmFirst = e.form.operands[0] === 'rm' ? 0 : 1;
  return imm8sFirst * 4 + rmFirst * 2 + (e.sib ? 1 : 0);
}

/**
 * Picks nasm's encoding from candidate lists given in the order nasm tries operand orders
 * (each list as encodeAll returns it). Returns undefined if nothing is allowed.
 */
export function selectEncoding(candidateLists: Encoding[][], c: Constraints): Encoding | undefined {
  let best: { e: Encoding; order: number } | undefined;
  candidateLists.forEach((list, order) => {
    for (const e of list) {
      if (!allowed(e, c)) continue;
      if (best === undefined) {
        best = { e, order };
        continue;
      }
      const dl = e.bytes.length - best.e.bytes.length;
      const better = dl < 0 || (dl === 0 && (order < best.order || (order === best.order && rank(e) < rank(best.e))));
      if (better) best = { e, order };
    }
  });
  if (best && c.immStrict && c.immSize === 8 && immBytes(best.e) !== 8) {
    // `strict qword`: the 8-byte immediate where a form has one (mov r64 = 48 b8 imm64); the
    // sign-extended imm32 only where none does (push strict qword 5 = 68 imm32).
    const full = candidateLists.flat().filter((e) => allowed(e, c) && immBytes(e) === 8);
    if (full.length > 0) best = { e: full.sort((a, b) => a.bytes.length - b.bytes.length)[0]!, order: 0 };
  }
  if (best && c.relocImm) {
    // A full-size immediate (imm64 spec) exists for this size: nasm takes it for an address.
    const full = candidateLists.flat().filter((e) => allowed(e, c) && immSpec(e) === 'imm64' && immBytes(e) === e.opsize);
    if (full.length > 0 && immSpec(best.e) !== 'imm64') best = { e: full.sort((a, b) => a.bytes.length - b.bytes.length)[0]!, order: 0 };
  }
  return best?.e;
}
