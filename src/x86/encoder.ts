/**
 * The encoder: for one instruction (mnemonic + operands) list every byte sequence that encodes it,
 * shortest first. Driven entirely by the instruction table: a form's opcode, map, /digit, +r,
 * mandatory prefix and operand specs, and the code (codes.ts) chosen for its operation size, which
 * carries the size prefixes and operand widths, say everything; there is no per-mnemonic code.
 *
 * What is enumerated for each matching form:
 * - every ModRM/SIB shape of the memory operand: no displacement, disp8, disp32, and the SIB byte
 *   without an index (scale bits 0) where the plain ModRM form would do;
 * - bounded redundant prefixes (REDUNDANT_PREFIXES below): at most one redundant REX `40` and at most
 *   one redundant DS segment prefix `3e` per encoding, so each canonical encoding has at most 4 variants.
 *
 * Immediates are bigint (this is not the emulator's hot path and 64-bit immediates must be exact);
 * memory displacements and branch targets are numbers (addresses are below 2^53).
 */
import { FORMS, type Form, type OperandSpec } from './table.js';
import { codesForOpcode, codesOfForm, firstCode, SIZE_KEY_O16, SIZE_KEY_W, type Code, type FormCodes } from './codes.js';
import { Reg } from './decoded.js';

export type AsmOperand =
  /** A general register: Reg number (0-15, Reg.ah..Reg.bh) and size in bytes (spl = reg 4 size 1). */
  | { kind: 'reg'; reg: number; size: number }
  /**
   * A memory operand. `size` is the operand size in bytes, 0 when the source left it unspecified.
   * `base`/`index` are Reg numbers or -1; `base` Reg.rip means RIP-relative and `disp` is then the
   * absolute target address. `addressSize` is 4 or 8 (defaults to the mode's). `disp64` asks for the
   * moffs forms' full-width absolute offset (NASM's `[qword addr]`); `offset64` is that offset
   * exactly (a double such as `disp` holds only 53 bits of it).
   */
  | { kind: 'mem'; size: number; base: number; index: number; scale: number; disp: number; segment: number; addressSize?: number; disp64?: boolean; offset64?: bigint }
  /** An immediate; for branch forms (rel8/rel) the absolute target address. */
  | { kind: 'imm'; value: bigint };

export interface AsmInstruction {
  /** NASM mnemonic or alias (lower case). */
  mnemonic: string;
  operands: AsmOperand[];
  /** Explicit operation size in bytes for forms whose operands do not give one (o16 ret, push word imm). */
  opsize?: number;
  /** 0xf3 (rep/repe), 0xf2 (repne) or 0. */
  rep?: number;
  lock?: boolean;
  /** Segment override prefix byte for an implicit memory operand (`fs lodsb`), 0 if none. */
  segment?: number;
  /**
   * Address size in bytes for operands the instruction implies or an offset-only moffs operand
   * (NASM's `a32 stosb`, `a32 loop`); absent: the memory operand's registers or the mode decide.
   */
  addressSize?: number;
}

export interface Encoding {
  bytes: Uint8Array;
  form: Form;
  /** The code (form at one operation size in one mode) the bytes are an instance of. */
  code: Code;
  /** Operation size in bytes the encoding uses (0 for size-less forms). */
  opsize: number;
  /** Bytes of memory displacement (0, 1, 4) or moffs offset (4, 8); 0 without a memory operand. */
  dispBytes: number;
  /** The memory operand uses a SIB byte. */
  sib: boolean;
  /** Number of redundant prefix bytes (REX 40, DS 3e) added to a canonical encoding. */
  redundant: number;
}

/** Redundant prefixes the encoder may add. Bounded: each at most once per encoding. */
const REDUNDANT_REX = 0x40;
/** DS segment override: ignored in 64-bit mode, so legal on any memory operand there. */
const REDUNDANT_DS = 0x3e;

const OPSIZE_PREFIX = 0x66;
const ADDRSIZE_PREFIX = 0x67;
const LOCK_PREFIX = 0xf0;
const TWO_BYTE_ESCAPE = 0x0f;

/** Legacy high-byte registers AH..BH: cannot be encoded together with any REX prefix. */
const isHighByte = (r: number): boolean => r >= Reg.ah && r <= Reg.bh;

