/**
 * Generates src/x86/opcode-space.ts: which encodings of the whole x86 opcode space are valid, whether
 * they have a ModRM byte and how many immediate bytes follow, in 64-bit and 32-bit mode.
 *
 * The facts are measured, not copied: every opcode slot (map, opcode byte, mandatory prefix,
 * operand/address size, REX.W, VEX/EVEX/XOP fields) is probed with every ModRM reg/rm value, with and
 * without LOCK, by decoding short byte strings with iced-x86 (default DecoderOptions.None) and
 * recording validity and length. Identical slot descriptions are shared. golf's decoder reads only
 * the generated module; iced-x86 is needed only to re-run this script:
 *
 *   npx tsc -p . && node dist/scripts/gen-opcode-space.js > src/x86/opcode-space.ts
 */
import iced from 'iced-x86';

const { Decoder, DecoderOptions, Instruction, Code } = iced;

const STRIDE = 24;

/** Decodes many probe strings at once; returns [valid, length] per probe. */
function probe(mode: 64 | 32, cases: number[][]): { valid: boolean[]; len: number[] } {
  const buf = new Uint8Array(cases.length * STRIDE);
  cases.forEach((c, i) => buf.set(c, i * STRIDE));
  const dec = new Decoder(mode, buf, DecoderOptions.None);
  const ins = new Instruction();
  const valid: boolean[] = [];
  const len: number[] = [];
  for (let i = 0; i < cases.length; i++) {
    dec.position = i * STRIDE;
    dec.decodeOut(ins);
    valid.push(ins.code !== Code.INVALID);
    len.push(ins.length);
  }
  dec.free();
  ins.free();
  return { valid, len };
}

/**
 * One slot: `head` is every byte before the ModRM byte. Probes ModRM mod=3 (all reg/rm) and memory
 * ModRM [reg, rm=0, no displacement] per reg, with and without a leading LOCK (F0).
 * Descriptor: "m" (ModRM) or "n", then validity masks and immediate lengths (in hex fields).
 */
