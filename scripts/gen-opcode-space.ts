/**
 * Generates src/x86/opcode-space.ts: which encodings of the whole x86 opcode space are valid, whether
 * they have a ModRM byte, how many immediate bytes follow, and (for encodings that are invalid) how
 * many bytes a decoder fetches before it can tell, in 64-bit and 32-bit mode.
 *
 * The facts are measured, not copied: every opcode slot (map, opcode byte, mandatory prefix,
 * operand/address size, REX.W, VEX/EVEX/XOP fields) is probed with every ModRM reg/rm value, with and
 * without LOCK, by decoding short byte strings with iced-x86 (default DecoderOptions.None) and
 * recording validity and length. Identical slot descriptions are shared. golf's decoder reads only
 * the generated module; iced-x86 is needed only to re-run this script:
 *
 *   npx tsc -p . && node dist/scripts/gen-opcode-space.js > src/x86/opcode-space.ts
 *
 * Why the fetch length of invalid encodings matters: a buffer that ends inside an invalid instruction
 * is "truncated" if the decoder needed the missing bytes before it could reject it, and "invalid"
 * otherwise. iced-x86 (like a CPU's fetch) rejects some encodings as soon as the opcode or ModRM byte
 * is known (an undefined opcode, a register form of a memory-only instruction) and others only after
 * the whole instruction (a misplaced LOCK, a non-zero VEX.vvvv where none is allowed, a bad segment
 * register number): each slot records which, per ModRM value.
 *
 * Descriptor format (parsed by src/x86/opcode-slots.ts), fields separated by '.':
 * - `n<l?>.<entry>`: no ModRM; `l` if LOCK is accepted.
 * - `m.<72 entries>.<locked reg masks>.<locked mem mask>.<r?>.<reg flags>.<mem flags>.<SIB-only mask>`: ModRM; entries
 *   0-63 for mod=3 (index reg*8+rm), 64-71 for a memory operand (index 64+reg); then, with a LOCK
 *   prefix, for mod=3 one hex byte per reg whose bit rm says valid and one hex mask (bit = reg) for
 *   memory; `r` if the mod field is ignored (mov to/from CR/DR: always a register, no SIB or
 *   displacement); VEX/XOP register-extension flags (below) for register and for memory forms; a hex
 *   mask of ModRM.reg values whose memory form is valid only with a SIB byte (VSIB, AMX): without one
 *   it is invalid but fetched whole.
 * - `e.<32 x 4 hex valid masks>.<32 x 4 hex fetched-whole masks>.<imm>.<reg flags>.<mem flags>.<SIB-only mask>`: EVEX;
 *   for each combination (L'L | b<<2 | z<<3 | (aaa!=0)<<4) a 16-bit mask (bits 0-7: mod=3 with that
 *   ModRM.reg, bits 8-15: memory with that ModRM.reg); the second set says which invalid ones are
 *   fetched whole (otherwise fetching stops after the ModRM byte).
 * Entry characters: a digit d = valid, d immediate bytes after ModRM and memory operand; a letter
 * 'a'+d = invalid, but fetched whole (memory operand and d more bytes); 'A'+d = invalid, fetched
 * without its memory operand: d bytes after the ModRM byte ('A': fetching stops after ModRM).
 * For `n` slots the entry counts the bytes after the opcode.
 * Flags say which register-extension fields may be set (if not, the instruction is invalid but still
 * fetched whole): `v` vvvv 1-7, `w` vvvv 8-15, `R` R, `B` B, `X` X, `V` EVEX V', `Q` EVEX R'.
 * VEX/XOP `m` and EVEX `e` descriptors may end with one more field: the slot's register-difference
 * rule (a hex mask of RULE_* bits, src/x86/register-rules.ts). Such a slot is measured as if its
 * registers were all different (see keepRule), so its entries and flags describe everything but the
 * rule, which the decoder applies on its own.
 */
import iced from 'iced-x86';
import {
  RULE_DEST_INDEX, RULE_DEST_RM, RULE_DEST_VVVV, RULE_VVVV_INDEX, RULE_VVVV_RM, breaksRegisterRule, ruleRegister,
} from '../src/x86/register-rules.js';

const { Decoder, DecoderOptions, Code } = iced;

const STRIDE = 24;

/**
 * Set while a slot with a register-difference rule is measured: every probe is first renamed so that
 * its registers keep the rule, so what is measured is everything else about the slot.
 */
let keepRule: ((c: number[]) => number[]) | null = null;