const FORMS_BY_MNEMONIC: ReadonlyMap<string, readonly Form[]> = (() => {
  const m = new Map<string, Form[]>();
  for (const f of FORMS) {
    for (const name of [f.mnemonic, ...f.aliases]) {
      const list = m.get(name) ?? [];
      list.push(f);
      m.set(name, list);
    }
  }
  return m;
})();

/** True if the table knows this mnemonic (or alias) at all. */
export function isMnemonic(name: string): boolean {
  return FORMS_BY_MNEMONIC.has(name.toLowerCase());
}

/** The forms spelled by this mnemonic or alias. */
export function formsOf(name: string): readonly Form[] {
  return FORMS_BY_MNEMONIC.get(name.toLowerCase()) ?? [];
}

/** Lists every valid encoding of `ins` at `address` in `mode`, shortest first (then canonical first, then table order). */
export function encodeAll(ins: AsmInstruction, mode: 64 | 32, address: number): Encoding[] {
  const out: Encoding[] = [];
  for (const form of formsOf(ins.mnemonic)) {
    if (form.operands.length !== ins.operands.length) continue;
    const code = selectCode(codesOfForm(form, mode), ins);
    if (code !== null) encodeCode(code, ins, mode, address, out);
  }
  return out.sort((a, b) => a.bytes.length - b.bytes.length || a.redundant - b.redundant || a.code.precedence - b.code.precedence);
}

/**
 * The code of a form the instruction asks for: the operation size its sized operands (or `opsize`)
 * name, else the form's default code; null when the form has no code the assembler may use at that size.
 */
function selectCode(group: FormCodes, ins: AsmInstruction): Code | null {
  if (!group.sized) return group.codes[0] ?? null;
  let size = ins.opsize ?? 0;
  group.form.operands.forEach((spec, i) => {
    const op = ins.operands[i]!;
    if (spec === 'rm' || spec === 'reg' || spec === 'opreg' || spec === 'acc') {
      if (op.kind === 'reg' || (op.kind === 'mem' && op.size !== 0)) size = op.size;
    } else if (spec === 'moffs' && op.kind === 'mem' && op.size !== 0) size = op.size;
  });
  const code = size === 0 ? group.byDefault : (group.codes.find((c) => c.opsize === size) ?? null);
  return code !== null && code.assemble ? code : null;
}

const pow2 = (bits: number): bigint => 1n << BigInt(bits);

/** Whether `value` is representable by the spec, `width` bytes wide, at operation size `size` (NASM's accepted ranges). */
function immediateFits(spec: OperandSpec, value: bigint, width: number, size: number): boolean {
  if (spec === 'imm8s') {
    const opBits = 8 * size;
    if (value < -pow2(opBits - 1) || value >= pow2(opBits)) return false;
    const truncated = BigInt.asIntN(opBits, value);
    return truncated >= -128n && truncated <= 127n;
  }
  const bits = 8 * width;
  // imm8 (shift counts, bt index, int n) and imm16 (ret n) are zero-extended, never sign-extended:
  // nasm takes any value of the width, signed or unsigned (`rol eax, 0x81`, `ret 0x8100`).
  if (spec === 'imm8' || spec === 'imm16') return value >= -pow2(bits - 1) && value < pow2(bits);
  // An immediate narrower than the operation is sign-extended, so it must be a signed value.
  if (width < size) return value >= -pow2(bits - 1) && value < pow2(bits - 1);
  return value >= -pow2(bits - 1) && value < pow2(bits);
}

interface MemShape {
  mod: number;
  rm: number;
  sib: number; // -1 if none
  dispBytes: number;
  rexX: number;
  rexB: number;
}