function describe(mode: 64 | 32, head: number[], lockable: boolean, escapes?: (modrm: number) => boolean, addr16 = false): string | null {
  // Quick rejection: most VEX/XOP slots are wholly invalid.
  const quick: number[][] = [];
  for (let r = 0; r < 8; r++) quick.push([...head, 0xc0 | (r << 3)], [...head, r << 3]);
  if (!probe(mode, quick).valid.some((v) => v) && !lockable) return null;
  const cases: number[][] = [];
  for (let r = 0; r < 8; r++) for (let rm = 0; rm < 8; rm++) cases.push([...head, 0xc0 | (r << 3) | rm]);
  for (let r = 0; r < 8; r++) cases.push([...head, (r << 3) | (mode === 64 ? 0 : 0)]);
  // The same memory probe with a displacement (mod=0 rm=5: disp32; rm=6 with 16-bit addressing: disp16):
  // a length difference proves a ModRM byte.
  for (let r = 0; r < 8; r++) cases.push([...head, (r << 3) | (addr16 ? 6 : 5)]);
  const base = probe(mode, cases);
  // Byte values after the opcode that make it an escape (VEX/EVEX/XOP) never reach this slot.
  if (escapes) cases.forEach((c, i) => { if (escapes(c[c.length - 1])) base.valid[i] = false; });
  if (!base.valid.some((v) => v)) return null;
  const lockCases = lockable ? cases.slice(0, 72).map((c) => [0xf0, ...c]) : [];
  const locked = lockable ? probe(mode, lockCases) : { valid: new Array<boolean>(72).fill(false), len: [] };
  if (escapes) lockCases.forEach((c, i) => { if (escapes(c[c.length - 1])) locked.valid[i] = false; });
  const headLen = head.length;
  let modrm = false;
  for (let r = 0; r < 8; r++) {
    const a = 64 + r;
    const b = 72 + r;
    if (base.valid[a] && base.valid[b] && base.len[b] !== base.len[a]) modrm = true;
  }
  // Without a ModRM byte the next byte cannot matter: all probes agree.
  if (!modrm) {
    const v0 = base.valid[0];
    const l0 = base.len[0];
    for (let i = 0; i < cases.length; i++) if (base.valid[i] !== v0 || (v0 && base.len[i] !== l0)) modrm = true;
  }
  let regMask = '';
  let memMask = 0;
  let lockMemMask = 0;
  let lockRegMask = '';
  const immReg: number[] = [];
  const immMem: number[] = [];
  if (modrm) {
    for (let r = 0; r < 8; r++) {
      let m = 0;
      let lm = 0;
      for (let rm = 0; rm < 8; rm++) {
        const i = r * 8 + rm;
        if (base.valid[i]) { m |= 1 << rm; immReg[r] = base.len[i] - headLen - 1; }
        if (locked.valid[i]) lm |= 1 << rm;
      }
      regMask += m.toString(16).padStart(2, '0');
      lockRegMask += lm.toString(16).padStart(2, '0');
      if (base.valid[64 + r]) { memMask |= 1 << r; immMem[r] = base.len[64 + r] - headLen - 1; }
      if (locked.valid[64 + r]) lockMemMask |= 1 << r;
    }
    const imm = [...immReg, ...immMem].filter((x) => x !== undefined);
    const uniform = imm.every((x) => x === imm[0]);
    const immField = uniform ? String(imm[0]) : Array.from({ length: 8 }, (_, r) => immMem[r] ?? immReg[r] ?? 0).join('');
    if (!uniform) {
      for (let r = 0; r < 8; r++) {
        if (immReg[r] !== undefined && immMem[r] !== undefined && immReg[r] !== immMem[r]) throw new Error(`imm differs reg/mem ${head.map((b) => b.toString(16))}`);
      }
    }
    // ModRM whose mod field is ignored (mov to/from control/debug registers): a "memory" ModRM with
    // rm=5 then has no displacement.
    let modIgnored = false;
    for (let r = 0; r < 8; r++) if (base.valid[64 + r] && base.valid[72 + r] && base.len[64 + r] === base.len[72 + r]) modIgnored = true;
    return `m${regMask}.${memMask.toString(16)}.${lockRegMask}.${lockMemMask.toString(16)}.${immField}${modIgnored ? 'r' : ''}`;
  }
  // No ModRM: valid or not, and the immediate length.
  const lockOk = locked.valid[0];
  return `n${lockOk ? 'l' : ''}.${base.len[0] - headLen}`;
}

const pool = new Map<string, number>();
const descriptors: string[] = [];
function intern(d: string): number {
  let i = pool.get(d);
  if (i === undefined) { i = descriptors.length; descriptors.push(d); pool.set(d, i); }
  return i;
}

/**
 * Legacy-map variants: mandatory prefix class (0 none, 1 66, 2 F3, 3 F2), operand size override
 * (66 present), address size override (67), REX.W. Index = pp | o16<<2 | a16<<3 | w<<4.
 */
function legacyPrefixes(mode: 64 | 32, v: number): number[] | null {
  const pp = v & 3;
  const o16 = (v >> 2) & 1;
  const a16 = (v >> 3) & 1;
  const w = (v >> 4) & 1;
  if (pp === 1 && !o16) return null; // pp=66 means 66 present and no F2/F3
  if (w && mode === 32) return null;
  const p: number[] = [];
  if (a16) p.push(0x67);
  if (o16) p.push(0x66);
  if (pp === 2) p.push(0xf3);
  if (pp === 3) p.push(0xf2);
  if (w) p.push(0x48);
  return p;
}

/** Bytes that are prefixes or escapes handled by the decoder itself, never looked up as slots. */
const PREFIX_BYTES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

