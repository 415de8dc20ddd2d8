/**
 * Parser: one preprocessed NASM line (as tokens) to a statement. Knows NASM's line shape
 * `[label[:]] [times N] [prefixes] mnemonic|directive operands` and its operand syntax (size
 * keywords, `strict`, `short`/`near`, `[seg: rel|abs expr]`); values stay unevaluated expressions.
 */
import { SyntaxProblem } from './errors.js';
import { parseExpr, TokenStream, type Expr } from './expr.js';
import type { Token } from './lexer.js';
import { lookupRegister, segmentPrefix } from './registers.js';
import { isMnemonic } from '../x86/encoder.js';
import { SEGMENT_PREFIXES } from '../x86/registers.js';

/** NASM size keywords, in bytes. */
export const SIZE_KEYWORDS: ReadonlyMap<string, number> = new Map([['byte', 1], ['word', 2], ['dword', 4], ['qword', 8]]);

/** Data directives and their unit size in bytes. */
const DATA_UNITS: ReadonlyMap<string, number> = new Map([['db', 1], ['dw', 2], ['dd', 4], ['dq', 8]]);
const RESERVE_UNITS: ReadonlyMap<string, number> = new Map([['resb', 1], ['resw', 2], ['resd', 4], ['resq', 8]]);

/** Instruction prefixes written as words before the mnemonic. */
type PrefixWord = { rep?: number; lock?: boolean; segment?: number; addressSize?: number };
const PREFIX_WORDS: ReadonlyMap<string, PrefixWord> = new Map<string, PrefixWord>([
  ['rep', { rep: 0xf3 }], ['repe', { rep: 0xf3 }], ['repz', { rep: 0xf3 }],
  ['repne', { rep: 0xf2 }], ['repnz', { rep: 0xf2 }], ['lock', { lock: true }],
  // a segment register's name before the mnemonic is its override (`fs lodsb`)
  ...[...SEGMENT_PREFIXES].map(([name, segment]): [string, PrefixWord] => [name, { segment }]),
  // nasm's address-size overrides, for operands the instruction implies (`a32 stosb`, `a32 loop`)
  ['a16', { addressSize: 2 }], ['a32', { addressSize: 4 }], ['a64', { addressSize: 8 }],
]);

/** Directives that nasm -f bin accepts and that do not change the output. */
const IGNORED_DIRECTIVES: ReadonlySet<string> = new Set(['global', 'extern', 'static', 'required', 'cpu', 'float']);

/** Directives with their own statement (nasm implements several as standard macros). */
const DIRECTIVES: ReadonlySet<string> = new Set([
  'bits', 'use64', 'use32', 'use16', 'org', 'section', 'segment', 'default', 'align', 'alignb', 'sectalign', 'equ',
  'absolute', 'struc', 'endstruc', 'istruc', 'at', 'iend', 'incbin', 'common', 'map',
]);

export type OperandSyntax =
  | { k: 'reg'; reg: number; size: number }
  | {
      k: 'mem';
      /** Operand size from a keyword before the brackets, 0 if none. */
      size: number;
      segment: number;
      /** `rel`/`abs` inside the brackets, or undefined to follow `default`. */
      rel: boolean | undefined;
      /** `[qword addr]`: a 64-bit absolute offset (moffs). */
      disp64: boolean;
      /** The bracket contents (registers appear as symbols). */
      expr: Expr;
    }
  | { k: 'imm'; expr: Expr; size: number; strict: boolean; jump: 'short' | 'near' | undefined };

export type DataItem = { k: 'bytes'; bytes: number[] } | { k: 'expr'; expr: Expr };

/** The operand-size prefix word before an instruction (o16, o32, o64), or 0 for none. */
export type OpsizeWord = 0 | 16 | 32 | 64;

