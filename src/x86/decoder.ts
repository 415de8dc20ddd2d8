/**
 * x86 decoder for 64-bit and 32-bit mode. Two layers:
 * 1. Length and validity of ANY byte sequence: legacy prefixes, REX, the opcode maps, VEX/XOP/EVEX,
 *    ModRM/SIB/displacement and immediates, from the opcode-space slots (opcode-slots.ts).
 * 2. For valid legacy/0F instructions, the first matching code of golf's instruction table (codes.ts:
 *    a form at one operation size), whose operands are filled into the Decoded record; valid
 *    instructions without a form are `unsupported`.
 *
 * Hot path: plain numbers and preallocated objects; `decodeInto` reuses its output record.
 */
import { DecodeStatus, OpKind, Reg } from './decoded.js';
import type { Decoded, Operand } from './decoded.js';
import { codesForOpcode, firstCode, SIZE_KEY_O16, SIZE_KEY_W, type Code } from './codes.js';
import {
  ENTRIES, ENTRY_INVALID, ENTRY_NO_MEMORY, ENTRY_TRAILING, EVEX32, EVEX64, LEGACY32, LEGACY64, MAP_0F, MAP_0F38,
  MAP_0F3A, MAP_LEGACY, THREE_DNOW32, THREE_DNOW64, VEX32, VEX64, XOP32, XOP64, slotEntry, slotEvex, slotEvexImm,
  slotEvexWhole, slotFlagsMem, slotFlagsReg, slotLockMemValid, slotLockOk, slotLockRegValid, slotModIgnored,
  slotModrm, slotRule, slotSibOnly, SLOT_FLAG_V, SLOT_FLAG_V_HIGH, SLOT_FLAG_R, SLOT_FLAG_B, SLOT_FLAG_V_PRIME,
  SLOT_FLAG_R_PRIME, SLOT_FLAG_X,
} from './opcode-slots.js';
import { breaksRegisterRule, ruleRegister } from './register-rules.js';

/** The architectural limit on instruction length. */
export const MAX_INSTRUCTION_LENGTH = 15;

/** A fresh, empty output record for decodeInto. */
export function newDecoded(): Decoded {
  return {
    status: DecodeStatus.invalid, length: 0, form: null, code: null, sem: -1, mnemonic: '', opsize: 4, asize: 8,
    ops: [], spare: [], memBase: -1, memIndex: -1, memScale: 1, memDisp: 0, memDispHi: 0, segment: 0, imm: 0, immHi: 0,
    target: 0, rep: 0, lock: false, cc: -1, rex: 0,
  };
}

/** Decodes one instruction at `bytes[offset]`; `ip` is its address (for relative targets). */
export function decode(bytes: Uint8Array, offset: number, mode: 64 | 32, ip: number): Decoded {
  const out = newDecoded();
  decodeInto(out, bytes, offset, mode, ip);
  // A fresh record must not share operand objects with any other.
  out.ops = out.ops.map((o) => ({ ...o }));
  out.spare = [];
  return out;
}

// Per-call decoder state, module-level so the hot path allocates nothing.
const st = {
  bytes: new Uint8Array(0) as Uint8Array, offset: 0, limit: 0, avail: 0, mode64: false,
  rex: 0, o16: false, a16: false, lock: false, rep: 0, seg: 0,
  modrmPos: -1, mod: 0, reg: 0, rm: 0, sib: 0, hasSib: false, dispPos: 0, dispSize: 0, end: 0,
  /** Set by fetchSlot: the slot's entry for this ModRM says #UD. */
  invalid: false,
  /** Address of the next instruction (RIP-relative base). */
  ipNext: 0,
};

/** Status for an instruction that needs `length` bytes but does not fit the buffer or the 15-byte limit. */
function shortStatus(): DecodeStatus {
  return st.limit === MAX_INSTRUCTION_LENGTH ? DecodeStatus.tooLong : DecodeStatus.truncated;
}

function finishShort(out: Decoded): Decoded {
  out.status = shortStatus();
  out.length = st.limit === MAX_INSTRUCTION_LENGTH ? MAX_INSTRUCTION_LENGTH : st.avail;
  return out;
}

