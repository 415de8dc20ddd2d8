/**
 * One instruction statement to bytes: operands evaluated for this pass, nasm's rewrites
 * (`mov r64, imm32` -> `mov r32`, `imul eax, 3` -> `imul eax, eax, 3`), and nasm's choice among
 * the encoder's candidates (nasm-select.ts).
 *
 * Branch targets and RIP-relative addresses are passed to the encoder relative to the
 * instruction, computed here in 64-bit arithmetic, so the encoder only ever sees small numbers
 * whatever the origin (`org 0x500000000` and above 2^53 alike).
 */
import { SyntaxProblem } from './errors.js';
import { evaluate, type EvalContext } from './expr.js';
import type { OperandSyntax, OpsizeWord, Statement } from './parser.js';
import { resolveAddress } from './address.js';
import { OPERAND_ORDER, selectEncoding, type Constraints } from './nasm-select.js';
import type { Code } from '../x86/codes.js';
import { encodeAll, formsOf, type AsmInstruction, type AsmOperand } from '../x86/encoder.js';
import { Reg } from '../x86/decoded.js';
import { COUNTED_LOOPS } from '../x86/sem.js';

export type InstructionStatement = Extract<Statement, { k: 'instruction' }>;

/** What an instruction's encoding depends on besides its operands. */
export interface InstructionEnv {
  mode: 64 | 32;
  defaultRel: boolean;
  /** Address of the instruction (`$`). */
  here: bigint;
}

/** Operands evaluated for this pass; `unknown` if some value depends on a symbol not placed yet. */
type Built = { operands: AsmOperand[]; constraints: Constraints; opsize: number | undefined; unknown: boolean };

function buildOperands(st: InstructionStatement, state: InstructionEnv, ctx: EvalContext): Built {
  const constraints: Constraints = { relocImm: false, relocDisp: false, jump: undefined, immSize: 0, immStrict: false };
  let unknown = false;
  const operands: AsmOperand[] = [];
  let sizedOperand = false;
  let immKeyword = 0;
  for (const o of st.operands) operands.push(buildOperand(o));
  let opsize: number | undefined = st.opsizeWord ? st.opsizeWord / 8 : undefined;
  if (!sizedOperand && immKeyword !== 0 && immKeyword !== 1) opsize = opsize ?? immKeyword;
  return { operands, constraints, opsize, unknown };

  function buildOperand(o: OperandSyntax): AsmOperand {
    if (o.k === 'reg') {
      sizedOperand = true;
      return { kind: 'reg', reg: o.reg, size: o.size };
    }
    if (o.k === 'imm') {
      const v = evaluate(o.expr, ctx);
      if (v.unknown) unknown = true;
      if (v.reloc !== 0) constraints.relocImm = true;
      if (v.reloc !== 0 && v.reloc !== 1 && !v.unknown) throw new SyntaxProblem('expression is not a simple address or number');
      constraints.jump = o.jump ?? constraints.jump;
      if (o.size !== 0) {
        immKeyword = o.size;
        constraints.immSize = o.size;
        constraints.immStrict = o.strict;
      }
      return { kind: 'imm', value: v.v };
    }
    if (o.size !== 0) sizedOperand = true;
    const a = resolveAddress(o.expr, ctx);
    if (a.disp.unknown) unknown = true;
    if (a.disp.reloc !== 0 && a.disp.reloc !== 1 && !a.disp.unknown) throw new SyntaxProblem('address expression is not simple');
    const regless = a.base < 0 && a.index < 0;
    const segmentBlocksRel = o.segment === 0x64 || o.segment === 0x65;
    const rel = state.mode === 64 && regless && !o.disp64 && (o.rel ?? (state.defaultRel && !segmentBlocksRel)) && (a.disp.reloc === 1 || a.disp.unknown);
    if (a.disp.reloc !== 0 && !rel) constraints.relocDisp = true;
    if (o.disp64 && (state.mode !== 64 || !regless)) throw new SyntaxProblem('a 64-bit absolute address ([qword ...]) needs 64-bit mode and no registers');
    if (st.addressSize === 4 && regless && !rel && !a.disp.unknown && (a.disp.v < -0x80000000n || a.disp.v > 0xffffffffn)) {
      throw new SyntaxProblem(`address 0x${BigInt.asUintN(64, a.disp.v).toString(16)} does not fit in 32 bits (a32)`);
    }
    if (state.mode === 64 && st.addressSize !== 4 && regless && !rel && !o.disp64 && !a.disp.unknown && (a.disp.v < -0x80000000n || a.disp.v > 0x7fffffffn)) {
      // nasm truncates such an address to 32 bits (with a warning); golf will not pick moffs64 silently.
      throw new SyntaxProblem(`address 0x${BigInt.asUintN(64, a.disp.v).toString(16)} does not fit in a sign-extended 32-bit displacement (nasm truncates it); write [qword ...] for a 64-bit absolute address`);
    }
    // RIP-relative: the target relative to this instruction (a target not placed yet: here).
    const disp = rel ? Number(BigInt.asIntN(64, a.disp.unknown ? 0n : a.disp.v - state.here)) : Number(a.disp.v);
    return {
      kind: 'mem', size: o.size, base: rel ? Reg.rip : a.base, index: a.index, scale: a.scale, disp,
      segment: o.segment || st.segment, addressSize: a.addressSize || undefined, disp64: o.disp64,
      ...(o.disp64 ? { offset64: BigInt.asUintN(64, a.disp.v) } : {}),
    };
  }
}

