/**
 * golf's instruction table: every instruction form golf supports, written once. The decoder, the
 * encoder and the assembler are all driven by FORMS, expanded once into codes (codes.ts: one per form,
 * operation size and mode), so adding a form here makes it decodable, encodable and assemblable.
 *
 * The forms follow the Intel SDM / AMD APM opcode maps. Opcode bytes, /digit, +r, condition codes
 * and operand kinds are data; the builders below only expand families (ALU groups, the 16 condition
 * codes, per-size string mnemonics) so each fact still appears once.
 */
import { CONDITION_CODES, Sem } from './sem.js';

/** Opcode map: the one-byte map, or the two-byte map after 0F. */
export type OpcodeMap = 'legacy' | '0f';

/**
 * How the operation's size is chosen.
 * - `byte`: always 8 bits (the even opcodes of the classic pairs, b0+r, ...).
 * - `v`: 32 bits by default, 16 with a 66 prefix, 64 with REX.W (REX.W wins over 66).
 * - `d64`: like `v` in 32-bit mode; in 64-bit mode 64 by default, 16 with 66, never 32 (push, pop).
 * - `f64`: like `v` in 32-bit mode; in 64-bit mode always 64 whatever 66 says (near branches, ret;
 *   Intel behaviour, which iced-x86 follows by default).
 * - `none`: the instruction has no operand size (clc, syscall, ...).
 */
export type SizeRule = 'byte' | 'v' | 'd64' | 'f64' | 'none';

/**
 * One operand as the encoding carries it. "size" below means the operation size (SizeRule).
 * - `rm`: ModRM r/m, register or memory, of the operation size.
 * - `rm8`, `rm16`, `rm32`: ModRM r/m of that fixed size (movzx/movsx/movsxd sources, setcc).
 * - `mem`: ModRM r/m that must be memory (lea); mod=3 is #UD.
 * - `reg`: ModRM reg field register of the operation size.
 * - `opreg`: register in the low 3 bits of the opcode (+r), extended by REX.B.
 * - `acc`: AL/AX/EAX/RAX by operation size.
 * - `cl`: the CL register (shift/rotate counts).
 * - `one`: the constant 1 (shift/rotate by 1 forms d0-d3).
 * - `imm`: immediate of the operation size, at most 32 bits: 1/2/4 bytes, sign-extended to 64 bits for
 *   64-bit operations.
 * - `imm8s`: one byte, sign-extended to the operation size.
 * - `imm8`: one byte, zero-extended (int n, shift counts, bt index).
 * - `imm16`: two bytes, zero-extended (ret n).
 * - `imm64`: immediate of the full operation size: 2/4/8 bytes (b8+r only, "mov r64, imm64").
 * - `rel8`: signed 8-bit displacement from the next instruction.
 * - `rel`: signed 32-bit displacement from the next instruction (16-bit with 66 in 32-bit mode).
 * - `moffs`: absolute memory offset of the address size (a0-a3), operand of the operation size.
 */
export type OperandSpec =
  | 'rm' | 'rm8' | 'rm16' | 'rm32' | 'mem' | 'reg' | 'opreg' | 'acc' | 'cl' | 'one'
  | 'imm' | 'imm8s' | 'imm8' | 'imm16' | 'imm64' | 'rel8' | 'rel' | 'moffs';

/** Whether rep/repe/repne prefixes change what the instruction does. */
export type RepRule = 'none' | 'rep' | 'repcc';

/**
 * One instruction form: one opcode (with its /digit, mandatory prefix and size restrictions) and the
 * meaning of its operands.
 */