function finishStatus(out: Decoded, status: DecodeStatus, length: number): Decoded {
  out.status = status;
  out.length = length;
  return out;
}

/** Parses ModRM/SIB/displacement starting at relative position `pos`; returns the end position or -1 if short. */
function parseModrm(pos: number, asize: number, forceRegister: boolean): number {
  if (pos >= st.limit) return -1;
  const m = st.bytes[st.offset + pos];
  st.modrmPos = pos;
  st.mod = forceRegister ? 3 : m >> 6;
  st.reg = (m >> 3) & 7;
  st.rm = m & 7;
  st.hasSib = false;
  pos++;
  let disp = 0;
  if (st.mod !== 3) {
    if (asize === 2) {
      if (st.mod === 1) disp = 1;
      else if (st.mod === 2 || st.rm === 6) disp = 2;
    } else {
      if (st.rm === 4) {
        if (pos >= st.limit) return -1;
        st.sib = st.bytes[st.offset + pos];
        st.hasSib = true;
        pos++;
        if (st.mod === 0 && (st.sib & 7) === 5) disp = 4;
      }
      if (st.mod === 1) disp = 1;
      else if (st.mod === 2 || (st.mod === 0 && st.rm === 5)) disp = 4;
    }
  }
  st.dispPos = pos;
  st.dispSize = disp;
  return pos + disp;
}

function isLegacyPrefix(b: number): boolean {
  return b === 0x26 || b === 0x2e || b === 0x36 || b === 0x3e || b === 0x64 || b === 0x65 ||
    b === 0x66 || b === 0x67 || b === 0xf0 || b === 0xf2 || b === 0xf3;
}

/**
 * Fetches the rest of the instruction whose opcode ends at relative position `n`, by the slot's entry
 * for the ModRM byte: its ModRM, SIB, displacement and trailing bytes, or less for an invalid encoding
 * that is rejected earlier. Returns the end position, or -1 if the bytes run out (buffer or 15-byte
 * limit) first; sets st.invalid, and st.mod/reg/rm/hasSib for ModRM slots.
 */
function fetchSlot(slot: number, n: number, asize: number): number {
  if (!slotModrm[slot]) {
    const e = slotEntry[slot * ENTRIES];
    st.invalid = (e & ENTRY_INVALID) !== 0;
    st.mod = 3; st.reg = 0; st.rm = 0;
    const end = n + (e & ENTRY_TRAILING);
    return end > st.limit ? -1 : end;
  }
  if (n >= st.limit) return -1;
  const m = st.bytes[st.offset + n];
  const ignored = slotModIgnored[slot] === 1;
  const mod = ignored ? 3 : m >> 6;
  const reg = (m >> 3) & 7;
  const e = slotEntry[slot * ENTRIES + (mod === 3 ? (m & 0x3f) : 64 + reg)];
  st.invalid = (e & ENTRY_INVALID) !== 0;
  let end: number;
  if ((e & ENTRY_NO_MEMORY) !== 0) {
    st.mod = mod; st.reg = reg; st.rm = m & 7; st.hasSib = false;
    end = n + 1;
  } else {
    end = parseModrm(n, asize, ignored);
    if (end < 0) return -1;
    // A VSIB/AMX memory operand without a SIB byte is invalid, but only after the whole fetch.
    if (st.mod !== 3 && !st.hasSib && ((slotSibOnly[slot] >> reg) & 1) !== 0) st.invalid = true;
  }
  end += e & ENTRY_TRAILING;
  return end > st.limit ? -1 : end;
}

/**
 * Decodes into `out` (reusing it and its operand objects). Returns `out`.
 */