/** Decodes many probe strings at once; returns [valid, length] per probe. */
function probe(mode: 64 | 32, cases: number[][]): { valid: boolean[]; len: number[] } {
  const buf = new Uint8Array(cases.length * STRIDE);
  const rename = keepRule;
  cases.forEach((c, i) => buf.set(rename ? rename(c) : c, i * STRIDE));
  const dec = new Decoder(mode, buf, DecoderOptions.None);
  const ins = new iced.Instruction();
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

const hexOf = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');

/** A VEX/XOP (C4/8F P0 P1 op) or EVEX (62 P0 P1 P2 op) header byte with vvvv (stored inverted) set to `v`. */
const withVvvv = (b: number, v: number) => (b & ~0x78) | ((~v & 15) << 3);

/**
 * Renames a VEX/XOP/EVEX probe (escape byte first) so that its registers keep `rule`: the register
 * number of ModRM.rm or of the SIB index, and if need be the low bits of vvvv, change; ModRM.reg,
 * every extension bit and the length stay. The registers these rules compare
 * are real register operands, so any number is as valid as any other for them.
 */
function ruleKeeper(mode: 64 | 32, rule: number): (c: number[]) => number[] {
  const m64 = mode === 64;
  return (c) => {
    const evex = c[0] === 0x62;
    if (!evex && c[0] !== 0xc4 && c[0] !== 0x8f) return c;
    const at = evex ? 5 : 4;
    if (c.length <= at) return c;
    const p0 = c[1];
    const rExt = (~p0 >> 7) & 1;
    const xExt = (~p0 >> 6) & 1;
    const bExt = (~p0 >> 5) & 1;
    const rHigh = evex ? (~p0 >> 4) & 1 : 0;
    const vHigh = evex ? (~c[3] >> 3) & 1 : 0;
    const vvvv = (~c[2] >> 3) & 15;
    const modrm = c[at];
    const mod3 = modrm >> 6 === 3;
    const rm = modrm & 7;
    const hasSib = !mod3 && rm === 4 && c.length > at + 1;
    const dest = ruleRegister((modrm >> 3) & 7, rExt, rHigh, m64);
    const numberOfX = (x: number) => (mod3 ? ruleRegister(x, bExt, evex ? xExt : 0, m64) : ruleRegister(x, xExt, vHigh, m64));
    const breaks = (v: number, x: number) =>
      breaksRegisterRule(rule, mod3, hasSib, dest, ruleRegister(v, v >> 3, vHigh, m64), numberOfX(x), numberOfX(x));
    const x0 = mod3 ? rm : hasSib ? (c[at + 1] >> 3) & 7 : 0;
    if (!breaks(vvvv, x0)) return c;
    const lows = [1, 2, 3, 4, 5, 6, 7];
    // vvvv changes only if the destination equals it, and then keeps bit 3 and, if it can, non-zero low bits.
    const vs = [vvvv, ...lows.map((k) => (vvvv & 8) | k)];
    for (const v of vs) {
      for (const x of [x0, 0, ...lows]) {
        if (breaks(v, x)) continue;
        const out = [...c];
        out[2] = withVvvv(c[2], v);
        if (mod3) out[at] = (modrm & ~7) | x;
        else if (hasSib) out[at + 1] = (c[at + 1] & ~0x38) | (x << 3);
        return out;
      }
    }
    throw new Error(`no register renaming keeps rule ${rule} for ${hexOf(c)}`);
  };
}

/**
 * Measures a slot's register-difference rule. `build(reg, vvvv, x, mem)` makes a probe of the slot
 * whose ModRM.reg, vvvv and ModRM.rm (register form) or SIB index (memory form, base rax) have those
 * low bits and no extension bits. From every encoding with three different registers that is valid,
 * one pair at a time is made equal: a pair whose equality makes it invalid belongs to the rule. The
 * answer must not depend on which encoding it was seen from. anyValid: some such encoding is valid.
 */
function detectRule(mode: 64 | 32, build: (reg: number, vvvv: number, x: number, mem: boolean) => number[], what: string): { rule: number; anyValid: boolean } {
  const bases: [number, number, number, boolean][] = [];
  for (const mem of [false, true]) {
    for (let r = 1; r < 8; r++) {
      const others = [1, 2, 3, 4, 5, 6, 7].filter((k) => k !== r);
      bases.push([r, 0, others[0], mem], [r, others[0], others[1], mem]);
    }
  }
  const base = probe(mode, bases.map(([r, v, x, mem]) => build(r, v, x, mem)));
  if (!base.valid.some((v) => v)) return { rule: 0, anyValid: false };
  const tests: [number, number[]][] = [];
  bases.forEach(([r, v, x, mem], i) => {
    if (!base.valid[i]) return;
    if (v !== 0) tests.push([RULE_DEST_VVVV, build(r, r, x, mem)]);
    tests.push([mem ? RULE_DEST_INDEX : RULE_DEST_RM, build(r, v, r, mem)]);
    tests.push([mem ? RULE_VVVV_INDEX : RULE_VVVV_RM, build(r, v, v, mem)]);
  });
  const res = probe(mode, tests.map(([, c]) => c));
  let refused = 0;
  let kept = 0;
  tests.forEach(([bit], i) => { if (res.valid[i]) kept |= bit; else refused |= bit; });
  if ((refused & kept) !== 0) throw new Error(`register-difference rule of ${what} depends on more than the registers' equality`);
  return { rule: refused, anyValid: true };
}

/** Entry character for a valid encoding with `imm` trailing bytes, or an invalid one fetched whole. */
function entryChar(valid: boolean, imm: number, head: number[]): string {
  if (imm < 0 || imm > 9) throw new Error(`unrepresentable trailing length ${imm} after ${hexOf(head)}`);
  return valid ? String(imm) : String.fromCharCode(97 + imm);
}

/** Entry for an invalid encoding that fetched `extra` bytes after the ModRM byte (and its memory operand if `memRead`). */
function invalidEntry(extra: number, memRead: boolean, head: number[]): string {
  if (memRead) return entryChar(false, extra, head);
  if (extra < 0 || extra > 9) throw new Error(`unrepresentable trailing length ${extra} after ${hexOf(head)}`);
  return String.fromCharCode(65 + extra);
}

/** Probe ModRM bytes: 64 register forms, 8 memory forms without and 8 with a displacement. */
function modrmCases(head: number[], addr16: boolean): number[][] {
  const cases: number[][] = [];
  for (let r = 0; r < 8; r++) for (let rm = 0; rm < 8; rm++) cases.push([...head, 0xc0 | (r << 3) | rm]);
  for (let r = 0; r < 8; r++) cases.push([...head, r << 3]);
  // mod=0 rm=5: disp32 (rm=6 with 16-bit addressing: disp16): a length difference proves a memory operand.
  for (let r = 0; r < 8; r++) cases.push([...head, (r << 3) | (addr16 ? 6 : 5)]);
  // mod=0 rm=4 with SIB 00: some memory operands (VSIB, AMX) are valid only with a SIB byte.
  for (let r = 0; r < 8; r++) cases.push([...head, (r << 3) | 4, 0]);
  return cases;
}

interface SlotProbe {
  /** 72 entry characters (64 register forms, 8 memory forms), or null for a no-ModRM slot. */
  entries: string[] | null;
  /** For a no-ModRM slot: its one entry. */
  single: string;
  modIgnored: boolean;
  /** Bit r: the memory form with ModRM.reg = r is valid only with a SIB byte (its entry describes that case). */
  sibOnly: number;
}

/**
 * Measures one slot: `head` is every byte before the ModRM byte. `escapes` marks ModRM values that
 * make the opcode an escape (VEX/EVEX/XOP), which never reach this slot: their entries are 'A'.
 */
function measure(mode: 64 | 32, head: number[], escapes: ((modrm: number) => boolean) | undefined, addr16: boolean): SlotProbe {
  const cases = modrmCases(head, addr16);
  const res = probe(mode, cases);
  const skip = cases.map((c) => (escapes ? escapes(c[c.length - 1]) : false));
  const h = head.length;
  const disp = addr16 ? 2 : 4;
  // A ModRM byte exists if the displacement probe is longer, or if any probe differs from another.
  let modrm = false;
  for (let r = 0; r < 8; r++) if (!skip[64 + r] && res.len[72 + r] - res.len[64 + r] === disp) modrm = true;
  if (!modrm) {
    for (let i = 0; i < cases.length; i++) {
      if (skip[i]) continue;
      if (res.valid[i] !== res.valid[0] || res.len[i] !== res.len[0]) modrm = true;
    }
  }
  if (!modrm) {
    const extra = res.len[0] - h;
    return { entries: null, single: res.valid[0] ? entryChar(true, extra, head) : entryChar(false, extra, head), modIgnored: false, sibOnly: 0 };
  }
  let modIgnored = false;
  for (let r = 0; r < 8; r++) if (!skip[64 + r] && res.valid[64 + r] && res.valid[72 + r] && res.len[64 + r] === res.len[72 + r]) modIgnored = true;
  const entries: string[] = [];
  for (let i = 0; i < 64; i++) {
    if (skip[i]) { entries.push('A'); continue; }
    const extra = res.len[i] - h - 1;
    if (extra < 0) throw new Error(`ModRM slot fetched no ModRM for ${hexOf(cases[i])}`);
    // A register form has no memory operand: an invalid one is always "fetched whole".
    entries.push(entryChar(res.valid[i], extra, head));
  }
  let sibOnly = 0;
  for (let r = 0; r < 8; r++) {
    if (skip[64 + r]) { entries.push('A'); continue; }
    const extra = res.len[64 + r] - h - 1;
    const memRead = res.len[72 + r] - res.len[64 + r] === disp;
    if (!res.valid[64 + r] && res.valid[80 + r] && !addr16) {
      // Valid only with a SIB byte; without one it is invalid but fetched whole.
      if (res.len[72 + r] - h - 1 - disp !== res.len[80 + r] - h - 2) throw new Error(`SIB-only form fetched differently without SIB: ${hexOf(cases[72 + r])}`);
      sibOnly |= 1 << r;
      entries.push(entryChar(true, res.len[80 + r] - h - 2, head));
    } else if (res.valid[64 + r]) {
      if (!memRead && !modIgnored) throw new Error(`valid memory form without displacement for ${hexOf(cases[72 + r])}`);
      entries.push(entryChar(true, extra, head));
    } else {
      entries.push(invalidEntry(extra, memRead, head));
    }
  }
  return { entries, single: '', modIgnored, sibOnly };
}

/** LOCK validity masks for a ModRM slot, checking that a misplaced LOCK is seen only after the whole instruction. */
function lockMasks(mode: 64 | 32, head: number[], entries: string[], addr16: boolean, modIgnored: boolean): { reg: string; mem: number } {
  const cases = modrmCases(head, addr16).map((c) => [0xf0, ...c]);
  const res = probe(mode, cases);
  let reg = '';
  let mem = 0;
  for (let r = 0; r < 8; r++) {
    let m = 0;
    for (let rm = 0; rm < 8; rm++) {
      const i = r * 8 + rm;
      if (res.valid[i]) m |= 1 << rm;
      else if (isDigit(entries[i]) && res.len[i] !== head.length + 2 + Number(entries[i])) throw new Error(`LOCK stops fetching early: ${hexOf(cases[i])}`);
    }
    reg += m.toString(16).padStart(2, '0');
    if (res.valid[64 + r]) mem |= 1 << r;
    else if (isDigit(entries[64 + r]) && res.len[72 + r] !== head.length + 2 + (modIgnored ? 0 : addr16 ? 2 : 4) + Number(entries[64 + r])) {
      throw new Error(`LOCK stops fetching early: ${hexOf(cases[72 + r])}`);
    }
  }
  return { reg, mem };
}

const isDigit = (c: string) => c >= '0' && c <= '9';

const pool = new Map<string, number>();
const descriptors: string[] = [];
/** For each descriptor, the first slot described by it (the generated file's comment). */
const firstSlots: string[] = [];
function intern(d: string, slot: string): number {
  let i = pool.get(d);
  if (i === undefined) { i = descriptors.length; descriptors.push(d); firstSlots.push(slot); pool.set(d, i); }
  return i;
}

/** Full descriptor of a legacy-map slot (register-extension flags do not apply: empty). */
function describeLegacy(mode: 64 | 32, head: number[], escapes: ((m: number) => boolean) | undefined, addr16: boolean): string {
  const s = measure(mode, head, escapes, addr16);
  if (s.entries === null) {
    const locked = probe(mode, [[0xf0, ...head]]);
    return `n${locked.valid[0] ? 'l' : ''}.${s.single}`;
  }
  const lock = lockMasks(mode, head, s.entries, addr16, s.modIgnored);
  return `m.${s.entries.join('')}.${lock.reg}.${lock.mem.toString(16)}.${s.modIgnored ? 'r' : ''}...${s.sibOnly.toString(16)}`;
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
  if ((pp === 1) !== (o16 === 1 && pp < 2)) return null; // pp=66 exactly when 66 is present without F2/F3
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
        table[op * 32 + v] = intern(describeLegacy(mode, [...p, ...esc, op], escapes, mode === 32 && ((v >> 3) & 1) === 1), `${hexOf([...p, ...esc, op])} (${mode}-bit)`);
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
 * Which of a register-extension field's settings (a variant of the slot's header bytes) keep the
 * slot's valid encodings of one ModRM class (register or memory) valid. Returns true (allowed),
 * false (every valid encoding becomes invalid, still fetched whole) or throws when mixed.
 */
function flagAllowed(base: string[], variant: string[], from: number, to: number, what: string): boolean | null {
  let allowed = 0;
  let refused = 0;
  for (let i = from; i < to; i++) {
    if (!isDigit(base[i])) continue;
    if (variant[i] === base[i]) allowed++;
    else if (variant[i] === String.fromCharCode(97 + Number(base[i]))) refused++;
    else throw new Error(`${what}: entry ${i} ${base[i]} becomes ${variant[i]}`);
  }
  if (allowed && refused) throw new Error(`${what}: allowed for some ModRM values only`);
  return allowed ? true : refused ? false : null;
}

/** Flag letters for one ModRM class from the measured variants. */
function flagLetters(base: string[], variants: [string, string[]][], from: number, to: number, what: string): string {
  return variants.filter(([letter, v]) => flagAllowed(base, v, from, to, `${what} ${letter}`) === true).map(([l]) => l).join('');
}

/**
 * Entries of a VEX/XOP slot probe, for comparing variants: a no-ModRM slot expands to 72 equal
 * entries, except that a wholly invalid one that fetched k >= 1 bytes after the opcode is the same
 * as a ModRM slot whose every encoding is invalid and fetched k - 1 bytes after the ModRM byte.
 */
function slotEntries(s: SlotProbe): string[] {
  if (s.entries !== null) return s.entries;
  const k = s.single.charCodeAt(0) - 97;
  if (k >= 1) return [...new Array<string>(64).fill(String.fromCharCode(96 + k)), ...new Array<string>(8).fill(String.fromCharCode(64 + k))];
  return new Array<string>(72).fill(s.single);
}

/**
 * VEX (C4/C5) and XOP (8F) slots: key = map<<10 | op<<2 | pp, variants W and L (index w | l<<1).
 * Every slot of maps 0-31 is stored, invalid ones too (their fetch length matters).
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
          const head = [escape, b1, b2, op];
          const key = `${(map << 10) | (op << 2) | pp}.${wl}`;
          // Quick path for the many wholly invalid slots: no valid probe and one fetch length.
          const quick: number[][] = [];
          for (let r = 0; r < 8; r++) quick.push([...head, 0xc0 | (r << 3)], [...head, r << 3], [...head, (r << 3) | 5]);
          const q = probe(mode, quick);
          const where = `${escape.toString(16)} map ${map} op ${op.toString(16)} pp ${pp} W ${w} L ${l} (${mode}-bit)`;
          // Probes with three different registers, so that a register-difference rule cannot hide a valid slot.
          const { rule, anyValid } = detectRule(mode, (r, v, x, mem) => [escape, b1, withVvvv(b2, v), op, ...(mem ? [(r << 3) | 4, x << 3] : [0xc0 | (r << 3) | x])], where);
          if (!anyValid && !q.valid.some((v) => v) && q.len.every((x) => x === q.len[0]) && (q.len[0] === 4 || q.len[0] === 5)) {
            out[key] = intern(q.len[0] === 4 ? 'n.a' : `m.${'A'.repeat(72)}......0`, where);
            continue;
          }
          keepRule = rule !== 0 ? ruleKeeper(mode, rule) : null;
          try {
            out[key] = intern(describeVexSlot(mode, escape, head, where) + (rule !== 0 ? `.${rule.toString(16)}` : ''), where);
          } finally {
            keepRule = null;
          }
        }
      }
    }
  }
  return out;
}

/** Descriptor of one VEX/XOP slot (`head` = escape, P0, P1 with vvvv unused, opcode), without its rule. */
function describeVexSlot(mode: 64 | 32, escape: 0xc4 | 0x8f, head: number[], where: string): string {
  const [, b1, b2, op] = head;
  const s = measure(mode, head, undefined, false);
  const base = slotEntries(s);
  if (!base.some(isDigit)) {
    return s.entries === null ? `n.${s.single}` : `m.${base.join('')}......${s.sibOnly.toString(16)}`;
  }
  const variant = (h: number[]) => slotEntries(measure(mode, h, undefined, false));
  // In 32-bit mode a C4 with R or X set (raw bits clear) is LES, never VEX: not probed.
  const reachRX = mode === 64 || escape === 0x8f;
  const variants: [string, string[]][] = [
    ['v', variant([escape, b1, b2 & ~0x08, op])], // vvvv = 1 (raw 1110)
    ['w', variant([escape, b1, (b2 & ~0x78) | (6 << 3), op])], // vvvv = 9
    ...(reachRX ? [['R', variant([escape, b1 & ~0x80, b2, op])], ['X', variant([escape, b1 & ~0x40, b2, op])]] as [string, string[]][] : []),
    ['B', variant([escape, b1 & ~0x20, b2, op])],
  ];
  const regFlags = flagLetters(base, variants, 0, 64, where);
  const memFlags = flagLetters(base, variants, 64, 72, where);
  if (s.entries === null) return `n.${s.single}.${regFlags}`;
  return `m.${base.join('')}...${s.modIgnored ? 'r' : ''}.${regFlags}.${memFlags}.${s.sibOnly.toString(16)}`;
}

/**
 * EVEX (62) slots: key = map<<10 | op<<2 | pp with variant W; the descriptor lists, for each
 * combination of L'L (4), b (2), z (2), aaa != 0 (2), validity of the 8 reg-field values for
 * register (rm=0) and memory ModRM, which invalid ones are fetched whole, the immediate length and
 * which register-extension fields each ModRM class accepts. Slots with no valid encoding are not
 * stored: like an unknown map or a malformed header, iced stops fetching after their ModRM byte
 * (checked here, see checkEvexStops).
 */
function generateEvex(mode: 64 | 32): Record<string, number> {
  const out: Record<string, number> = {};
  for (let map = 0; map < 8; map++) {
    for (let op = 0; op < 256; op++) {
      for (let pp = 0; pp < 4; pp++) {
        for (let w = 0; w < 2; w++) {
          const p0 = 0xf0 | map; // R X B R' inverted = 1
          const p1 = (w << 7) | (0xf << 3) | 0x04 | pp;
          // For each combination: 8 register forms, 8 memory forms without and 8 with a displacement.
          const cases: number[][] = [];
          // Per combination: 8 register forms; 8 memory forms without displacement, 8 with disp32, 8 with a SIB byte.
          for (let combo = 0; combo < 32; combo++) {
            const ll = combo & 3;
            const bb = (combo >> 2) & 1;
            const z = (combo >> 3) & 1;
            const aaa = (combo >> 4) & 1;
            const p2 = (z << 7) | (ll << 5) | (bb << 4) | 0x08 | aaa;
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, 0xc0 | (r << 3)]);
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, r << 3]);
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, (r << 3) | 5]);
            for (let r = 0; r < 8; r++) cases.push([0x62, p0, p1, p2, op, (r << 3) | 4, 0]);
          }
          const p2Of = (combo: number) => ((combo >> 3) & 1) << 7 | (combo & 3) << 5 | ((combo >> 2) & 1) << 4 | 0x08 | ((combo >> 4) & 1);
          let res = probe(mode, cases);
          // The register-difference rule, measured on the first few combinations that have a valid
          // probe (or, if none has, on L'L 0-2 with and without an opmask).
          const where = `62 map ${map} op ${op.toString(16)} pp ${pp} W ${w} (${mode}-bit)`;
          let tested = Array.from({ length: 32 }, (_, combo) => combo).filter((combo) => res.valid.slice(combo * 32, combo * 32 + 32).some((v) => v)).slice(0, 4);
          if (tested.length === 0) tested = [0, 1, 2, 16, 17, 18];
          let rule = -1;
          for (const combo of tested) {
            const d = detectRule(mode, (r, v, x, mem) => [0x62, p0, withVvvv(p1, v), p2Of(combo), op, ...(mem ? [(r << 3) | 4, x << 3] : [0xc0 | (r << 3) | x])], where);
            if (!d.anyValid) continue;
            if (rule >= 0 && d.rule !== rule) throw new Error(`register-difference rule of ${where} varies with L'L/b/z/aaa`);
            rule = d.rule;
          }
          if (!res.valid.some((v) => v) && rule < 0) {
            for (let i = 0; i < cases.length; i++) {
              if (res.len[i] !== 6) throw new Error(`invalid EVEX slot fetched ${res.len[i]} bytes: ${hexOf(cases[i])}`);
            }
            continue;
          }
          if (rule > 0) {
            keepRule = ruleKeeper(mode, rule);
            res = probe(mode, cases);
          }
          // Bytes before the immediate for each probe kind: register, memory, memory+disp32, memory+SIB.
          const overhead = [6, 6, 10, 7];
          let imm = -1;
          for (let i = 0; i < cases.length; i++) {
            if (!res.valid[i]) continue;
            const extra = res.len[i] - overhead[(i % 32) >> 3];
            if (imm >= 0 && extra !== imm) throw new Error(`EVEX immediate length varies: ${hexOf(cases[i])}`);
            imm = extra;
          }
          let validMasks = '';
          let wholeMasks = '';
          let sibOnly = -1;
          for (let combo = 0; combo < 32; combo++) {
            let m = 0;
            let whole = 0;
            let sib = 0;
            for (let k = 0; k < 16; k++) {
              const i = combo * 32 + k;
              const isMem = k >= 8;
              if (res.valid[i]) { m |= 1 << k; continue; }
              if (isMem && res.valid[i + 16]) { m |= 1 << k; sib |= 1 << k; continue; }
              // Invalid: fetched whole (memory operand and immediate) or only up to the ModRM byte?
              const j = isMem ? i + 8 : i;
              const full = 6 + (isMem ? 4 : 0) + imm;
              if (res.len[j] === full && (isMem || imm > 0)) whole |= 1 << k;
              else if (res.len[j] !== 6) throw new Error(`EVEX invalid encoding fetched ${res.len[j]} bytes: ${hexOf(cases[j])}`);
            }
            if (m !== 0) {
              if (sibOnly >= 0 && (sib & m) !== (sibOnly & m)) throw new Error(`EVEX SIB-only rule varies: ${hexOf(cases[combo * 32])}`);
              sibOnly = sib;
            }
            validMasks += m.toString(16).padStart(4, '0');
            wholeMasks += whole.toString(16).padStart(4, '0');
          }
          // Register-extension fields, probed per ModRM class on every valid case of that class
          // (memory forms with a displacement, or with a SIB byte when they need one, to see the whole fetch).
          const flagsFor = (isMem: boolean): string => {
            const valid: number[][] = [];
            for (let i = 0; i < cases.length; i++) {
              const k = i % 32;
              if (!res.valid[i]) continue;
              if (!isMem && k < 8) valid.push(cases[i]);
              if (isMem && k >= 8 && k < 16) valid.push(cases[i].map((b, x) => (x === 5 ? b | 5 : b)));
              if (isMem && k >= 24 && !res.valid[i - 16]) valid.push(cases[i]);
            }
            if (valid.length === 0) return '';
            const variants: [string, (c: number[]) => void][] = [
              ['v', (c) => { c[2] &= ~0x08; }], // vvvv = 1
              ['w', (c) => { c[2] = (c[2] & ~0x78) | (6 << 3); }], // vvvv = 9
              ['V', (c) => { c[3] &= ~0x08; }], // V' = 1 (raw 0)
              ['Q', (c) => { c[1] &= ~0x10; }], // R' = 1
              ['B', (c) => { c[1] &= ~0x20; }],
            ];
            // In 32-bit mode an EVEX with R or X set (raw bits clear) is BOUND, never EVEX: not probed.
            if (mode === 64) variants.push(['R', (c) => { c[1] &= ~0x80; }], ['X', (c) => { c[1] &= ~0x40; }]);
            let letters = '';
            for (const [letter, change] of variants) {
              const probes = valid.map((c) => { const v = [...c]; change(v); return v; });
              const vr = probe(mode, probes);
              const ok = vr.valid.filter((x) => x).length;
              if (ok === probes.length) { letters += letter; continue; }
              if (ok !== 0) throw new Error(`EVEX ${letter} allowed for some encodings of ${where} only`);
              probes.forEach((p, i) => {
                const full = (p.length === 7 ? 7 : 6 + (isMem ? 4 : 0)) + imm;
                if (vr.len[i] !== full) throw new Error(`EVEX ${letter} stops fetching early: ${hexOf(p)}`);
              });
            }
            return letters;
          };
          const ruleField = rule > 0 ? `.${rule.toString(16)}` : '';
          out[`${(map << 10) | (op << 2) | pp}.${w}`] = intern(`e.${validMasks}.${wholeMasks}.${imm}.${flagsFor(false)}.${flagsFor(true)}.${Math.max(sibOnly, 0).toString(16)}${ruleField}`, `evex map ${map} op ${op.toString(16)} pp ${pp} W ${w} (${mode}-bit)`);
          keepRule = null;
        }
      }
    }
  }
  return out;
}