export interface Form {
  /** NASM mnemonic of this form, condition code expanded with CONDITION_CODES (e.g. "jne", "cmovb", "stosq"). */
  mnemonic: string;
  /** Other NASM spellings of the same form (e.g. "jnz" for "jne", "sal" for "shl", "pushf" for "pushfq"). */
  aliases: readonly string[];
  /** Semantics id the interpreter dispatches on. */
  sem: Sem;
  /** Opcode map. */
  map: OpcodeMap;
  /** The opcode byte within the map. For +r forms the value with r = 0; for cc forms the byte for this cc. */
  opcode: number;
  /** The instruction has a ModRM byte. */
  modrm: boolean;
  /** ModRM.reg must equal this (/digit), or -1 when reg is an operand or ignored. */
  digit: number;
  /** Register is encoded in the low 3 bits of the opcode (+r). */
  plusR: boolean;
  /** Condition code 0-15 (see CONDITION_CODES) carried in the opcode's low nibble, or -1. */
  cc: number;
  /**
   * Mandatory prefix: 0xf3 means the form only exists when F3 is the last F2/F3 prefix (pause); 0 means
   * none is required (F2/F3 are then ordinary rep prefixes or ignored).
   */
  prefix: number;
  /** The form does not exist when F3 is the last F2/F3 prefix (F3 0F BC is tzcnt, not bsf). */
  noF3: boolean;
  /** The form does not exist with REX.B set (90 is nop, but 41 90 is xchg r8d, eax). */
  noRexB: boolean;
  /** Explicit operands in NASM (Intel) order, destination first. Implicit operands are not listed. */
  operands: readonly OperandSpec[];
  /** How the operation size is chosen. */
  size: SizeRule;
  /** Effective operation sizes in bytes this form accepts (e.g. [8] for cdqe); others belong to other forms. Empty for size rule `none`. */
  sizes: readonly number[];
  /** Effective address size in bytes this form requires (jecxz: 4), or 0 for any. */
  addressSize: number;
  /** Valid in 64-bit mode. */
  mode64: boolean;
  /** Valid in 32-bit mode. */
  mode32: boolean;
  /** LOCK is allowed (only with a memory destination); otherwise LOCK makes the instruction #UD. */
  lock: boolean;
  /** What F3/F2 prefixes mean for it. */
  rep: RepRule;
  /**
   * The encoding is an undocumented or redundant alias that nasm never emits (f6 /1 test, d0 /6 sal,
   * 82 group). Decoders accept it; an encoder may list it as an alternative; the assembler never picks it.
   */
  alias: boolean;
}

type FormOptions = Partial<Omit<Form, 'mnemonic' | 'sem' | 'map' | 'opcode' | 'operands' | 'size'>>;

const MODRM_OPERANDS: ReadonlySet<OperandSpec> = new Set(['rm', 'rm8', 'rm16', 'rm32', 'mem', 'reg']);

function sizesOf(size: SizeRule): number[] {
  switch (size) {
    case 'byte': return [1];
    case 'v': return [2, 4, 8];
    case 'd64': return [2, 4, 8];
    case 'f64': return [2, 4, 8];
    case 'none': return [];
  }
}

function form(
  mnemonic: string, sem: Sem, map: OpcodeMap, opcode: number, operands: OperandSpec[], size: SizeRule,
  opts: FormOptions = {},
): Form {
  const digit = opts.digit ?? -1;
  return {
    mnemonic,
    aliases: opts.aliases ?? [],
    sem,
    map,
    opcode,
    modrm: opts.modrm ?? (digit >= 0 || operands.some((o) => MODRM_OPERANDS.has(o))),
    digit,
    plusR: opts.plusR ?? operands.includes('opreg'),
    cc: opts.cc ?? -1,
    prefix: opts.prefix ?? 0,
    noF3: opts.noF3 ?? false,
    noRexB: opts.noRexB ?? false,
    operands,
    size,
    sizes: opts.sizes ?? sizesOf(size),
    addressSize: opts.addressSize ?? 0,
    mode64: opts.mode64 ?? true,
    mode32: opts.mode32 ?? true,
    lock: opts.lock ?? false,
    rep: opts.rep ?? 'none',
    alias: opts.alias ?? false,
  };
}

const L = 'legacy';
const X = '0f';
const only32: FormOptions = { mode64: false };
const only64: FormOptions = { mode32: false };

