// Register-difference rules (src/x86/register-rules.ts) against iced-x86, on every combination of the
// compared registers' low bits and a set of extension bits, for each instruction family that has one.
import { describe, expect, it } from 'vitest';
import { compareWithIced } from '../../bench/fuzz/decoder.js';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus } from '../../src/x86/decoded.js';

/**
 * Register fields of one sample: reg, vvvv (4 bits) and x (ModRM.rm or SIB index) low bits, and the
 * extension bits, 1 = set (the encoding stores them inverted): R, EVEX R', EVEX V', X, B.
 */
interface Regs { reg: number; vvvv: number; x: number; r: number; rHigh: number; vHigh: number; xExt: number; bExt: number }

/** Extension-bit patterns tried with every low-bit combination (v8: vvvv bit 3): none, each alone, a few pairs. */
type Extension = Partial<Regs> & { v8?: number };
const EXTENSIONS: Extension[] = [
  {}, { r: 1 }, { rHigh: 1 }, { vHigh: 1 }, { v8: 1 }, { xExt: 1 }, { bExt: 1 },
  { r: 1, bExt: 1 }, { r: 1, xExt: 1 }, { rHigh: 1, xExt: 1 }, { rHigh: 1, vHigh: 1 }, { v8: 1, r: 1 },
];

/** VEX three-byte form: C4, RXB.mmmmm, W.vvvv.L.pp, opcode, then ModRM (and SIB). */
function vex(map: number, pp: number, w: number, l: number, op: number, g: Regs, mem: boolean): Uint8Array {
  const p0 = ((g.r ^ 1) << 7) | ((g.xExt ^ 1) << 6) | ((g.bExt ^ 1) << 5) | map;
  const p1 = (w << 7) | ((~g.vvvv & 15) << 3) | (l << 2) | pp;
  const tail = mem ? [(g.reg << 3) | 4, g.x << 3] : [0xc0 | (g.reg << 3) | g.x];
  return Uint8Array.from([0xc4, p0, p1, op, ...tail]);
}

/** EVEX: 62, RXBR'0mmm, W.vvvv.1.pp, z.L'L.b.V'.aaa, opcode, then ModRM (and SIB). */
function evex(map: number, pp: number, ll: number, aaa: number, op: number, g: Regs, mem: boolean): Uint8Array {
  const p0 = ((g.r ^ 1) << 7) | ((g.xExt ^ 1) << 6) | ((g.bExt ^ 1) << 5) | ((g.rHigh ^ 1) << 4) | map;
  const p1 = ((~g.vvvv & 15) << 3) | 0x04 | pp;
  const p2 = (ll << 5) | ((g.vHigh ^ 1) << 3) | aaa;
  const tail = mem ? [(g.reg << 3) | 4, g.x << 3] : [0xc0 | (g.reg << 3) | g.x];
  return Uint8Array.from([0x62, p0, p1, p2, op, ...tail]);
}

interface Family {
  name: string;
  /** Builds one sample; `x` is ModRM.rm for a register form, the SIB index for a memory form. */
  encode: (g: Regs) => Uint8Array;
  /** vvvv values tried (low bits; bit 3 comes from the extension patterns). */
  vvvv: number[];
  /** The SDM rule on low bits without extensions: which samples must be #UD. */
  breaks: (reg: number, vvvv: number, x: number) => boolean;
}

const FAMILIES: Family[] = [
  {
    name: 'VEX vpgatherdd xmm (dest, VSIB index and mask all different)',
    encode: (g) => vex(2, 1, 0, 0, 0x90, g, true),
    vvvv: [0, 1, 2, 3, 4, 5, 6, 7],
    breaks: (reg, v, x) => reg === v || reg === x || v === x,
  },
  {
    name: 'VEX vgatherqpd ymm (W1, L1)',
    encode: (g) => vex(2, 1, 1, 1, 0x93, g, true),
    vvvv: [0, 3, 5, 7],
    breaks: (reg, v, x) => reg === v || reg === x || v === x,
  },
  {
    name: 'EVEX vpgatherdd zmm{k1} (dest and VSIB index different)',
    encode: (g) => evex(2, 1, 2, 1, 0x90, { ...g, vvvv: 0 }, true),
    vvvv: [0],
    breaks: (reg, _v, x) => reg === x,
  },
  {
    name: 'EVEX vfmulcph zmm (dest different from both sources)',
    encode: (g) => evex(6, 2, 2, 0, 0xd6, g, false),
    vvvv: [0, 1, 2, 3, 4, 5, 6, 7],
    breaks: (reg, v, x) => reg === v || reg === x,
  },
  {
    name: 'EVEX vfcmaddcsh xmm, memory source (dest different from vvvv)',
    encode: (g) => evex(6, 3, 0, 0, 0x57, { ...g, x: 0 }, true),
    vvvv: [0, 1, 2, 5],
    breaks: (reg, v) => reg === v,
  },
  {
    name: 'VEX tdpbssd (AMX: all three tiles different)',
    encode: (g) => vex(2, 3, 0, 0, 0x5e, g, false),
    vvvv: [0, 1, 2, 3, 4, 5, 6, 7],
    breaks: (reg, v, x) => reg === v || reg === x || v === x,
  },
];

function* samples(f: Family): Generator<[Uint8Array, Regs, boolean]> {
  for (const { v8, ...ext } of EXTENSIONS) {
    for (let reg = 0; reg < 8; reg++) {
      for (const vvvv of f.vvvv) {
        for (let x = 0; x < 8; x++) {
          const g: Regs = { r: 0, rHigh: 0, vHigh: 0, xExt: 0, bExt: 0, ...ext, reg, vvvv: vvvv | (v8 ? 8 : 0), x };
          const plain = !v8 && g.r + g.rHigh + g.vHigh + g.xExt + g.bExt === 0;
          yield [f.encode(g), g, plain];
        }
      }
    }
  }
}

for (const mode of [64, 32] as const) {
  describe(`register-difference rules vs iced-x86, ${mode}-bit`, () => {
    for (const f of FAMILIES) {
      it(f.name, () => {
        const disagreements: string[] = [];
        let valid = 0;
        let ruled = 0;
        // AMX exists only in 64-bit mode.
        const exists = mode === 64 || !f.name.includes('AMX');
        for (const [bytes, g, plain] of samples(f)) {
          const d = compareWithIced(bytes, mode);
          if (d !== null) disagreements.push(d);
          const status = decode(bytes, 0, mode, 0).status;
          if (status === DecodeStatus.unsupported) valid++;
          // Without extension bits the SDM rule alone decides between #UD and a valid instruction.
          if (plain && f.breaks(g.reg, g.vvvv, g.x)) ruled++;
          if (plain && exists) {
            expect(status, Buffer.from(bytes).toString('hex')).toBe(f.breaks(g.reg, g.vvvv, g.x) ? DecodeStatus.invalid : DecodeStatus.unsupported);
          }
        }
        expect(disagreements).toEqual([]);
        expect(ruled).toBeGreaterThan(0);
        if (exists) expect(valid).toBeGreaterThan(0);
      });
    }
  });
}
