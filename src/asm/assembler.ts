/**
 * The assembler: NASM `-f bin` compatible flat binaries.
 *
 * Multi-pass layout: every pass lays out all statements with the symbol values of the previous
 * pass (forward references) or of this pass (backward ones). While a value is unknown it is taken
 * as 0 (a branch target as the branch itself), so code starts short and grows where values turn
 * out large; each pass makes nasm's choice (nasm-select.ts) for the values it has. Passes repeat
 * until no label moves, then one more pass emits with every value final.
 */
import { AsmError, SyntaxProblem } from './errors.js';
import { evaluate, parseExpr, TokenStream, type EvalContext, type Expr, type Value } from './expr.js';
import { parseLine, type OperandSyntax, type Statement } from './parser.js';
import { preprocess } from './preprocess.js';
import { resolveAddress } from './address.js';
import { OPERAND_ORDER, selectEncoding, type Constraints } from './nasm-select.js';
import { encodeAll, formsOf, type AsmInstruction, type AsmOperand, type Encoding } from '../x86/encoder.js';
import { Reg } from '../x86/decoded.js';

/** Passes before the layout is declared unstable (nasm gives up similarly). */
const MAX_PASSES = 40;

/** NASM's `align` fills code with this (a one-byte nop). */
const ALIGN_FILL_NOP = 0x90;

interface Line {
  line: number;
  label: string | null;
  equ: Expr | null;
  statement: Statement;
}

interface PassState {
  mode: 64 | 32;
  defaultRel: boolean;
  org: bigint;
  orgSet: boolean;
  section: string | null;
  out: number[];
  /** Symbols defined so far in this pass. */
  symbols: Map<string, Value>;
  /** Some value was unknown in this pass. */
  sawUnknown: boolean;
  /** First undefined symbol use, for the final report. */
  undefinedUse: { name: string; line: number } | null;
  final: boolean;
}

/** Assembles NASM source to a flat binary. Throws AsmError naming file:line on any problem. */
export function assemble(source: string, fileName = '<input>'): Uint8Array {
  const fail = (line: number, message: string): never => {
    throw new AsmError(fileName, line, message);
  };
  const pre = preprocess(source, (tokens) => constantOf(tokens), fail);
  const lines: Line[] = [];
  let scope = '';
  for (const l of pre.lines) {
    try {
      const parsed = parseLine(l.tokens, scope);
      if (parsed.label !== null && !parsed.label.startsWith('.') && !parsed.label.startsWith('..@') && !isLocalOf(parsed.label, scope)) scope = parsed.label;
      lines.push({ line: l.line, ...parsed });
    } catch (err) {
      if (err instanceof SyntaxProblem) fail(l.line, err.message);
      throw err;
    }
  }
  checkDuplicateLabels(lines, fail);

  let previous = new Map<string, Value>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const state = runPass(lines, previous, false, fail);
    const stable = !state.sawUnknown && sameSymbols(previous, state.symbols);
    previous = state.symbols;
    if (stable) {
      const final = runPass(lines, previous, true, fail);
      return Uint8Array.from(final.out);
    }
  }
  // Still moving: report the first undefined symbol if that is why, else the instability.
  const last = runPass(lines, previous, false, fail);
  if (last.undefinedUse) fail(last.undefinedUse.line, `undefined symbol '${last.undefinedUse.name}'`);
  return fail(lines[0]?.line ?? 1, `layout does not converge after ${MAX_PASSES} passes`);
}

function isLocalOf(label: string, scope: string): boolean {
  return scope !== '' && label.startsWith(scope + '.');
}

/** Evaluates a constant expression given as tokens (for %assign). */
function constantOf(tokens: import('./lexer.js').Token[]): bigint {
  const ts = new TokenStream(tokens);
  const e = parseExpr(ts);
  if (!ts.atEnd()) throw new SyntaxProblem(`unexpected '${ts.peek()!.text}' in %assign`);
  const v = evaluate(e, { lookup: () => undefined, here: 0n, base: 0n });
  if (v.unknown || v.reloc !== 0) throw new SyntaxProblem('%assign needs a constant expression');
  return v.v;
}

function checkDuplicateLabels(lines: Line[], fail: (line: number, message: string) => never): void {
  const seen = new Map<string, number>();
  for (const l of lines) {
    if (l.label === null) continue;
    const first = seen.get(l.label);
    if (first !== undefined) fail(l.line, `symbol '${l.label}' redefined (first defined on line ${first})`);
    seen.set(l.label, l.line);
  }
}