export function decodeInto(out: Decoded, bytes: Uint8Array, offset: number, mode: 64 | 32, ip: number): Decoded {
  const avail = bytes.length - offset;
  st.bytes = bytes;
  st.offset = offset;
  st.avail = avail < 0 ? 0 : avail;
  st.limit = st.avail < MAX_INSTRUCTION_LENGTH ? st.avail : MAX_INSTRUCTION_LENGTH;
  st.mode64 = mode === 64;
  st.rex = 0; st.o16 = false; st.a16 = false; st.lock = false; st.rep = 0; st.seg = 0; st.modrmPos = -1;
  out.form = null; out.code = null; out.sem = -1; out.mnemonic = ''; releaseOps(out); out.cc = -1; out.target = 0;
  out.imm = 0; out.immHi = 0; out.memBase = -1; out.memIndex = -1; out.memScale = 1; out.memDisp = 0; out.memDispHi = 0;

  // Prefixes: a REX counts only immediately before the opcode.
  let n = 0;
  let b = 0;
  for (;;) {
    if (n >= st.limit) return finishShort(out);
    b = bytes[offset + n];
    if (isLegacyPrefix(b)) {
      if (b === 0x66) st.o16 = true;
      else if (b === 0x67) st.a16 = true;
      else if (b === 0xf0) st.lock = true;
      else if (b === 0xf2 || b === 0xf3) st.rep = b;
      else if (!st.mode64 || b === 0x64 || b === 0x65) st.seg = b; // es/cs/ss/ds are ignored in 64-bit mode
      st.rex = 0;
      n++;
      continue;
    }
    if (st.mode64 && (b & 0xf0) === 0x40) { st.rex = b; n++; continue; }
    break;
  }
  out.rex = st.rex; out.rep = st.rep; out.lock = st.lock; out.segment = st.seg;
  const asize = st.mode64 ? (st.a16 ? 4 : 8) : (st.a16 ? 2 : 4);
  out.asize = asize;
  const pp = st.rep === 0xf3 ? 2 : st.rep === 0xf2 ? 3 : st.o16 ? 1 : 0;
  const w = st.rex & 8 ? 1 : 0;
  n++; // opcode byte b

  // VEX / XOP / EVEX escapes (in 32-bit mode C4/C5/62 are LES/LDS/BOUND unless the next byte has mod=3).
  if (b === 0xc4 || b === 0xc5 || b === 0x62 || b === 0x8f) {
    if (n >= st.limit) return finishShort(out);
    const b1 = bytes[offset + n];
    const isEscape = b === 0x8f ? (b1 & 0x1f) >= 8 : (st.mode64 || (b1 & 0xc0) === 0xc0);
    if (isEscape) return decodeVexLike(out, b, n);
  }

  let map = MAP_LEGACY;
  let op = b;
  if (b === 0x0f) {
    if (n >= st.limit) return finishShort(out);
    op = bytes[offset + n++];
    map = MAP_0F;
    if (op === 0x38 || op === 0x3a) {
      if (n >= st.limit) return finishShort(out);
      map = op === 0x38 ? MAP_0F38 : MAP_0F3A;
      op = bytes[offset + n++];
    } else if (op === 0x0f) {
      return decode3dnow(out, n, asize);
    }
  }
  const variant = pp | (st.o16 ? 4 : 0) | (st.a16 ? 8 : 0) | (w << 4);
  const slot = (st.mode64 ? LEGACY64 : LEGACY32)[((map << 8) | op) * 32 + variant];
  // Prefix and escape bytes never reach the table (-1); every other slot has a descriptor.
  if (slot < 0) return finishStatus(out, DecodeStatus.invalid, n);
  const end = fetchSlot(slot, n, asize);
  if (end < 0) return finishShort(out);
  // Invalid encodings are judged once their fetch ends (where iced-x86, like the CPU, rejects them),
  // a misplaced LOCK only after the whole instruction.
  if (st.invalid) return finishStatus(out, DecodeStatus.invalid, end);
  if (st.lock) {
    const lockValid = !slotModrm[slot] ? slotLockOk[slot]
      : st.mod === 3 ? (slotLockRegValid[slot * 8 + st.reg] >> st.rm) & 1 : (slotLockMemValid[slot] >> st.reg) & 1;
    if (!lockValid) return finishStatus(out, DecodeStatus.invalid, end);
  }
  // mov to/from CR/DR (0F 20-23): REX.R selects registers 8-15, of which only CR8 exists.
  if (map === MAP_0F && op >= 0x20 && op <= 0x23 && (st.rex & 4) !== 0 && !((op === 0x20 || op === 0x22) && st.reg === 0)) {
    return finishStatus(out, DecodeStatus.invalid, end);
  }
  st.end = end;
  if (map === MAP_LEGACY || map === MAP_0F) {
    const key = (st.o16 ? SIZE_KEY_O16 : 0) | ((st.rex & 8) !== 0 ? SIZE_KEY_W : 0);
    const code = firstCode(codesForOpcode(st.mode64 ? 64 : 32, map === MAP_0F, op), st.rep, key, (st.rex & 1) !== 0, st.reg, st.mod === 3, asize);
    if (code !== null) return fillCode(out, code, code.decodedOpsize[key], op, n, asize, ip);
  }
  return finishStatus(out, DecodeStatus.unsupported, end);
}

