/**
 * Semantics ids: what an instruction form *does*, independent of its encoding. The instruction
 * table gives every form one of these; the interpreter dispatches on it. Operand size, operand
 * kinds and condition codes come from the decoded instruction, so one id covers all sizes/forms.
 */
/**
 * Every semantics id in order; the ids are the positions (generated below: no hand numbering, no
 * gaps, the count is the list's length). The interpreter relies on two runs staying in order: the
 * binary ALU group (add..cmp, the /digit of 80/81/83) and the shift group (rol..sar, the /digit of
 * C0/C1/D0-D3 with /6, an alias of shl, left out).
 */
const SEM_NAMES = [
  // data movement
  'mov', 'movzx', 'movsx', 'movsxd', 'lea', 'xchg',
  'push', 'pop',
  // binary ALU group (order = the /digit of the 80/81/83 groups)
  'add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp',
  'test', 'inc', 'dec', 'neg', 'not',
  // mul: one-operand (rdx:rax = rax * r/m); imul1: one-operand; imul2: imul r, r/m; imul3: imul r, r/m, imm
  'mul', 'imul1', 'imul2', 'imul3',
  'div', 'idiv',
  // shift/rotate group (order = the /digit of C0/C1/D0-D3 without /6)
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar',
  'shld', 'shrd',
  // cbw: cbw / cwde / cdqe by operand size; cwd: cwd / cdq / cqo by operand size
  'cbw', 'cwd',
  // control flow
  'jmp', 'jcc', 'call', 'ret',
  'loop', 'loope', 'loopne', 'jrcxz',
  'setcc', 'cmovcc',
  // bits
  'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'bswap',
  // misc
  'xlat', 'lahf', 'sahf', 'pushf', 'popf',
  'clc', 'stc', 'cmc', 'cld', 'std',
  // strings (rep/repe/repne from Decoded.rep)
  'lods', 'stos', 'movs', 'scas', 'cmps',
  'nop', 'pause', 'int3', 'int', 'ud2', 'hlt',
  'syscall', 'cpuid', 'rdtsc',
  // 32-bit mode only (their opcodes are invalid or REX in 64-bit mode), and sysenter
  'pusha', 'popa', 'daa', 'das', 'aaa', 'aas', 'aam', 'aad', 'salc', 'into',
  'sysenter',
] as const;

type SemNames = typeof SEM_NAMES;
/** Each name's position in SEM_NAMES, as a literal type. */
type SemIds = { readonly [I in keyof SemNames as I extends `${number}` ? SemNames[I] : never]: I extends `${infer N extends number}` ? N : never };

// Frozen: constant to the JIT, which folds Sem.x in the interpreter's switch.
export const Sem = Object.freeze(Object.fromEntries(SEM_NAMES.map((name, id) => [name, id]))) as SemIds;
export type Sem = SemIds[keyof SemIds];

export const SEM_COUNT = SEM_NAMES.length;

/** The loops that count in rcx, ecx or cx by address size (nasm may name the counter: `loop label, ecx`). */
export const COUNTED_LOOPS: ReadonlySet<number> = new Set([Sem.loop, Sem.loope, Sem.loopne]);

/** NASM condition-code suffixes in encoding order (cc = low nibble of 70-7f / 0f 80-8f / 0f 90 / 0f 40). */
export const CONDITION_CODES = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'] as const;