export type Statement =
  | { k: 'empty' }
  | { k: 'instruction'; mnemonic: string; operands: OperandSyntax[]; rep: number; lock: boolean; segment: number; opsizeWord: OpsizeWord; addressSize: number }
  | { k: 'data'; unit: number; items: DataItem[] }
  | { k: 'reserve'; unit: number; count: Expr }
  | { k: 'times'; count: Expr; body: Statement }
  | { k: 'bits'; mode: 64 | 32 }
  | { k: 'org'; expr: Expr }
  | { k: 'section'; name: string; align: Expr | null }
  | { k: 'default'; rel: boolean }
  /** `align n[, fill]` (fill defaults to nop) and `alignb n[, fill]` (reserve: no fill given). */
  | { k: 'align'; boundary: Expr; fill: Statement | null; reserve: boolean }
  | { k: 'sectalign'; value: Expr | 'on' | 'off' }
  | { k: 'absolute'; expr: Expr }
  | { k: 'struc'; name: string; offset: Expr | null }
  | { k: 'endstruc' }
  | { k: 'istruc'; name: string }
  /** `at field[, statement]`: the field's tokens are read against the structure being filled. */
  | { k: 'at'; field: Token[]; body: Statement | null }
  | { k: 'iend' }
  /** `[map ...]`: nasm's bin map file; golf writes none. */
  | { k: 'map' }
  | { k: 'incbin'; file: string; skip: Expr | null; count: Expr | null };

export interface ParsedLine {
  /** Label defined at the start of the line (local labels already qualified), or null. */
  label: string | null;
  /** `label equ expr`: the value expression. */
  equ: Expr | null;
  statement: Statement;
}

/** Parses the tokens of one line. `scope` is the last non-local label (for `.local` names). */
export function parseLine(tokens: Token[], scope: string): ParsedLine {
  // A global label on this line starts the scope its own local references use.
  const first0 = tokens[0];
  const ownScope = first0?.kind === 'id' && !first0.text.startsWith('.') && (tokens[1]?.kind === 'op' && tokens[1].text === ':' || !isKeyword(first0.text)) ? first0.text : scope;
  const ts = new TokenStream(tokens, ownScope);
  let label: string | null = null;
  if (ts.atEnd()) return { label, equ: null, statement: { k: 'empty' } };
  // Bracketed directive form: [bits 64], [org 0x1000], [section .text].
  if (ts.isOp('[') && tokens[tokens.length - 1]?.kind === 'op' && tokens[tokens.length - 1]!.text === ']') {
    const inner = new TokenStream(tokens.slice(1, -1), scope);
    const word = inner.peek();
    if (word?.kind === 'id' && isDirective(word.text)) return { label, equ: null, statement: parseStatement(inner) };
  }
  const first = ts.peek()!;
  if (first.kind === 'id' && (ts.isOp(':', 1) || !isKeyword(first.text))) {
    label = qualify(first.text, scope);
    ts.next();
    const colon = ts.isOp(':');
    if (colon) ts.next();
    // Without a colon, `foo eax` is far more likely a misspelt mnemonic than a label.
    if (!colon && !ts.atEnd() && !ts.isId('equ') && !(ts.peek()!.kind === 'id' && isKeyword(ts.peek()!.text))) {
      throw new SyntaxProblem(`unknown mnemonic '${first.text}'`);
    }
    if (ts.isId('equ')) {
      ts.next();
      const expr = parseExpr(ts);
      expectEnd(ts);
      return { label, equ: expr, statement: { k: 'empty' } };
    }
    if (!ts.atEnd()) {
      const t = ts.peek()!;
      if (t.kind !== 'id' || !isKeyword(t.text)) {
        throw new SyntaxProblem(t.kind === 'id' ? `unknown mnemonic or directive '${t.text}'` : `unexpected '${t.text}' after label`);
      }
    }
  }
  const statement = parseStatement(ts);
  return { label, equ: null, statement };
}

/** Resolves `.local` against the last global label; `..@name` and ordinary names stay as they are. */
export function qualify(name: string, scope: string): string {
  const bare = name.startsWith('$') ? name.slice(1) : name;
  return bare.startsWith('.') && !bare.startsWith('..') ? scope + bare : bare;
}

