/**
 * NASM integer expressions: parsing to a small tree and evaluation with 64-bit wrap-around.
 *
 * Values carry a relocation count: how many times the section base (org) is contained in them.
 * Labels, `$` and `$$` count 1; plain numbers and differences of labels count 0. NASM treats the
 * two kinds differently when choosing encodings (it never shrinks an immediate or displacement
 * whose value is relocatable), so the assembler needs to know which is which.
 */
import { SyntaxProblem } from './errors.js';
import type { Token } from './lexer.js';

export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string }
  | { k: 'here' }
  | { k: 'base' }
  | { k: 'unary'; op: string; a: Expr }
  | { k: 'binary'; op: string; a: Expr; b: Expr }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr };

export interface Value {
  /** The value, as a signed 64-bit integer. */
  v: bigint;
  /** Multiplicity of the section base in the value (0 = absolute constant, 1 = address). */
  reloc: number;
  /** Depends on a symbol not (yet) defined: the value is a placeholder. */
  unknown: boolean;
}

export interface EvalContext {
  /** A symbol's value, or undefined if it has no value yet. */
  lookup(name: string): Value | undefined;
  /** Address of the current statement (`$`). */
  here: bigint;
  /** Start address of the section (`$$`). */
  base: bigint;
  /** Relocation count of `$` and `$$`: 1 in a section, 0 in `absolute` space at a number. */
  hereReloc?: number;
  /** Called for every symbol that has no value (so the final pass can report it). */
  onUndefined?(name: string): void;
}

/**
 * Binary operator precedence, lowest first, as nasm 2.16 has it (observed: `1 || 1 ^^ 1` is 1,
 * `3 | 4 == 7` is 1). Below all of them is the right-associative `c ? a : b`.
 */
const LEVELS: string[][] = [
  ['||'], ['^^'], ['&&'], ['==', '=', '!=', '<>', '<', '>', '<=', '>=', '<=>'],
  ['|'], ['^'], ['&'], ['<<', '>>', '<<<', '>>>'], ['+', '-'], ['*', '/', '//', '%', '%%'],
];
const COMPARISONS = new Set(LEVELS[3]);
const BOOLEANS = new Set(['||', '^^', '&&']);

/** A cursor over a token list, shared by the expression and operand parsers. */
export class TokenStream {
  pos = 0;
  /** `scope` is the last non-local label: names starting with one dot are local to it. */
  constructor(readonly tokens: Token[], readonly scope = '') {}
  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }
  next(): Token {
    const t = this.tokens[this.pos++];
    if (t === undefined) throw new SyntaxProblem('unexpected end of line');
    return t;
  }
  isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'op' && t.text === text;
  }
  isId(lowerText: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && t.kind === 'id' && t.text.toLowerCase() === lowerText;
  }
  expectOp(text: string): void {
    if (!this.isOp(text)) throw new SyntaxProblem(`expected '${text}'${this.atEnd() ? ' at end of line' : ` before '${tokenText(this.peek()!)}'`}`);
    this.pos++;
  }
}

export function tokenText(t: Token): string {
  return t.text;
}

/** Parses an expression; stops at a token that cannot continue it (',', ']', ':' ...). */
export function parseExpr(ts: TokenStream): Expr {
  const c = parseLevel(ts, 0);
  // `?` is a name character in NASM, so the operator is the token `?` standing alone.
  if (!ts.isId('?')) return c;
  ts.next();
  const a = parseExpr(ts);
  ts.expectOp(':');
  return { k: 'cond', c, a, b: parseExpr(ts) };
}

function parseLevel(ts: TokenStream, level: number): Expr {
  if (level === LEVELS.length) return parseUnary(ts);
  let left = parseLevel(ts, level + 1);
  for (;;) {
    const t = ts.peek();
    if (t === undefined || t.kind !== 'op' || !LEVELS[level]!.includes(t.text)) return left;
    ts.next();
    left = { k: 'binary', op: t.text, a: left, b: parseLevel(ts, level + 1) };
  }
}

