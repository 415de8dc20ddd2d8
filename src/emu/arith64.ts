/**
 * Exact 64-bit and 128-bit integer arithmetic on 32-bit halves, for the interpreter's hot path
 * (no BigInt). Values are passed as (lo, hi) pairs of unsigned 32-bit numbers; results are left in
 * the module-level `wide` scratch array so nothing is allocated per call.
 *
 * Exactness argument: every intermediate is an integer below 2^53, so doubles hold it exactly.
 * Products are formed from 16-bit limbs (each partial product < 2^32, a column of at most four of
 * them plus a carry < 2^35).
 */

const TWO32 = 4294967296;

/**
 * Scratch results: wide[0..3] = 128-bit product (least significant word first), or quotient
 * lo/hi in wide[0..1] and remainder lo/hi in wide[2..3] after a division.
 */
export const wide = new Uint32Array(4);

/** Unsigned 32 x 32 -> 64 bit product; returns the low word, high word in wide[1] (wide[0] = low). */
export function mulU32(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL;
  const mid = aH * bL + aL * bH; // < 2^33
  const hh = aH * bH;
  // low = ll + (mid << 16) mod 2^32; high = hh + (mid >> 16) + carries
  const lowFull = ll + (mid % 65536) * 65536; // < 2^33
  const lo = lowFull >>> 0;
  const hi = hh + Math.floor(mid / 65536) + Math.floor(lowFull / TWO32);
  wide[0] = lo;
  wide[1] = hi >>> 0;
  return lo;
}

/** Unsigned 64 x 64 -> 128 bit product into wide[0..3]. */
export function mulU64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  const a0 = aLo & 0xffff, a1 = aLo >>> 16, a2 = aHi & 0xffff, a3 = aHi >>> 16;
  const b0 = bLo & 0xffff, b1 = bLo >>> 16, b2 = bHi & 0xffff, b3 = bHi >>> 16;
  // Columns of 16-bit digits; c carries into the next column.
  let c = a0 * b0;
  const d0 = c % 65536;
  c = Math.floor(c / 65536) + a0 * b1 + a1 * b0;
  const d1 = c % 65536;
  c = Math.floor(c / 65536) + a0 * b2 + a1 * b1 + a2 * b0;
  const d2 = c % 65536;
  c = Math.floor(c / 65536) + a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0;
  const d3 = c % 65536;
  c = Math.floor(c / 65536) + a1 * b3 + a2 * b2 + a3 * b1;
  const d4 = c % 65536;
  c = Math.floor(c / 65536) + a2 * b3 + a3 * b2;
  const d5 = c % 65536;
  c = Math.floor(c / 65536) + a3 * b3;
  const d6 = c % 65536;
  const d7 = Math.floor(c / 65536);
  wide[0] = d0 + d1 * 65536;
  wide[1] = d2 + d3 * 65536;
  wide[2] = d4 + d5 * 65536;
  wide[3] = d6 + d7 * 65536;
}

/** Signed 64 x 64 -> 128 bit product (two's complement) into wide[0..3]. */
export function mulS64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  mulU64(aLo, aHi, bLo, bHi);
  // Unsigned product minus 2^64 * (b if a < 0) minus 2^64 * (a if b < 0), modulo 2^128.
  let hLo = wide[2]!;
  let hHi = wide[3]!;
  if (aHi & 0x80000000) {
    const l = hLo - bLo;
    hHi = (hHi - bHi - (l < 0 ? 1 : 0)) >>> 0;
    hLo = l >>> 0;
  }
  if (bHi & 0x80000000) {
    const l = hLo - aLo;
    hHi = (hHi - aHi - (l < 0 ? 1 : 0)) >>> 0;
    hLo = l >>> 0;
  }
  wide[2] = hLo;
  wide[3] = hHi;
}

/**
 * Unsigned division of the 128-bit number (n3:n2:n1:n0) by the 64-bit divisor (dHi:dLo), which
 * must be non-zero. Returns false when the quotient does not fit in 64 bits (the CPU's #DE);
 * otherwise quotient in wide[0..1], remainder in wide[2..3].
 */
