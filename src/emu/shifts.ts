/**
 * Shifts and rotates (rol ror rcl rcr shl shr sar, shld shrd) with exact x86 results and flags for
 * 8/16/32/64-bit operands. Operands are (lo, hi) pairs of unsigned 32-bit numbers (hi = 0 below
 * size 8); results go to `out` from alu.ts (out.lo, out.hi, out.flags).
 *
 * The count is masked to 5 bits (6 for 64-bit operands) as the CPU does. A masked count of 0 leaves
 * the value and every flag unchanged (the destination is still written back by the caller, as the
 * CPU does: a 32-bit register destination gets its upper half cleared).
 *
 * Undefined by the manual, chosen here (deterministic):
 * - OF when the count is not 1: computed with the count-1 formula (shl/rcl/rol: MSB(result) xor
 *   CF; shr: MSB(original); sar: 0; ror/rcr: the two top result bits xor-ed; shld/shrd: sign change).
 * - AF: cleared by shl/shr/sar/shld/shrd when the count is non-zero (rotates do not touch AF,
 *   which STATUS clearing below implements).
 * - CF of shl/shr when the count exceeds the operand size (8/16-bit): the bit that an infinitely
 *   wide shift would move into CF (so 0).
 * - shld/shrd of 16-bit operands with a count above 16: the bits continue from the source into the
 *   original destination (the 48-bit dst:src:dst pattern that Intel CPUs produce).
 */
import { out, SIGN_BIT, SIZE_MASK, szp } from './alu.js';
import { CF, OF, STATUS } from './flags.js';

/** Bit k (0-63) of a 64-bit (lo, hi) value. */
function bit64(lo: number, hi: number, k: number): number {
  if (k >= 64 || k < 0) return 0;
  return k < 32 ? (lo >>> k) & 1 : (hi >>> (k - 32)) & 1;
}

function topBit(lo: number, hi: number, size: number): number {
  return size === 8 ? hi >>> 31 : (lo & SIGN_BIT[size]!) !== 0 ? 1 : 0;
}

/** (lo, hi) << n for n in 0..64, into out.lo/out.hi. */
function shl64(lo: number, hi: number, n: number): void {
  if (n === 0) { out.lo = lo; out.hi = hi; }
  else if (n < 32) { out.hi = ((hi << n) | (lo >>> (32 - n))) >>> 0; out.lo = (lo << n) >>> 0; }
  else if (n < 64) { out.hi = (lo << (n - 32)) >>> 0; out.lo = 0; }
  else { out.hi = 0; out.lo = 0; }
}

/** Logical (lo, hi) >>> n for n in 0..64, into out.lo/out.hi. */
function shr64(lo: number, hi: number, n: number): void {
  if (n === 0) { out.lo = lo; out.hi = hi; }
  else if (n < 32) { out.lo = ((lo >>> n) | (hi << (32 - n))) >>> 0; out.hi = hi >>> n; }
  else if (n < 64) { out.lo = hi >>> (n - 32); out.hi = 0; }
  else { out.lo = 0; out.hi = 0; }
}

/** Arithmetic (lo, hi) >> n for n in 0..63, into out.lo/out.hi. */
function sar64(lo: number, hi: number, n: number): void {
  if (n === 0) { out.lo = lo; out.hi = hi; }
  else if (n < 32) { out.lo = ((lo >>> n) | (hi << (32 - n))) >>> 0; out.hi = (hi >> n) >>> 0; }
  else { out.lo = (hi >> (n - 32)) >>> 0; out.hi = (hi >> 31) >>> 0; }
}

/** Sign-extends a value of `size` (< 8) bytes to a signed 32-bit number. */
function signed(lo: number, size: number): number {
  return size === 1 ? (lo << 24) >> 24 : size === 2 ? (lo << 16) >> 16 : lo | 0;
}

/**
 * Shift-group operation by /digit: 0 rol, 1 ror, 2 rcl, 3 rcr, 4 shl, 5 shr, 6 shl (alias), 7 sar.
 */
