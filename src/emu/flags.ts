/**
 * The interpreter's RFLAGS facts: the bits (defined in x86/rflags.ts), the entry value, what
 * popf/pushf may change, the parity table and condition-code evaluation.
 */

import { AC, CF, DF, ID, IF, NT, OF, PF, RF, SF, STATUS, TF, ZF } from '../x86/rflags.js';

// The bits are the table's (x86/rflags.ts); re-exported so the interpreter has one flags module.
export { AC, AF, CF, DF, ID, IF, NT, OF, PF, RF, SF, STATUS, TF, ZF } from '../x86/rflags.js';

/** Bit 1 of RFLAGS reads as 1 always. */
export const FIXED_ONE = 0x2;

/** RFLAGS at process entry: IF set plus the fixed bit (kernel-facts section 4). */
export const INITIAL_RFLAGS = FIXED_ONE | IF;

/**
 * Bits a user-mode POPF (CPL 3, IOPL 0) may change. IF and IOPL silently keep their values, VM/VIF/
 * VIP keep theirs, RF is cleared: only these are taken from the popped value.
 */
export const POPF_WRITABLE = STATUS | TF | DF | NT | AC | ID;

/** Bits PUSHF stores: everything except RF and VM, which read as 0 in the pushed image. */
export const PUSHF_MASK = ~(RF | 0x20000) >>> 0;

/** PF for each low result byte: PF is set when the byte has an even number of 1 bits. */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let bits = 0;
  for (let b = i; b !== 0; b >>= 1) bits += b & 1;
  PARITY[i] = (bits & 1) === 0 ? PF : 0;
}

/**
 * Condition code 0-15 (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g) against a flags
 * value. Odd codes are the negation of the even code below them.
 */
export function conditionHolds(cc: number, flags: number): boolean {
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = (flags & OF) !== 0; break;
    case 1: r = (flags & CF) !== 0; break;
    case 2: r = (flags & ZF) !== 0; break;
    case 3: r = (flags & (CF | ZF)) !== 0; break;
    case 4: r = (flags & SF) !== 0; break;
    case 5: r = (flags & PF) !== 0; break;
    case 6: r = ((flags & SF) !== 0) !== ((flags & OF) !== 0); break;
    default: r = (flags & ZF) !== 0 || ((flags & SF) !== 0) !== ((flags & OF) !== 0); break;
  }
  return (cc & 1) === 0 ? r : !r;
}
