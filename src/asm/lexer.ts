/**
 * Tokenizer for one line of NASM source (after the preprocessor). Numbers follow NASM's spellings
 * (0x1f, 1fh, $1f, 0b101, 101b, 0o17, 17q, underscores), strings use '...', "..." or `...`
 * (the backquoted form understands C-style escapes), and `;` starts a comment.
 */
import { SyntaxProblem } from './errors.js';
import { ID_CHAR, ID_START, NUM_CHAR, stringEnd, unescapeBackquoted } from './pptoken.js';

export type Token =
  | { kind: 'id'; text: string }
  | { kind: 'num'; value: bigint; text: string }
  | { kind: 'str'; bytes: number[]; text: string }
  | { kind: 'op'; text: string };

/** Multi-character operators first so that the longest match wins. */
const OPERATORS = ['<<<', '>>>', '<=>', '<<', '>>', '//', '%%', '==', '!=', '<>', '<=', '>=', '&&', '||', '^^', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '(', ')', '[', ']', ',', ':', '<', '>', '='];


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
      const end = stringEnd(line, i);
      if (end < 0) throw new SyntaxProblem(`unterminated string ${line.slice(i)}`);
      const body = line.slice(i + 1, end);
      tokens.push({ kind: 'str', bytes: c === '`' ? unescapeBackquoted(body) : utf8Bytes(body), text: line.slice(i, end + 1) });
      i = end + 1;
      continue;
    }
    // `$` followed by a digit is a hexadecimal number ($0ff); otherwise `$`/`$$` or an identifier.
    if (/[0-9]/.test(c) || (c === '$' && /[0-9]/.test(line[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < line.length && NUM_CHAR.test(line[j]!)) j++;
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

function utf8Bytes(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
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
