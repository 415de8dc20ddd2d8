/**
 * Memory operands: turning the expression inside `[...]` into base + index*scale + displacement the
 * way NASM does it.
 *
 * NASM's rules, observed with nasm 2.16:
 * - a register multiplied by 2, 3, 5 or 9 alone is split into base + index ([rax*3] = [rax+rax*2]);
 * - a register with an explicit multiplier (even *1) is the index, the other register the base;
 *   otherwise the first register written is the base;
 * - rsp/esp cannot be an index, so a scale-1 pair with it is swapped ([rbp*1+rsp] = [rsp+rbp]).
 */
import { SyntaxProblem } from './errors.js';
import { evaluate, type EvalContext, type Expr, type Value } from './expr.js';
import { lookupRegister } from './registers.js';

interface RegTerm {
  reg: number;
  size: number;
  coeff: bigint;
  explicitScale: boolean;
}

interface Linear {
  regs: RegTerm[];
  /** Register-free remainder terms with their signs. */
  rest: Array<{ sign: 1 | -1; expr: Expr }>;
}

export interface Address {
  base: number;
  index: number;
  scale: number;
  /** 4 or 8 (from the registers), 0 when there are none. */
  addressSize: number;
  disp: Value;
}

function containsRegister(e: Expr): boolean {
  switch (e.k) {
    case 'sym': return lookupRegister(e.name) !== undefined;
    case 'unary': return containsRegister(e.a);
    case 'binary': return containsRegister(e.a) || containsRegister(e.b);
    default: return false;
  }
}

function linearize(e: Expr, sign: 1 | -1, ctx: EvalContext): Linear {
  if (!containsRegister(e)) return { regs: [], rest: [{ sign, expr: e }] };
  if (e.k === 'sym') {
    const r = lookupRegister(e.name)!;
    return { regs: [{ reg: r.reg, size: r.size, coeff: BigInt(sign), explicitScale: false }], rest: [] };
  }
  if (e.k === 'unary' && (e.op === '-' || e.op === '+')) return linearize(e.a, e.op === '-' ? (-sign as 1 | -1) : sign, ctx);
  if (e.k === 'binary' && (e.op === '+' || e.op === '-')) {
    const a = linearize(e.a, sign, ctx);
    const b = linearize(e.b, e.op === '-' ? (-sign as 1 | -1) : sign, ctx);
    return { regs: [...a.regs, ...b.regs], rest: [...a.rest, ...b.rest] };
  }
  if (e.k === 'binary' && e.op === '*') {
    const [regSide, factorSide] = containsRegister(e.a) ? [e.a, e.b] : [e.b, e.a];
    if (containsRegister(factorSide)) throw new SyntaxProblem('a register may not be multiplied by a register');
    const factor = evaluate(factorSide, ctx);
    if (factor.unknown || factor.reloc !== 0) throw new SyntaxProblem('a register scale must be a constant');
    const inner = linearize(regSide, sign, ctx);
    if (inner.rest.length > 0) throw new SyntaxProblem('invalid effective address');
    return { regs: inner.regs.map((r) => ({ ...r, coeff: r.coeff * factor.v, explicitScale: true })), rest: [] };
  }
  throw new SyntaxProblem('invalid effective address: registers may only be added or scaled');
}

/** Evaluates the bracket contents into NASM's choice of base, index, scale and displacement. */
export function resolveAddress(e: Expr, ctx: EvalContext): Address {
  const lin = linearize(e, 1, ctx);
  // Merge repeated registers ([rax+rax] is rax*2).
  const terms: RegTerm[] = [];
  for (const t of lin.regs) {
    const same = terms.find((u) => u.reg === t.reg);
    if (same) {
      if (same.size !== t.size) throw new SyntaxProblem('invalid effective address: mixed register sizes');
      same.coeff += t.coeff;
      same.explicitScale = true;
    } else terms.push({ ...t });
  }
  const used = terms.filter((t) => t.coeff !== 0n);
  let disp: Value = { v: 0n, reloc: 0, unknown: false };
  for (const r of lin.rest) {
    const v = evaluate(r.expr, ctx);
    disp = {
      v: BigInt.asIntN(64, disp.v + BigInt(r.sign) * v.v),
      reloc: disp.reloc + r.sign * v.reloc,
      unknown: disp.unknown || v.unknown,
    };
  }
  if (used.length > 2) throw new SyntaxProblem('invalid effective address: more than two registers');
  for (const t of used) {
    if (t.size !== 4 && t.size !== 8) throw new SyntaxProblem('invalid effective address: only 32- and 64-bit registers can address memory');
    if (t.reg >= 16) throw new SyntaxProblem('invalid effective address');
  }
  if (used.length === 2 && used[0]!.size !== used[1]!.size) throw new SyntaxProblem('invalid effective address: mixed register sizes');
  const addressSize = used.length > 0 ? used[0]!.size : 0;
  let base = -1;
  let index = -1;
  let scale = 1;
  if (used.length === 1) {
    const t = used[0]!;
    const c = Number(t.coeff);
    if (c === 1) base = t.reg;
    else if (c === 2 || c === 3 || c === 5 || c === 9) [base, index, scale] = [t.reg, t.reg, c - 1];
    else if (c === 4 || c === 8) [index, scale] = [t.reg, c];
    else throw new SyntaxProblem(`invalid effective address: scale ${t.coeff}`);
  } else if (used.length === 2) {
    let [b, i] = used as [RegTerm, RegTerm];
    if (b.explicitScale && !i.explicitScale && i.coeff === 1n) [b, i] = [i, b];
    if (b.coeff !== 1n) [b, i] = [i, b];
    if (b.coeff !== 1n) throw new SyntaxProblem('invalid effective address: two scaled registers');
    if (i.reg === 4 && i.coeff === 1n) [b, i] = [i, b];
    if (![1n, 2n, 4n, 8n].includes(i.coeff)) throw new SyntaxProblem(`invalid effective address: scale ${i.coeff}`);
    if (i.reg === 4) throw new SyntaxProblem('invalid effective address: rsp cannot be an index register');
    [base, index, scale] = [b.reg, i.reg, Number(i.coeff)];
  }
  if (index === 4) throw new SyntaxProblem('invalid effective address: rsp cannot be an index register');
  return { base, index, scale, addressSize, disp };
}