function sameSymbols(a: Map<string, Value>, b: Map<string, Value>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) {
    const w = a.get(k);
    if (w === undefined || w.v !== v.v || w.reloc !== v.reloc || w.unknown !== v.unknown) return false;
  }
  return true;
}

function runPass(lines: Line[], previous: Map<string, Value>, final: boolean, fail: (line: number, message: string) => never): PassState {
  const state: PassState = {
    mode: 64, defaultRel: false, org: 0n, orgSet: false, section: null, out: [],
    symbols: new Map(), sawUnknown: false, undefinedUse: null, final,
  };
  for (const l of lines) {
    try {
      const here = state.org + BigInt(state.out.length);
      const ctx = contextFor(state, previous, here, l.line);
      if (l.label !== null) {
        const value: Value = l.equ !== null ? evaluate(l.equ, ctx) : { v: here, reloc: 1, unknown: false };
        if (value.unknown) state.sawUnknown = true;
        state.symbols.set(l.label, value);
      }
      emitStatement(l.statement, state, previous, l.line);
    } catch (err) {
      if (err instanceof SyntaxProblem) fail(l.line, err.message);
      throw err;
    }
  }
  if (final && state.undefinedUse) fail(state.undefinedUse.line, `undefined symbol '${state.undefinedUse.name}'`);
  return state;
}

function contextFor(state: PassState, previous: Map<string, Value>, here: bigint, line: number): EvalContext {
  return {
    lookup: (name) => state.symbols.get(name) ?? previous.get(name),
    here,
    base: state.org,
    onUndefined: (name) => {
      state.sawUnknown = true;
      if (state.undefinedUse === null) state.undefinedUse = { name, line };
      if (state.final) throw new SyntaxProblem(`undefined symbol '${name}'`);
    },
  };
}

/** Evaluates an expression that must be known now (counts, org): an unknown value is an error. */
function known(e: Expr, ctx: EvalContext, what: string): Value {
  const v = evaluate(e, ctx);
  if (v.unknown) throw new SyntaxProblem(`${what} must not depend on symbols defined later`);
  return v;
}

function emitStatement(st: Statement, state: PassState, previous: Map<string, Value>, line: number): void {
  const here = state.org + BigInt(state.out.length);
  const ctx = contextFor(state, previous, here, line);
  switch (st.k) {
    case 'empty':
      return;
    case 'bits':
      state.mode = st.mode;
      return;
    case 'default':
      state.defaultRel = st.rel;
      return;
    case 'section':
      if (state.section !== null && state.section !== st.name) {
        throw new SyntaxProblem(`a second section ('${st.name}' after '${state.section}') is not supported: golf assembles one flat section`);
      }
      state.section = st.name;
      return;
    case 'org': {
      const v = known(st.expr, ctx, 'org');
      if (state.orgSet && v.v !== state.org) throw new SyntaxProblem('org given twice with different values');
      if (state.out.length > 0 && !state.orgSet && v.v !== 0n) {
        // nasm applies org to the whole section even when it comes after code: so do we.
      }
      state.org = v.v;
      state.orgSet = true;
      return;
    }
    case 'data':
      emitData(st.unit, st.items, state, ctx);
      return;
    case 'reserve': {
      const n = known(st.count, ctx, 'reserve count');
      if (n.v < 0n) throw new SyntaxProblem(`negative reserve count ${n.v}`);
      for (let i = 0n; i < n.v * BigInt(st.unit); i++) state.out.push(0);
      return;
    }
    case 'times': {
      const n = evaluate(st.count, ctx);
      if (n.unknown) {
        state.sawUnknown = true;
        return;
      }
      if (n.reloc !== 0) throw new SyntaxProblem('times count must be a number, not an address');
      if (n.v < 0n) throw new SyntaxProblem(`times count is negative (${n.v})`);
      for (let i = 0n; i < n.v; i++) emitStatement(st.body, state, previous, line);
      return;
    }
    case 'align': {
      const b = known(st.boundary, ctx, 'align boundary').v;
      if (b <= 0n || (b & (b - 1n)) !== 0n) throw new SyntaxProblem(`align boundary ${b} is not a power of two`);
      const offset = BigInt(state.out.length);
      const pad = (b - (offset % b)) % b;
      for (let i = 0n; i < pad; i++) {
        if (st.fill === null) state.out.push(ALIGN_FILL_NOP);
        else emitStatement(st.fill, state, previous, line);
      }
      return;
    }
    case 'instruction':
      for (const b of encodeInstruction(st, state, ctx)) state.out.push(b);
      return;
  }
}

