/**
 * NASM single-line macros (%define and friends): the table, the context stack (%push/%pop and
 * `%$name`), and expansion.
 *
 * Expansion follows nasm 2.16 (observed with it):
 * - a macro's arguments are expanded before they are substituted, and the result is scanned
 *   again, so `%define cat(a,b) a %+ b` with `cat(X,1)` pastes X's value;
 * - while a macro's own expansion is being scanned (and while its arguments are expanded) it is
 *   not expanded again, so `%define a(x) 1+a(x)` stops after one level;
 * - the scan continues past the end of an expansion, so `%define g f(` lets the rest of the line
 *   supply f's arguments;
 * - a name with only parameterized definitions is left alone where no `(` follows it.
 */
import { SyntaxProblem } from './errors.js';
import { detokenize, ppTokenize, skipWs, splitArgs, type PPToken } from './pptoken.js';

export interface SMacro {
  /** Name as defined (for context-local macros: without the `%$`). */
  name: string;
  caseless: boolean;
  /** Parameter names, or null for a macro defined without a parameter list. */
  params: string[] | null;
  /** The last parameter takes the rest of the arguments, commas included (`%define f(x, y+)`). */
  greedy: boolean;
  body: PPToken[];
  /** Built-in macros whose value is computed at each use (__?LINE?__, __?BITS?__ ...). */
  dynamic?: () => PPToken[];
}

/** The macros of one scope: the global table, or one context of the context stack. */
export class SMacroTable {
  private readonly exact = new Map<string, SMacro[]>();
  private readonly folded = new Map<string, SMacro[]>();

  /** Defines a macro, replacing one of the same name and parameter count. */
  define(m: SMacro): void {
    const map = m.caseless ? this.folded : this.exact;
    const key = m.caseless ? m.name.toLowerCase() : m.name;
    const other = m.caseless ? this.exact.get(m.name) : this.folded.get(m.name.toLowerCase());
    if (other !== undefined && other.length > 0) {
      // nasm warns that one definition shadows the other and then behaves in ways hard to predict.
      throw new SyntaxProblem(`case-${m.caseless ? 'insensitive' : 'sensitive'} definition of '${m.name}' would shadow the case-${m.caseless ? 'sensitive' : 'insensitive'} macro of that name (nasm warns; golf refuses)`);
    }
    const list = map.get(key) ?? [];
    if (list.some((x) => (x.params === null) !== (m.params === null))) {
      throw new SyntaxProblem(`macro '${m.name}' defined both with and without parameters`);
    }
    const same = list.findIndex((x) => (x.params?.length ?? -1) === (m.params?.length ?? -1));
    if (same >= 0) list[same] = m;
    else list.push(m);
    map.set(key, list);
  }

  /** Removes every definition of the name (all parameter counts, either case rule). */
  undef(name: string): void {
    this.exact.delete(name);
    const f = this.folded.get(name.toLowerCase());
    if (f !== undefined) this.folded.delete(name.toLowerCase());
  }

  lookup(name: string): SMacro[] | undefined {
    return this.exact.get(name) ?? this.folded.get(name.toLowerCase());
  }
}

export interface Context {
  name: string;
  /** Unique number: `%$x` labels become `..@N.x`. */
  id: number;
  macros: SMacroTable;
}

/** What expansion needs from the preprocessor. */
export interface ExpandEnv {
  globals: SMacroTable;
  /** The context `%$...` refers to (one `$` = innermost), or throws if there is none. */
  context(depth: number): Context;
}

/** Bound on the number of expansions in one line: a runaway expansion is an error, not a hang. */
const MAX_EXPANSIONS = 100_000;

type Work = PPToken | { kind: 'end'; macro: SMacro };

/** Splits `%$$name` into its depth (number of `$`) and the name. */
export function contextName(text: string): { depth: number; name: string } {
  const t = text.startsWith('%{') ? '%' + text.slice(2, -1) : text;
  const m = /^%(\$+)(.*)$/.exec(t)!;
  return { depth: m[1]!.length, name: m[2]! };
}

function candidates(t: PPToken, env: ExpandEnv): SMacro[] | undefined {
  if (t.kind === 'id') return env.globals.lookup(t.text);
  if (t.kind === 'ctx') {
    const { depth, name } = contextName(t.text);
    return env.context(depth).macros.lookup(name);
  }
  return undefined;
}

/** Expands every single-line macro in a line, then performs `%+` pasting. */
export function expandSmacros(tokens: readonly PPToken[], env: ExpandEnv): PPToken[] {
  const counter = { n: 0 };
  return pasteTokens(expandWith(tokens, env, new Set(), counter));
}