/** True if a word can start a statement (mnemonic, prefix, directive), so it is not a label. */
function isKeyword(word: string): boolean {
  const w = word.toLowerCase();
  return isMnemonic(w) || PREFIX_WORDS.has(w) || isDirective(w) || w === 'times' || w === 'o16' || w === 'o32' || w === 'o64';
}

function isDirective(word: string): boolean {
  const w = word.toLowerCase();
  return DATA_UNITS.has(w) || RESERVE_UNITS.has(w) || IGNORED_DIRECTIVES.has(w) || DIRECTIVES.has(w);
}

function expectEnd(ts: TokenStream): void {
  const t = ts.peek();
  if (t !== undefined) throw new SyntaxProblem(`unexpected '${t.text}'`);
}

function parseStatement(ts: TokenStream): Statement {
  if (ts.atEnd()) return { k: 'empty' };
  const t = ts.next();
  if (t.kind !== 'id') throw new SyntaxProblem(`expected a mnemonic or directive, found '${t.text}'`);
  const word = t.text.toLowerCase();
  if (word === 'times') {
    const count = parseExpr(ts);
    const body = parseStatement(ts);
    if (body.k === 'empty') throw new SyntaxProblem('times needs something to repeat');
    return { k: 'times', count, body };
  }
  if (DATA_UNITS.has(word)) return { k: 'data', unit: DATA_UNITS.get(word)!, items: parseDataItems(ts) };
  if (RESERVE_UNITS.has(word)) {
    const count = parseExpr(ts);
    expectEnd(ts);
    return { k: 'reserve', unit: RESERVE_UNITS.get(word)!, count };
  }
  if (word === 'use16') throw new SyntaxProblem('16-bit mode is not supported (golf assembles 64 or 32)');
  if (word === 'bits' || word === 'use64' || word === 'use32') {
    let bits: bigint;
    if (word === 'bits') {
      const n = ts.next();
      if (n.kind !== 'num') throw new SyntaxProblem('bits needs 64 or 32');
      bits = n.value;
    } else bits = word === 'use64' ? 64n : 32n;
    expectEnd(ts);
    if (bits !== 64n && bits !== 32n) throw new SyntaxProblem(`unsupported mode bits ${bits} (golf assembles 64 or 32)`);
    return { k: 'bits', mode: bits === 64n ? 64 : 32 };
  }
  if (word === 'org') {
    const expr = parseExpr(ts);
    expectEnd(ts);
    return { k: 'org', expr };
  }
  if (word === 'section' || word === 'segment') return parseSection(ts);
  if (word === 'absolute') {
    const expr = parseExpr(ts);
    expectEnd(ts);
    return { k: 'absolute', expr };
  }
  if (word === 'struc') {
    const name = ts.next();
    if (name.kind !== 'id') throw new SyntaxProblem('struc needs a structure name');
    let offset: Expr | null = null;
    if (ts.isOp(',')) {
      ts.next();
      offset = parseExpr(ts);
    }
    expectEnd(ts);
    return { k: 'struc', name: name.text, offset };
  }
  if (word === 'istruc') {
    const name = ts.next();
    if (name.kind !== 'id') throw new SyntaxProblem('istruc needs a structure name');
    expectEnd(ts);
    return { k: 'istruc', name: name.text };
  }
  if (word === 'endstruc' || word === 'iend') {
    expectEnd(ts);
    return { k: word };
  }
  if (word === 'at') {
    const field: Token[] = [];
    while (!ts.atEnd() && !ts.isOp(',')) field.push(ts.next());
    if (field.length === 0) throw new SyntaxProblem('at needs a structure field');
    let body: Statement | null = null;
    if (ts.isOp(',')) {
      ts.next();
      body = parseStatement(ts);
    }
    return { k: 'at', field, body };
  }
  if (word === 'sectalign') {
    const t = ts.peek();
    const onOff = t?.kind === 'id' ? t.text.toLowerCase() : '';
    if (onOff === 'on' || onOff === 'off') {
      ts.next();
      expectEnd(ts);
      return { k: 'sectalign', value: onOff };
    }
    const value = parseExpr(ts);
    expectEnd(ts);
    return { k: 'sectalign', value };
  }
  if (word === 'incbin') {
    const f = ts.next();
    if (f.kind !== 'str') throw new SyntaxProblem('incbin needs a file name in quotes');
    let skip: Expr | null = null;
    let count: Expr | null = null;
    if (ts.isOp(',')) {
      ts.next();
      skip = parseExpr(ts);
      if (ts.isOp(',')) {
        ts.next();
        count = parseExpr(ts);
      }
    }
    expectEnd(ts);
    return { k: 'incbin', file: Buffer.from(f.bytes).toString('utf8'), skip, count };
  }
  if (word === 'map') {
    while (!ts.atEnd()) ts.next();
    return { k: 'map' };
  }
  if (word === 'common') throw new SyntaxProblem('binary output format does not support common variables');
  if (word === 'default') {
    const w = ts.next();
    expectEnd(ts);
    const v = w.text.toLowerCase();
    if (v !== 'rel' && v !== 'abs') throw new SyntaxProblem(`default takes rel or abs, not '${w.text}'`);
    return { k: 'default', rel: v === 'rel' };
  }
  if (word === 'align' || word === 'alignb') {
    const boundary = parseExpr(ts);
    let fill: Statement | null = null;
    if (ts.isOp(',')) {
      ts.next();
      fill = parseStatement(ts);
    }
    expectEnd(ts);
    return { k: 'align', boundary, fill, reserve: word === 'alignb' && fill === null };
  }
  if (IGNORED_DIRECTIVES.has(word)) {
    while (!ts.atEnd()) ts.next();
    return { k: 'empty' };
  }
  // Instruction, possibly after prefixes.
  let rep = 0;
  let lock = false;
  let segment = 0;
  let opsizeWord: OpsizeWord = 0;
  let addressSize = 0;
  let mnemonic = word;
  for (;;) {
    const p = PREFIX_WORDS.get(mnemonic);
    if (p !== undefined || mnemonic === 'o16' || mnemonic === 'o32' || mnemonic === 'o64') {
      if (p?.rep) rep = p.rep;
      if (p?.lock) lock = true;
      if (p?.segment) segment = p.segment;
      if (p?.addressSize) addressSize = p.addressSize;
      if (mnemonic === 'o16' || mnemonic === 'o32' || mnemonic === 'o64') opsizeWord = Number(mnemonic.slice(1)) as OpsizeWord;
      if (ts.atEnd()) throw new SyntaxProblem(`prefix '${mnemonic}' without an instruction`);
      const n = ts.next();
      if (n.kind !== 'id') throw new SyntaxProblem(`expected a mnemonic after '${mnemonic}'`);
      mnemonic = n.text.toLowerCase();
      continue;
    }
    break;
  }
  if (!isMnemonic(mnemonic)) throw new SyntaxProblem(`unknown mnemonic '${mnemonic}'`);
  const operands: OperandSyntax[] = [];
  if (!ts.atEnd()) {
    for (;;) {
      operands.push(parseOperand(ts));
      if (ts.atEnd()) break;
      ts.expectOp(',');
    }
  }
  return { k: 'instruction', mnemonic, operands, rep, lock, segment, opsizeWord, addressSize };
}

