/**
 * NASM multi-line macros (%macro ... %endmacro): definitions, matching an invocation to a
 * definition by its argument count, and the substitution of `%1`, `%{n}`, `%{a:b}`, `%0`, `%00`,
 * `%+n`/`%-n`, `%%local` and `%?`/`%??` in the lines of an expansion.
 *
 * nasm 2.16's rules (observed with it): arguments are split at commas outside braces (parentheses
 * do not group), and a brace pair around a whole argument is removed; missing parameters take the
 * defaults and count in %0 (`%macro m 1-3 7` called with one argument has %0 = 2); a greedy macro's
 * last parameter takes the rest of the line; %rotate turns the parameter list.
 */
import { SyntaxProblem } from './errors.js';
import { detokenize, ppTokenize, splitArgs, trimTokens, type PPToken } from './pptoken.js';

export interface BodyLine {
  tokens: PPToken[];
  file: string;
  line: number;
}

export interface MMacro {
  name: string;
  caseless: boolean;
  min: number;
  /** Infinity for `n-*`. */
  max: number;
  greedy: boolean;
  defaults: PPToken[][];
  body: BodyLine[];
  file: string;
  line: number;
}

/** Parses the rest of a `%macro` line (after the name): `n`, `n-m`, `n-*`, `+`, `.nolist`, defaults. */
export function parseMacroSpec(name: string, rest: PPToken[]): Pick<MMacro, 'min' | 'max' | 'greedy' | 'defaults'> {
  const text = detokenize(rest).trim();
  const m = /^([0-9]+)(?:\s*-\s*([0-9]+|\*))?(\+)?(\.nolist)?(?:\s+|$)/i.exec(text);
  if (m === null) throw new SyntaxProblem(`%macro ${name} needs a parameter count (n, n-m, n-* or n+)`);
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[2] === '*' ? Infinity : Number(m[2]);
  if (max < min) throw new SyntaxProblem(`%macro ${name}: minimum parameter count ${min} exceeds the maximum ${max}`);
  const after = text.slice(m[0].length).trim();
  const defaults = after === '' ? [] : splitArgs(ppTokenize(after), false);
  return { min, max, greedy: m[3] !== undefined, defaults };
}

/** The definition an invocation with these arguments uses (the latest that fits), or undefined. */
export function matchMacro(defs: MMacro[], argCount: number): MMacro | undefined {
  for (let i = defs.length - 1; i >= 0; i--) {
    const d = defs[i]!;
    if (argCount >= d.min && (argCount <= d.max || d.greedy)) return d;
  }
  return undefined;
}

/** Splits an invocation's argument text; a greedy macro's last parameter keeps the rest verbatim. */
export function invocationArgs(macro: MMacro, rest: PPToken[]): PPToken[][] {
  const trimmed = trimTokens(rest);
  if (trimmed.length === 0) return [];
  const args = splitArgs(trimmed, false);
  if (!macro.greedy || args.length <= macro.max) return args;
  // Re-split keeping the text after the (max-1)th top-level comma whole.
  let commas = 0;
  let brace = 0;
  for (let i = 0; i < trimmed.length; i++) {
    const t = trimmed[i]!;
    if (t.kind === 'op' && t.text === '{') brace++;
    else if (t.kind === 'op' && t.text === '}') brace--;
    else if (t.kind === 'op' && t.text === ',' && brace === 0 && ++commas === macro.max - 1) {
      return [...args.slice(0, macro.max - 1), trimTokens(trimmed.slice(i + 1))];
    }
  }
  return args;
}

/** Counts only the arguments that decide which definition is used (a greedy tail counts as one). */
export function argCountFor(rest: PPToken[]): number {
  const trimmed = trimTokens(rest);
  return trimmed.length === 0 ? 0 : splitArgs(trimmed, false).length;
}

/** The parameter list of an expansion: the arguments, then defaults up to the maximum. */
export function withDefaults(macro: MMacro, args: PPToken[][]): PPToken[][] {
  const params = [...args];
  for (let k = params.length; k < macro.max && k - macro.min < macro.defaults.length; k++) {
    if (k < macro.min) continue;
    params.push(macro.defaults[k - macro.min]!);
  }
  return params;
}