function expandWith(input: readonly PPToken[], env: ExpandEnv, disabled: Set<SMacro>, counter: { n: number }): PPToken[] {
  const work: Work[] = [...input];
  const out: PPToken[] = [];
  let i = 0;
  while (i < work.length) {
    const t = work[i]!;
    if (t.kind === 'end') {
      disabled.delete(t.macro);
      i++;
      continue;
    }
    if (t.kind === 'indirect') {
      // %[...]: expand the inside, then paste it to directly adjacent names and numbers.
      const inner = detokenize(pasteTokens(expandWith(ppTokenize(t.text.slice(2, -1)), env, disabled, counter)));
      let text = inner;
      const prev = out[out.length - 1];
      if (prev !== undefined && (prev.kind === 'id' || prev.kind === 'num')) text = out.pop()!.text + text;
      const next = work[i + 1];
      let consumed = 1;
      if (next !== undefined && next.kind !== 'end' && (next.kind === 'id' || next.kind === 'num')) {
        text += next.text;
        consumed = 2;
      }
      work.splice(i, consumed, ...ppTokenize(text));
      continue;
    }
    const cands = candidates(t, env);
    if (cands === undefined || cands.length === 0) {
      out.push(t);
      i++;
      continue;
    }
    if (++counter.n > MAX_EXPANSIONS) throw new SyntaxProblem(`macro expansion does not end (more than ${MAX_EXPANSIONS} expansions in one line)`);
    const call = matchCall(work, i, cands, disabled);
    if (call === null) {
      out.push(t);
      i++;
      continue;
    }
    const { macro, args, end } = call;
    for (let k = i; k < end; k++) {
      const w = work[k]!;
      if (w.kind === 'end') disabled.delete(w.macro);
    }
    disabled.add(macro);
    let body: PPToken[];
    if (macro.dynamic !== undefined) body = macro.dynamic();
    else {
      const expandedArgs = args.map((a) => expandWith(a, env, disabled, counter));
      body = substitute(macro, expandedArgs);
    }
    work.splice(i, end - i, ...pasteTokens(body), { kind: 'end', macro });
  }
  return out;
}

/** The macro a use at work[i] invokes, its arguments and the index after the call; null if none. */
function matchCall(work: Work[], i: number, cands: SMacro[], disabled: Set<SMacro>): { macro: SMacro; args: PPToken[][]; end: number } | null {
  const plain = cands.find((m) => m.params === null);
  if (plain !== undefined) return disabled.has(plain) ? null : { macro: plain, args: [], end: i + 1 };
  // Parameterized: needs `(` after optional whitespace (end-of-expansion markers are passed over).
  let j = i + 1;
  while (j < work.length && (work[j]!.kind === 'ws' || work[j]!.kind === 'end')) j++;
  const open = work[j];
  if (open === undefined || open.kind !== 'op' || open.text !== '(') return null;
  let depth = 0;
  let k = j;
  const inner: PPToken[] = [];
  for (; k < work.length; k++) {
    const w = work[k]!;
    if (w.kind === 'end') continue;
    if (w.kind === 'op' && w.text === '(') depth++;
    else if (w.kind === 'op' && w.text === ')' && --depth === 0) break;
    if (k > j) inner.push(w);
  }
  const name = (work[i] as PPToken).text;
  if (k >= work.length) throw new SyntaxProblem(`single-line macro '${name}' call expects a terminating ')'`);
  const args = splitArgs(inner, true);
  const n = args.length;
  const macro = cands.find((m) => m.params !== null && (m.params.length === n || (m.greedy && n >= m.params.length) || (m.params.length === 0 && n === 1 && args[0]!.length === 0)));
  if (macro === undefined) {
    throw new SyntaxProblem(`single-line macro '${name}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`);
  }
  if (disabled.has(macro)) return null;
  const count = macro.params!.length;
  let finalArgs = count === 0 ? [] : args;
  if (macro.greedy && n > count) {
    // The greedy parameter takes the remaining arguments with their commas.
    const rest: PPToken[] = [];
    args.slice(count - 1).forEach((a, idx) => {
      if (idx > 0) rest.push({ kind: 'op', text: ',' });
      rest.push(...a);
    });
    finalArgs = [...args.slice(0, count - 1), rest];
  }
  return { macro, args: finalArgs, end: k + 1 };
}

function substitute(macro: SMacro, args: PPToken[][]): PPToken[] {
  const params = macro.params ?? [];
  if (params.length === 0) return [...macro.body];
  const out: PPToken[] = [];
  for (const t of macro.body) {
    const p = t.kind === 'id' ? params.indexOf(t.text) : -1;
    if (p >= 0) out.push(...args[p]!);
    else out.push(t);
  }
  return out;
}

/** `a %+ b` -> `ab`: whitespace around %+ is dropped and the two texts are joined and tokenized again. */
export function pasteTokens(tokens: PPToken[]): PPToken[] {
  if (!tokens.some((t) => t.kind === 'paste')) return tokens;
  const out: PPToken[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'paste') {
      out.push(t);
      continue;
    }
    while (out.length > 0 && out[out.length - 1]!.kind === 'ws') out.pop();
    const j = skipWs(tokens, i + 1);
    const left = out.pop();
    const right = tokens[j];
    if (right === undefined || right.kind === 'paste') {
      if (left !== undefined) out.push(left);
      i = j - 1;
      continue;
    }
    out.push(...ppTokenize((left?.text ?? '') + right.text));
    i = j;
  }
  return out;
}
