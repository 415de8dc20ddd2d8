// Property test: golf's decoder agrees with iced-x86 on length and validity over random byte strings.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareWithIced } from '../../bench/fuzz/decoder.js';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus } from '../../src/x86/decoded.js';

const PREFIXY = [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x64, 0x40, 0x41, 0x48, 0x0f, 0x38, 0x3a, 0xc4, 0xc5, 0x62, 0x8f];

// 16 random bytes, sometimes led by prefix/escape bytes: length and validity of a whole instruction.
const bytesArb = fc.tuple(
  fc.array(fc.constantFrom(...PREFIXY), { maxLength: 4 }),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
).map(([p, b]) => {
  const all = new Uint8Array(16);
  all.set(b);
  all.set(p);
  return all;
});

// The same, always led by an escape (VEX, EVEX, XOP, 0F maps, or none) after optional prefixes.
const ESCAPES = [[0xc4], [0xc5], [0x62], [0x8f], [0x0f], [0x0f, 0x38], [0x0f, 0x3a], [0x8c], [0x8e], []];
const escapedArb = fc.tuple(
  fc.array(fc.constantFrom(...PREFIXY), { maxLength: 2 }),
  fc.constantFrom(...ESCAPES),
  fc.uint8Array({ minLength: 16, maxLength: 16 }),
).map(([p, e, b]) => {
  const all = Uint8Array.from(b);
  all.set([...p, ...e]);
  return all;
});

for (const mode of [64, 32] as const) {
  describe(`decoder vs iced-x86, ${mode}-bit`, () => {
    it('agrees on length and validity for 3000 random byte strings', () => {
      fc.assert(fc.property(bytesArb, (bytes) => {
        expect(compareWithIced(bytes, mode)).toBeNull();
      }), { numRuns: 3000, seed: 20240 + mode });
    });
    it('agrees with iced-x86 on every cut of a random string, invalid instructions included', () => {
      // Whether a buffer that ends inside an invalid instruction is "truncated" or "invalid" depends on
      // how far the instruction is fetched before it is rejected, which differs per opcode and ModRM form.
      fc.assert(fc.property(escapedArb, (bytes) => {
        for (let cut = 1; cut <= bytes.length; cut++) expect(compareWithIced(bytes.subarray(0, cut), mode)).toBeNull();
      }), { numRuns: 1500, seed: 4242 + mode });
    });
    it('reports every cut-short valid instruction as truncated, like iced-x86', () => {
      fc.assert(fc.property(bytesArb, fc.nat(), (bytes, cut) => {
        const whole = decode(bytes, 0, mode, 0);
        fc.pre(whole.status === DecodeStatus.ok || whole.status === DecodeStatus.unsupported);
        const short = bytes.subarray(0, cut % whole.length);
        expect(decode(short, 0, mode, 0).status).toBe(DecodeStatus.truncated);
        expect(compareWithIced(short.length ? short : new Uint8Array(0), mode)).toBeNull();
      }), { numRuns: 1000, seed: 777 + mode });
    });
  });
}