/**
 * `section NAME [attributes]`. golf lays out one section, so only attributes that keep it one
 * flat, file-backed section starting at org are accepted: align=N, progbits and the ELF-style
 * flags bin ignores. start=, vstart=, follows=, vfollows= and nobits change the layout: errors.
 */
function parseSection(ts: TokenStream): Statement {
  const name = ts.next();
  let align: Expr | null = null;
  while (!ts.atEnd()) {
    const t = ts.next();
    const w = t.text.toLowerCase();
    if (t.kind === 'id' && ts.isOp('=')) {
      ts.next();
      if (w === 'align') align = parseExpr(ts);
      else if (['start', 'vstart', 'follows', 'vfollows'].includes(w)) throw new SyntaxProblem(`section attribute '${t.text}=' is not supported (golf assembles one section at org)`);
      else throw new SyntaxProblem(`unknown section attribute '${t.text}='`);
    } else if (t.kind === 'id' && ['progbits', 'exec', 'noexec', 'alloc', 'noalloc', 'write', 'nowrite'].includes(w)) continue;
    else if (t.kind === 'id' && w === 'nobits') throw new SyntaxProblem('nobits sections are not supported (golf assembles one file-backed section)');
    else throw new SyntaxProblem(`unexpected '${t.text}' in section directive`);
  }
  return { k: 'section', name: name.text, align };
}