/** 3DNow! (0F 0F ModRM ib): the trailing byte selects the instruction. */
function decode3dnow(out: Decoded, n: number, asize: number): Decoded {
  const end = parseModrm(n, asize, false);
  if (end < 0 || end + 1 > st.limit) return finishShort(out);
  const suffix = st.bytes[st.offset + end];
  const ok = (st.mode64 ? THREE_DNOW64 : THREE_DNOW32)[suffix] === 1 && !st.lock;
  return finishStatus(out, ok ? DecodeStatus.unsupported : DecodeStatus.invalid, end + 1);
}

/**
 * VEX (C4/C5), XOP (8F) and EVEX (62): always outside golf's table, so only length and validity.
 * Like iced-x86, the whole header, the opcode and (if the slot has one) the ModRM byte are fetched
 * before anything is rejected; what follows depends on why an encoding is invalid: a slot or ModRM
 * form that does not exist stops there (the slot entry says so), while misplaced prefixes and
 * register-extension fields the instruction cannot use are rejected only after the whole instruction,
 * and so are registers that break the slot's register-difference rule (register-rules.ts).
 */
function decodeVexLike(out: Decoded, esc: number, n: number): Decoded {
  if (esc === 0x62) return decodeEvex(out, n);
  const bytes = st.bytes;
  const o = st.offset;
  const headerLen = esc === 0xc5 ? 1 : 2;
  if (n + headerLen + 1 > st.limit) return finishShort(out);
  let slot: number;
  let vvvv: number;
  // Register-extension bits (stored inverted in the encoding), 1 = set.
  let regR: number;
  let regX = 0;
  let regB = 0;
  if (esc === 0xc5) {
    const b1 = bytes[o + n];
    vvvv = (~b1 >> 3) & 15;
    regR = (b1 >> 7) ^ 1;
    const op = bytes[o + n + 1];
    slot = (st.mode64 ? VEX64 : VEX32)[(((1 << 10) | (op << 2) | (b1 & 3)) << 2) | (((b1 >> 2) & 1) << 1)];
  } else {
    const b1 = bytes[o + n];
    const b2 = bytes[o + n + 1];
    vvvv = (~b2 >> 3) & 15;
    regR = (b1 >> 7) ^ 1;
    regX = ((b1 >> 6) & 1) ^ 1;
    regB = ((b1 >> 5) & 1) ^ 1;
    const op = bytes[o + n + 2];
    const table = esc === 0xc4 ? (st.mode64 ? VEX64 : VEX32) : (st.mode64 ? XOP64 : XOP32);
    slot = table[((((b1 & 0x1f) << 10) | (op << 2) | (b2 & 3)) << 2) | (b2 >> 7) | (((b2 >> 2) & 1) << 1)];
  }
  n += headerLen + 1;
  const end = fetchSlot(slot, n, st.mode64 ? (st.a16 ? 4 : 8) : (st.a16 ? 2 : 4));
  if (end < 0) return finishShort(out);
  // These encodings #UD after 66, F2, F3, LOCK or REX.
  let invalid = st.invalid || st.o16 || st.rep !== 0 || st.lock || st.rex !== 0;
  const flags = st.mod === 3 ? slotFlagsReg[slot] : slotFlagsMem[slot];
  if (vvvv !== 0 && (flags & (vvvv >= 8 ? SLOT_FLAG_V_HIGH : SLOT_FLAG_V)) === 0) invalid = true;
  if (regR && (flags & SLOT_FLAG_R) === 0) invalid = true;
  if (regX && (flags & SLOT_FLAG_X) === 0) invalid = true;
  if (regB && (flags & SLOT_FLAG_B) === 0) invalid = true;
  const rule = slotRule[slot];
  if (!invalid && rule !== 0) {
    const m64 = st.mode64;
    const index = ruleRegister(st.sib >> 3, regX, 0, m64);
    invalid = breaksRegisterRule(rule, st.mod === 3, st.hasSib, ruleRegister(st.reg, regR, 0, m64),
      ruleRegister(vvvv, vvvv >> 3, 0, m64), ruleRegister(st.rm, regB, 0, m64), index);
  }
  return finishStatus(out, invalid ? DecodeStatus.invalid : DecodeStatus.unsupported, end);
}

