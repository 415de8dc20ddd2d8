/**
 * The instruction table expanded once into codes (iced-x86's model): one code per form, operation
 * size and mode. The size rules of table.ts are interpreted here and nowhere else: a code carries the
 * prefixes that select it, the widths of its immediate/relative/offset operands, its operand sizes and
 * its precedence among the codes sharing an opcode byte. The decoder fills from the code it matches,
 * the encoder emits a code's prefixes and widths, and the assembler selects among a form's codes.
 *
 * "First match wins" exists once: `firstCode` below, which the decoder runs on the bytes it reads and
 * the encoder on the bytes it would write (an encoding whose first match is another code would decode
 * as something else: 90 without REX.B is nop, not xchg eax, eax).
 */
import { FORMS, type Form, type OperandSpec, type SizeRule } from './table.js';
import { Sem } from './sem.js';

/**
 * The operation-size prefixes an instruction carries, as one number: 2 for a 66 prefix, plus 1 for
 * REX.W (64-bit mode only). The decoder computes it from the bytes; a code lists the keys selecting it.
 */
export type SizeKey = 0 | 1 | 2 | 3;
export const SIZE_KEY_O16 = 2;
export const SIZE_KEY_W = 1;

export interface Code {
  form: Form;
  mode: 64 | 32;
  /** Operation size in bytes (1, 2, 4, 8); 0 for a form without one (size rule `none`). */
  opsize: number;
  /**
   * For each SizeKey, the operation size the decoder reports when this code's form is matched under
   * it, or 0 when the key selects another code of the form. A size-less form still reports the size
   * its prefixes would give an ordinary instruction (`v`'s rule).
   */
  decodedOpsize: readonly number[];
  /** The encoder's prefixes for this size: a 66 prefix and REX.W (the fewest bytes of any key selecting it). */
  o16: boolean;
  rexW: boolean;
  /** Size in bytes of each explicit operand, in form order (for `mem` the operation size, 0 when size-less). */
  operandSizes: readonly number[];
  /**
   * Bytes each operand occupies after the ModRM part (immediates, relative displacements, moffs);
   * 0 for register and ModRM operands, -1 for moffs, whose width is the address size.
   */
  widths: readonly number[];
  /** Sum of the fixed (non-moffs) widths. */
  immBytes: number;
  /** One operand is moffs (its width is the address size). */
  moffs: boolean;
  /**
   * Precedence: the form's position in FORMS. Among the codes of one opcode byte the first that
   * matches wins (firstCode), and the lists are in this order.
   */
  precedence: number;
  /**
   * The assembler may select this code. False for 16-bit relative branches (66 e9/eb/jcc in 32-bit
   * mode): they truncate the instruction pointer to 16 bits, which is never what a program means. The
   * decoder still decodes them. False for movsxd without REX.W (63 /r as a 32- or 16-bit move): nasm
   * accepts movsxd only with a 64-bit destination, and golf asm is byte-identical to nasm.
   */
  assemble: boolean;
  // Match conditions copied from the form, so the decoder's hot loop reads one object.
  prefix: number;
  noF3: boolean;
  noRexB: boolean;
  modrm: boolean;
  digit: number;
  /** ModRM r/m must be memory (lea): mod=3 belongs to no code. */
  memOnly: boolean;
  addressSize: number;
}

/** All codes of one form in one mode, ascending by size, and the one used when nothing names a size. */
export interface FormCodes {
  form: Form;
  codes: readonly Code[];
  /** The operands choose the code's size (false for byte and size-less forms: one code whatever they say). */
  sized: boolean;
  /** The code selected without any size prefix, else the form's only code; null if the form has none in this mode. */
  byDefault: Code | null;
}

/** Operation size a size rule gives under a prefix key in a mode, or 0 for a size-less rule. */
function ruleSize(rule: SizeRule, mode: 64 | 32, key: number): number {
  const w = mode === 64 && (key & SIZE_KEY_W) !== 0;
  const o16 = (key & SIZE_KEY_O16) !== 0;
  switch (rule) {
    case 'byte': return 1;
    case 'v': case 'none': return w ? 8 : o16 ? 2 : 4;
    case 'd64': return mode === 64 ? (w ? 8 : o16 ? 2 : 8) : (o16 ? 2 : 4);
    case 'f64': return mode === 64 ? 8 : (o16 ? 2 : 4);
  }
}

/** Bytes an immediate spec occupies at operation size `size` (0 for non-immediate specs). */
export function immWidth(spec: OperandSpec, size: number): number {
  switch (spec) {
    case 'imm': return Math.min(size === 0 ? 1 : size, 4);
    case 'imm8s': case 'imm8': return 1;
    case 'imm16': return 2;
    case 'imm64': return size;
    default: return 0;
  }
}

function operandWidth(spec: OperandSpec, opsize: number): number {
  switch (spec) {
    case 'rel8': return 1;
    // rel16 only where the operation is 16-bit (66 in 32-bit mode); 64-bit branches keep rel32.
    case 'rel': return opsize === 2 ? 2 : 4;
    case 'moffs': return -1;
    default: return immWidth(spec, opsize);
  }
}

function operandSize(spec: OperandSpec, opsize: number): number {
  switch (spec) {
    case 'rm8': case 'cl': case 'one': case 'imm8': return 1;
    case 'rm16': case 'imm16': return 2;
    case 'rm32': return 4;
    default: return opsize;
  }
}

