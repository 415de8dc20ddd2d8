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
  | { k: 'binary'; op: string; a: Expr; b: Expr };

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
  /** Called for every symbol that has no value (so the final pass can report it). */
  onUndefined?(name: string): void;
}

/** Binary operator precedence, lowest first, as NASM defines it. */
const LEVELS: string[][] = [['|'], ['^'], ['&'], ['<<', '>>', '<<<', '>>>'], ['+', '-'], ['*', '/', '//', '%', '%%']];

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
export function parseExpr(ts: TokenStream, level = 0): Expr {
  if (level === LEVELS.length) return parseUnary(ts);
  let left = parseExpr(ts, level + 1);
  for (;;) {
    const t = ts.peek();
    if (t === undefined || t.kind !== 'op' || !LEVELS[level]!.includes(t.text)) return left;
    ts.next();
    left = { k: 'binary', op: t.text, a: left, b: parseExpr(ts, level + 1) };
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
      return { v: ctx.here, reloc: 1, unknown: false };
    case 'base':
      return { v: ctx.base, reloc: 1, unknown: false };
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
    case 'binary': {
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      const unknown = a.unknown || b.unknown;
      if (e.op === '+') return { v: wrap(a.v + b.v), reloc: a.reloc + b.reloc, unknown };
      if (e.op === '-') return { v: wrap(a.v - b.v), reloc: a.reloc - b.reloc, unknown };
      requireAbsolute(a, e.op);
      requireAbsolute(b, e.op);
      return { v: binaryAbsolute(e.op, a.v, b.v, unknown), reloc: 0, unknown };
    }
  }
}

function requireAbsolute(v: Value, op: string): void {
  if (v.reloc !== 0 && !v.unknown) throw new SyntaxProblem(`operator '${op}' applied to an address (use a difference such as label - $$)`);
}

function binaryAbsolute(op: string, a: bigint, b: bigint, unknown: boolean): bigint {
  const shift = Number(unsigned(b) > 64n ? 64n : unsigned(b));
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
