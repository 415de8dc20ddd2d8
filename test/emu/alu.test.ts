// ALU and shift results and flags for every operand size, against BigInt models written from the
// manual's definitions (CF = unsigned overflow, OF = signed overflow, AF = carry out of bit 3, ...).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { add, binary, out, sub } from '../../src/emu/alu.js';
import { shift, shiftDouble } from '../../src/emu/shifts.js';
import { AF, CF, OF, PF, SF, ZF } from '../../src/emu/flags.js';

const SIZES = [1, 2, 4, 8] as const;
const maskOf = (size: number): bigint => (1n << BigInt(size * 8)) - 1n;
const toSigned = (x: bigint, size: number): bigint => BigInt.asIntN(size * 8, x);
const lo = (x: bigint): number => Number(x & 0xffffffffn);
const hi = (x: bigint, size: number): number => (size === 8 ? Number((x >> 32n) & 0xffffffffn) : 0);
const result = (): bigint => BigInt(out.lo) | (BigInt(out.hi) << 32n);

function szpOf(r: bigint, size: number): number {
  let bits = 0;
  for (let b = Number(r & 0xffn); b; b >>= 1) bits += b & 1;
  return (r === 0n ? ZF : 0) | ((r >> BigInt(size * 8 - 1)) & 1n ? SF : 0) | (bits % 2 === 0 ? PF : 0);
}

/** Value of the operand size with edge cases weighted in. */
const valueOf = (size: number): fc.Arbitrary<bigint> => {
  const m = maskOf(size);
  const sign = 1n << BigInt(size * 8 - 1);
  return fc.oneof(fc.bigInt({ min: 0n, max: m }), fc.constantFrom(0n, 1n, m, m - 1n, sign, sign - 1n, sign + 1n, 0xfn, 0x10n));
};
const sized = fc.constantFrom(...SIZES).chain((size) => fc.tuple(fc.constant(size), valueOf(size), valueOf(size), fc.boolean(), fc.integer({ min: 0, max: 0xfff })));

describe('add/adc/sub/sbb/cmp flags', () => {
  it('add with carry-in matches the definitions', () => {
    fc.assert(fc.property(sized, ([size, a, b, c, other]) => {
      const cin = c ? 1n : 0n;
      add(size, lo(a), hi(a, size), lo(b), hi(b, size), Number(cin), other, false);
      const full = a + b + cin;
      const r = full & maskOf(size);
      const sOver = toSigned(a, size) + toSigned(b, size) + cin !== toSigned(r, size);
      const expected = (other & ~(CF | PF | AF | ZF | SF | OF)) | (full > maskOf(size) ? CF : 0) | (sOver ? OF : 0)
        | (((a & 0xfn) + (b & 0xfn) + cin) > 0xfn ? AF : 0) | szpOf(r, size);
      expect(result()).toBe(r);
      expect(out.flags).toBe(expected);
    }), { numRuns: 4000 });
  });
  it('sub with borrow-in matches the definitions', () => {
    fc.assert(fc.property(sized, ([size, a, b, c, other]) => {
      const bin = c ? 1n : 0n;
      sub(size, lo(a), hi(a, size), lo(b), hi(b, size), Number(bin), other, false);
      const r = (a - b - bin) & maskOf(size);
      const sOver = toSigned(a, size) - toSigned(b, size) - bin !== toSigned(r, size);
      const expected = (other & ~(CF | PF | AF | ZF | SF | OF)) | (a < b + bin ? CF : 0) | (sOver ? OF : 0)
        | ((a & 0xfn) < (b & 0xfn) + bin ? AF : 0) | szpOf(r, size);
      expect(result()).toBe(r);
      expect(out.flags).toBe(expected);
    }), { numRuns: 4000 });
  });
  it('inc/dec keep CF', () => {
    fc.assert(fc.property(sized, ([size, a, , , other]) => {
      add(size, lo(a), hi(a, size), 1, 0, 0, other, true);
      expect(out.flags & CF).toBe(other & CF);
      expect(result()).toBe((a + 1n) & maskOf(size));
      sub(size, lo(a), hi(a, size), 1, 0, 0, other, true);
      expect(out.flags & CF).toBe(other & CF);
      expect(result()).toBe((a - 1n) & maskOf(size));
    }), { numRuns: 1000 });
  });
  it('the 80-group digits: or/and/xor clear CF and OF; cmp computes sub', () => {
    fc.assert(fc.property(sized, fc.integer({ min: 0, max: 7 }), ([size, a, b, c, other], digit) => {
      const flagsIn = (other & ~CF) | (c ? CF : 0);
      binary(digit, size, lo(a), hi(a, size), lo(b), hi(b, size), flagsIn);
      const cin = c ? 1n : 0n;
      const m = maskOf(size);
      const expectedValue = [a + b, a | b, a + b + cin, a - b - cin, a & b, a - b, a ^ b, a - b][digit]! & m;
      expect(result()).toBe(expectedValue);
      if (digit === 1 || digit === 4 || digit === 6) {
        expect(out.flags & (CF | OF)).toBe(0);
        expect(out.flags & (ZF | SF | PF)).toBe(szpOf(expectedValue, size));
      }
    }), { numRuns: 4000 });
  });
});