function generateLegacy(mode: 64 | 32): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const maps: [string, number[]][] = [['legacy', []], ['0f', [0x0f]], ['0f38', [0x0f, 0x38]], ['0f3a', [0x0f, 0x3a]]];
  for (const [name, esc] of maps) {
    const table: number[] = new Array(256 * 32).fill(-1);
    for (let op = 0; op < 256; op++) {
      if (name === 'legacy' && (PREFIX_BYTES.has(op) || op === 0x0f)) continue;
      // C4/C5/62 are always VEX/EVEX in 64-bit mode; in 32-bit mode only when ModRM.mod would be 3.
      // 8F is XOP when the next byte's low 5 bits are >= 8.
      const isVexEvex = op === 0xc4 || op === 0xc5 || op === 0x62;
      if (name === 'legacy' && mode === 64 && isVexEvex) continue;
      const escapes = name !== 'legacy' ? undefined
        : isVexEvex ? (m: number) => m >= 0xc0
        : op === 0x8f ? (m: number) => (m & 0x1f) >= 8 : undefined;
      if (name === 'legacy' && mode === 64 && (op & 0xf0) === 0x40) continue;
      if (name === '0f' && (op === 0x38 || op === 0x3a || op === 0x0f)) continue;
      for (let v = 0; v < 32; v++) {
        const p = legacyPrefixes(mode, v);
        if (!p) continue;
        const d = describe(mode, [...p, ...esc, op], true, escapes, mode === 32 && ((v >> 3) & 1) === 1);
        table[op * 32 + v] = d === null ? -1 : intern(d);
      }
    }
    out[name] = table;
  }
  return out;
}

/** 3DNow! (0F 0F /r ib): validity by the suffix byte; the ModRM form is always /r. */
function generate3dnow(mode: 64 | 32): number[] {
  const cases: number[][] = [];
  for (let s = 0; s < 256; s++) cases.push([0x0f, 0x0f, 0xc0, s]);
  const r = probe(mode, cases);
  const valid: number[] = [];
  for (let s = 0; s < 256; s++) if (r.valid[s]) valid.push(s);
  return valid;
}

/**
 * VEX (C4/C5) and XOP (8F) slots: key = map<<10 | op<<2 | pp, variants W and L (index w | l<<1) and
 * whether vvvv may be non-zero. Only slots with some valid encoding are stored.
 */
function generateVexLike(mode: 64 | 32, escape: 0xc4 | 0x8f, maps: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const map of maps) {
    for (let op = 0; op < 256; op++) {
      for (let pp = 0; pp < 4; pp++) {
        for (let wl = 0; wl < 4; wl++) {
          const w = wl & 1;
          const l = wl >> 1;
          // R X B inverted = 1 (no extension), vvvv inverted = 1111 (unused).
          const b1 = 0xe0 | map;
          const b2 = (w << 7) | (0xf << 3) | (l << 2) | pp;
          const d = describe(mode, [escape, b1, b2, op], false);
          if (d === null) continue;
          // vvvv = 1 (raw 1110): does the slot accept a second source register? vvvv = 9: registers 8-15?
          const v1 = describe(mode, [escape, b1, b2 & ~0x08, op], false);
          const v9 = describe(mode, [escape, b1, (b2 & ~0x78) | (6 << 3), op], false);
          // VEX.R = 1 / VEX.B = 1 (raw bits cleared): k-register operands only exist as k0-k7.
          const r1 = describe(mode, [escape, b1 & ~0x80, b2, op], false);
          const bb1 = describe(mode, [escape, b1 & ~0x20, b2, op], false);
          const flags = `${v1 === d ? 'v' : ''}${v9 === d ? 'w' : ''}${r1 === d ? 'R' : ''}${bb1 === d ? 'B' : ''}`;
          out[`${(map << 10) | (op << 2) | pp}.${wl}`] = intern(`${d}${flags ? '.' + flags : ''}`);
        }
      }
    }
  }
  return out;
}

/**
 * EVEX (62) slots: key = map<<10 | op<<2 | pp with variant W; the descriptor lists, for each
 * combination of L'L (4), b (2), z (2), aaa != 0 (2), validity of the 8 reg-field values for
 * register (rm=0) and memory ModRM, plus the immediate length and whether vvvv / V' may be used.
 */