/** Every ModRM/SIB shape for a memory operand (RIP-relative handled by the caller). */
function memShapes(m: Extract<AsmOperand, { kind: 'mem' }>, mode: 64 | 32, asize: number): MemShape[] {
  const shapes: MemShape[] = [];
  const disp = m.disp;
  const fits8 = disp >= -128 && disp <= 127;
  // 64-bit addressing sign-extends disp32; 32-bit addressing wraps, so any 32-bit value works.
  if (m.base === Reg.rip) {
    // disp is the absolute target here; whether target - next rip fits in 32 bits is checked once the
    // instruction's length is known (encodeAll), not against the absolute address.
    if (mode === 64 && m.index < 0) shapes.push({ mod: 0, rm: 5, sib: -1, dispBytes: 4, rexX: 0, rexB: 0 });
    return shapes;
  }
  const fits32 = asize === 8 ? disp >= -0x80000000 && disp <= 0x7fffffff : disp >= -0x80000000 && disp <= 0xffffffff;
  if (!fits32) return shapes;
  const scaleBits = [1, 2, 4, 8].indexOf(m.scale);
  if (m.base < 0 && m.index < 0) {
    // Absolute: mod 00 rm 101 is disp32 in 32-bit mode but RIP-relative in 64-bit mode; SIB base 101 without index works in both.
    if (mode === 32) shapes.push({ mod: 0, rm: 5, sib: -1, dispBytes: 4, rexX: 0, rexB: 0 });
    shapes.push({ mod: 0, rm: 4, sib: (4 << 3) | 5, dispBytes: 4, rexX: 0, rexB: 0 });
    return shapes;
  }
  if (m.index === 4 || scaleBits < 0 || m.base >= 16 || m.index >= 16) return shapes; // rsp cannot be an index
  const dispChoices = (baseLow: number): Array<[number, number]> => {
    const c: Array<[number, number]> = [];
    if (disp === 0 && baseLow !== 5) c.push([0, 0]);
    if (fits8) c.push([1, 1]);
    c.push([2, 4]);
    return c;
  };
  if (m.base < 0) {
    // Index only: SIB with base 101 and mod 00 means disp32, no base.
    shapes.push({ mod: 0, rm: 4, sib: (scaleBits << 6) | ((m.index & 7) << 3) | 5, dispBytes: 4, rexX: m.index >> 3, rexB: 0 });
    return shapes;
  }
  const baseLow = m.base & 7;
  for (const [mod, dispBytes] of dispChoices(baseLow)) {
    if (m.index < 0) {
      if (baseLow !== 4) shapes.push({ mod, rm: baseLow, sib: -1, dispBytes, rexX: 0, rexB: m.base >> 3 });
      shapes.push({ mod, rm: 4, sib: (4 << 3) | baseLow, dispBytes, rexX: 0, rexB: m.base >> 3 });
    } else {
      shapes.push({ mod, rm: 4, sib: (scaleBits << 6) | ((m.index & 7) << 3) | baseLow, dispBytes, rexX: m.index >> 3, rexB: m.base >> 3 });
    }
  }
  return shapes;
}

function pushLE(out: number[], value: bigint, bytes: number): void {
  let v = BigInt.asUintN(8 * bytes, value);
  for (let i = 0; i < bytes; i++) {
    out.push(Number(v & 0xffn));
    v >>= 8n;
  }
}

/** A register operand as the spec wants it, or null if it does not match. */
function regMatches(op: AsmOperand, size: number): op is Extract<AsmOperand, { kind: 'reg' }> {
  return op.kind === 'reg' && op.size === size;
}