/**
 * A malformed EVEX header (P1 bit 2 clear or P0 bit 3 set) or an unknown EVEX map is invalid, and
 * iced-x86 still fetches the opcode and ModRM byte, never more: the decoder relies on this rule.
 */
function checkEvexStops(mode: 64 | 32): void {
  const cases: number[][] = [];
  for (let op = 0; op < 256; op++) {
    for (const modrm of [0x05, 0x80, 0xc0]) {
      cases.push([0x62, 0xf1, 0x78, 0x48, op, modrm]); // P1 bit 2 clear
      cases.push([0x62, 0xf9, 0x7c, 0x48, op, modrm]); // P0 bit 3 set
      cases.push([0x62, 0xf0, 0x7c, 0x48, op, modrm]); // map 0
      cases.push([0x62, 0xf4, 0x7c, 0x48, op, modrm]); // map 4
      cases.push([0x62, 0xf7, 0x7c, 0x48, op, modrm]); // map 7
    }
  }
  const r = probe(mode, cases);
  cases.forEach((c, i) => {
    if (r.valid[i] || r.len[i] !== 6) throw new Error(`EVEX header rule broken by ${hexOf(c)} (${mode}-bit): valid ${r.valid[i]} length ${r.len[i]}`);
  });
}

/**
 * Compacts a VEX/XOP slot table for the generated file: most slots are invalid, so each (map, opcode)
 * gets the descriptor most of its 16 pp/W/L slots share, and only the slots that differ are listed.
 * `none` (the descriptor of an opcode with no ModRM that is always invalid) needs no entry at all.
 */