/** NASM's rewrite of `mov r64, imm` with a constant 0 <= imm < 2^32 into the shorter `mov r32, imm`. */
function nasmMovRewrite(mnemonic: string, ops: AsmOperand[], c: Constraints, mode: 64 | 32): AsmOperand[] {
  const [dst, src] = ops;
  if (mode !== 64 || mnemonic !== 'mov' || ops.length !== 2 || dst?.kind !== 'reg' || dst.size !== 8 || src?.kind !== 'imm') return ops;
  if (c.relocImm || c.immStrict || src.value < 0n || src.value > 0xffffffffn) return ops;
  return [{ ...dst, size: 4 }, src];
}

/**
 * `loop label, ecx` is nasm's spelling of `a32 loop label`: the counter operand gives the address
 * size (rcx, ecx, cx), and is not an operand of the encoding.
 */
function counterAsAddressSize(st: InstructionStatement): InstructionStatement {
  const counter = st.operands[1];
  if (!formsOf(st.mnemonic).some((f) => COUNTED_LOOPS.has(f.sem)) || st.operands.length !== 2 || counter?.k !== 'reg' || counter.reg !== Reg.rcx) return st;
  if (st.addressSize !== 0 && st.addressSize !== counter.size) throw new SyntaxProblem(`the counter ${st.mnemonic} names disagrees with its address-size prefix`);
  return { ...st, operands: st.operands.slice(0, 1), addressSize: counter.size };
}

export function encodeInstruction(statement: InstructionStatement, state: InstructionEnv, ctx: EvalContext): Uint8Array {
  const st = counterAsAddressSize(statement);
  const mode = state.mode;
  if (st.opsizeWord === 64 && mode !== 64) throw new SyntaxProblem(`'o64' is not valid in 32-bit mode`);
  const built = buildOperands(st, state, ctx);
  const operands = nasmMovRewrite(st.mnemonic, built.operands, built.constraints, mode);
  // The encoder works at address 0; branch targets are made relative to the instruction below.
  const address = 0;
  requireOperationSize(st.mnemonic, operands, built.opsize, mode);
  const written: AsmInstruction = { mnemonic: st.mnemonic, operands: nasmShorthand(st.mnemonic, operands, mode), opsize: built.opsize, rep: st.rep, lock: st.lock, segment: st.segment, ...(st.addressSize ? { addressSize: st.addressSize } : {}) };
  const isBranch = formsOf(st.mnemonic).some((f) => f.operands.includes('rel8') || f.operands.includes('rel'));
  // A branch to a label not placed yet: assume it is close (short), later passes grow it if not.
  const base: AsmInstruction = !isBranch ? written : {
    ...written,
    operands: written.operands.map((o) => (o.kind === 'imm' ? { kind: 'imm', value: built.unknown ? 0n : BigInt.asIntN(64, o.value - state.here) } : o)),
  };
  const orders = operandOrders(base);
  const lists = orders.map((ins) => encodeAll(ins, mode, address));
  let choice = selectEncoding(lists, built.constraints);
  if (choice === undefined && built.opsize === 4 && mode === 64) {
    // `push dword imm` in 64-bit mode: the push is 64-bit with a sign-extended imm32 (nasm's reading).
    choice = selectEncoding(orders.map((ins) => encodeAll({ ...ins, opsize: 8 }, mode, address)), built.constraints);
  }
  if (choice === undefined) throw new SyntaxProblem(diagnose(base, mode, address, built.constraints, state.here));
  const wordProblem = opsizeWordProblem(st.opsizeWord, choice.code, st.mnemonic);
  if (wordProblem) throw new SyntaxProblem(wordProblem);
  return choice.bytes;
}

/**
 * nasm's o16/o32/o64 set the operand-size attribute whatever the operands say. Where the word names
 * the size the instruction has anyway, nasm writes the same bytes as without it; elsewhere it adds
 * a 66 or REX.W that changes or pads the instruction (`o16 lodsb` is 66 ac, `o64 ret` 48 c3, `o32
 * lodsw` drops its 66), sometimes with a warning. golf writes only the first kind (checked against
 * nasm's bytes in corpus/asm/expected.tsv) and refuses the rest: a prefix byte is `db 0x66`.
 * - a form with an operation size: the word must be that size, and not o64 on a form whose size is
 *   64 by default (nasm writes REX.W on some of them: ret, call/jmp rel32, pushf);
 * - a form without one (byte or size-less): only o32, which writes nothing in 32- and 64-bit code.
 */