function generateEvex(mode: 64 | 32): Record<string, number> {
  const out: Record<string, number> = {};
  for (let map = 0; map < 8; map++) {
    for (let op = 0; op < 256; op++) {
      for (let pp = 0; pp < 4; pp++) {
        for (let w = 0; w < 2; w++) {
          const p0 = 0xf0 | map; // R X B R' inverted = 1
          const p1 = (w << 7) | (0xf << 3) | 0x04 | pp;
          // Quick rejection with L'L 0-2, b=0, z=0, with and without a mask register.
          const quick: number[][] = [];
          for (let ll = 0; ll < 3; ll++) for (let aaa = 0; aaa < 2; aaa++) for (let r = 0; r < 8; r++) {
            quick.push([0x62, p0, p1, (ll << 5) | 0x08 | aaa, op, 0xc0 | (r << 3)], [0x62, p0, p1, (ll << 5) | 0x08 | aaa, op, r << 3]);
          }
          if (!probe(mode, quick).valid.some((v) => v)) continue;
          const cases: number[][] = [];
          for (let combo = 0; combo < 32; combo++) {
            const ll = combo & 3;
            const bb = (combo >> 2) & 1;
            const z = (combo >> 3) & 1;
            const aaa = (combo >> 4) & 1;
            const p2 = (z << 7) | (ll << 5) | (bb << 4) | 0x08 | aaa;
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, 0xc0 | (r << 3)]);
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, r << 3]);
          }
          const res = probe(mode, cases);
          if (!res.valid.some((v) => v)) continue;
          let masks = '';
          let imm = -1;
          for (let combo = 0; combo < 32; combo++) {
            let m = 0;
            for (let k = 0; k < 16; k++) {
              const i = combo * 16 + k;
              if (res.valid[i]) { m |= 1 << k; imm = res.len[i] - 6; }
            }
            masks += m.toString(16).padStart(4, '0');
          }
          // vvvv / V' usage, probed on the first valid case.
          const first = res.valid.indexOf(true);
          const c = cases[first];
          const vCase = [...c]; vCase[2] &= ~0x08; // vvvv = 1
          const vpCase = [...c]; vpCase[3] &= ~0x08; // V' = 1 (raw 0)
          const v9Case = [...c]; v9Case[2] = (v9Case[2] & ~0x78) | (6 << 3); // vvvv = 9
          const rCase = [...c]; rCase[1] &= ~0x80; // R = 1
          const rpCase = [...c]; rpCase[1] &= ~0x10; // R' = 1
          const bCase = [...c]; bCase[1] &= ~0x20; // B = 1
          const xCase = [...c]; xCase[1] &= ~0x40; // X = 1
          const vr = probe(mode, [vCase, vpCase, v9Case, rCase, rpCase, bCase, xCase]);
          const letters = ['v', 'V', 'w', 'R', 'Q', 'B', 'X'].filter((_, i) => vr.valid[i]).join('');
          out[`${(map << 10) | (op << 2) | pp}.${w}`] = intern(`e${masks}.${imm}.${letters}`);
        }
      }
    }
  }
  return out;
}

function main(): void {
  const data: Record<string, unknown> = {};
  for (const mode of [64, 32] as const) {
    data[`m${mode}`] = {
      legacy: generateLegacy(mode),
      threeDNow: generate3dnow(mode),
      vex: generateVexLike(mode, 0xc4, Array.from({ length: 31 }, (_, i) => i + 1)),
      xop: generateVexLike(mode, 0x8f, Array.from({ length: 24 }, (_, i) => i + 8)),
      evex: generateEvex(mode),
    };
  }
  const lines = [
    '/**',
    ' * GENERATED by scripts/gen-opcode-space.ts (do not edit): validity, ModRM presence and immediate',
    ' * length of every slot of the x86 opcode space, measured by probing iced-x86 1.21 (DecoderOptions.None)',
    ' * with every ModRM reg/rm value, with and without LOCK. Format: see scripts/gen-opcode-space.ts; parsed by src/x86/opcode-slots.ts.',
    ' * Regenerate: npx tsc -p . && node dist/scripts/gen-opcode-space.js > src/x86/opcode-space.ts',
    ' */',
    `export const DESCRIPTORS: readonly string[] = ${JSON.stringify(descriptors)};`,
    `export const SPACE = ${JSON.stringify(data)} as const;`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main();
