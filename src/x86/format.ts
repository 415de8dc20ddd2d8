/**
 * NASM text of a decoded instruction, from golf's own table: the mnemonic is the form's, each
 * operand is written from the form's operand spec and the code's sizes, and size keywords appear only
 * where nothing else in the instruction (a register operand, a per-size mnemonic, the form's only
 * memory size) says the size.
 *
 * The text is what `golf asm` assembles. For an encoding nasm itself would choose the text
 * assembles back to the same bytes; an encoding nasm would not write (a redundant prefix, an alias
 * form, a longer displacement or immediate than needed) assembles to nasm's encoding of the same
 * instruction. test/x86/format.test.ts measures both over the x86 listing.
 *
 * The spelling follows iced-x86's NASM formatter, golf's oracle in the tests and the text for
 * instructions outside golf's table, so a listing reads the same whichever wrote a line: lower case,
 * no space after commas, numbers above 9 in upper-case hex with an `h` suffix, branch targets at the
 * mode's full address width, `short`/`near` on conditional branches. The differences golf keeps on
 * purpose are listed in test/x86/format.test.ts with the reason for each.
 */
import { OpKind, Reg, type Decoded } from './decoded.js';
import { regName, segmentOfPrefix } from './registers.js';
import { FORMS, type OperandSpec } from './table.js';
import { COUNTED_LOOPS, Sem } from './sem.js';

const TWO32 = 0x1_0000_0000;

/** NASM size keywords by operand size in bytes. */
const SIZE_WORDS: Readonly<Record<number, string>> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

/** The memory specs of fixed size (movzx, movsx, movsxd, setcc sources). */
const FIXED_MEMORY: ReadonlySet<OperandSpec> = new Set(['rm8', 'rm16', 'rm32']);

/** Operand specs that are registers of the operation size: with one, the size is said. */
const SIZED_REGISTERS: ReadonlySet<OperandSpec> = new Set(['reg', 'opreg', 'acc']);

/**
 * Mnemonics whose fixed-size memory operand needs a size keyword: those with fixed-size forms of
 * more than one size (movzx eax, byte [...] / word [...]). From the table, so a new form is seen.
 */
const AMBIGUOUS_FIXED: ReadonlySet<string> = (() => {
  const sizes = new Map<string, Set<OperandSpec>>();
  for (const f of FORMS) {
    for (const s of f.operands) if (FIXED_MEMORY.has(s)) (sizes.get(f.mnemonic) ?? sizes.set(f.mnemonic, new Set()).get(f.mnemonic)!).add(s);
  }
  return new Set([...sizes].filter(([, s]) => s.size > 1).map(([m]) => m));
})();

/** A number as iced writes it: 0-9 in decimal, else upper-case hex with an `h` suffix (and a leading 0 before a letter). */
function hexText(digits: string): string {
  const upper = digits.toUpperCase();
  return /^[A-F]/.test(upper) ? `0${upper}h` : `${upper}h`;
}

/** An unsigned value of `bytes` bytes given as two 32-bit halves (each taken as unsigned). */
function unsignedText(lo: number, hi: number, bytes: number): string {
  const l = lo >>> 0;
  const h = bytes === 8 ? hi >>> 0 : 0;
  if (h === 0) {
    const v = bytes >= 4 ? l : l & (2 ** (8 * bytes) - 1);
    return v <= 9 ? String(v) : hexText(v.toString(16));
  }
  return hexText(h.toString(16) + l.toString(16).padStart(8, '0'));
}

/** An address (a number, possibly negative or above 2^32) as `bytes` bytes of two's complement. */
function addressHalves(a: number): [number, number] {
  const lo = ((a % TWO32) + TWO32) % TWO32;
  return [lo, Math.floor((a - lo) / TWO32)];
}

/** A branch target at the mode's full width (16 hex digits in 64-bit mode, 8 in 32-bit, 4 for a 16-bit branch). */
function targetText(target: number, digits: number): string {
  const [lo, hi] = addressHalves(target);
  const text = digits === 16 ? (hi >>> 0).toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0') : (lo % 16 ** digits).toString(16).padStart(digits, '0');
  return hexText(text);
}

/** A signed displacement after a register: `+X`, `-X`, or nothing for 0. */
function displacementText(disp: number): string {
  if (disp === 0) return '';
  return disp < 0 ? `-${unsignedText(-disp, 0, 4)}` : `+${unsignedText(disp, 0, 4)}`;
}

