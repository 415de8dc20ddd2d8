/**
 * The part of NASM's preprocessor golf supports: single-line macros without parameters
 * (`%define`, `%idefine`, `%undef`, `%assign`), applied token by token in source order, and
 * backslash line continuation. Any other `%` directive is an error rather than being ignored.
 */
import { SyntaxProblem } from './errors.js';
import { tokenize, type Token } from './lexer.js';

export interface SourceLine {
  /** 1-based line number of the line's first physical line. */
  line: number;
  tokens: Token[];
}

interface Macro {
  tokens: Token[];
}

/** Expansion depth bound: a macro that (indirectly) expands to itself is an error, not a hang. */
const MAX_EXPANSION_DEPTH = 64;

export interface Preprocessed {
  lines: SourceLine[];
}

/**
 * Splits and tokenizes the source, applying %define. `evaluateAssign` evaluates the expression of
 * an `%assign` (the preprocessor does not know about symbols; it is given constant expressions).
 */
export function preprocess(source: string, evaluateAssign: (tokens: Token[]) => bigint, onError: (line: number, message: string) => never): Preprocessed {
  const physical = source.split('\n');
  const lines: SourceLine[] = [];
  const exact = new Map<string, Macro>();
  const folded = new Map<string, Macro>();
  for (let i = 0; i < physical.length; i++) {
    const lineNo = i + 1;
    let text = physical[i]!.replace(/\r$/, '');
    while (text.endsWith('\\') && i + 1 < physical.length) text = text.slice(0, -1) + physical[++i]!.replace(/\r$/, '');
    try {
      const trimmed = text.trimStart();
      if (trimmed.startsWith('%')) {
        const m = /^%(\w+)\s*(.*)$/s.exec(trimmed);
        const directive = m?.[1]?.toLowerCase() ?? '';
        const rest = m?.[2] ?? '';
        if (directive === 'define' || directive === 'idefine' || directive === 'xdefine' || directive === 'assign') {
          const nm = /^([A-Za-z_.?$@][\w.?$@#~]*)(\()?\s*(.*)$/s.exec(rest);
          if (!nm) throw new SyntaxProblem(`%${directive} needs a macro name`);
          if (nm[2] !== undefined) throw new SyntaxProblem(`macros with parameters are not supported (%${directive} ${nm[1]}(...))`);
          const body = expand(tokenize(nm[3]!), exact, folded, 0);
          const macro: Macro =
            directive === 'assign' ? { tokens: [{ kind: 'num', value: evaluateAssign(body), text: String(evaluateAssign(body)) }] } : { tokens: directive === 'xdefine' ? body : tokenize(nm[3]!) };
          if (directive === 'idefine') folded.set(nm[1]!.toLowerCase(), macro);
          else exact.set(nm[1]!, macro);
          continue;
        }
        if (directive === 'undef') {
          const name = rest.trim();
          exact.delete(name);
          folded.delete(name.toLowerCase());
          continue;
        }
        throw new SyntaxProblem(`unsupported preprocessor directive '%${m?.[1] ?? trimmed}'`);
      }
      lines.push({ line: lineNo, tokens: expand(tokenize(text), exact, folded, 0) });
    } catch (err) {
      if (err instanceof SyntaxProblem) onError(lineNo, err.message);
      throw err;
    }
  }
  return { lines };
}

function expand(tokens: Token[], exact: Map<string, Macro>, folded: Map<string, Macro>, depth: number): Token[] {
  if (exact.size === 0 && folded.size === 0) return tokens;
  const out: Token[] = [];
  for (const t of tokens) {
    const macro = t.kind === 'id' ? exact.get(t.text) ?? folded.get(t.text.toLowerCase()) : undefined;
    if (macro === undefined) {
      out.push(t);
      continue;
    }
    if (depth >= MAX_EXPANSION_DEPTH) throw new SyntaxProblem(`macro '${t.text}' expands recursively`);
    out.push(...expand(macro.tokens, exact, folded, depth + 1));
  }
  return out;
}