function compactVex(slots: Record<string, number>): { none: number; ops: Record<string, number>; slots: Record<string, number> } {
  const none = intern('n.a', 'a VEX/XOP opcode with no valid encoding');
  const ops: Record<string, number> = {};
  const rest: Record<string, number> = {};
  const byOp = new Map<number, [string, number][]>();
  for (const [key, d] of Object.entries(slots)) {
    const [slot] = key.split('.').map(Number);
    const mapOp = slot >> 2;
    const list = byOp.get(mapOp) ?? [];
    list.push([key, d]);
    byOp.set(mapOp, list);
  }
  for (const [mapOp, list] of byOp) {
    const counts = new Map<number, number>();
    for (const [, d] of list) counts.set(d, (counts.get(d) ?? 0) + 1);
    const common = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    if (common !== none) ops[mapOp] = common;
    for (const [key, d] of list) if (d !== common) rest[key] = d;
  }
  return { none, ops, slots: rest };
}

/** SPACE as reviewable lines: a legacy map's 8192 entries as 256 rows (opcode byte x 32 prefix variants). */
function spaceLines(data: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [mode, parts] of Object.entries(data)) {
    lines.push(`  ${JSON.stringify(mode)}: {`);
    for (const [part, value] of Object.entries(parts as Record<string, unknown>)) {
      if (part !== 'legacy') { lines.push(`    ${JSON.stringify(part)}: ${JSON.stringify(value)},`); continue; }
      lines.push('    "legacy": {');
      for (const [map, table] of Object.entries(value as Record<string, number[]>)) {
        lines.push(`      ${JSON.stringify(map)}: [`);
        for (let op = 0; op < 256; op++) lines.push(`        ${table.slice(op * 32, op * 32 + 32).join(',')}, // ${map === 'legacy' ? '' : `${map} `}${op.toString(16).padStart(2, '0')}`);
        lines.push('      ],');
      }
      lines.push('    },');
    }
    lines.push('  },');
  }
  return lines;
}