function parseDataItems(ts: TokenStream): DataItem[] {
  const items: DataItem[] = [];
  if (ts.atEnd()) throw new SyntaxProblem('data directive without values');
  for (;;) {
    const t = ts.peek()!;
    const after = ts.peek(1);
    // A string on its own is a byte string; inside an expression it is a character constant.
    if (t.kind === 'str' && (after === undefined || (after.kind === 'op' && after.text === ','))) {
      ts.next();
      items.push({ k: 'bytes', bytes: t.bytes });
    } else items.push({ k: 'expr', expr: parseExpr(ts) });
    if (ts.atEnd()) return items;
    ts.expectOp(',');
    // nasm accepts (and ignores) one trailing comma: `db 1, 2,`.
    if (ts.atEnd()) return items;
  }
}

function parseOperand(ts: TokenStream): OperandSyntax {
  let size = 0;
  let strict = false;
  let jump: 'short' | 'near' | undefined;
  for (;;) {
    const t = ts.peek();
    if (t?.kind !== 'id') break;
    const w = t.text.toLowerCase();
    if (SIZE_KEYWORDS.has(w)) size = SIZE_KEYWORDS.get(w)!;
    else if (w === 'strict') strict = true;
    else if (w === 'short' || w === 'near') jump = w;
    else break;
    ts.next();
  }
  if (ts.isOp('[')) {
    ts.next();
    const mem = parseMemoryInner(ts, size);
    ts.expectOp(']');
    return mem;
  }
  const t = ts.peek();
  if (t?.kind === 'id' && ts.peek(1) === undefined || (t?.kind === 'id' && ts.isOp(',', 1))) {
    const r = lookupRegister(t!.text);
    if (r !== undefined) {
      ts.next();
      if (size !== 0 && size !== r.size) throw new SyntaxProblem(`size keyword does not match register ${t!.text}`);
      return { k: 'reg', reg: r.reg, size: r.size };
    }
    if (segmentPrefix(t!.text) !== undefined) throw new SyntaxProblem(`segment register ${t!.text} is not supported as an operand`);
  }
  return { k: 'imm', expr: parseExpr(ts), size, strict, jump };
}

function parseMemoryInner(ts: TokenStream, size: number): OperandSyntax {
  let segment = 0;
  let rel: boolean | undefined;
  let disp64 = false;
  for (;;) {
    const t = ts.peek();
    if (t?.kind !== 'id') break;
    const w = t.text.toLowerCase();
    if (segmentPrefix(w) !== undefined && ts.isOp(':', 1)) {
      segment = segmentPrefix(w)!;
      ts.next();
      ts.next();
    } else if (w === 'rel' || w === 'abs') {
      rel = w === 'rel';
      ts.next();
    } else if (w === 'qword') {
      disp64 = true;
      ts.next();
    } else if (SIZE_KEYWORDS.has(w)) throw new SyntaxProblem(`displacement size keyword '${w}' inside brackets is not supported`);
    else break;
  }
  return { k: 'mem', size, segment, rel, disp64, expr: parseExpr(ts) };
}