function parseUnary(ts: TokenStream): Expr {
  const t = ts.next();
  if (t.kind === 'op') {
    if (t.text === '(') {
      const e = parseExpr(ts);
      ts.expectOp(')');
      return e;
    }
    if (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!') return { k: 'unary', op: t.text, a: parseUnary(ts) };
    throw new SyntaxProblem(`expected an expression before '${t.text}'`);
  }
  if (t.kind === 'num') return { k: 'num', v: t.value };
  if (t.kind === 'str') {
    // A string in an expression is a character constant: bytes packed little-endian.
    if (t.bytes.length > 8) throw new SyntaxProblem(`character constant ${t.text} is longer than 8 bytes`);
    let v = 0n;
    t.bytes.forEach((b, i) => (v |= BigInt(b) << BigInt(8 * i)));
    return { k: 'num', v: BigInt.asIntN(64, v) };
  }
  if (t.text === '$') return { k: 'here' };
  if (t.text === '$$') return { k: 'base' };
  // `$name` escapes a name that would otherwise be a keyword; `.name` is local to the last label.
  const name = t.text.startsWith('$') ? t.text.slice(1) : t.text;
  return { k: 'sym', name: name.startsWith('.') && !name.startsWith('..') ? ts.scope + name : name };
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);
const unsigned = (v: bigint): bigint => BigInt.asUintN(64, v);

export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.k) {
    case 'num':
      return { v: wrap(e.v), reloc: 0, unknown: false };
    case 'here':
      return { v: ctx.here, reloc: ctx.hereReloc ?? 1, unknown: false };
    case 'base':
      return { v: ctx.base, reloc: ctx.hereReloc ?? 1, unknown: false };
    case 'sym': {
      const found = ctx.lookup(e.name);
      if (found !== undefined) return found;
      ctx.onUndefined?.(e.name);
      return { v: 0n, reloc: 0, unknown: true };
    }
    case 'unary': {
      const a = evaluate(e.a, ctx);
      if (e.op === '+') return a;
      if (e.op === '-') return { v: wrap(-a.v), reloc: -a.reloc, unknown: a.unknown };
      requireAbsolute(a, e.op);
      return { v: e.op === '~' ? wrap(~a.v) : a.v === 0n ? 1n : 0n, reloc: 0, unknown: a.unknown };
    }
    case 'cond': {
      const c = evaluate(e.c, ctx);
      requireAbsolute(c, '?');
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      if (c.unknown) return { v: 0n, reloc: 0, unknown: true };
      const pick = c.v !== 0n ? a : b;
      return pick;
    }
    case 'binary': {
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      const unknown = a.unknown || b.unknown;
      if (e.op === '+') return { v: wrap(a.v + b.v), reloc: a.reloc + b.reloc, unknown };
      if (e.op === '-') return { v: wrap(a.v - b.v), reloc: a.reloc - b.reloc, unknown };
      if (COMPARISONS.has(e.op)) return compare(e.op, a, b);
      requireAbsolute(a, e.op);
      requireAbsolute(b, e.op);
      return { v: binaryAbsolute(e.op, a.v, b.v, unknown), reloc: 0, unknown };
    }
  }
}

/**
 * nasm compares by the sign of the 64-bit difference, not by signed order: with it
 * `0x8000000000000000 < 1` is false. Both sides must be numbers or addresses in the same place.
 */
function compare(op: string, a: Value, b: Value): Value {
  if (a.unknown || b.unknown) return { v: 0n, reloc: 0, unknown: true };
  if (a.reloc !== b.reloc) throw new SyntaxProblem(`operator '${op}' compares an address with a number (use a difference such as label - $$)`);
  const d = wrap(a.v - b.v);
  let r: boolean;
  switch (op) {
    case '==': case '=': r = d === 0n; break;
    case '!=': case '<>': r = d !== 0n; break;
    case '<': r = d < 0n; break;
    case '>': r = d > 0n; break;
    case '<=': r = d <= 0n; break;
    case '>=': r = d >= 0n; break;
    default:
      // nasm 2.16.01 gives `a <=> b` no usable value when a < b (an error in %if, 0 in db).
      if (d < 0n) throw new SyntaxProblem("'<=>' with a smaller left side has no value in nasm 2.16.01");
      return { v: d > 0n ? 1n : 0n, reloc: 0, unknown: false };
  }
  return { v: r ? 1n : 0n, reloc: 0, unknown: false };
}

function requireAbsolute(v: Value, op: string): void {
  if (v.reloc !== 0 && !v.unknown) throw new SyntaxProblem(`operator '${op}' applied to an address (use a difference such as label - $$)`);
}

function binaryAbsolute(op: string, a: bigint, b: bigint, unknown: boolean): bigint {
  // nasm shifts as the x86 does: by the count modulo 64 (`1 << 64` is 1).
  const shift = Number(unsigned(b) & 63n);
  if (BOOLEANS.has(op)) {
    const x = a !== 0n;
    const y = b !== 0n;
    return (op === '&&' ? x && y : op === '||' ? x || y : x !== y) ? 1n : 0n;
  }
  switch (op) {
    case '*': return wrap(a * b);
    case '/':
    case '%':
    case '//':
    case '%%': {
      if (b === 0n) {
        if (unknown) return 0n;
        throw new SyntaxProblem('division by zero');
      }
      if (op === '/') return wrap(unsigned(a) / unsigned(b));
      if (op === '%') return wrap(unsigned(a) % unsigned(b));
      // nasm 2.16 dies of SIGFPE on this one (the x86 idiv traps).
      if (a === -(1n << 63n) && b === -1n) throw new SyntaxProblem(`'${op}' of -2^63 by -1 overflows (nasm 2.16 crashes on it)`);
      if (op === '//') return wrap(a / b);
      return wrap(a % b);
    }
    case '<<':
    case '<<<': return wrap(unsigned(a) << BigInt(shift));
    case '>>': return wrap(unsigned(a) >> BigInt(shift));
    case '>>>': return wrap(a >> BigInt(shift));
    case '&': return wrap(a & b);
    case '|': return wrap(a | b);
    case '^': return wrap(a ^ b);
  }
  throw new SyntaxProblem(`unknown operator '${op}'`);
}