/** NASM's other spellings of each condition code (first entry of CONDITION_CODES is canonical). */
const CC_ALIASES: readonly (readonly string[])[] = [
  [], [], ['c', 'nae'], ['nb', 'nc'], ['z'], ['nz'], ['na'], ['nbe'],
  [], [], ['pe'], ['po'], ['nge'], ['nl'], ['ng'], ['nle'],
];

/** The 16 forms of a condition-code family: opcode base + cc. */
function ccFamily(prefix: string, sem: Sem, map: OpcodeMap, base: number, operands: OperandSpec[], size: SizeRule): Form[] {
  return CONDITION_CODES.map((cc, i) =>
    form(prefix + cc, sem, map, base + i, operands, size, { cc: i, aliases: CC_ALIASES[i].map((a) => prefix + a) }));
}

/** The eight classic ALU instructions: opcodes 8*i + 0..5 and groups 80/81/83 (and 82 in 32-bit mode) /i. */
const ALU: readonly [string, Sem][] = [
  ['add', Sem.add], ['or', Sem.or], ['adc', Sem.adc], ['sbb', Sem.sbb],
  ['and', Sem.and], ['sub', Sem.sub], ['xor', Sem.xor], ['cmp', Sem.cmp],
];

function aluForms(): Form[] {
  const out: Form[] = [];
  ALU.forEach(([name, sem], i) => {
    const lock = name !== 'cmp';
    out.push(
      form(name, sem, L, 8 * i + 0, ['rm', 'reg'], 'byte', { lock }),
      form(name, sem, L, 8 * i + 1, ['rm', 'reg'], 'v', { lock }),
      form(name, sem, L, 8 * i + 2, ['reg', 'rm'], 'byte'),
      form(name, sem, L, 8 * i + 3, ['reg', 'rm'], 'v'),
      form(name, sem, L, 8 * i + 4, ['acc', 'imm'], 'byte'),
      form(name, sem, L, 8 * i + 5, ['acc', 'imm'], 'v'),
      form(name, sem, L, 0x80, ['rm', 'imm'], 'byte', { digit: i, lock }),
      form(name, sem, L, 0x81, ['rm', 'imm'], 'v', { digit: i, lock }),
      form(name, sem, L, 0x83, ['rm', 'imm8s'], 'v', { digit: i, lock }),
      form(name, sem, L, 0x82, ['rm', 'imm'], 'byte', { digit: i, lock, alias: true, ...only32 }),
    );
  });
  return out;
}

/** Shift/rotate group: /digit order of C0/C1/D0-D3 (/6 is the undocumented alias of shl). */
const SHIFTS: readonly [string, Sem, number, boolean][] = [
  ['rol', Sem.rol, 0, false], ['ror', Sem.ror, 1, false], ['rcl', Sem.rcl, 2, false], ['rcr', Sem.rcr, 3, false],
  ['shl', Sem.shl, 4, false], ['shr', Sem.shr, 5, false], ['shl', Sem.shl, 6, true], ['sar', Sem.sar, 7, false],
];

function shiftForms(): Form[] {
  const out: Form[] = [];
  for (const [name, sem, digit, alias] of SHIFTS) {
    const aliases = name === 'shl' ? ['sal'] : [];
    const o: FormOptions = { digit, alias, aliases };
    out.push(
      form(name, sem, L, 0xd0, ['rm', 'one'], 'byte', o),
      form(name, sem, L, 0xd1, ['rm', 'one'], 'v', o),
      form(name, sem, L, 0xd2, ['rm', 'cl'], 'byte', o),
      form(name, sem, L, 0xd3, ['rm', 'cl'], 'v', o),
      form(name, sem, L, 0xc0, ['rm', 'imm8'], 'byte', o),
      form(name, sem, L, 0xc1, ['rm', 'imm8'], 'v', o),
    );
  }
  return out;
}