/** The segment override's name: fs/gs in 64-bit mode (the others mean nothing there), any in 32-bit mode; '' if none. */
function segmentName(d: Decoded, mode: 64 | 32): string {
  const name = segmentOfPrefix(d.segment);
  if (name === undefined || (mode === 64 && d.segment !== 0x64 && d.segment !== 0x65)) return '';
  return name;
}

/** The segment override inside brackets (`[fs:...]`). */
function segmentText(d: Decoded, mode: 64 | 32): string {
  const name = segmentName(d, mode);
  return name === '' ? '' : `${name}:`;
}

function addressText(d: Decoded, spec: OperandSpec, mode: 64 | 32, address: number | undefined): string {
  const seg = segmentText(d, mode);
  if (spec === 'moffs') {
    // A 64-bit absolute offset is [qword ...] in nasm (golf asm's disp64).
    return d.asize === 8 ? `[qword ${seg}${unsignedText(d.memDisp, d.memDispHi, 8)}]` : `[${seg}${unsignedText(d.memDisp, 0, 4)}]`;
  }
  if (d.memBase === Reg.rip) {
    // A 67 prefix makes RIP-relative addressing 32-bit (EIP-relative): nasm's [dword rel ...].
    const rel = `${d.asize === 4 ? 'dword ' : ''}rel ${seg}`;
    // nasm (and golf asm) assemble [rel NUMBER] as an absolute address: only an address relative to
    // a label or `$` is RIP-relative. Source text therefore says where the target is from `$`.
    if (address !== undefined) return `[${rel}$${displacementText(d.memDisp - address) || '+0'}]`;
    const [lo, hi] = addressHalves(d.memDisp);
    return `[${rel}${unsignedText(lo, hi, d.asize)}]`;
  }
  const parts: string[] = [];
  if (d.memBase >= 0) parts.push(regName(d.memBase, d.asize));
  if (d.memIndex >= 0) parts.push(d.memScale === 1 ? regName(d.memIndex, d.asize) : `${regName(d.memIndex, d.asize)}*${d.memScale}`);
  if (parts.length === 0) {
    const [lo] = addressHalves(d.memDisp);
    return `[${seg}${unsignedText(lo, d.asize === 8 && d.memDisp < 0 ? -1 : 0, d.asize === 8 && d.memDisp < 0 ? 8 : d.asize)}]`;
  }
  return `[${seg}${parts.join('+')}${displacementText(d.memDisp)}]`;
}

/** Whether the memory operand needs a size keyword: nothing else in the instruction gives its size. */
function memorySizeShown(d: Decoded, spec: OperandSpec): boolean {
  const specs = d.form!.operands;
  if (FIXED_MEMORY.has(spec)) return AMBIGUOUS_FIXED.has(d.mnemonic);
  if (spec === 'mem' || spec === 'moffs') return false;
  return !specs.some((s) => SIZED_REGISTERS.has(s));
}

/** The mode's address size in bytes. */
const modeAddressSize = (mode: 64 | 32): number => (mode === 64 ? 8 : 4);

/** Counter register of a loop whose address size is not the mode's (`loop label,ecx`). */
function counterText(d: Decoded, mode: 64 | 32): string {
  return COUNTED_LOOPS.has(d.sem) && d.asize !== modeAddressSize(mode) ? `,${regName(Reg.rcx, d.asize)}` : '';
}

/**
 * xchg is written in the reverse of the table's order: ModRM.reg (or the +r register) first, as iced
 * does. nasm tries xchg's operands swapped first, so this order assembles to the ModRM it came from.
 */
function operandOrder(d: Decoded): number[] {
  const order = d.ops.map((_, i) => i);
  return d.sem === Sem.xchg ? order.reverse() : order;
}

/** `imul r, r, imm` with the same register twice is nasm's `imul r, imm`. */
function omitsSource(d: Decoded, i: number): boolean {
  return d.sem === Sem.imul3 && i === 1 && d.ops[1]!.kind === OpKind.reg && d.ops[1]!.reg === d.ops[0]!.reg;
}

function operandText(d: Decoded, i: number, mode: 64 | 32, address: number | undefined): string {
  const spec = d.form!.operands[i]!;
  const op = d.ops[i]!;
  switch (op.kind) {
    case OpKind.reg: return regName(op.reg, op.size);
    case OpKind.mem: {
      const text = addressText(d, spec, mode, address);
      return memorySizeShown(d, spec) ? `${SIZE_WORDS[op.size]} ${text}` : text;
    }
    case OpKind.imm: return unsignedText(d.imm, d.immHi, op.size);
    default: {
      const digits = mode === 64 ? 16 : d.opsize === 2 ? 4 : 8;
      return branchKeyword(d, spec) + targetText(d.target, digits);
    }
  }
}