const KEYS: readonly SizeKey[] = [0, 1, 2, 3];

function expand(form: Form, precedence: number, mode: 64 | 32): Code[] {
  if (!(mode === 64 ? form.mode64 : form.mode32)) return [];
  const sized = form.size !== 'byte' && form.size !== 'none';
  const keys = mode === 64 ? KEYS : KEYS.filter((k) => (k & SIZE_KEY_W) === 0);
  const sizes = form.size === 'none' ? [0]
    : [...new Set(keys.map((k) => ruleSize(form.size, mode, k)))].filter((s) => form.sizes.includes(s)).sort((a, b) => a - b);
  return sizes.map((opsize) => {
    const decodedOpsize = KEYS.map((k) => {
      if (mode === 32 && (k & SIZE_KEY_W) !== 0) return 0;
      const s = ruleSize(form.size, mode, k);
      return form.size === 'none' || s === opsize ? s : 0;
    });
    // The encoder's key: the selecting key with the fewest prefix bytes (none, then REX.W or 66).
    const key = sized ? KEYS.find((k) => decodedOpsize[k] !== 0)! : 0;
    const o16 = (key & SIZE_KEY_O16) !== 0;
    const rexW = (key & SIZE_KEY_W) !== 0;
    if (form.size === 'none' && form.operands.some((s) => operandSize(s, 0) === 0)) {
      throw new Error(`size-less form ${form.mnemonic} has an operand of the operation size`);
    }
    const widths = form.operands.map((s) => operandWidth(s, opsize));
    return {
      form, mode, opsize, decodedOpsize, o16, rexW,
      operandSizes: form.operands.map((s) => operandSize(s, opsize)),
      widths,
      immBytes: widths.reduce((a, w) => a + (w > 0 ? w : 0), 0),
      moffs: widths.includes(-1),
      precedence,
      assemble: !(opsize === 2 && form.size === 'f64' && form.operands.some((s) => s === 'rel' || s === 'rel8')) && !(form.sem === Sem.movsxd && opsize !== 8),
      prefix: form.prefix,
      noF3: form.noF3,
      noRexB: form.noRexB,
      modrm: form.modrm,
      digit: form.digit,
      memOnly: form.operands.includes('mem'),
      addressSize: form.addressSize,
    };
  });
}

function buildGroups(mode: 64 | 32): Map<Form, FormCodes> {
  const groups = new Map<Form, FormCodes>();
  FORMS.forEach((form, precedence) => {
    const codes = expand(form, precedence, mode);
    const byDefault = codes.length === 1 ? codes[0] : (codes.find((c) => c.decodedOpsize[0] !== 0) ?? null);
    groups.set(form, { form, codes, sized: form.size !== 'byte' && form.size !== 'none', byDefault });
  });
  return groups;
}

const GROUPS: Record<64 | 32, Map<Form, FormCodes>> = { 64: buildGroups(64), 32: buildGroups(32) };

/** The codes of one form in one mode. */
export function codesOfForm(form: Form, mode: 64 | 32): FormCodes {
  return GROUPS[mode].get(form)!;
}

/** Index of the code lists by opcode: (mode 64 ? 0 : 512) + (map 0f ? 256 : 0) + opcode byte. A +r form is listed under all 8 bytes. */
function buildIndex(): Code[][] {
  const index: Code[][] = Array.from({ length: 1024 }, () => []);
  for (const mode of [64, 32] as const) {
    for (const form of FORMS) {
      const span = form.plusR ? 8 : 1;
      for (const code of GROUPS[mode].get(form)!.codes) {
        for (let r = 0; r < span; r++) index[indexOf(mode, form.map === '0f', form.opcode + r)].push(code);
      }
    }
  }
  return index;
}

function indexOf(mode: 64 | 32, twoByte: boolean, opcode: number): number {
  return (mode === 64 ? 0 : 512) + (twoByte ? 256 : 0) + opcode;
}

const INDEX = buildIndex();

/** The codes of one opcode byte, in precedence order. */
export function codesForOpcode(mode: 64 | 32, twoByte: boolean, opcode: number): readonly Code[] {
  return INDEX[indexOf(mode, twoByte, opcode)];
}

/**
 * The first code of `codes` that the instruction's prefixes and ModRM select, or null: the one rule
 * by which bytes mean a code. `rep` is the last F2/F3 prefix (0 if none), `key` its size prefixes,
 * `rexB` REX.B, `reg` ModRM.reg and `mod3` a register r/m (both ignored without ModRM), `asize` the
 * effective address size.
 */
export function firstCode(codes: readonly Code[], rep: number, key: number, rexB: boolean, reg: number, mod3: boolean, asize: number): Code | null {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c.prefix !== 0 && rep !== c.prefix) continue;
    if (c.noF3 && rep === 0xf3) continue;
    if (c.noRexB && rexB) continue;
    if (c.modrm) {
      if (c.digit >= 0 && reg !== c.digit) continue;
      if (mod3 && c.memOnly) continue;
    }
    if (c.addressSize !== 0 && c.addressSize !== asize) continue;
    if (c.decodedOpsize[key] === 0) continue;
    return c;
  }
  return null;
}