/**
 * EVEX (62 P0 P1 P2 opcode ModRM): the ModRM byte is always fetched; a malformed header, an unknown map
 * or a slot without valid encodings is rejected right there.
 */
function decodeEvex(out: Decoded, n: number): Decoded {
  const bytes = st.bytes;
  const o = st.offset;
  if (n + 5 > st.limit) return finishShort(out);
  const p0 = bytes[o + n];
  const p1 = bytes[o + n + 1];
  const p2 = bytes[o + n + 2];
  const op = bytes[o + n + 3];
  const modrmPos = n + 4;
  const slot = (p1 & 0x04) === 0 || (p0 & 0x08) !== 0 ? -1
    : (st.mode64 ? EVEX64 : EVEX32)[((((p0 & 7) << 10) | (op << 2) | (p1 & 3)) << 1) | (p1 >> 7)];
  if (slot < 0) return finishStatus(out, DecodeStatus.invalid, modrmPos + 1);
  const m = bytes[o + modrmPos];
  const reg = (m >> 3) & 7;
  const bit = (m >> 6) === 3 ? reg : 8 + reg;
  const combo = ((p2 >> 5) & 3) | (((p2 >> 4) & 1) << 2) | ((p2 >> 7) << 3) | ((p2 & 7) !== 0 ? 16 : 0);
  let invalid = ((slotEvex[slot * 32 + combo] >> bit) & 1) === 0;
  if (invalid && ((slotEvexWhole[slot * 32 + combo] >> bit) & 1) === 0) return finishStatus(out, DecodeStatus.invalid, modrmPos + 1);
  let end = parseModrm(modrmPos, st.mode64 ? (st.a16 ? 4 : 8) : (st.a16 ? 2 : 4), false);
  if (end < 0) return finishShort(out);
  end += slotEvexImm[slot];
  if (end > st.limit) return finishShort(out);
  if (st.o16 || st.rep !== 0 || st.lock || st.rex !== 0) invalid = true;
  if (st.mod !== 3 && !st.hasSib && ((slotSibOnly[slot] >> reg) & 1) !== 0) invalid = true;
  const flags = st.mod === 3 ? slotFlagsReg[slot] : slotFlagsMem[slot];
  const vvvv = (~p1 >> 3) & 15;
  if (vvvv !== 0 && (flags & (vvvv >= 8 ? SLOT_FLAG_V_HIGH : SLOT_FLAG_V)) === 0) invalid = true;
  if ((p2 & 0x08) === 0 && (flags & SLOT_FLAG_V_PRIME) === 0) invalid = true;
  if ((p0 & 0x80) === 0 && (flags & SLOT_FLAG_R) === 0) invalid = true;
  if ((p0 & 0x40) === 0 && (flags & SLOT_FLAG_X) === 0) invalid = true;
  if ((p0 & 0x20) === 0 && (flags & SLOT_FLAG_B) === 0) invalid = true;
  if ((p0 & 0x10) === 0 && (flags & SLOT_FLAG_R_PRIME) === 0) invalid = true;
  const rule = slotRule[slot];
  if (!invalid && rule !== 0) {
    // Extension bits, stored inverted: R, X, B, R' in P0, V' in P2. X extends a register rm to 16-31.
    const m64 = st.mode64;
    const x = ((p0 >> 6) & 1) ^ 1;
    const vHigh = ((p2 >> 3) & 1) ^ 1;
    invalid = breaksRegisterRule(rule, st.mod === 3, st.hasSib,
      ruleRegister(st.reg, ((p0 >> 7) & 1) ^ 1, ((p0 >> 4) & 1) ^ 1, m64), ruleRegister(vvvv, vvvv >> 3, vHigh, m64),
      ruleRegister(st.rm, ((p0 >> 5) & 1) ^ 1, x, m64), ruleRegister(st.sib >> 3, x, vHigh, m64));
  }
  return finishStatus(out, invalid ? DecodeStatus.invalid : DecodeStatus.unsupported, end);
}

