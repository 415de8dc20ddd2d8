/**
 * Integer ALU operations with exact x86 results and status flags for 8/16/32/64-bit operands.
 *
 * Operands are (lo, hi) pairs of unsigned 32-bit numbers; for sizes below 8 only `lo` is used and
 * must already be truncated to the operand size. Results go to the module-level `out` record (no
 * allocation): out.lo/out.hi is the result, out.flags the complete new RFLAGS value.
 *
 * Flags the manual leaves undefined, and the choice made here (deterministic):
 * - and/or/xor/test: AF is undefined; it is cleared.
 */
import { AF, CF, OF, PARITY, SF, STATUS, ZF } from './flags.js';

export const out = { lo: 0, hi: 0, flags: 0 };

/** All-ones mask of an operand size below 8 bytes (index by size). */
export const SIZE_MASK = [0, 0xff, 0xffff, 0, 0xffffffff, 0, 0, 0, 0xffffffff];
/** Sign bit of an operand size (for size 8, the sign bit of the high half). */
export const SIGN_BIT = [0, 0x80, 0x8000, 0, 0x80000000, 0, 0, 0, 0x80000000];

/** Sign-extends the low `size` bytes of lo (size 1, 2 or 4) to a signed 32-bit number. */
export function sext32(lo: number, size: number): number {
  return size === 1 ? (lo << 24) >> 24 : size === 2 ? (lo << 16) >> 16 : lo | 0;
}

/** ZF, SF and PF of a result. */
export function szp(lo: number, hi: number, size: number): number {
  if (size === 8) {
    return ((lo | hi) === 0 ? ZF : 0) | ((hi & 0x80000000) !== 0 ? SF : 0) | PARITY[lo & 0xff]!;
  }
  return (lo === 0 ? ZF : 0) | ((lo & SIGN_BIT[size]!) !== 0 ? SF : 0) | PARITY[lo & 0xff]!;
}

/** a + b + carryIn; `keepCf` (inc) leaves CF as it was in `flags`. */
export function add(size: number, aLo: number, aHi: number, bLo: number, bHi: number, carryIn: number, flags: number, keepCf: boolean): void {
  let lo: number, hi: number, cf: number, of: number;
  if (size === 8) {
    const l = aLo + bLo + carryIn;
    lo = l >>> 0;
    const h = aHi + bHi + (l > 0xffffffff ? 1 : 0);
    hi = h >>> 0;
    cf = h > 0xffffffff ? CF : 0;
    of = ((aHi ^ hi) & (bHi ^ hi) & 0x80000000) !== 0 ? OF : 0;
  } else {
    const mask = SIZE_MASK[size]!;
    const s = aLo + bLo + carryIn;
    lo = size === 4 ? s >>> 0 : s & mask;
    hi = 0;
    cf = s > mask ? CF : 0;
    of = ((aLo ^ lo) & (bLo ^ lo) & SIGN_BIT[size]!) !== 0 ? OF : 0;
  }
  if (keepCf) cf = flags & CF;
  out.lo = lo;
  out.hi = hi;
  out.flags = (flags & ~STATUS) | cf | of | ((aLo ^ bLo ^ lo) & AF) | szp(lo, hi, size);
}

/** a - b - borrowIn (sub, sbb, cmp, dec, neg); `keepCf` (dec) leaves CF as it was. */
export function sub(size: number, aLo: number, aHi: number, bLo: number, bHi: number, borrowIn: number, flags: number, keepCf: boolean): void {
  let lo: number, hi: number, cf: number, of: number;
  if (size === 8) {
    const l = aLo - bLo - borrowIn;
    lo = l >>> 0;
    const h = aHi - bHi - (l < 0 ? 1 : 0);
    hi = h >>> 0;
    cf = h < 0 ? CF : 0;
    of = ((aHi ^ bHi) & (aHi ^ hi) & 0x80000000) !== 0 ? OF : 0;
  } else {
    const s = aLo - bLo - borrowIn;
    lo = size === 4 ? s >>> 0 : s & SIZE_MASK[size]!;
    hi = 0;
    cf = s < 0 ? CF : 0;
    of = ((aLo ^ bLo) & (aLo ^ lo) & SIGN_BIT[size]!) !== 0 ? OF : 0;
  }
  if (keepCf) cf = flags & CF;
  out.lo = lo;
  out.hi = hi;
  out.flags = (flags & ~STATUS) | cf | of | ((aLo ^ bLo ^ lo) & AF) | szp(lo, hi, size);
}

/** Result of and/or/xor/test already computed: CF = OF = 0, AF cleared (undefined), SZP from it. */
export function logic(size: number, lo: number, hi: number, flags: number): void {
  out.lo = lo;
  out.hi = hi;
  out.flags = (flags & ~STATUS) | szp(lo, hi, size);
}

/** Binary operations of the 80/81/83 group, by /digit (add or adc sbb and sub xor cmp). */
export function binary(digit: number, size: number, aLo: number, aHi: number, bLo: number, bHi: number, flags: number): void {
  switch (digit) {
    case 0: add(size, aLo, aHi, bLo, bHi, 0, flags, false); return;
    case 1: logic(size, (aLo | bLo) >>> 0, (aHi | bHi) >>> 0, flags); return;
    case 2: add(size, aLo, aHi, bLo, bHi, flags & CF, flags, false); return;
    case 3: sub(size, aLo, aHi, bLo, bHi, flags & CF, flags, false); return;
    case 4: logic(size, (aLo & bLo) >>> 0, (aHi & bHi) >>> 0, flags); return;
    case 6: logic(size, (aLo ^ bLo) >>> 0, (aHi ^ bHi) >>> 0, flags); return;
    default: sub(size, aLo, aHi, bLo, bHi, 0, flags, false); return; // 5 sub, 7 cmp
  }
}
