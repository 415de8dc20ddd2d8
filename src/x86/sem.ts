/**
 * Semantics ids: what an instruction form *does*, independent of its encoding. The instruction
 * table gives every form one of these; the interpreter dispatches on it. Operand size, operand
 * kinds and condition codes come from the decoded instruction, so one id covers all sizes/forms.
 */
export const Sem = {
  // data movement
  mov: 0, movzx: 1, movsx: 2, movsxd: 3, lea: 4, xchg: 5,
  push: 6, pop: 7,
  // binary ALU group (order = the /digit of the 80/81/83 groups)
  add: 8, or: 9, adc: 10, sbb: 11, and: 12, sub: 13, xor: 14, cmp: 15,
  test: 16, inc: 17, dec: 18, neg: 19, not: 20,
  /** one-operand mul (rdx:rax = rax * r/m) */
  mul: 21,
  /** one-operand imul */
  imul1: 22,
  /** two-operand imul r, r/m */
  imul2: 23,
  /** three-operand imul r, r/m, imm */
  imul3: 24,
  div: 25, idiv: 26,
  // shift/rotate group (order = the /digit of C0/C1/D0-D3, /6 is an alias of shl)
  rol: 27, ror: 28, rcl: 29, rcr: 30, shl: 31, shr: 32, sar: 34,
  shld: 35, shrd: 36,
  /** cbw / cwde / cdqe by operand size */
  cbw: 37,
  /** cwd / cdq / cqo by operand size */
  cwd: 38,
  // control flow
  jmp: 39, jcc: 40, call: 41, ret: 42,
  loop: 43, loope: 44, loopne: 45, jrcxz: 46,
  setcc: 47, cmovcc: 48,
  // bits
  bt: 49, bts: 50, btr: 51, btc: 52, bsf: 53, bsr: 54, bswap: 55,
  // misc
  xlat: 56, lahf: 57, sahf: 58, pushf: 59, popf: 60,
  clc: 61, stc: 62, cmc: 63, cld: 64, std: 65,
  // strings (rep/repe/repne from Decoded.rep)
  lods: 66, stos: 67, movs: 68, scas: 69, cmps: 70,
  nop: 71, pause: 72, int3: 73, int: 74, ud2: 75, hlt: 76,
  syscall: 77, cpuid: 78, rdtsc: 79,
  // 32-bit mode only (their opcodes are invalid or REX in 64-bit mode), and sysenter
  pusha: 80, popa: 81, daa: 82, das: 83, aaa: 84, aas: 85, aam: 86, aad: 87, salc: 88, into: 89,
  sysenter: 90,
} as const;
export type Sem = (typeof Sem)[keyof typeof Sem];

export const SEM_COUNT = 91;

/** NASM condition-code suffixes in encoding order (cc = low nibble of 70-7f / 0f 80-8f / 0f 90 / 0f 40). */
export const CONDITION_CODES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
