/**
 * Tokens of NASM's preprocessor. Unlike the assembler's lexer (lexer.ts), these keep whitespace
 * (it matters for `%define f(x)` versus `%define f (x)`, for %defstr and for %ifidn) and know the
 * `%` forms: directives and `%name`, macro parameters (`%1`, `%{2}`, `%{1:3}`, `%0`, `%00`,
 * `%+1`/`%-1`), macro-local labels `%%name`, context-local names `%$name`, pasting `%+`,
 * `%?`/`%??` and `%[...]`.
 *
 * A preprocessed line is turned back into text (detokenize) and tokenized again by lexer.ts, as
 * nasm re-scans the preprocessor's output, so adjacent tokens join exactly as they do in nasm.
 */
import { SyntaxProblem } from './errors.js';

export type PPKind =
  | 'ws'
  | 'id'
  | 'num'
  | 'str'
  /** `%name`: a directive or an unknown `%` word. */
  | 'pp'
  /** `%%name`, a macro-local label. */
  | 'local'
  /** `%$name`, `%$$name`: context-local. */
  | 'ctx'
  /** `%1`, `%{1}`, `%{1:2}`, `%0`, `%00`, `%+1`, `%-1`. */
  | 'param'
  /** `%+`, explicit token pasting. */
  | 'paste'
  /** `%?` and `%??`. */
  | 'mname'
  /** `%[...]`, expanded and pasted in place. */
  | 'indirect'
  | 'op';

export interface PPToken {
  kind: PPKind;
  text: string;
}

