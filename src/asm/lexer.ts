/**
 * Tokenizer for one line of NASM source (after the preprocessor). Numbers follow NASM's spellings
 * (0x1f, 1fh, $1f, 0b101, 101b, 0o17, 17q, underscores), strings use '...', "..." or `...`
 * (the backquoted form understands C-style escapes), and `;` starts a comment.
 */
import { SyntaxProblem } from './errors.js';

export type Token =
  | { kind: 'id'; text: string }
  | { kind: 'num'; value: bigint; text: string }
  | { kind: 'str'; bytes: number[]; text: string }
  | { kind: 'op'; text: string };

/** Multi-character operators first so that the longest match wins. */
const OPERATORS = ['<<<', '>>>', '<<', '>>', '//', '%%', '==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '(', ')', '[', ']', ',', ':', '<', '>', '='];

const ID_START = /[A-Za-z_.?@$]/;
const ID_CHAR = /[A-Za-z0-9_.?@$#~]/;

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ';') break;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = c === '`' ? findBackquoteEnd(line, i) : line.indexOf(c, i + 1);
      if (end < 0) throw new SyntaxProblem(`unterminated string ${line.slice(i)}`);
      const body = line.slice(i + 1, end);
      tokens.push({ kind: 'str', bytes: c === '`' ? unescapeBackquoted(body) : utf8Bytes(body), text: line.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    // `$` followed by a digit is a hexadecimal number ($0ff); otherwise `$`/`$$` or an identifier.
    if (/[0-9]/.test(c) || (c === '$' && /[0-9]/.test(line[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < line.length && /[0-9A-Za-z_.]/.test(line[j]!)) j++;
      const text = line.slice(i, j);
      tokens.push({ kind: 'num', value: parseNumber(text), text });
      i = j;
      continue;
    }
    if (ID_START.test(c)) {
      let j = i + 1;
      while (j < line.length && ID_CHAR.test(line[j]!)) j++;
      tokens.push({ kind: 'id', text: line.slice(i, j) });
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op === undefined) throw new SyntaxProblem(`unexpected character '${c}'`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

function findBackquoteEnd(line: string, start: number): number {
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '`') return i;
  }
  return -1;
}

function utf8Bytes(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
}

/** NASM backquote escapes: \n \t \r \0 \\ \' \" \` \? \a \b \e \f \v, \xHH, octal \ooo. */
function unescapeBackquoted(body: string): number[] {
  const out: number[] = [];
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, e: 27, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '`': 96, '?': 63 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out.push(...utf8Bytes(c));
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
    } else throw new SyntaxProblem(`unknown escape \\${e} in string`);
  }
  return out;
}

/** Parses one NASM numeric literal (prefix forms first, then suffix forms, then decimal); throws on anything malformed. */
export function parseNumber(text: string): bigint {
  const t = text.replace(/_/g, '').toLowerCase();
  const candidates: Array<[string, number]> = [];
  if (t.startsWith('$')) candidates.push([t.slice(1), 16]);
  const prefixRadix: Record<string, number> = { x: 16, h: 16, d: 10, b: 2, y: 2, o: 8, q: 8 };
  if (t.length > 2 && t[0] === '0' && t[1]! in prefixRadix) candidates.push([t.slice(2), prefixRadix[t[1]!]!]);
  const suffixRadix: Record<string, number> = { h: 16, x: 16, d: 10, b: 2, y: 2, o: 8, q: 8 };
  const last = t[t.length - 1]!;
  if (!t.startsWith('$') && last in suffixRadix) candidates.push([t.slice(0, -1), suffixRadix[last]!]);
  if (!t.startsWith('$')) candidates.push([t, 10]);
  for (const [digits, radix] of candidates) {
    if (digits.length === 0) continue;
    const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]+$/ }[radix as 2 | 8 | 10 | 16];
    if (!valid.test(digits)) continue;
    let v = 0n;
    for (const d of digits) v = v * BigInt(radix) + BigInt(parseInt(d, 16));
    return v;
  }
  throw new SyntaxProblem(`bad number '${text}'`);
}