/** Unary group F6/F7 /2-/7 and test /0 (/1 is an undocumented alias of test). */
function unaryForms(): Form[] {
  const out: Form[] = [];
  for (const [op, size] of [[0xf6, 'byte'], [0xf7, 'v']] as const) {
    out.push(
      form('test', Sem.test, L, op, ['rm', 'imm'], size, { digit: 0 }),
      form('test', Sem.test, L, op, ['rm', 'imm'], size, { digit: 1, alias: true }),
      form('not', Sem.not, L, op, ['rm'], size, { digit: 2, lock: true }),
      form('neg', Sem.neg, L, op, ['rm'], size, { digit: 3, lock: true }),
      form('mul', Sem.mul, L, op, ['rm'], size, { digit: 4 }),
      form('imul', Sem.imul1, L, op, ['rm'], size, { digit: 5 }),
      form('div', Sem.div, L, op, ['rm'], size, { digit: 6 }),
      form('idiv', Sem.idiv, L, op, ['rm'], size, { digit: 7 }),
    );
  }
  return out;
}

/** String instructions: byte opcode, then the 16/32/64-bit opcode with a per-size mnemonic. */
const STRINGS: readonly [string, Sem, number, RepRule][] = [
  ['movs', Sem.movs, 0xa4, 'rep'], ['cmps', Sem.cmps, 0xa6, 'repcc'], ['stos', Sem.stos, 0xaa, 'rep'],
  ['lods', Sem.lods, 0xac, 'rep'], ['scas', Sem.scas, 0xae, 'repcc'],
];

function stringForms(): Form[] {
  const out: Form[] = [];
  for (const [name, sem, op, rep] of STRINGS) {
    out.push(
      form(name + 'b', sem, L, op, [], 'byte', { rep }),
      form(name + 'w', sem, L, op + 1, [], 'v', { rep, sizes: [2] }),
      form(name + 'd', sem, L, op + 1, [], 'v', { rep, sizes: [4] }),
      form(name + 'q', sem, L, op + 1, [], 'v', { rep, sizes: [8], ...only64 }),
    );
  }
  return out;
}

/**
 * An instruction whose mnemonic names its operation size (cbw/cwde/cdqe, pushfw/pushfd/pushfq). For
 * push-like (d64) ones, `sizeless` is NASM's spelling for the mode's default size (pushf = pushfd in
 * 32-bit mode, pushfq in 64-bit mode; the 32-bit form does not exist in 64-bit mode).
 */
function perSize(names: [string, string, string], sem: Sem, opcode: number, size: SizeRule, sizeless?: string): Form[] {
  const [w, d, q] = names;
  const defaultAliases = sizeless ? [sizeless] : [];
  return [
    form(w, sem, L, opcode, [], size, { sizes: [2] }),
    form(d, sem, L, opcode, [], size, { sizes: [4], aliases: defaultAliases, ...(size === 'd64' ? only32 : {}) }),
    form(q, sem, L, opcode, [], size, { sizes: [8], aliases: defaultAliases, ...only64 }),
  ];
}

