// Exact 64/128-bit arithmetic on 32-bit halves, checked against BigInt references.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divS128, divU128, mulS64, mulU32, mulU64, wide } from '../../src/emu/arith64.js';

const M64 = (1n << 64n) - 1n;
const M128 = (1n << 128n) - 1n;
const lo = (x: bigint): number => Number(x & 0xffffffffn);
const hi = (x: bigint): number => Number((x >> 32n) & 0xffffffffn);
const wide128 = (): bigint => BigInt(wide[0]!) | (BigInt(wide[1]!) << 32n) | (BigInt(wide[2]!) << 64n) | (BigInt(wide[3]!) << 96n);
const signed64 = (x: bigint): bigint => BigInt.asIntN(64, x);

// Edge-heavy 64-bit values: extremes, powers of two and their neighbours, plus random ones.
const edge64 = fc.oneof(
  fc.bigInt({ min: 0n, max: M64 }),
  fc.constantFrom(0n, 1n, 2n, 0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, M64, M64 - 1n),
  fc.integer({ min: 0, max: 63 }).chain((k) => fc.constantFrom(1n << BigInt(k), (1n << BigInt(k)) - 1n, (1n << BigInt(k)) + 1n)).map((x) => x & M64),
);
const u32 = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000));

describe('mulU32', () => {
  it('equals the BigInt product', () => {
    fc.assert(fc.property(u32, u32, (a, b) => {
      const l = mulU32(a, b);
      const p = BigInt(a) * BigInt(b);
      expect([l, wide[1]]).toEqual([lo(p), hi(p)]);
    }), { numRuns: 2000 });
  });
});

describe('mulU64 / mulS64', () => {
  it('unsigned 128-bit product is exact', () => {
    fc.assert(fc.property(edge64, edge64, (a, b) => {
      mulU64(lo(a), hi(a), lo(b), hi(b));
      expect(wide128()).toBe(a * b);
    }), { numRuns: 3000 });
  });
  it('signed 128-bit product is exact (two\'s complement)', () => {
    fc.assert(fc.property(edge64, edge64, (a, b) => {
      mulS64(lo(a), hi(a), lo(b), hi(b));
      expect(wide128()).toBe((signed64(a) * signed64(b)) & M128);
    }), { numRuns: 3000 });
  });
});

describe('divU128 / divS128', () => {
  it('unsigned: quotient and remainder exact, #DE exactly when the quotient exceeds 64 bits', () => {
    fc.assert(fc.property(edge64, edge64, edge64.filter((d) => d !== 0n), (nLo, nHi, d) => {
      const n = (nHi << 64n) | nLo;
      const ok = divU128(lo(nLo), hi(nLo), lo(nHi), hi(nHi), lo(d), hi(d));
      const q = n / d;
      expect(ok).toBe(q <= M64);
      if (ok) {
        expect(BigInt(wide[0]!) | (BigInt(wide[1]!) << 32n)).toBe(q);
        expect(BigInt(wide[2]!) | (BigInt(wide[3]!) << 32n)).toBe(n % d);
      }
    }), { numRuns: 3000 });
  });
  it('unsigned: dividends with a small high half (quotient fits) are exact', () => {
    fc.assert(fc.property(edge64, edge64.filter((d) => d > 1n), (nLo, d) => {
      const nHi = (nLo * 7n) % d; // below the divisor, so the quotient fits
      const n = (nHi << 64n) | nLo;
      expect(divU128(lo(nLo), hi(nLo), lo(nHi), hi(nHi), lo(d), hi(d))).toBe(true);
      expect(BigInt(wide[0]!) | (BigInt(wide[1]!) << 32n)).toBe(n / d);
      expect(BigInt(wide[2]!) | (BigInt(wide[3]!) << 32n)).toBe(n % d);
    }), { numRuns: 3000 });
  });
  it('signed: truncates toward zero, remainder has the dividend\'s sign, #DE outside int64', () => {
    const small = fc.bigInt({ min: -(1n << 70n), max: 1n << 70n });
    const n128 = fc.oneof(small, fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n }), fc.constantFrom(-(1n << 63n), (1n << 63n) - 1n, -1n, 0n));
    fc.assert(fc.property(n128, edge64.filter((d) => d !== 0n), (n, dU) => {
      const d = signed64(dU);
      const nU = n & M128;
      const ok = divS128(lo(nU), hi(nU), lo(nU >> 64n), hi(nU >> 64n), lo(dU), hi(dU));
      const q = n / d; // BigInt division truncates toward zero
      const fits = q >= -(1n << 63n) && q < (1n << 63n);
      expect(ok).toBe(fits);
      if (ok) {
        expect(signed64(BigInt(wide[0]!) | (BigInt(wide[1]!) << 32n))).toBe(q);
        expect(signed64(BigInt(wide[2]!) | (BigInt(wide[3]!) << 32n))).toBe(n % d);
      }
    }), { numRuns: 3000 });
  });
});
