/**
 * The encoder: for one instruction (mnemonic + operands) list every byte sequence that encodes it,
 * shortest first. Driven entirely by the instruction table (FORMS): a form's opcode, map, /digit,
 * +r, mandatory prefix, operand specs and size rule say everything; there is no per-mnemonic code.
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
import { Reg } from './decoded.js';

export type AsmOperand =
  /** A general register: Reg number (0-15, Reg.ah..Reg.bh) and size in bytes (spl = reg 4 size 1). */
  | { kind: 'reg'; reg: number; size: number }
  /**
   * A memory operand. `size` is the operand size in bytes, 0 when the source left it unspecified.
   * `base`/`index` are Reg numbers or -1; `base` Reg.rip means RIP-relative and `disp` is then the
   * absolute target address. `addressSize` is 4 or 8 (defaults to the mode's). `disp64` asks for the
   * moffs forms' full-width absolute offset (NASM's `[qword addr]`).
   */
  | { kind: 'mem'; size: number; base: number; index: number; scale: number; disp: number; segment: number; addressSize?: number; disp64?: boolean }
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
}

export interface Encoding {
  bytes: Uint8Array;
  form: Form;
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
  const forms = formsOf(ins.mnemonic);
  forms.forEach((form) => {
    if (!(mode === 64 ? form.mode64 : form.mode32)) return;
    if (form.operands.length !== ins.operands.length) return;
    for (const size of candidateSizes(form, ins, mode)) encodeForm(form, size, ins, mode, address, out);
  });
  const order = new Map(FORMS.map((f, i) => [f, i]));
  return out.sort((a, b) => a.bytes.length - b.bytes.length || a.redundant - b.redundant || order.get(a.form)! - order.get(b.form)!);
}

/** Default operation size of a form when nothing in the instruction names one. */
function defaultSize(form: Form, mode: 64 | 32): number {
  if (form.size === 'byte') return 1;
  if (form.size === 'none') return 0;
  if (form.sizes.length === 1) return form.sizes[0]!;
  if (mode === 64 && (form.size === 'd64' || form.size === 'f64')) return 8;
  return 4;
}

/** Which operation sizes to try: the one the operands (or `opsize`) imply, else the form's default. */
function candidateSizes(form: Form, ins: AsmInstruction, mode: 64 | 32): number[] {
  if (form.size === 'none') return [0];
  if (form.size === 'byte') return [1];
  let size = ins.opsize ?? 0;
  form.operands.forEach((spec, i) => {
    const op = ins.operands[i]!;
    if (spec === 'rm' || spec === 'reg' || spec === 'opreg' || spec === 'acc') {
      if (op.kind === 'reg' || (op.kind === 'mem' && op.size !== 0)) size = op.kind === 'reg' ? op.size : op.size;
    } else if (spec === 'moffs' && op.kind === 'mem' && op.size !== 0) size = op.size;
  });
  if (size === 0) size = defaultSize(form, mode);
  if (!form.sizes.includes(size)) return [];
  if (mode === 32 && size === 8) return [];
  if (mode === 64 && (form.size === 'd64' || form.size === 'f64') && size === 4) return [];
  // A 16-bit relative branch truncates the instruction pointer to 16 bits: never what is meant.
  if (form.size === 'f64' && size === 2 && form.operands.some((s) => s === 'rel' || s === 'rel8')) return [];
  // 64-bit mode branches ignore 66 (Intel): a 16-bit size does not exist there.
  if (mode === 64 && form.size === 'f64' && size === 2) return [];
  return [size];
}

/** Bytes an immediate spec occupies at operation size `size` (0 for non-immediate specs). */
export function immWidth(spec: OperandSpec, size: number): number {
  switch (spec) {
    case 'imm': return Math.min(size === 0 ? 1 : size, 4);
    case 'imm8s':
    case 'imm8': return 1;
    case 'imm16': return 2;
    case 'imm64': return size;
    default: return 0;
  }
}

const pow2 = (bits: number): bigint => 1n << BigInt(bits);