export function shift(digit: number, size: number, lo: number, hi: number, count: number, flags: number): void {
  const bits = size * 8;
  const n = count & (size === 8 ? 0x3f : 0x1f);
  if (n === 0) { out.lo = lo; out.hi = hi; out.flags = flags; return; }
  const mask = SIZE_MASK[size]!;
  let cf = 0;
  let of = 0;
  switch (digit) {
    case 4: case 6: { // shl
      if (size === 8) { cf = bit64(lo, hi, 64 - n); shl64(lo, hi, n); }
      else { cf = n <= bits ? (lo >>> (bits - n)) & 1 : 0; out.lo = n >= 32 ? 0 : ((lo << n) & mask) >>> 0; out.hi = 0; }
      of = topBit(out.lo, out.hi, size) ^ cf;
      break;
    }
    case 5: { // shr
      cf = size === 8 ? bit64(lo, hi, n - 1) : n - 1 < bits ? (lo >>> (n - 1)) & 1 : 0;
      of = topBit(lo, hi, size);
      if (size === 8) shr64(lo, hi, n);
      else { out.lo = n >= 32 ? 0 : lo >>> n; out.hi = 0; }
      break;
    }
    case 7: { // sar
      if (size === 8) { cf = n - 1 < 64 ? bit64(lo, hi, n - 1) : hi >>> 31; sar64(lo, hi, n); }
      else {
        const s = signed(lo, size);
        cf = (s >> Math.min(n - 1, 31)) & 1;
        out.lo = ((s >> Math.min(n, 31)) & mask) >>> 0;
        out.hi = 0;
      }
      of = 0;
      break;
    }
    case 0: case 1: { // rol, ror: rotation by n mod size; flags still update when that is 0
      const r = n % bits;
      if (size === 8) {
        if (digit === 0) { shl64(lo, hi, r); const a = out.lo, b = out.hi; shr64(lo, hi, 64 - r); out.lo = (out.lo | a) >>> 0; out.hi = (out.hi | b) >>> 0; }
        else { shr64(lo, hi, r); const a = out.lo, b = out.hi; shl64(lo, hi, 64 - r); out.lo = (out.lo | a) >>> 0; out.hi = (out.hi | b) >>> 0; }
      } else {
        const v = digit === 0 ? (lo << r) | (lo >>> (bits - r)) : (lo >>> r) | (lo << (bits - r));
        out.lo = r === 0 ? lo : (v & mask) >>> 0;
        out.hi = 0;
      }
      const msb = topBit(out.lo, out.hi, size);
      if (digit === 0) { cf = out.lo & 1; of = msb ^ cf; }
      else { cf = msb; of = msb ^ (size === 8 ? (out.hi >>> 30) & 1 : (out.lo >>> (bits - 2)) & 1); }
      // Rotates leave SF ZF AF PF alone.
      out.flags = (flags & ~(CF | OF)) | cf | (of ? OF : 0);
      return;
    }
    default: { // 2 rcl, 3 rcr: rotate through CF one bit at a time (at most 63 steps, rare)
      const r = size < 4 ? n % (bits + 1) : n;
      let c = flags & CF;
      let l = lo, h = hi;
      for (let i = 0; i < r; i++) {
        if (digit === 2) {
          const outBit = topBit(l, h, size);
          if (size === 8) { h = ((h << 1) | (l >>> 31)) >>> 0; l = ((l << 1) | c) >>> 0; }
          else l = (((l << 1) | c) & mask) >>> 0;
          c = outBit;
        } else {
          const outBit = l & 1;
          if (size === 8) { l = ((l >>> 1) | (h << 31)) >>> 0; h = ((h >>> 1) | (c << 31)) >>> 0; }
          else l = ((l >>> 1) | (c << (bits - 1))) >>> 0;
          c = outBit;
        }
      }
      out.lo = l;
      out.hi = h;
      const msb = topBit(l, h, size);
      of = digit === 2 ? msb ^ c : msb ^ (size === 8 ? (h >>> 30) & 1 : (l >>> (bits - 2)) & 1);
      out.flags = (flags & ~(CF | OF)) | c | (of ? OF : 0);
      return;
    }
  }
  out.flags = (flags & ~STATUS) | cf | (of ? OF : 0) | szp(out.lo, out.hi, size);
}

/**
 * shld (left = true) / shrd: shift `dst` by `count`, filling from `src`. Results in `out`.
 */
export function shiftDouble(left: boolean, size: number, dLo: number, dHi: number, sLo: number, sHi: number, count: number, flags: number): void {
  const n = count & (size === 8 ? 0x3f : 0x1f);
  if (n === 0) { out.lo = dLo; out.hi = dHi; out.flags = flags; return; }
  let cf: number;
  let lo: number, hi = 0;
  if (size === 8) {
    if (left) {
      cf = bit64(dLo, dHi, 64 - n);
      shr64(sLo, sHi, 64 - n); const a = out.lo, b = out.hi;
      shl64(dLo, dHi, n); lo = (out.lo | a) >>> 0; hi = (out.hi | b) >>> 0;
    } else {
      cf = bit64(dLo, dHi, n - 1);
      shl64(sLo, sHi, 64 - n); const a = out.lo, b = out.hi;
      shr64(dLo, dHi, n); lo = (out.lo | a) >>> 0; hi = (out.hi | b) >>> 0;
    }
  } else if (size === 4) {
    if (left) { cf = (dLo >>> (32 - n)) & 1; lo = ((dLo << n) | (sLo >>> (32 - n))) >>> 0; }
    else { cf = (dLo >>> (n - 1)) & 1; lo = ((dLo >>> n) | (sLo << (32 - n))) >>> 0; }
  } else {
    // 16-bit: shift one bit at a time through the pattern dst:src:dst (defines counts above 16).
    let d = dLo;
    cf = 0;
    for (let i = 0; i < n; i++) {
      if (left) {
        const feed = i < 16 ? (sLo >>> (15 - i)) & 1 : (dLo >>> (31 - i)) & 1;
        cf = (d >>> 15) & 1;
        d = ((d << 1) | feed) & 0xffff;
      } else {
        const feed = i < 16 ? (sLo >>> i) & 1 : (dLo >>> (i - 16)) & 1;
        cf = d & 1;
        d = (d >>> 1) | (feed << 15);
      }
    }
    lo = d;
  }
  const of = topBit(lo, hi, size) ^ topBit(dLo, dHi, size);
  out.lo = lo;
  out.hi = hi;
  out.flags = (flags & ~STATUS) | cf | (of ? OF : 0) | szp(lo, hi, size);
}
