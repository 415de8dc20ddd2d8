/**
 * The shape of one decoded instruction: the contract between the decoder (which fills it from the
 * instruction table), the interpreter (which dispatches on `sem`), the encoder's round-trip tests,
 * and the disassembler.
 *
 * Everything here is plain numbers so the emulator's hot path never touches BigInt: 64-bit
 * immediates are carried as two 32-bit halves, addresses (< 2^47 in user space) as numbers.
 */
import type { Form } from './table.js';
import type { Code } from './codes.js';

/** Result class of one decode. */
export const DecodeStatus = {
  /** A form of golf's instruction table: executable by the interpreter. */
  ok: 0,
  /** Raises #UD in this mode (e.g. `06` in 64-bit mode, `ud2` is *not* this: it is a supported form). */
  invalid: 1,
  /** A valid instruction the CPU would execute, but outside golf's table: length is exact, meaning unknown. */
  unsupported: 2,
  /** The buffer ended before the instruction did. */
  truncated: 3,
  /** Longer than 15 bytes: the CPU raises #GP (Linux delivers SIGSEGV). */
  tooLong: 4,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Kinds of explicit operand. */
export const OpKind = {
  none: 0,
  /** A general-purpose register; `reg` holds its number (see Reg). */
  reg: 1,
  /** The instruction's memory operand (fields mem* of Decoded). */
  mem: 2,
  /** An immediate: imm / immHi of Decoded. */
  imm: 3,
  /** A relative branch target: `target` of Decoded is already absolute. */
  rel: 4,
} as const;
export type OpKind = (typeof OpKind)[keyof typeof OpKind];

/**
 * Register numbers. 0-15 are rax..r15 (the low 8/16/32/64 bits by operand size).
 * 16-19 are the legacy high-byte registers AH, CH, DH, BH (bits 8-15 of rax..rbx),
 * which only exist for 8-bit operands without a REX prefix.
 */
export const Reg = {
  rax: 0, rcx: 1, rdx: 2, rbx: 3, rsp: 4, rbp: 5, rsi: 6, rdi: 7,
  r8: 8, r9: 9, r10: 10, r11: 11, r12: 12, r13: 13, r14: 14, r15: 15,
  ah: 16, ch: 17, dh: 18, bh: 19,
  /** Memory base only: RIP-relative addressing (64-bit mode). `memDisp` is then already absolute. */
  rip: 20,
  none: -1,
} as const;

export interface Operand {
  kind: OpKind;
  /** Register number for OpKind.reg (see Reg); -1 otherwise. */
  reg: number;
  /** Operand size in bytes: 1, 2, 4 or 8. */
  size: number;
}

export interface Decoded {
  status: DecodeStatus;
  /** Total length in bytes including prefixes (for truncated: bytes available; for invalid: bytes examined). */
  length: number;
  /** The table form this instruction is an instance of (status ok only). */
  form: Form | null;
  /** The code (the form at its operation size in this mode) the instruction matched (status ok only). */
  code: Code | null;
  /** Semantics id from the form (Sem); -1 when not ok. */
  sem: number;
  /** NASM mnemonic, condition code resolved (e.g. "jne", "cmovb", "rep stosb" is mnemonic "stosb" + rep). */
  mnemonic: string;
  /** Effective operand size in bytes (1, 2, 4, 8) of the operation. */
  opsize: number;
  /** Effective address size in bytes (2 in 32-bit mode with 67, 4, or 8). */
  asize: number;
  /** Explicit operands in NASM (Intel) order: destination first. */
  ops: Operand[];
  /** Operand objects decodeInto keeps for its next decodes into this record (not operands of this instruction). */
  spare: Operand[];
  /** Memory operand: base register (Reg, incl. Reg.rip) or -1. */
  memBase: number;
  /** Memory operand: index register or -1. */
  memIndex: number;
  /** Memory operand: scale 1, 2, 4, 8. */
  memScale: number;
  /** Memory operand: signed displacement (absolute target address when memBase is Reg.rip; for moffs the low 32 bits of the offset). */
  memDisp: number;
  /** moffs forms only: high 32 bits of the 64-bit absolute offset (0 otherwise). */
  memDispHi: number;
  /** Segment override prefix byte in effect (0x64 fs, 0x65 gs, others), 0 if none. */
  segment: number;
  /** Immediate, sign- or zero-extended as the form defines, low 32 bits as a signed 32-bit number. */
  imm: number;
  /** High 32 bits of the immediate after extension (imm64 of mov r64, imm64; sign bits otherwise), signed 32-bit. */
  immHi: number;
  /** Absolute branch target for rel8/rel32 operands (address of next instruction + rel), else 0. */
  target: number;
  /** 0xf3 (rep/repe), 0xf2 (repne) or 0: the last of F2/F3 present. */
  rep: number;
  /** A LOCK (f0) prefix is present. */
  lock: boolean;
  /** Condition code 0-15 for jcc/setcc/cmovcc (o, no, b, ae, e, ne, be, a, s, ns, p, np, l, ge, le, g), else -1. */
  cc: number;
  /** REX byte in effect (0 if none). */
  rex: number;
}