/** Whether `value` is representable by the spec at operation size `size` (NASM's accepted ranges). */
export function immediateFits(spec: OperandSpec, value: bigint, size: number): boolean {
  const width = immWidth(spec, size);
  if (spec === 'imm8s') {
    const opBits = 8 * size;
    if (value < -pow2(opBits - 1) || value >= pow2(opBits)) return false;
    const truncated = BigInt.asIntN(opBits, value);
    return truncated >= -128n && truncated <= 127n;
  }
  const bits = 8 * width;
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

/** Encodes `form` at operation size `size` in every memory shape and redundant-prefix variant, appending to `out`. */
function encodeForm(form: Form, size: number, ins: AsmInstruction, mode: 64 | 32, address: number, out: Encoding[]): void {
  let regField = form.digit >= 0 ? form.digit : 0;
  let rmOperand: AsmOperand | null = null;
  let opreg = -1;
  let rexR = 0;
  let needsRex = false;
  let forbidsRex = false;
  const imms: Array<{ spec: OperandSpec; value: bigint }> = [];
  let rel: { width: number; target: number } | null = null;
  let moffs: Extract<AsmOperand, { kind: 'mem' }> | null = null;

  const noteReg = (r: number, s: number): void => {
    if (isHighByte(r)) forbidsRex = true;
    else if (s === 1 && r >= 4 && r <= 7) needsRex = true; // spl, bpl, sil, dil
  };

  for (let i = 0; i < form.operands.length; i++) {
    const spec = form.operands[i]!;
    const op = ins.operands[i]!;
    switch (spec) {
      case 'rm':
      case 'rm8':
      case 'rm16':
      case 'rm32':
      case 'mem': {
        const want = spec === 'rm' ? size : spec === 'rm8' ? 1 : spec === 'rm16' ? 2 : spec === 'rm32' ? 4 : 0;
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
        if (!regMatches(op, size)) return;
        noteReg(op.reg, op.size);
        if (isHighByte(op.reg)) regField = op.reg - Reg.ah + 4;
        else {
          regField = op.reg & 7;
          rexR = op.reg >> 3;
        }
        break;
      case 'opreg':
        if (!regMatches(op, size)) return;
        noteReg(op.reg, op.size);
        // AH..BH are register numbers 4-7 of the opcode without REX.
        opreg = isHighByte(op.reg) ? op.reg - Reg.ah + 4 : op.reg;
        break;
      case 'acc':
        if (!regMatches(op, size) || op.reg !== Reg.rax) return;
        break;
      case 'cl':
        if (!regMatches(op, 1) || op.reg !== Reg.rcx) return;
        break;
      case 'one':
        if (op.kind !== 'imm' || op.value !== 1n) return;
        break;
      case 'imm':
      case 'imm8s':
      case 'imm8':
      case 'imm16':
      case 'imm64':
        if (op.kind !== 'imm' || !immediateFits(spec, op.value, size)) return;
        imms.push({ spec, value: op.value });
        break;
      case 'rel8':
      case 'rel':
        if (op.kind !== 'imm') return;
        rel = { width: spec === 'rel8' ? 1 : 4, target: Number(op.value) };
        break;
      case 'moffs':
        if (op.kind !== 'mem' || op.base >= 0 || op.index >= 0) return;
        if (op.size !== 0 && op.size !== size) return;
        moffs = op;
        break;
    }
  }
  if (needsRex && forbidsRex) return;
  if (mode === 32 && needsRex) return;

  const memOp = rmOperand !== null && (rmOperand as AsmOperand).kind === 'mem' ? (rmOperand as Extract<AsmOperand, { kind: 'mem' }>) : moffs;
  const modeAsize = mode === 64 ? 8 : 4;
  // Address size: from the memory operand's registers, else the form's own (jecxz), else the mode's.
  const asize = memOp?.addressSize ?? (form.addressSize !== 0 ? form.addressSize : modeAsize);
  if (mode === 32 && asize !== 4 && !(asize === 2 && memOp === null)) return;
  if (mode === 64 && asize !== 8 && asize !== 4) return;
  if (form.addressSize !== 0 && form.addressSize !== asize) return;
  const effectiveAsize = asize;
  const lockOk = ins.lock ? form.lock && memOp !== null && rmOperand === memOp : true;
  if (!lockOk) return;
  if ((ins.rep ?? 0) !== 0 && form.rep === 'none' && form.prefix === 0) return;
  if (ins.rep === 0xf2 && form.rep === 'rep') return;

  // Operation-size prefixes: 66 for 16-bit, REX.W for 64-bit where the size rule needs it.
  let rexW = 0;
  let opsizePrefix = false;
  if (form.size !== 'byte' && form.size !== 'none') {
    if (size === 2) opsizePrefix = true;
    if (size === 8 && form.size === 'v') rexW = 1;
  }

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
    if (shadowed(form, opreg, part.modrm, rexBits, ins.rep ?? 0, mode, size, effectiveAsize)) continue;
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
        pushLE(bytes, BigInt(moffs.disp), effectiveAsize);
      }
      for (const imm of imms) pushLE(bytes, imm.value, immWidth(imm.spec, size));
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
        opsize: form.size === 'none' ? 0 : size,
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

/**
 * True if an earlier form of the table claims the same opcode bytes under this prefix/REX/ModRM
 * state: the decoder takes the first match, so this form's bytes would mean something else
 * (90 without REX.B is nop, not xchg eax, eax).
 */
function shadowed(form: Form, opreg: number, modrm: number, rexBits: number, rep: number, mode: 64 | 32, size: number, asize: number): boolean {
  const opcode = form.plusR ? form.opcode + (opreg & 7) : form.opcode;
  const rexB = (rexBits & 1) !== 0;
  const lastRep = rep !== 0 ? rep : form.prefix;
  for (const g of FORMS) {
    if (g === form) return false;
    if (g.map !== form.map) continue;
    if (g.plusR ? opcode - g.opcode < 0 || opcode - g.opcode > 7 : g.opcode !== opcode) continue;
    if (!(mode === 64 ? g.mode64 : g.mode32)) continue;
    if (g.digit >= 0 && (modrm < 0 || ((modrm >> 3) & 7) !== g.digit)) continue;
    if (g.prefix !== 0 && lastRep !== g.prefix) continue;
    if (g.noRexB && rexB) continue;
    if (g.addressSize !== 0 && g.addressSize !== asize) continue;
    if (g.noF3 && lastRep === 0xf3) continue;
    if (g.size !== 'none' && g.size !== 'byte' && size !== 0 && !g.sizes.includes(size)) continue;
    return true;
  }
  return false;
}