/** The manual's shift semantics, one bit at a time (defined flags only; undefined ones are masked). */
function referenceShift(digit: number, size: number, a: bigint, countIn: number, cfIn: number): { r: bigint; cf: number; of: number | null; szp: boolean } {
  const bits = size * 8;
  const m = maskOf(size);
  const count = countIn & (size === 8 ? 0x3f : 0x1f);
  let r = a;
  let cf = cfIn;
  const msb = (x: bigint): number => Number((x >> BigInt(bits - 1)) & 1n);
  const steps = digit === 2 || digit === 3 ? (size < 4 ? count % (bits + 1) : count) : digit <= 1 ? count % bits : count;
  for (let i = 0; i < steps; i++) {
    switch (digit) {
      case 0: cf = msb(r); r = ((r << 1n) | BigInt(cf)) & m; break;
      case 1: cf = Number(r & 1n); r = (r >> 1n) | (BigInt(cf) << BigInt(bits - 1)); break;
      case 2: { const o = msb(r); r = ((r << 1n) | BigInt(cf)) & m; cf = o; break; }
      case 3: { const o = Number(r & 1n); r = (r >> 1n) | (BigInt(cf) << BigInt(bits - 1)); cf = o; break; }
      case 4: case 6: cf = msb(r); r = (r << 1n) & m; break;
      case 5: cf = Number(r & 1n); r >>= 1n; break;
      default: cf = Number(r & 1n); r = (r >> 1n) | (BigInt(msb(r)) << BigInt(bits - 1)); break;
    }
  }
  if (digit <= 1 && count !== 0) cf = digit === 0 ? Number(r & 1n) : msb(r); // rol/ror set CF even when count % bits == 0
  let of: number | null = null;
  if (count === 1) {
    if (digit === 0 || digit === 2 || digit === 4 || digit === 6) of = msb(r) ^ cf;
    else if (digit === 1 || digit === 3) of = msb(r) ^ Number((r >> BigInt(bits - 2)) & 1n);
    else if (digit === 5) of = msb(a);
    else of = 0;
  }
  return { r, cf, of, szp: digit >= 4 && count !== 0 };
}

describe('shift group', () => {
  it('rol ror rcl rcr shl shr sar: value, CF, OF (count 1), SZP (shifts), count 0 changes nothing', () => {
    const arb = fc.constantFrom(...SIZES).chain((size) => fc.tuple(fc.constant(size), valueOf(size),
      fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 1, 2, size * 8 - 1, size * 8, size * 8 + 1, 32, 63, 64)),
      fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 0xfff })));
    fc.assert(fc.property(arb, ([size, a, count, digit, flagsIn]) => {
      shift(digit, size, lo(a), hi(a, size), count, flagsIn);
      const ref = referenceShift(digit, size, a, count, flagsIn & CF);
      expect(result()).toBe(ref.r);
      const masked = count & (size === 8 ? 0x3f : 0x1f);
      if (masked === 0) { expect(out.flags).toBe(flagsIn); return; }
      const shiftOutOfRange = (digit === 4 || digit === 5 || digit === 6) && size < 4 && masked > size * 8;
      if (!shiftOutOfRange) expect(out.flags & CF).toBe(ref.cf);
      if (ref.of !== null) expect((out.flags & OF) !== 0).toBe(ref.of === 1);
      if (ref.szp) expect(out.flags & (ZF | SF | PF)).toBe(szpOf(ref.r, size));
      else expect(out.flags & (ZF | SF | PF | AF)).toBe(flagsIn & (ZF | SF | PF | AF));
    }), { numRuns: 6000 });
  });
});

describe('shld / shrd', () => {
  it('value, CF and SZP match the definition for counts up to the operand size', () => {
    const arb = fc.constantFrom(2, 4, 8).chain((size) => fc.tuple(fc.constant(size), valueOf(size), valueOf(size),
      fc.integer({ min: 0, max: size === 8 ? 63 : size === 4 ? 31 : 16 }), fc.boolean(), fc.integer({ min: 0, max: 0xfff })));
    fc.assert(fc.property(arb, ([size, d, s, count, left, flagsIn]) => {
      shiftDouble(left, size, lo(d), hi(d, size), lo(s), hi(s, size), count, flagsIn);
      if (count === 0) { expect(out.flags).toBe(flagsIn); expect(result()).toBe(d); return; }
      const bits = BigInt(size * 8);
      const c = BigInt(count);
      const m = maskOf(size);
      const r = left ? ((d << c) | (s >> (bits - c))) & m : ((d >> c) | (s << (bits - c))) & m;
      const cf = left ? Number((d >> (bits - c)) & 1n) : Number((d >> (c - 1n)) & 1n);
      expect(result()).toBe(r);
      expect(out.flags & CF).toBe(cf);
      expect(out.flags & (ZF | SF | PF)).toBe(szpOf(r, size));
      if (count === 1) expect((out.flags & OF) !== 0).toBe(((r ^ d) >> (bits - 1n)) === 1n);
    }), { numRuns: 3000 });
  });
});