export const ID_START = /[A-Za-z_.?@$]/;
export const ID_CHAR = /[A-Za-z0-9_.?@$#~]/;
/** Characters that continue a number (0x1f, 1fh, 1_000, 1.5 ...). */
export const NUM_CHAR = /[0-9A-Za-z_.]/;

/** Multi-character operators, longest first. */
const OPERATORS = ['<<<', '>>>', '<=>', '<<', '>>', '//', '==', '!=', '<>', '<=', '>=', '&&', '||', '^^'];

/** Tokenizes one logical line; a `;` outside strings ends it. Throws SyntaxProblem on an unterminated string. */
export function ppTokenize(line: string): PPToken[] {
  const out: PPToken[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      let j = i + 1;
      while (j < n && /[ \t\r\f\v]/.test(line[j]!)) j++;
      out.push({ kind: 'ws', text: line.slice(i, j) });
      i = j;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = stringEnd(line, i);
      if (end < 0) throw new SyntaxProblem(`unterminated string ${line.slice(i).trimEnd()}`);
      out.push({ kind: 'str', text: line.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    if (c === '%') {
      const t = percentToken(line, i);
      out.push(t);
      i += t.text.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '$' && /[0-9]/.test(line[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && NUM_CHAR.test(line[j]!)) j++;
      out.push({ kind: 'num', text: line.slice(i, j) });
      i = j;
      continue;
    }
    if (ID_START.test(c)) {
      let j = i + 1;
      while (j < n && ID_CHAR.test(line[j]!)) j++;
      out.push({ kind: 'id', text: line.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i)) ?? c;
    out.push({ kind: 'op', text: op });
    i += op.length;
  }
  return out;
}

/** Index of the closing quote of the string starting at `start`, or -1. Backquoted strings have escapes. */
export function stringEnd(line: string, start: number): number {
  const q = line[start]!;
  for (let i = start + 1; i < line.length; i++) {
    if (q === '`' && line[i] === '\\') i++;
    else if (line[i] === q) return i;
  }
  return -1;
}

function percentToken(line: string, i: number): PPToken {
  const rest = line.slice(i);
  let m: RegExpExecArray | null;
  if ((m = /^%%[A-Za-z_.?@$#~0-9]+/.exec(rest)) && ID_START.test(rest[2]!)) return { kind: 'local', text: m[0] };
  if ((m = /^%\$+[A-Za-z_.?@$#~0-9]+/.exec(rest))) return { kind: 'ctx', text: m[0] };
  if ((m = /^%[+-]?[0-9]+/.exec(rest))) return { kind: 'param', text: m[0] };
  if (rest.startsWith('%+')) return { kind: 'paste', text: '%+' };
  if ((m = /^%\?\??/.exec(rest))) return { kind: 'mname', text: m[0] };
  if (rest.startsWith('%{')) {
    const close = rest.indexOf('}');
    if (close < 0) throw new SyntaxProblem(`unterminated %{ in '${rest.trimEnd()}'`);
    const inner = rest.slice(2, close);
    if (/^\$+[A-Za-z_.?@$#~0-9]+$/.test(inner)) return { kind: 'ctx', text: rest.slice(0, close + 1) };
    return { kind: 'param', text: rest.slice(0, close + 1) };
  }
  if (rest.startsWith('%[')) {
    let depth = 0;
    for (let j = 1; j < rest.length; j++) {
      const ch = rest[j]!;
      if (ch === "'" || ch === '"' || ch === '`') {
        const e = stringEnd(rest, j);
        if (e < 0) break;
        j = e;
      } else if (ch === '[') depth++;
      else if (ch === ']' && --depth === 0) return { kind: 'indirect', text: rest.slice(0, j + 1) };
    }
    throw new SyntaxProblem(`unterminated %[ in '${rest.trimEnd()}'`);
  }
  if ((m = /^%[A-Za-z_.?@$#~!][A-Za-z0-9_.?@$#~]*/.exec(rest))) return { kind: 'pp', text: m[0] };
  // `%%` and `%` followed by anything else are the modulo operators.
  if (rest.startsWith('%%')) return { kind: 'op', text: '%%' };
  return { kind: 'op', text: '%' };
}

/** The text a token list stands for. */
export function detokenize(tokens: readonly PPToken[]): string {
  let s = '';
  for (const t of tokens) s += t.text;
  return s;
}

export function isWs(t: PPToken | undefined): boolean {
  return t !== undefined && t.kind === 'ws';
}

/** The tokens without leading and trailing whitespace. */
export function trimTokens(tokens: readonly PPToken[]): PPToken[] {
  let a = 0;
  let b = tokens.length;
  while (a < b && tokens[a]!.kind === 'ws') a++;
  while (b > a && tokens[b - 1]!.kind === 'ws') b--;
  return tokens.slice(a, b);
}

/** Index of the first non-whitespace token at or after `i` (tokens.length if none). */
export function skipWs(tokens: readonly PPToken[], i: number): number {
  while (i < tokens.length && tokens[i]!.kind === 'ws') i++;
  return i;
}

/**
 * Splits on commas at the top level. Braces group (`{a, b}` is one piece, braces removed when they
 * enclose the whole piece); parentheses group only when `parens` is set (single-line macro calls).
 */
export function splitArgs(tokens: readonly PPToken[], parens: boolean): PPToken[][] {
  const out: PPToken[][] = [];
  let cur: PPToken[] = [];
  let brace = 0;
  let paren = 0;
  for (const t of tokens) {
    if (t.kind === 'op') {
      if (t.text === '{') brace++;
      else if (t.text === '}') brace--;
      else if (parens && t.text === '(') paren++;
      else if (parens && t.text === ')') paren--;
      else if (t.text === ',' && brace === 0 && paren === 0) {
        out.push(unbrace(trimTokens(cur)));
        cur = [];
        continue;
      }
    }
    cur.push(t);
  }
  out.push(unbrace(trimTokens(cur)));
  return out;
}

function unbrace(tokens: PPToken[]): PPToken[] {
  if (tokens.length < 2 || tokens[0]!.text !== '{' || tokens[tokens.length - 1]!.text !== '}') return tokens;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'op' && t.text === '{') depth++;
    else if (t.kind === 'op' && t.text === '}' && --depth === 0 && i !== tokens.length - 1) return tokens;
  }
  return trimTokens(tokens.slice(1, -1));
}

/** The bytes of a string token (quotes removed; backquoted strings unescaped). */
export function stringBytes(t: PPToken): number[] {
  const q = t.text[0]!;
  const body = t.text.slice(1, -1);
  if (q !== '`') return [...Buffer.from(body, 'utf8')];
  return unescapeBackquoted(body);
}

/** NASM backquote escapes: \n \t \r \0 \\ \' \" \` \? \a \b \e \f \v, \xHH, octal \ooo. */
export function unescapeBackquoted(body: string): number[] {
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, e: 27, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new SyntaxProblem('unterminated escape in string');
    if (e in simple) out.push(simple[e]!);
    else if (e === 'x') {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(body.slice(i + 1));
      if (!m) throw new SyntaxProblem('bad \\x escape in string');
      out.push(parseInt(m[0], 16));
      i += m[0].length;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      out.push(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
    } else if (e === 'u' || e === 'U') throw new SyntaxProblem(`\\${e} escapes in strings are not supported by golf asm`);
    else throw new SyntaxProblem(`unknown escape \\${e} in string`);
  }
  return out;
}

/**
 * A string token holding these bytes, quoted as nasm quotes the results of %substr, %strcat and
 * %defstr: single quotes if possible, else double quotes, else a backquoted string with escapes.
 */
export function quoteBytes(bytes: readonly number[]): PPToken {
  const printable = bytes.every((b) => b >= 0x20 && b < 0x7f);
  const text = Buffer.from(bytes).toString('latin1');
  if (printable && !text.includes("'")) return { kind: 'str', text: `'${text}'` };
  if (printable && !text.includes('"')) return { kind: 'str', text: `"${text}"` };
  let s = '`';
  for (const b of bytes) {
    if (b === 0x60 || b === 0x5c) s += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return { kind: 'str', text: s + '`' };
}