/** One running expansion's parameters. */
export interface Invocation {
  macro: MMacro;
  /** The name as written at the call (for `%?`). */
  calledAs: string;
  params: PPToken[][];
  /** %rotate: index of the parameter %1 refers to. */
  rotation: number;
  /** The label written before the call, for %00 (empty if none). */
  label: PPToken[];
  /** Number for `%%name` labels (`..@N.name`). */
  unique: number;
}

/** Condition codes by encoding; a parameter used as `%-n` is replaced by the code with bit 0 flipped. */
const CONDITION_CODES: ReadonlyMap<string, number> = new Map([
  ['o', 0], ['no', 1], ['b', 2], ['c', 2], ['nae', 2], ['ae', 3], ['nb', 3], ['nc', 3], ['e', 4], ['z', 4],
  ['ne', 5], ['nz', 5], ['be', 6], ['na', 6], ['a', 7], ['nbe', 7], ['s', 8], ['ns', 9], ['p', 10], ['pe', 10],
  ['np', 11], ['po', 11], ['l', 12], ['nge', 12], ['ge', 13], ['nl', 13], ['le', 14], ['ng', 14], ['g', 15], ['nle', 15],
]);
const CANONICAL_CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** True if a body line uses %00 (then the call's label is not emitted on a line of its own). */
export function usesLabelParam(body: BodyLine[]): boolean {
  return body.some((l) => l.tokens.some((t) => t.kind === 'param' && (t.text === '%00' || t.text === '%{00}')));
}

/** Substitutes the parameters of an expansion into one of its lines and re-tokenizes (nasm's implicit pasting). */
export function substituteParams(tokens: PPToken[], inv: Invocation): PPToken[] {
  if (!tokens.some((t) => t.kind === 'param' || t.kind === 'local' || t.kind === 'mname' || t.kind === 'indirect')) return tokens;
  const out: PPToken[] = [];
  const n = inv.params.length;
  const param = (k: number): PPToken[] => (k >= 1 && k <= n ? inv.params[(k - 1 + inv.rotation) % n]! : []);
  for (const t of tokens) {
    // `%[...]` is expanded later, but the parameters inside it are the macro's (`%[%2]`).
    if (t.kind === 'indirect') out.push({ kind: 'indirect', text: `%[${detokenize(substituteParams(ppTokenize(t.text.slice(2, -1)), inv))}]` });
    else if (t.kind === 'local') out.push({ kind: 'id', text: `..@${inv.unique}.${t.text.slice(2)}` });
    else if (t.kind === 'mname') out.push({ kind: 'id', text: t.text === '%?' ? inv.calledAs : inv.macro.name });
    else if (t.kind === 'param') {
      const inner = t.text.startsWith('%{') ? t.text.slice(2, -1).trim() : t.text.slice(1);
      let m: RegExpExecArray | null;
      if (inner === '00') out.push(...inv.label);
      else if (inner === '0') out.push({ kind: 'num', text: String(n) });
      else if ((m = /^([0-9]+)$/.exec(inner))) out.push(...param(Number(m[1])));
      else if ((m = /^([0-9]+)\s*:\s*([0-9]+)$/.exec(inner))) {
        const a = Number(m[1]);
        const b = Number(m[2]);
        const step = a <= b ? 1 : -1;
        for (let k = a; ; k += step) {
          if (k !== a) out.push({ kind: 'op', text: ',' });
          out.push(...param(k));
          if (k === b) break;
        }
      } else if ((m = /^([+-])([0-9]+)$/.exec(inner))) {
        const arg = detokenize(param(Number(m[2]))).trim();
        const code = CONDITION_CODES.get(arg.toLowerCase());
        if (code === undefined) throw new SyntaxProblem(`macro parameter '${t.text}' is not a condition code`);
        out.push({ kind: 'id', text: m[1] === '+' ? arg : CANONICAL_CC[code ^ 1]! });
      } else throw new SyntaxProblem(`macro parameter '${t.text}' is not supported by golf asm`);
    } else out.push(t);
  }
  return ppTokenize(detokenize(out));
}