function buildForms(): Form[] {
  const f: Form[] = [];
  // --- data movement
  f.push(
    form('mov', Sem.mov, L, 0x88, ['rm', 'reg'], 'byte'),
    form('mov', Sem.mov, L, 0x89, ['rm', 'reg'], 'v'),
    form('mov', Sem.mov, L, 0x8a, ['reg', 'rm'], 'byte'),
    form('mov', Sem.mov, L, 0x8b, ['reg', 'rm'], 'v'),
    form('mov', Sem.mov, L, 0xa0, ['acc', 'moffs'], 'byte'),
    form('mov', Sem.mov, L, 0xa1, ['acc', 'moffs'], 'v'),
    form('mov', Sem.mov, L, 0xa2, ['moffs', 'acc'], 'byte'),
    form('mov', Sem.mov, L, 0xa3, ['moffs', 'acc'], 'v'),
    form('mov', Sem.mov, L, 0xb0, ['opreg', 'imm'], 'byte'),
    form('mov', Sem.mov, L, 0xb8, ['opreg', 'imm64'], 'v'),
    form('mov', Sem.mov, L, 0xc6, ['rm', 'imm'], 'byte', { digit: 0 }),
    form('mov', Sem.mov, L, 0xc7, ['rm', 'imm'], 'v', { digit: 0 }),
    form('movzx', Sem.movzx, X, 0xb6, ['reg', 'rm8'], 'v'),
    form('movzx', Sem.movzx, X, 0xb7, ['reg', 'rm16'], 'v'),
    form('movsx', Sem.movsx, X, 0xbe, ['reg', 'rm8'], 'v'),
    form('movsx', Sem.movsx, X, 0xbf, ['reg', 'rm16'], 'v'),
    // The source is r/m32 at every size: with 66 the reference CPU (AMD) still reads a dword and
    // writes its low word (measured: corpus/programs/movsxd-o16-page-end faults 2 bytes before an
    // unmapped page); Intel's SDM lists 66 63 as movsxd r16, r/m16. Without REX.W a 32-bit move.
    form('movsxd', Sem.movsxd, L, 0x63, ['reg', 'rm32'], 'v', only64),
    form('lea', Sem.lea, L, 0x8d, ['reg', 'mem'], 'v'),
    form('xchg', Sem.xchg, L, 0x86, ['rm', 'reg'], 'byte', { lock: true }),
    form('xchg', Sem.xchg, L, 0x87, ['rm', 'reg'], 'v', { lock: true }),
    // 90 without REX.B is nop (or pause with F3): those forms come first, see below.
    form('pause', Sem.pause, L, 0x90, [], 'none', { prefix: 0xf3, noRexB: true, plusR: false }),
    form('nop', Sem.nop, L, 0x90, [], 'none', { noRexB: true, plusR: false }),
    form('xchg', Sem.xchg, L, 0x90, ['acc', 'opreg'], 'v'),
    form('push', Sem.push, L, 0x50, ['opreg'], 'd64'),
    form('push', Sem.push, L, 0x6a, ['imm8s'], 'd64'),
    form('push', Sem.push, L, 0x68, ['imm'], 'd64'),
    form('push', Sem.push, L, 0xff, ['rm'], 'd64', { digit: 6 }),
    form('pop', Sem.pop, L, 0x58, ['opreg'], 'd64'),
    form('pop', Sem.pop, L, 0x8f, ['rm'], 'd64', { digit: 0 }),
  );
  // --- arithmetic and logic
  f.push(...aluForms());
  f.push(
    form('test', Sem.test, L, 0x84, ['rm', 'reg'], 'byte'),
    form('test', Sem.test, L, 0x85, ['rm', 'reg'], 'v'),
    form('test', Sem.test, L, 0xa8, ['acc', 'imm'], 'byte'),
    form('test', Sem.test, L, 0xa9, ['acc', 'imm'], 'v'),
    form('inc', Sem.inc, L, 0xfe, ['rm'], 'byte', { digit: 0, lock: true }),
    form('inc', Sem.inc, L, 0xff, ['rm'], 'v', { digit: 0, lock: true }),
    form('dec', Sem.dec, L, 0xfe, ['rm'], 'byte', { digit: 1, lock: true }),
    form('dec', Sem.dec, L, 0xff, ['rm'], 'v', { digit: 1, lock: true }),
    // 40-4f are REX prefixes in 64-bit mode.
    form('inc', Sem.inc, L, 0x40, ['opreg'], 'v', only32),
    form('dec', Sem.dec, L, 0x48, ['opreg'], 'v', only32),
  );
  f.push(...unaryForms());
  f.push(
    form('imul', Sem.imul2, X, 0xaf, ['reg', 'rm'], 'v'),
    form('imul', Sem.imul3, L, 0x69, ['reg', 'rm', 'imm'], 'v'),
    form('imul', Sem.imul3, L, 0x6b, ['reg', 'rm', 'imm8s'], 'v'),
  );
  f.push(...shiftForms());
  f.push(
    form('shld', Sem.shld, X, 0xa4, ['rm', 'reg', 'imm8'], 'v'),
    form('shld', Sem.shld, X, 0xa5, ['rm', 'reg', 'cl'], 'v'),
    form('shrd', Sem.shrd, X, 0xac, ['rm', 'reg', 'imm8'], 'v'),
    form('shrd', Sem.shrd, X, 0xad, ['rm', 'reg', 'cl'], 'v'),
  );
  f.push(...perSize(['cbw', 'cwde', 'cdqe'], Sem.cbw, 0x98, 'v'));
  f.push(...perSize(['cwd', 'cdq', 'cqo'], Sem.cwd, 0x99, 'v'));
  // --- control flow
  f.push(
    form('jmp', Sem.jmp, L, 0xeb, ['rel8'], 'f64'),
    form('jmp', Sem.jmp, L, 0xe9, ['rel'], 'f64'),
    form('jmp', Sem.jmp, L, 0xff, ['rm'], 'f64', { digit: 4 }),
    ...ccFamily('j', Sem.jcc, L, 0x70, ['rel8'], 'f64'),
    ...ccFamily('j', Sem.jcc, X, 0x80, ['rel'], 'f64'),
    form('call', Sem.call, L, 0xe8, ['rel'], 'f64'),
    form('call', Sem.call, L, 0xff, ['rm'], 'f64', { digit: 2 }),
    form('ret', Sem.ret, L, 0xc3, [], 'f64'),
    form('ret', Sem.ret, L, 0xc2, ['imm16'], 'f64'),
    form('loopne', Sem.loopne, L, 0xe0, ['rel8'], 'f64', { aliases: ['loopnz'] }),
    form('loope', Sem.loope, L, 0xe1, ['rel8'], 'f64', { aliases: ['loopz'] }),
    form('loop', Sem.loop, L, 0xe2, ['rel8'], 'f64'),
    form('jcxz', Sem.jrcxz, L, 0xe3, ['rel8'], 'f64', { addressSize: 2, ...only32 }),
    form('jecxz', Sem.jrcxz, L, 0xe3, ['rel8'], 'f64', { addressSize: 4 }),
    form('jrcxz', Sem.jrcxz, L, 0xe3, ['rel8'], 'f64', { addressSize: 8, ...only64 }),
    // setcc ignores ModRM.reg.
    ...ccFamily('set', Sem.setcc, X, 0x90, ['rm8'], 'byte'),
    ...ccFamily('cmov', Sem.cmovcc, X, 0x40, ['reg', 'rm'], 'v'),
  );
  // --- bits
  f.push(
    form('bt', Sem.bt, X, 0xa3, ['rm', 'reg'], 'v'),
    form('bts', Sem.bts, X, 0xab, ['rm', 'reg'], 'v', { lock: true }),
    form('btr', Sem.btr, X, 0xb3, ['rm', 'reg'], 'v', { lock: true }),
    form('btc', Sem.btc, X, 0xbb, ['rm', 'reg'], 'v', { lock: true }),
    form('bt', Sem.bt, X, 0xba, ['rm', 'imm8'], 'v', { digit: 4 }),
    form('bts', Sem.bts, X, 0xba, ['rm', 'imm8'], 'v', { digit: 5, lock: true }),
    form('btr', Sem.btr, X, 0xba, ['rm', 'imm8'], 'v', { digit: 6, lock: true }),
    form('btc', Sem.btc, X, 0xba, ['rm', 'imm8'], 'v', { digit: 7, lock: true }),
    // F3 0F BC/BD are tzcnt/lzcnt.
    form('bsf', Sem.bsf, X, 0xbc, ['reg', 'rm'], 'v', { noF3: true }),
    form('bsr', Sem.bsr, X, 0xbd, ['reg', 'rm'], 'v', { noF3: true }),
    // bswap of a 16-bit register is undefined: 66 0F C8+r stays unsupported.
    form('bswap', Sem.bswap, X, 0xc8, ['opreg'], 'v', { sizes: [4, 8] }),
  );
  // --- misc
  f.push(
    form('xlatb', Sem.xlat, L, 0xd7, [], 'none', { aliases: ['xlat'] }),
    form('lahf', Sem.lahf, L, 0x9f, [], 'none'),
    form('sahf', Sem.sahf, L, 0x9e, [], 'none'),
    ...perSize(['pushfw', 'pushfd', 'pushfq'], Sem.pushf, 0x9c, 'd64', 'pushf'),
    ...perSize(['popfw', 'popfd', 'popfq'], Sem.popf, 0x9d, 'd64', 'popf'),
    form('clc', Sem.clc, L, 0xf8, [], 'none'),
    form('stc', Sem.stc, L, 0xf9, [], 'none'),
    form('cmc', Sem.cmc, L, 0xf5, [], 'none'),
    form('cld', Sem.cld, L, 0xfc, [], 'none'),
    form('std', Sem.std, L, 0xfd, [], 'none'),
  );
  f.push(...stringForms());
  f.push(
    form('nop', Sem.nop, X, 0x1f, ['rm'], 'v', { digit: 0 }),
    form('int3', Sem.int3, L, 0xcc, [], 'none'),
    form('int', Sem.int, L, 0xcd, ['imm8'], 'none'),
    form('ud2', Sem.ud2, X, 0x0b, [], 'none'),
    form('hlt', Sem.hlt, L, 0xf4, [], 'none'),
    // In 32-bit (compatibility) mode syscall is #UD on Intel CPUs and, on AMD CPUs, returns through
    // the vDSO's landing pad (entry_SYSCALL_compat), which golf does not model: unsupported there.
    form('syscall', Sem.syscall, X, 0x05, [], 'none', only64),
    // #UD on AMD CPUs outside legacy mode (golf's reference CPU); Intel CPUs enter the kernel.
    form('sysenter', Sem.sysenter, X, 0x34, [], 'none'),
    form('cpuid', Sem.cpuid, X, 0xa2, [], 'none'),
    form('rdtsc', Sem.rdtsc, X, 0x31, [], 'none'),
  );
  // --- 32-bit mode only: these opcodes are #UD (or REX prefixes) in 64-bit mode.
  f.push(
    form('pushaw', Sem.pusha, L, 0x60, [], 'v', { sizes: [2], ...only32 }),
    form('pushad', Sem.pusha, L, 0x60, [], 'v', { sizes: [4], aliases: ['pusha'], ...only32 }),
    form('popaw', Sem.popa, L, 0x61, [], 'v', { sizes: [2], ...only32 }),
    form('popad', Sem.popa, L, 0x61, [], 'v', { sizes: [4], aliases: ['popa'], ...only32 }),
    form('daa', Sem.daa, L, 0x27, [], 'none', only32),
    form('das', Sem.das, L, 0x2f, [], 'none', only32),
    form('aaa', Sem.aaa, L, 0x37, [], 'none', only32),
    form('aas', Sem.aas, L, 0x3f, [], 'none', only32),
    // NASM's bare `aam`/`aad` (base 10) are not accepted: write `aam 10`.
    form('aam', Sem.aam, L, 0xd4, ['imm8'], 'none', only32),
    form('aad', Sem.aad, L, 0xd5, ['imm8'], 'none', only32),
    // Undocumented by Intel but executed by Intel and AMD CPUs alike: al = CF ? 0xff : 0.
    form('salc', Sem.salc, L, 0xd6, [], 'none', only32),
    form('into', Sem.into, L, 0xce, [], 'none', only32),
  );
  return f;
}

/**
 * Every instruction form golf supports. Order matters only among forms sharing an opcode: the first
 * match wins (codes.ts expands the forms into codes and holds that rule).
 */
export const FORMS: readonly Form[] = Object.freeze(buildForms());