function readSigned(pos: number, size: number): number {
  const b = st.bytes;
  const p = st.offset + pos;
  switch (size) {
    case 1: return (b[p] << 24) >> 24;
    case 2: return ((b[p] | (b[p + 1] << 8)) << 16) >> 16;
    default: return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
  }
}

/** Register number for an 8-bit register operand: without REX, 4-7 are AH, CH, DH, BH. */
function byteReg(r: number): number {
  return st.rex === 0 && r >= 4 && r <= 7 ? Reg.ah + (r - 4) : r;
}

/** Operand `i` (set in order from 0): an object from `out.spare` where one is left, so decoding allocates nothing. */
function setOp(out: Decoded, i: number, kind: OpKind, reg: number, size: number): void {
  let o: Operand | undefined = out.ops[i];
  if (o === undefined) {
    o = out.spare.pop() ?? { kind, reg, size };
    out.ops.push(o);
  }
  o.kind = kind; o.reg = reg; o.size = size;
}

/**
 * Empties `out.ops` into `out.spare`. (Setting the array's length instead dropped the objects, so
 * every decode allocated its operands, and the length setter itself was 2.5% of a search's CPU.)
 */
function releaseOps(out: Decoded): void {
  const ops = out.ops;
  while (ops.length > 0) out.spare.push(ops.pop()!);
}

/** 16-bit addressing: ModRM.rm selects a fixed base/index pair. */
const BASE16 = [Reg.rbx, Reg.rbx, Reg.rbp, Reg.rbp, Reg.rsi, Reg.rdi, Reg.rbp, Reg.rbx];
const INDEX16 = [Reg.rsi, Reg.rdi, Reg.rsi, Reg.rdi, -1, -1, -1, -1];

/** Fills the memory-operand fields from the parsed ModRM/SIB/displacement. */
function fillMemory(out: Decoded, asize: number): void {
  const disp = st.dispSize ? readSigned(st.dispPos, st.dispSize) : 0;
  out.memDisp = disp;
  out.memScale = 1;
  if (asize === 2) {
    // 16-bit addressing: fixed base/index pairs.
    out.memBase = st.mod === 0 && st.rm === 6 ? -1 : BASE16[st.rm];
    out.memIndex = INDEX16[st.rm];
    return;
  }
  const rexB = st.rex & 1 ? 8 : 0;
  if (st.hasSib) {
    const idx = ((st.rex & 2) ? 8 : 0) | ((st.sib >> 3) & 7);
    out.memIndex = idx === 4 ? -1 : idx;
    out.memScale = 1 << (st.sib >> 6);
    out.memBase = st.mod === 0 && (st.sib & 7) === 5 ? -1 : rexB | (st.sib & 7);
  } else if (st.mod === 0 && st.rm === 5) {
    out.memIndex = -1;
    if (st.mode64) {
      out.memBase = Reg.rip;
      const target = st.ipNext + disp;
      out.memDisp = asize === 4 ? target % 0x100000000 : target;
    } else {
      out.memBase = -1;
    }
  } else {
    out.memIndex = -1;
    out.memBase = rexB | st.rm;
  }
}