/** Value ranges NASM accepts for data of each unit without a warning. */
function dataFits(v: bigint, unit: number): boolean {
  if (unit === 8) return true;
  const bits = BigInt(8 * unit);
  return v >= -(1n << (bits - 1n)) && v < 1n << bits;
}

function emitData(unit: number, items: import('./parser.js').DataItem[], state: PassState, ctx: EvalContext): void {
  for (const item of items) {
    if (item.k === 'bytes') {
      // Strings in dw/dd/dq are padded with zeros to a whole number of units.
      const padded = Math.ceil(item.bytes.length / unit) * unit;
      for (let i = 0; i < padded; i++) state.out.push(item.bytes[i] ?? 0);
      continue;
    }
    const v = evaluate(item.expr, ctx);
    if (!v.unknown && !dataFits(v.v, unit)) throw new SyntaxProblem(`value ${v.v} out of range for ${unit}-byte data`);
    let x = BigInt.asUintN(8 * unit, v.v);
    for (let i = 0; i < unit; i++) {
      state.out.push(Number(x & 0xffn));
      x >>= 8n;
    }
  }
}

/** Operands evaluated for this pass; `unknown` if some value depends on a symbol not placed yet. */
type Built = { operands: AsmOperand[]; constraints: Constraints; opsize: number | undefined; unknown: boolean };

function buildOperands(st: Extract<Statement, { k: 'instruction' }>, state: PassState, ctx: EvalContext): Built {
  const constraints: Constraints = { relocImm: false, relocDisp: false, jump: undefined, immSize: 0, immStrict: false };
  let unknown = false;
  const operands: AsmOperand[] = [];
  let sizedOperand = false;
  let immKeyword = 0;
  for (const o of st.operands) operands.push(buildOperand(o));
  let opsize: number | undefined = st.o16 ? 2 : undefined;
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
    const disp = Number(a.disp.v);
    return {
      kind: 'mem', size: o.size, base: rel ? Reg.rip : a.base, index: a.index, scale: a.scale, disp,
      segment: o.segment || st.segment, addressSize: a.addressSize || undefined, disp64: o.disp64,
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

function encodeInstruction(st: Extract<Statement, { k: 'instruction' }>, state: PassState, ctx: EvalContext): Uint8Array {
  const built = buildOperands(st, state, ctx);
  const mode = state.mode;
  const operands = nasmMovRewrite(st.mnemonic, built.operands, built.constraints, mode);
  const address = Number(ctx.here);
  requireOperationSize(st.mnemonic, operands, built.opsize, mode);
  const base: AsmInstruction = { mnemonic: st.mnemonic, operands: nasmShorthand(st.mnemonic, operands, mode), opsize: built.opsize, rep: st.rep, lock: st.lock, segment: st.segment };
  if (built.unknown) {
    // A branch to a label not placed yet: assume it is close (short), later passes grow it if not.
    const isBranch = formsOf(st.mnemonic).some((f) => f.operands.includes('rel8') || f.operands.includes('rel'));
    if (isBranch) base.operands = base.operands.map((o) => (o.kind === 'imm' ? { kind: 'imm', value: BigInt(address) } : o));
  }
  const orders = operandOrders(base);
  const lists = orders.map((ins) => encodeAll(ins, mode, address));
  let choice = selectEncoding(lists, built.constraints);
  if (choice === undefined && built.opsize === 4 && mode === 64) {
    // `push dword imm` in 64-bit mode: the push is 64-bit with a sign-extended imm32 (nasm's reading).
    choice = selectEncoding(orders.map((ins) => encodeAll({ ...ins, opsize: 8 }, mode, address)), built.constraints);
  }
  if (choice === undefined) throw new SyntaxProblem(diagnose(base, mode, address, built.constraints));
  return choice.bytes;
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
function diagnose(ins: AsmInstruction, mode: 64 | 32, address: number, c: Constraints): string {
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
      return isBranch ? `branch target 0x${value.toString(16)} is out of range${c.jump === 'short' ? ' for a short jump' : ''}` : `immediate ${value} out of range for '${ins.mnemonic}'`;
    }
  }
  const mem = ins.operands.find((o) => o.kind === 'mem');
  if (mem?.kind === 'mem' && (mem.disp > 0xffffffff || mem.disp < -0x80000000)) return `displacement 0x${mem.disp.toString(16)} out of range`;
  return `invalid combination of opcode and operands for '${ins.mnemonic}'`;
}

export { AsmError };
export type { Encoding };