function main(): void {
  const data: Record<string, unknown> = {};
  for (const mode of [64, 32] as const) {
    checkEvexStops(mode);
    data[`m${mode}`] = {
      legacy: generateLegacy(mode),
      threeDNow: generate3dnow(mode),
      vex: compactVex(generateVexLike(mode, 0xc4, Array.from({ length: 32 }, (_, i) => i))),
      xop: compactVex(generateVexLike(mode, 0x8f, Array.from({ length: 24 }, (_, i) => i + 8))),
      evex: generateEvex(mode),
    };
  }
  const lines = [
    '/**',
    ' * GENERATED by scripts/gen-opcode-space.ts (do not edit): validity, ModRM presence, immediate length',
    ' * and fetch length of invalid encodings for every slot of the x86 opcode space, measured by probing',
    ' * iced-x86 1.21 (DecoderOptions.None) with every ModRM reg/rm value, with and without LOCK.',
    ' * Format: see scripts/gen-opcode-space.ts; parsed by src/x86/opcode-slots.ts. One descriptor per',
    ' * line, with the first slot it describes; SPACE gives each slot its descriptor index (legacy maps:',
    ' * one line per opcode byte, its 32 prefix variants; VEX/XOP/EVEX: one line per table).',
    ' * Regenerate: npx tsc -p . && node dist/scripts/gen-opcode-space.js > src/x86/opcode-space.ts',
    ' */',
    'export const DESCRIPTORS: readonly string[] = [',
    ...descriptors.map((d, i) => `  ${JSON.stringify(d)}, // ${i}: ${firstSlots[i]}`),
    '];',
    'export const SPACE = {',
    ...spaceLines(data),
    '} as const;',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main();
