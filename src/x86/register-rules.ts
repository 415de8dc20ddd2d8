/**
 * Register-difference rules: encodings that are #UD only because two of their register operands
 * name the same register. Which opcode slots carry which rule is measured by scripts/gen-opcode-space.ts
 * (a hex rule mask at the end of the slot's descriptor); the rules themselves, and how the registers
 * are numbered for the comparison, are written here once for the decoder and the generator.
 *
 * The instruction families (Intel SDM, and iced-x86 1.21 agrees):
 * - VEX gathers (VPGATHERDD/DQ/QD/QQ, VGATHERDPS/DPD/QPS/QPD): #UD if any two of the destination,
 *   the VSIB index and the mask (vvvv) register are the same.
 * - EVEX gathers: #UD if the destination and the VSIB index register are the same (the mask is an opmask).
 * - AVX512-FP16 complex multiplies (VFMULCPH, VFCMULCPH, VFMADDCPH, VFCMADDCPH and the SH forms):
 *   #UD if the destination is the same as either source (vvvv, or ModRM.rm in the register form).
 * - AMX tile dot products (TDPBSSD and relatives, TDPBF16PS, TDPFP16PS, TCMMIMFP16PS, ...): #UD if the
 *   destination and the two source tiles are not all different.
 */

/** ModRM.reg (the destination) and vvvv must differ. */
export const RULE_DEST_VVVV = 1;
/** Register form only: ModRM.reg and ModRM.rm must differ. */
export const RULE_DEST_RM = 2;
/** Register form only: vvvv and ModRM.rm must differ. */
export const RULE_VVVV_RM = 4;
/** VSIB memory form only: ModRM.reg and the SIB index vector register must differ. */
export const RULE_DEST_INDEX = 8;
/** VSIB memory form only: vvvv and the SIB index vector register must differ. */
export const RULE_VVVV_INDEX = 16;

/**
 * A register's number as the rules compare it, from its three low bits (ModRM.reg/rm, SIB.index, or
 * the low bits of vvvv) and the extension bits that select registers 8-15 (`plus8`: VEX/EVEX R, X, B
 * or vvvv bit 3) and 16-31 (`plus16`: EVEX R', V', or X for a register rm). In 32-bit mode only the
 * low three bits name the register: R and X are fixed there (else C4/62 are LES/BOUND), B and EVEX R'
 * are ignored, and V' or vvvv bit 3 make these instructions #UD anyway.
 */
export function ruleRegister(low: number, plus8: number, plus16: number, mode64: boolean): number {
  return mode64 ? (low & 7) | (plus8 << 3) | (plus16 << 4) : low & 7;
}

/**
 * Whether an encoding breaks its slot's rule. `dest`, `vvvv`, `rm` and `index` are ruleRegister
 * numbers; `rm` counts only for a register form (mod = 3), `index` only for a memory form with a SIB
 * byte (the VSIB forms; without SIB they are invalid anyway).
 */
export function breaksRegisterRule(rule: number, mod3: boolean, hasSib: boolean, dest: number, vvvv: number, rm: number, index: number): boolean {
  if ((rule & RULE_DEST_VVVV) !== 0 && dest === vvvv) return true;
  if (mod3) {
    if ((rule & RULE_DEST_RM) !== 0 && dest === rm) return true;
    if ((rule & RULE_VVVV_RM) !== 0 && vvvv === rm) return true;
  } else if (hasSib) {
    if ((rule & RULE_DEST_INDEX) !== 0 && dest === index) return true;
    if ((rule & RULE_VVVV_INDEX) !== 0 && vvvv === index) return true;
  }
  return false;
}