/** Encodes `code` in every memory shape and redundant-prefix variant, appending to `out`. */
function encodeCode(code: Code, ins: AsmInstruction, mode: 64 | 32, address: number, out: Encoding[]): void {
  const form = code.form;
  const size = code.opsize;
  let regField = form.digit >= 0 ? form.digit : 0;
  let rmOperand: AsmOperand | null = null;
  let opreg = -1;
  let rexR = 0;
  let needsRex = false;
  let forbidsRex = false;
  const imms: Array<{ width: number; value: bigint }> = [];
  let rel: { width: number; target: number } | null = null;
  let moffs: Extract<AsmOperand, { kind: 'mem' }> | null = null;

  const noteReg = (r: number, s: number): void => {
    if (isHighByte(r)) forbidsRex = true;
    else if (s === 1 && r >= 4 && r <= 7) needsRex = true; // spl, bpl, sil, dil
  };

  for (let i = 0; i < form.operands.length; i++) {
    const spec = form.operands[i]!;
    const op = ins.operands[i]!;
    const opSize = code.operandSizes[i]!;
    switch (spec) {
      case 'rm':
      case 'rm8':
      case 'rm16':
      case 'rm32':
      case 'mem': {
        // lea's memory operand has no size of its own: any (or none) is accepted.
        const want = spec === 'mem' ? 0 : opSize;
        if (op.kind === 'reg') {
          if (spec === 'mem' || op.size !== want) return;
          noteReg(op.reg, op.size);
        } else if (op.kind === 'mem') {
          if (want !== 0 && op.size !== 0 && op.size !== want) return;
          if (op.disp64) return;
        } else return;
        rmOperand = op;
        break;
      }
      case 'reg':
        if (!regMatches(op, opSize)) return;
        noteReg(op.reg, op.size);
        if (isHighByte(op.reg)) regField = op.reg - Reg.ah + 4;
        else {
          regField = op.reg & 7;
          rexR = op.reg >> 3;
        }
        break;
      case 'opreg':
        if (!regMatches(op, opSize)) return;
        noteReg(op.reg, op.size);
        // AH..BH are register numbers 4-7 of the opcode without REX.
        opreg = isHighByte(op.reg) ? op.reg - Reg.ah + 4 : op.reg;
        break;
      case 'acc':
        if (!regMatches(op, opSize) || op.reg !== Reg.rax) return;
        break;
      case 'cl':
        if (!regMatches(op, opSize) || op.reg !== Reg.rcx) return;
        break;
      case 'one':
        if (op.kind !== 'imm' || op.value !== 1n) return;
        break;
      case 'imm':
      case 'imm8s':
      case 'imm8':
      case 'imm16':
      case 'imm64':
        if (op.kind !== 'imm' || !immediateFits(spec, op.value, code.widths[i]!, size)) return;
        imms.push({ width: code.widths[i]!, value: op.value });
        break;
      case 'rel8':
      case 'rel':
        if (op.kind !== 'imm') return;
        rel = { width: code.widths[i]!, target: Number(op.value) };
        break;
      case 'moffs':
        if (op.kind !== 'mem' || op.base >= 0 || op.index >= 0) return;
        if (op.size !== 0 && op.size !== opSize) return;
        moffs = op;
        break;
    }
  }
  if (needsRex && forbidsRex) return;
  if (mode === 32 && needsRex) return;

  const memOp = rmOperand !== null && (rmOperand as AsmOperand).kind === 'mem' ? (rmOperand as Extract<AsmOperand, { kind: 'mem' }>) : moffs;
  const modeAsize = mode === 64 ? 8 : 4;
  // Address size: from the memory operand's registers, else the form's own (jecxz), else the mode's.
  if (ins.addressSize !== undefined && memOp?.addressSize !== undefined && memOp.addressSize !== ins.addressSize) return;
  const asize = memOp?.addressSize ?? ins.addressSize ?? (form.addressSize !== 0 ? form.addressSize : modeAsize);
  if (mode === 32 && asize !== 4 && !(asize === 2 && memOp === null)) return;
  if (mode === 64 && asize !== 8 && asize !== 4) return;
  if (form.addressSize !== 0 && form.addressSize !== asize) return;
  const effectiveAsize = asize;
  const lockOk = ins.lock ? form.lock && memOp !== null && rmOperand === memOp : true;
  if (!lockOk) return;
  if ((ins.rep ?? 0) !== 0 && form.rep === 'none' && form.prefix === 0) return;
  if (ins.rep === 0xf2 && form.rep === 'rep') return;

  // Operation-size prefixes: the code's (66 for 16-bit, REX.W for 64-bit where the size rule needs it).
  const rexW = code.rexW ? 1 : 0;
  const opsizePrefix = code.o16;
  const lastRep = form.prefix !== 0 ? form.prefix : (ins.rep ?? 0);
  const sizeKey = (opsizePrefix ? SIZE_KEY_O16 : 0) | (rexW ? SIZE_KEY_W : 0);

  // Variants of the ModRM part: one per memory shape (or one for a register / no ModRM).
  interface RmPart { modrm: number; sib: number; dispBytes: number; rexX: number; rexB: number; ripRel: boolean }
  const rmParts: RmPart[] = [];
  if (form.modrm) {
    if (rmOperand === null) {
      return; // a ModRM form always has an r/m operand in the table
    } else if (rmOperand.kind === 'reg') {
      const r = rmOperand.reg;
      const low = isHighByte(r) ? r - Reg.ah + 4 : r & 7;
      rmParts.push({ modrm: 0xc0 | (regField << 3) | low, sib: -1, dispBytes: 0, rexX: 0, rexB: isHighByte(r) ? 0 : r >> 3, ripRel: false });
    } else if (rmOperand.kind === 'mem') {
      if (mode === 32 && (rmOperand.base >= 8 || rmOperand.index >= 8)) return;
      for (const s of memShapes(rmOperand, mode, asize)) {
        rmParts.push({ modrm: (s.mod << 6) | (regField << 3) | s.rm, sib: s.sib, dispBytes: s.dispBytes, rexX: s.rexX, rexB: s.rexB, ripRel: rmOperand.base === Reg.rip });
      }
    }
  } else {
    rmParts.push({ modrm: -1, sib: -1, dispBytes: 0, rexX: 0, rexB: opreg >= 0 ? opreg >> 3 : 0, ripRel: false });
  }
  const segment = memOp !== null && memOp.segment !== 0 ? memOp.segment : (ins.segment ?? 0);

  for (const part of rmParts) {
    const rexBits = (rexW << 3) | (rexR << 2) | (part.rexX << 1) | part.rexB;
    const rexRequired = rexBits !== 0 || needsRex;
    if (rexRequired && (mode === 32 || forbidsRex)) continue;
    // The decoder's rule must pick this code for these bytes (90 without REX.B is nop, not xchg eax, eax).
    const opcode = form.plusR ? form.opcode + (opreg & 7) : form.opcode;
    const decodedAs = firstCode(codesForOpcode(mode, form.map === '0f', opcode), lastRep, sizeKey, (rexBits & 1) !== 0,
      part.modrm >= 0 ? (part.modrm >> 3) & 7 : 0, part.modrm >= 0 && part.modrm >> 6 === 3, effectiveAsize);
    if (decodedAs !== code) continue;
    const redundantChoices: Array<{ rex: boolean; ds: boolean }> = [{ rex: false, ds: false }];
    if (mode === 64 && !rexRequired && !forbidsRex) redundantChoices.push({ rex: true, ds: false });
    if (mode === 64 && memOp !== null && segment === 0) {
      redundantChoices.push({ rex: false, ds: true });
      if (!rexRequired && !forbidsRex) redundantChoices.push({ rex: true, ds: true });
    }
    for (const extra of redundantChoices) {
      const bytes: number[] = [];
      if (ins.lock) bytes.push(LOCK_PREFIX);
      if (ins.rep) bytes.push(ins.rep);
      if (form.prefix !== 0 && form.prefix !== ins.rep) bytes.push(form.prefix);
      if (segment !== 0) bytes.push(segment);
      if (extra.ds) bytes.push(REDUNDANT_DS);
      if (opsizePrefix) bytes.push(OPSIZE_PREFIX);
      if (effectiveAsize !== modeAsize) bytes.push(ADDRSIZE_PREFIX);
      if (rexRequired || extra.rex) bytes.push(REDUNDANT_REX | rexBits);
      if (form.map === '0f') bytes.push(TWO_BYTE_ESCAPE);
      bytes.push(form.plusR ? form.opcode + (opreg & 7) : form.opcode);
      let dispAt = -1;
      if (part.modrm >= 0) {
        bytes.push(part.modrm);
        if (part.sib >= 0) bytes.push(part.sib);
        if (part.dispBytes > 0 && memOp !== null) {
          dispAt = bytes.length;
          pushLE(bytes, BigInt(memOp.disp), part.dispBytes);
        }
      }
      let dispBytes = part.dispBytes;
      if (moffs !== null) {
        dispBytes = effectiveAsize;
        pushLE(bytes, moffs.offset64 ?? BigInt(moffs.disp), effectiveAsize);
      }
      for (const imm of imms) pushLE(bytes, imm.value, imm.width);
      let relAt = -1;
      if (rel !== null) {
        relAt = bytes.length;
        pushLE(bytes, 0n, rel.width);
      }
      const end = address + bytes.length;
      if (part.ripRel && memOp !== null) {
        const d = memOp.disp - end;
        if (d < -0x80000000 || d > 0x7fffffff) continue;
        writeLE(bytes, dispAt, d, 4);
      }
      if (rel !== null) {
        const d = rel.target - end;
        const limit = rel.width === 1 ? 0x80 : 0x80000000;
        if (d < -limit || d >= limit) continue;
        writeLE(bytes, relAt, d, rel.width);
      }
      out.push({
        bytes: Uint8Array.from(bytes),
        form,
        code,
        opsize: size,
        dispBytes,
        sib: part.sib >= 0,
        redundant: (extra.rex ? 1 : 0) + (extra.ds ? 1 : 0),
      });
    }
  }
}

function writeLE(bytes: number[], at: number, value: number, width: number): void {
  let v = BigInt.asUintN(8 * width, BigInt(value));
  for (let i = 0; i < width; i++) {
    bytes[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}
