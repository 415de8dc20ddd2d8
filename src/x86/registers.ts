/**
 * General-purpose register names as NASM spells them, by register number (Reg in decoded.ts) and
 * operand size in bytes, and the reverse lookup used by the assembler; segment register names with
 * the override prefix byte each selects (golf only uses segment registers as overrides).
 */
import { Reg } from './decoded.js';

const NAMES64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const NAMES32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const NAMES16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
/** 8-bit names of registers 0-15: with a REX prefix 4-7 are spl/bpl/sil/dil. */
const NAMES8 = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
/** Legacy high-byte registers, numbers 16-19 (Reg.ah..Reg.bh). */
const HIGH8 = ['ah', 'ch', 'dh', 'bh'];

/** NASM name of register `reg` (Reg number) at `size` bytes; throws on impossible combinations. */
export function regName(reg: number, size: number): string {
  if (reg >= Reg.ah && reg <= Reg.bh) {
    if (size !== 1) throw new Error(`register ${reg} only exists as a byte register`);
    return HIGH8[reg - Reg.ah];
  }
  if (reg === Reg.rip) return size === 4 ? 'eip' : 'rip';
  if (reg < 0 || reg > 15) throw new Error(`no register number ${reg}`);
  switch (size) {
    case 1: return NAMES8[reg];
    case 2: return NAMES16[reg];
    case 4: return NAMES32[reg];
    case 8: return NAMES64[reg];
    default: throw new Error(`no register size ${size}`);
  }
}

export interface ParsedRegister {
  /** Register number (Reg). */
  reg: number;
  /** Size in bytes. */
  size: number;
  /** Only encodable with a REX prefix (spl..dil, r8-r15 in any size): invalid in 32-bit mode and with AH-DH. */
  needsRex: boolean;
  /** AH, CH, DH, BH: not encodable together with a REX prefix. */
  highByte: boolean;
}

const BY_NAME = new Map<string, ParsedRegister>();
for (let r = 0; r < 16; r++) {
  const ext = r >= 8;
  BY_NAME.set(NAMES64[r], { reg: r, size: 8, needsRex: ext, highByte: false });
  BY_NAME.set(NAMES32[r], { reg: r, size: 4, needsRex: ext, highByte: false });
  BY_NAME.set(NAMES16[r], { reg: r, size: 2, needsRex: ext, highByte: false });
  BY_NAME.set(NAMES8[r], { reg: r, size: 1, needsRex: ext || (r >= 4 && r <= 7), highByte: false });
}
for (let r = 8; r < 16; r++) BY_NAME.set(`r${r}l`, { reg: r, size: 1, needsRex: true, highByte: false });
HIGH8.forEach((n, i) => BY_NAME.set(n, { reg: Reg.ah + i, size: 1, needsRex: false, highByte: true }));

/** Parses a general-purpose register name (case-insensitive, NASM spelling incl. r8l), or null. */
export function parseRegister(name: string): ParsedRegister | null {
  return BY_NAME.get(name.toLowerCase()) ?? null;
}

/** Segment registers, by NASM name, as the segment-override prefix byte they select. */
export const SEGMENT_PREFIXES: ReadonlyMap<string, number> = new Map([
  ['es', 0x26], ['cs', 0x2e], ['ss', 0x36], ['ds', 0x3e], ['fs', 0x64], ['gs', 0x65],
]);

const SEGMENT_BY_PREFIX: ReadonlyMap<number, string> = new Map([...SEGMENT_PREFIXES].map(([name, b]) => [b, name]));

/** The segment register a segment-override prefix byte selects, or undefined. */
export function segmentOfPrefix(prefix: number): string | undefined {
  return SEGMENT_BY_PREFIX.get(prefix);
}