/** Fills `out` for a matched code; `opsize` is the operation size its prefixes give. */
function fillCode(out: Decoded, code: Code, opsize: number, op: number, opcodeEnd: number, asize: number, ip: number): Decoded {
  const form = code.form;
  // Length from the code: ModRM/SIB/displacement, then its immediate-like operands.
  let end = code.modrm ? st.dispPos + st.dispSize : opcodeEnd;
  let immPos = end;
  end += code.immBytes + (code.moffs ? asize : 0);
  if (end > st.limit) return finishShort(out);
  out.status = DecodeStatus.ok;
  out.length = end;
  out.form = form;
  out.code = code;
  out.sem = form.sem;
  out.mnemonic = form.mnemonic;
  out.cc = form.cc;
  out.opsize = opsize;
  st.ipNext = ip + end;
  if (code.modrm && st.mod !== 3) fillMemory(out, asize);
  const rexR = st.rex & 4 ? 8 : 0;
  const rexB = st.rex & 1 ? 8 : 0;
  const ops = form.operands;
  const sizes = code.operandSizes;
  const widths = code.widths;
  for (let i = 0; i < ops.length; i++) {
    const spec = ops[i];
    const size = sizes[i];
    switch (spec) {
      case 'rm': case 'rm8': case 'rm16': case 'rm32': case 'mem':
        if (st.mod === 3) setOp(out, i, OpKind.reg, size === 1 ? byteReg(rexB | st.rm) : rexB | st.rm, size);
        else setOp(out, i, OpKind.mem, -1, size);
        break;
      case 'reg': setOp(out, i, OpKind.reg, size === 1 ? byteReg(rexR | st.reg) : rexR | st.reg, size); break;
      case 'opreg': {
        const r = rexB | (op & 7);
        setOp(out, i, OpKind.reg, size === 1 ? byteReg(r) : r, size);
        break;
      }
      case 'acc': setOp(out, i, OpKind.reg, Reg.rax, size); break;
      case 'cl': setOp(out, i, OpKind.reg, Reg.rcx, size); break;
      case 'one': setOp(out, i, OpKind.imm, -1, size); out.imm = 1; out.immHi = 0; break;
      case 'imm': case 'imm8s': {
        const len = widths[i];
        out.imm = readSigned(immPos, len);
        out.immHi = out.imm < 0 ? -1 : 0;
        immPos += len;
        setOp(out, i, OpKind.imm, -1, size);
        break;
      }
      case 'imm8': case 'imm16': {
        const len = widths[i];
        out.imm = len === 1 ? st.bytes[st.offset + immPos] : readSigned(immPos, 2) & 0xffff;
        out.immHi = 0;
        immPos += len;
        setOp(out, i, OpKind.imm, -1, size);
        break;
      }
      case 'imm64': {
        const len = widths[i];
        out.imm = readSigned(immPos, len > 4 ? 4 : len);
        out.immHi = len === 8 ? readSigned(immPos + 4, 4) : (out.imm < 0 ? -1 : 0);
        immPos += len;
        setOp(out, i, OpKind.imm, -1, size);
        break;
      }
      case 'rel8': case 'rel': {
        const len = widths[i];
        const rel = readSigned(immPos, len);
        immPos += len;
        let target = ip + end + rel;
        if (!st.mode64) target = opsize === 2 ? target & 0xffff : target >>> 0;
        out.target = target;
        setOp(out, i, OpKind.rel, -1, size);
        break;
      }
      case 'moffs': {
        out.memBase = -1; out.memIndex = -1; out.memScale = 1;
        if (asize === 8) { out.memDisp = readSigned(immPos, 4) >>> 0; out.memDispHi = readSigned(immPos + 4, 4) >>> 0; }
        else if (asize === 4) { out.memDisp = readSigned(immPos, 4) >>> 0; out.memDispHi = 0; }
        else { out.memDisp = readSigned(immPos, 2) & 0xffff; out.memDispHi = 0; }
        immPos += asize;
        setOp(out, i, OpKind.mem, -1, size);
        break;
      }
    }
  }
  return out;
}