function opsizeWordProblem(word: OpsizeWord, code: Code, mnemonic: string): string | null {
  if (word === 0) return null;
  const size = code.form.size;
  const sized = size === 'v' || size === 'd64' || size === 'f64';
  const same = sized ? code.opsize * 8 === word && !(word === 64 && size !== 'v') : word === 32;
  if (same) return null;
  const has = code.opsize ? `is ${code.opsize * 8}-bit here` : 'has no operand size';
  return `'o${word} ${mnemonic}': the instruction ${has}, where nasm would add a prefix that changes it (not supported: write the prefix byte with db)`;
}

/**
 * NASM's shorthand for three-operand forms `reg, r/m, imm`: `imul eax, 3` means `imul eax, eax, 3`.
 * Applied when no form takes the operands as written but one takes them with the first repeated.
 */
function nasmShorthand(mnemonic: string, ops: AsmOperand[], mode: 64 | 32): AsmOperand[] {
  const forms = formsOf(mnemonic).filter((f) => (mode === 64 ? f.mode64 : f.mode32));
  if (ops.length !== 2 || ops[0]?.kind !== 'reg' || ops[1]?.kind !== 'imm') return ops;
  const immSpecs = ['imm', 'imm8s', 'imm8', 'imm16', 'imm64', 'one'];
  if (forms.some((f) => f.operands.length === 2 && immSpecs.includes(f.operands[1]!))) return ops;
  const takesRepeated = forms.some((f) => f.operands.length === 3 && f.operands[0] === 'reg' && f.operands[1] === 'rm');
  return takesRepeated ? [ops[0], ops[0], ops[1]!] : ops;
}

/** The operand orders nasm tries (both for commutative instructions). */
function operandOrders(ins: AsmInstruction): AsmInstruction[] {
  const forms = formsOf(ins.mnemonic);
  const pref = forms.length > 0 ? OPERAND_ORDER.get(forms[0]!.sem) : undefined;
  if (pref === undefined || ins.operands.length !== 2) return [ins];
  const swapped = { ...ins, operands: [ins.operands[1]!, ins.operands[0]!] };
  return pref === 'swapped-first' ? [swapped, ins] : [ins, swapped];
}

/**
 * A memory operand without a size keyword is only acceptable when something else fixes the size:
 * a register operand, an immediate's size keyword, a fixed-size spec (movzx source, lea, setcc),
 * or a near branch's implied size. Otherwise nasm says "operation size not specified".
 */
function requireOperationSize(mnemonic: string, ops: AsmOperand[], opsize: number | undefined, mode: 64 | 32): void {
  const mem = ops.find((o) => o.kind === 'mem' && o.size === 0);
  if (mem === undefined || opsize !== undefined || ops.some((o) => o.kind === 'reg')) return;
  const forms = formsOf(mnemonic).filter((f) => (mode === 64 ? f.mode64 : f.mode32) && f.operands.length === ops.length);
  const fixed = forms.some((f) => f.size === 'f64' || f.operands.some((s) => s === 'mem' || s === 'rm8' || s === 'rm16' || s === 'rm32' || s === 'moffs') && !f.operands.includes('rm'));
  if (!fixed) throw new SyntaxProblem(`operation size not specified for '${mnemonic}' (add byte, word, dword or qword)`);
}

/** Explains why an instruction has no encoding: mode, immediate range, branch reach, or operand combination. */
function diagnose(ins: AsmInstruction, mode: 64 | 32, address: number, c: Constraints, here: bigint): string {
  const forms = formsOf(ins.mnemonic);
  if (!forms.some((f) => (mode === 64 ? f.mode64 : f.mode32))) return `'${ins.mnemonic}' is not valid in ${mode}-bit mode`;
  const immIndex = ins.operands.findIndex((o) => o.kind === 'imm');
  if (immIndex >= 0) {
    const isBranch = forms.some((f) => f.operands.includes('rel8') || f.operands.includes('rel'));
    const probe = isBranch ? BigInt(address) : 0n;
    const replaced = ins.operands.map((o, i) => (i === immIndex ? { kind: 'imm' as const, value: probe } : o));
    const fits = operandOrders({ ...ins, operands: replaced }).some((v) => selectEncoding([encodeAll(v, mode, address)], c) !== undefined);
    if (fits) {
      const value = (ins.operands[immIndex] as { value: bigint }).value;
      const target = BigInt.asUintN(64, value + here);
      return isBranch ? `branch target 0x${target.toString(16)} is out of range${c.jump === 'short' ? ' for a short jump' : ''}` : `immediate ${value} out of range for '${ins.mnemonic}'`;
    }
  }
  const mem = ins.operands.find((o) => o.kind === 'mem');
  if (mem?.kind === 'mem' && mem.base === Reg.rip) return `RIP-relative target ${mem.disp < 0 ? '-' : '+'}0x${Math.abs(mem.disp).toString(16)} bytes away is out of reach of a 32-bit displacement`;
  if (mem?.kind === 'mem' && (mem.disp > 0xffffffff || mem.disp < -0x80000000)) return `displacement 0x${mem.disp.toString(16)} out of range`;
  return `invalid combination of opcode and operands for '${ins.mnemonic}'`;
}