export function divU128(n0: number, n1: number, n2: number, n3: number, dLo: number, dHi: number): boolean {
  // Quotient fits in 64 bits exactly when the high half is below the divisor.
  if (n3 > dHi || (n3 === dHi && n2 >= dLo)) return false;
  if ((n3 | n2) === 0 && n1 < 0x200000 && dHi < 0x200000) {
    // Fast path: both operands below 2^53, so double division is exact after flooring.
    const n = n1 * TWO32 + n0;
    const d = dHi * TWO32 + dLo;
    let q = Math.floor(n / d);
    let r = n - q * d;
    // The rounded quotient is provably within one of the true one; correct it anyway.
    if (r < 0) { q -= 1; r += d; } else if (r >= d) { q += 1; r -= d; }
    wide[0] = q % TWO32;
    wide[1] = Math.floor(q / TWO32);
    wide[2] = r % TWO32;
    wide[3] = Math.floor(r / TWO32);
    return true;
  }
  // Binary long division: shift the dividend left through a 64-bit remainder (r1:r0), 64 steps
  // (the high half already lies below the divisor, so only the low 64 quotient bits exist).
  let r0 = n2, r1 = n3, q0 = n0, q1 = n1;
  for (let i = 0; i < 64; i++) {
    const top = r1 >>> 31; // bit shifted out of the 64-bit remainder: value is >= 2^64 > divisor
    r1 = ((r1 << 1) | (r0 >>> 31)) >>> 0;
    r0 = ((r0 << 1) | (q1 >>> 31)) >>> 0;
    q1 = ((q1 << 1) | (q0 >>> 31)) >>> 0;
    q0 = (q0 << 1) >>> 0;
    if (top !== 0 || r1 > dHi || (r1 === dHi && r0 >= dLo)) {
      const l = r0 - dLo;
      r1 = (r1 - dHi - (l < 0 ? 1 : 0)) >>> 0;
      r0 = l >>> 0;
      q0 = (q0 | 1) >>> 0;
    }
  }
  wide[0] = q0;
  wide[1] = q1;
  wide[2] = r0;
  wide[3] = r1;
  return true;
}

/** Two's-complement negation of a 128-bit number given as four words, into wide[0..3]. */
function neg128(n0: number, n1: number, n2: number, n3: number): void {
  const w0 = (~n0 >>> 0) + 1;
  const w1 = (~n1 >>> 0) + (w0 > 0xffffffff ? 1 : 0);
  const w2 = (~n2 >>> 0) + (w1 > 0xffffffff ? 1 : 0);
  const w3 = (~n3 >>> 0) + (w2 > 0xffffffff ? 1 : 0);
  wide[0] = w0 >>> 0;
  wide[1] = w1 >>> 0;
  wide[2] = w2 >>> 0;
  wide[3] = w3 >>> 0;
}

/**
 * Signed division of the 128-bit two's-complement number (n3:n2:n1:n0) by the signed 64-bit
 * divisor, truncating toward zero like IDIV. Returns false on #DE (quotient outside the signed
 * 64-bit range); otherwise quotient in wide[0..1], remainder (sign of the dividend) in wide[2..3].
 */
export function divS128(n0: number, n1: number, n2: number, n3: number, dLo: number, dHi: number): boolean {
  const negN = (n3 & 0x80000000) !== 0;
  const negD = (dHi & 0x80000000) !== 0;
  if (negN) {
    neg128(n0, n1, n2, n3);
    n0 = wide[0]!; n1 = wide[1]!; n2 = wide[2]!; n3 = wide[3]!;
  }
  if (negD) {
    const l = (~dLo >>> 0) + 1;
    dHi = ((~dHi >>> 0) + (l > 0xffffffff ? 1 : 0)) >>> 0;
    dLo = l >>> 0;
  }
  if (!divU128(n0, n1, n2, n3, dLo, dHi)) return false;
  let qLo = wide[0]!, qHi = wide[1]!, rLo = wide[2]!, rHi = wide[3]!;
  const negQ = negN !== negD;
  // |q| must be <= 2^63 - 1, or exactly 2^63 when the quotient is negative.
  if (qHi >= 0x80000000 && !(negQ && qHi === 0x80000000 && qLo === 0)) return false;
  if (negQ) {
    const l = (~qLo >>> 0) + 1;
    qHi = ((~qHi >>> 0) + (l > 0xffffffff ? 1 : 0)) >>> 0;
    qLo = l >>> 0;
  }
  if (negN) {
    const l = (~rLo >>> 0) + 1;
    rHi = ((~rHi >>> 0) + (l > 0xffffffff ? 1 : 0)) >>> 0;
    rLo = l >>> 0;
  }
  wide[0] = qLo;
  wide[1] = qHi;
  wide[2] = rLo;
  wide[3] = rHi;
  return true;
}