/** `short`/`near` as iced writes them: on conditional branches and the short jmp; `word` on a 16-bit near branch. */
function branchKeyword(d: Decoded, spec: OperandSpec): string {
  const conditional = d.sem === Sem.jcc;
  const sized = d.opsize === 2 && spec === 'rel' ? 'word ' : '';
  if (spec === 'rel8') return conditional || d.sem === Sem.jmp ? 'short ' : '';
  return conditional ? `near ${sized}` : sized;
}

/** Prefix words: lock, and the rep family where the form gives F3/F2 a meaning. */
function prefixText(d: Decoded): string {
  let text = d.lock ? 'lock ' : '';
  const rep = d.form!.rep;
  if (rep === 'rep' && d.rep !== 0) text += 'rep ';
  else if (rep === 'repcc' && d.rep !== 0) text += d.rep === 0xf3 ? 'repe ' : 'repne ';
  return text;
}

/** Instructions whose memory operands are implicit (rsi/rdi/rbx by address size). */
const IMPLICIT_MEMORY: ReadonlySet<number> = new Set([Sem.lods, Sem.stos, Sem.movs, Sem.scas, Sem.cmps, Sem.xlat]);

/**
 * `a32`/`a16` where the address size is not the mode's and no operand shows it: the implicit memory
 * operands of string instructions and xlat, and moffs (a register in brackets shows it; a loop names
 * its counter).
 */
function addressPrefixText(d: Decoded, mode: 64 | 32): string {
  if (d.asize === modeAddressSize(mode)) return '';
  const specs = d.form!.operands;
  return IMPLICIT_MEMORY.has(d.sem) || specs.includes('moffs') ? `a${8 * d.asize} ` : '';
}

/** Implicit memory operands a segment override applies to: the ds:rsi / ds:rbx ones (es:rdi is fixed). */
const OVERRIDABLE_IMPLICIT: ReadonlySet<number> = new Set([Sem.lods, Sem.movs, Sem.cmps, Sem.xlat]);

/** A segment override on an implicit memory operand is a prefix word (`fs lodsb`). */
function segmentPrefixText(d: Decoded, mode: 64 | 32): string {
  const name = OVERRIDABLE_IMPLICIT.has(d.sem) ? segmentName(d, mode) : '';
  return name === '' ? '' : `${name} `;
}

/** Operand specs that do not show the operation size. */
const SIZELESS_OPERANDS: ReadonlySet<OperandSpec> = new Set(['imm', 'imm8s', 'imm8', 'imm16', 'rel8', 'rel', 'one', 'cl']);

/**
 * `o16` where the operation is 16-bit but no operand or mnemonic says so (push imm, ret in 32-bit
 * mode, a 16-bit conditional branch): the form has several sizes, none of its operands shows the
 * size, and the code needs the 66 prefix.
 */
function sizePrefixText(d: Decoded): string {
  if (d.opsize !== 2 || d.form!.sizes.length < 2 || !d.code!.o16) return '';
  return d.form!.operands.every((s) => SIZELESS_OPERANDS.has(s)) ? 'o16 ' : '';
}

/**
 * The NASM text of `d`, which must be a decode with status ok (a form of golf's table); `mode` is
 * the mode it was decoded in. With `address` (the instruction's own) the text is source for golf asm
 * at that address: a RIP-relative operand is written from `$` (`[rel $+12h]`). Without it, the
 * operand shows the absolute target as iced does (`[rel 401012h]`), which reads better but
 * assembles as an absolute address.
 */
export function formatInstruction(d: Decoded, mode: 64 | 32, address?: number): string {
  if (d.form === null || d.code === null) throw new Error('formatInstruction needs an instruction of golf\'s table');
  const operands = operandOrder(d).filter((i) => !omitsSource(d, i)).map((i) => operandText(d, i, mode, address));
  const text = `${segmentPrefixText(d, mode)}${prefixText(d)}${addressPrefixText(d, mode)}${sizePrefixText(d)}${d.mnemonic}`;
  return operands.length === 0 ? text : `${text} ${operands.join(',')}${counterText(d, mode)}`;
}
