/**
 * NASM's preprocessor (nasm 2.16 semantics), producing the lines the assembler sees, one at a time.
 *
 * The assembler pulls lines with next() and assembles each before asking for the next, as nasm
 * does: `%assign n end - start` and `%if` see the labels defined on earlier lines in this pass,
 * and a new Preprocessor runs in every pass. A symbol not defined yet is an error ("not defined
 * before use"), as in nasm.
 *
 * Supported: single-line macros (smacro.ts), multi-line macros (mmacro.ts), %rep, conditionals,
 * %include, the context stack, string functions, %error/%warning/%fatal and the cheap standard
 * macros (standard.ts). Every other directive is an error naming it; nothing is ignored.
 */
import { AsmError, SyntaxProblem, type MacroStep } from './errors.js';
import {
  argCountFor, invocationArgs, matchMacro, parseMacroSpec, substituteParams, usesLabelParam, withDefaults,
  type BodyLine, type Invocation, type MMacro,
} from './mmacro.js';
import { detokenize, ppTokenize, quoteBytes, skipWs, splitArgs, stringBytes, trimTokens, type PPToken } from './pptoken.js';
import { contextName, expandSmacros, SMacroTable, type Context, type SMacro } from './smacro.js';
import type { SourceFiles } from './sources.js';
import { defineStandardMacros, isStandardMultiLineMacro, UNSUPPORTED_DIRECTIVES } from './standard.js';

export interface PPLine {
  text: string;
  /** Source file and line the line belongs to (for a macro expansion: the line that called it). */
  file: string;
  line: number;
  /** Macro body lines the line came through, innermost last. */
  trace: MacroStep[];
}

export interface PreprocessorHost {
  /** Evaluates a preprocessor expression (nasm's critical expressions); throws SyntaxProblem. */
  evaluate(tokens: PPToken[], directive: string): bigint;
  /** The current BITS mode, for __?BITS?__. */
  bits(): number;
  /** %error and %warning are reported only in the final pass, as nasm does. */
  finalPass: boolean;
  files: SourceFiles;
  warn(file: string, line: number, message: string): void;
}

export interface PreprocessOptions {
  /** `-D NAME[=VALUE]` definitions, applied before the source, in order. */
  defines?: ReadonlyArray<readonly [string, string]>;
  /** `-U NAME`. */
  undefines?: readonly string[];
}

type CondState = 'true' | 'false' | 'done' | 'never' | 'else-true' | 'else-false';

interface Cond {
  state: CondState;
  file: string;
  line: number;
}

interface FileFrame {
  kind: 'file';
  name: string;
  lines: string[];
  pos: number;
  conds: Cond[];
}

interface MacroFrame {
  kind: 'macro';
  inv: Invocation;
  body: BodyLine[];
  pos: number;
  /** Conditional depth of the enclosing file when the expansion started (%exitmacro returns to it). */
  condDepth: number;
  /** The source line (file line or body line) that called the macro. */
  call: { file: string; line: number };
}

interface RepFrame {
  kind: 'rep';
  body: BodyLine[];
  pos: number;
  left: number;
  condDepth: number;
  /** The macro expansion the %rep is in: its parameters are substituted as the lines replay. */
  inv: Invocation | null;
}

type Frame = FileFrame | MacroFrame | RepFrame;

/** A block being collected: a %macro definition or a %rep body. */
interface Collecting {
  kind: 'macro' | 'rep';
  depth: number;
  body: BodyLine[];
  macro?: MMacro;
  count?: number;
  file: string;
  line: number;
  inv: Invocation | null;
}

/** nasm's default limits: %rep iterations and nesting of macro calls and includes. */
const MAX_REP = 1_000_000;
const MAX_FRAMES = 1000;
const MAX_INCLUDE_DEPTH = 50;

const CONDITIONS = new Set(['', 'def', 'idn', 'idni', 'num', 'str', 'id', 'token', 'empty', 'macro', 'ctx']);
/** Conditions nasm 2.16 has and golf refuses (only when evaluated: in skipped code they nest as usual). */
const REFUSED_CONDITIONS: ReadonlyMap<string, string> = new Map([
  ['env', 'environment variables'], ['usable', '%use packages'], ['using', '%use packages'], ['defalias', 'macro aliases'],
]);

export class Preprocessor {
  private readonly frames: Frame[] = [];
  private readonly globals = new SMacroTable();
  private readonly exactMacros = new Map<string, MMacro[]>();
  private readonly foldedMacros = new Map<string, MMacro[]>();
  private readonly contexts: Context[] = [];
  private collecting: Collecting | null = null;
  private unique = 0;
  private contextIds = 0;
  /** Location of the line being processed. */
  private file = '';
  private line = 0;
  private trace: MacroStep[] = [];
  /** Source line of the line being processed (the macro body line inside an expansion), for __?LINE?__. */
  private sourceLine = 0;
  private sourceFile = '';
  private readonly env = { globals: this.globals, context: (depth: number) => this.contextAt(depth) };

  constructor(source: string, fileName: string, private readonly host: PreprocessorHost, options: PreprocessOptions = {}) {
    defineStandardMacros(this.globals, {
      file: () => this.file,
      line: () => this.sourceLine,
      bits: () => host.bits(),
    });
    for (const [name, value] of options.defines ?? []) this.globals.define({ name, caseless: false, params: null, greedy: false, body: ppTokenize(value) });
    for (const name of options.undefines ?? []) this.globals.undef(name);
    this.frames.push(fileFrame(fileName, source));
  }

  /** The next line for the assembler, or null at the end of the source. */
  next(): PPLine | null {
    for (;;) {
      const raw = this.readLine();
      if (raw === null) return null;
      try {
        const out = this.process(raw);
        if (out !== null) return { text: out, file: this.file, line: this.line, trace: this.trace };
      } catch (err) {
        if (err instanceof SyntaxProblem) throw this.error(err.message);
        throw err;
      }
    }
  }

  /** An AsmError at the line being processed. */
  error(message: string): AsmError {
    return new AsmError(this.file, this.line, message, this.trace);
  }

  // ---- reading lines -------------------------------------------------------------------------

  private top(): Frame | undefined {
    return this.frames[this.frames.length - 1];
  }

  private fileFrame(): FileFrame {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'file') return f;
    }
    throw new Error('no file frame');
  }

  private conds(): Cond[] {
    return this.fileFrame().conds;
  }

  private emitting(): boolean {
    const c = this.conds();
    const s = c[c.length - 1]?.state;
    return s === undefined || s === 'true' || s === 'else-true';
  }

  /** The macro expansion whose parameters the current line sees (a %rep inside a macro inherits it). */
  private currentInvocation(): Invocation | null {
    const f = this.top();
    return f === undefined || f.kind === 'file' ? null : f.inv;
  }

  /** The next line's tokens with its location set, or null at the end. */
  private readLine(): PPToken[] | null {
    for (;;) {
      const f = this.top();
      if (f === undefined) return null;
      if (f.kind === 'file') {
        if (f.pos >= f.lines.length) {
          this.file = f.name;
          this.line = f.lines.length;
          this.trace = [];
          this.endOfFile(f);
          this.frames.pop();
          continue;
        }
        const lineNo = f.pos + 1;
        let text = f.lines[f.pos++]!;
        // A backslash at the very end joins the next line.
        while (text.endsWith('\\') && f.pos < f.lines.length) text = text.slice(0, -1) + f.lines[f.pos++]!;
        this.file = f.name;
        this.line = lineNo;
        this.sourceLine = lineNo;
        this.sourceFile = f.name;
        this.trace = [];
        try {
          return ppTokenize(text);
        } catch (err) {
          if (err instanceof SyntaxProblem) throw this.error(err.message);
          throw err;
        }
      }
      if (f.pos >= f.body.length) {
        if (f.kind === 'rep' && --f.left > 0) {
          f.pos = 0;
          continue;
        }
        this.frames.pop();
        continue;
      }
      const bl = f.body[f.pos++]!;
      this.locate(bl);
      const inv = f.inv;
      if (inv === null || this.collecting !== null) return bl.tokens;
      try {
        return substituteParams(bl.tokens, inv);
      } catch (err) {
        if (err instanceof SyntaxProblem) throw this.error(err.message);
        throw err;
      }
    }
  }

  /**
   * Sets the reported location for a line replayed from a macro or %rep body. As in nasm, the line
   * reported is the one read from a file (the call of the outermost macro, or the %rep body line
   * itself), and the trace names each macro with its body line that led further in.
   */
  private locate(bl: BodyLine): void {
    const macros = this.frames.filter((f): f is MacroFrame => f.kind === 'macro');
    this.sourceFile = bl.file;
    this.sourceLine = bl.line;
    if (macros.length === 0) {
      this.file = bl.file;
      this.line = bl.line;
      this.trace = [];
      return;
    }
    this.file = macros[0]!.call.file;
    this.line = macros[0]!.call.line;
    this.trace = macros.map((m, k) => {
      const at = macros[k + 1]?.call ?? bl;
      return { macro: m.inv.macro.name, file: at.file, line: at.line };
    });
  }

  private endOfFile(f: FileFrame): void {
    const c = this.collecting;
    if (c !== null) {
      throw new AsmError(c.file, c.line, c.kind === 'macro' ? `end of file while still defining macro '${c.macro!.name}' (missing %endmacro)` : 'end of file inside %rep (missing %endrep)');
    }
    const open = f.conds[f.conds.length - 1];
    if (open !== undefined) throw new AsmError(open.file, open.line, '%if without %endif before the end of the file');
  }

  // ---- processing one line -------------------------------------------------------------------

  /** Handles one line; returns the text for the assembler or null if the line produces none. */
  private process(tokens: PPToken[]): string | null {
    const i0 = skipWs(tokens, 0);
    const first = tokens[i0];
    const directive = first !== undefined && first.kind === 'pp' ? first.text.slice(1).toLowerCase() : null;
    const rest = directive !== null ? tokens.slice(i0 + 1) : [];
    if (this.collecting !== null) {
      this.collect(directive, tokens);
      return null;
    }
    if (directive !== null && this.conditional(directive, rest)) return null;
    if (!this.emitting()) return null;
    if (directive !== null) {
      this.directive(directive, first!.text, rest);
      return null;
    }
    const expanded = this.finish(expandSmacros(tokens, this.env));
    return this.invokeOrText(expanded);
  }

  /** Converts remaining `%$name` tokens to their labels and rejects stray `%` forms. */
  private finish(tokens: PPToken[]): PPToken[] {
    return tokens.map((t) => {
      if (t.kind === 'ctx') {
        const { depth, name } = contextName(t.text);
        return { kind: 'id', text: `..@${this.contextAt(depth).id}.${name}` };
      }
      if (t.kind === 'local') throw new SyntaxProblem(`'${t.text}': macro-local label outside a macro`);
      if (t.kind === 'param') throw new SyntaxProblem(`'${t.text}': macro parameter outside a macro`);
      if (t.kind === 'mname') throw new SyntaxProblem(`'${t.text}' outside a macro`);
      if (t.kind === 'pp') {
        throw new SyntaxProblem(t.text.startsWith('%!') ? `'${t.text}': environment variables are not supported by golf asm` : `unexpected '${t.text}' (a preprocessor directive must start its line)`);
      }
      return t;
    });
  }

  private collect(directive: string | null, tokens: PPToken[]): void {
    const c = this.collecting!;
    const opens = c.kind === 'macro' ? directive === 'macro' || directive === 'imacro' || directive === 'rmacro' || directive === 'irmacro' : directive === 'rep';
    const closes = c.kind === 'macro' ? directive === 'endmacro' || directive === 'endm' : directive === 'endrep';
    if (opens) c.depth++;
    if (closes && c.depth-- === 0) {
      this.collecting = null;
      if (c.kind === 'macro') {
        c.macro!.body = c.body;
        this.storeMacro(c.macro!);
      } else this.startRep(c);
      return;
    }
    c.body.push({ tokens, file: this.sourceFile, line: this.sourceLine });
  }

  private storeMacro(m: MMacro): void {
    const map = m.caseless ? this.foldedMacros : this.exactMacros;
    const key = m.caseless ? m.name.toLowerCase() : m.name;
    const list = map.get(key) ?? [];
    const same = list.findIndex((x) => x.min === m.min && x.max === m.max);
    if (same >= 0) {
      this.warnFinal(`redefining multi-line macro '${m.name}'`);
      list.splice(same, 1);
    }
    list.push(m);
    map.set(key, list);
  }

  private lookupMacros(name: string): MMacro[] | undefined {
    const a = this.exactMacros.get(name);
    const b = this.foldedMacros.get(name.toLowerCase());
    if (a === undefined) return b;
    if (b === undefined) return a;
    return [...b, ...a];
  }

  private startRep(c: Collecting): void {
    if (c.count! <= 0) return;
    if (this.frames.length >= MAX_FRAMES) throw new SyntaxProblem(`macros and %rep nest deeper than ${MAX_FRAMES}`);
    this.frames.push({ kind: 'rep', body: c.body, pos: 0, left: c.count!, condDepth: this.conds().length, inv: c.inv });
  }

  /** A multi-line macro call (possibly after a label), or the line's text. */
  private invokeOrText(tokens: PPToken[]): string | null {
    const i0 = skipWs(tokens, 0);
    const t0 = tokens[i0];
    if (t0 === undefined) return detokenize(tokens);
    let nameAt = -1;
    let label: PPToken[] = [];
    if (t0.kind === 'id' && this.lookupMacros(t0.text)) nameAt = i0;
    else if (t0.kind === 'id') {
      let j = i0 + 1;
      const colon = tokens[j]?.kind === 'op' && tokens[j]!.text === ':';
      if (colon) j++;
      j = skipWs(tokens, j);
      const t1 = tokens[j];
      // nasm reads `x m` as label x and a call of m whenever m is a multi-line macro.
      if (t1 !== undefined && t1.kind === 'id' && this.lookupMacros(t1.text) && (colon || j > i0 + 1)) {
        nameAt = j;
        label = tokens.slice(i0, colon ? i0 + 2 : i0 + 1);
      }
    }
    if (nameAt < 0) return detokenize(tokens);
    const nameTok = tokens[nameAt]!;
    const defs = this.lookupMacros(nameTok.text)!;
    const after = tokens.slice(nameAt + 1);
    const n = argCountFor(after);
    const macro = matchMacro(defs, n);
    if (macro === undefined) throw new SyntaxProblem(`multi-line macro '${nameTok.text}' exists, but not taking ${n} parameter${n === 1 ? '' : 's'}`);
    // A macro does not call itself: inside its own expansion nasm reads its name as an ordinary word.
    if (this.frames.some((f) => f.kind === 'macro' && f.inv.macro === macro)) return detokenize(tokens);
    const args = invocationArgs(macro, after);
    if (this.frames.length >= MAX_FRAMES) throw new SyntaxProblem(`macro calls nest deeper than ${MAX_FRAMES} (a macro that calls itself without end?)`);
    const inv: Invocation = {
      macro, calledAs: nameTok.text, params: withDefaults(macro, args), rotation: 0,
      label: label.filter((t) => !(t.kind === 'op' && t.text === ':')), unique: this.unique++,
    };
    this.frames.push({
      kind: 'macro', inv, body: macro.body, pos: 0, condDepth: this.conds().length,
      call: { file: this.sourceFile, line: this.sourceLine },
    });
    if (label.length > 0 && !usesLabelParam(macro.body)) return `${label[0]!.text}:`;
    return null;
  }

  // ---- conditionals --------------------------------------------------------------------------

  /** Handles %if/%elif/%else/%endif (in emitting and skipped code alike); false for other directives. */
  private conditional(directive: string, rest: PPToken[]): boolean {
    const conds = this.conds();
    if (directive === 'else' || directive === 'endif') {
      const top = conds[conds.length - 1];
      if (top === undefined) throw new SyntaxProblem(`%${directive} without %if`);
      if (directive === 'endif') {
        conds.pop();
        return true;
      }
      if (top.state === 'else-true' || top.state === 'else-false') throw new SyntaxProblem('%else after %else');
      if (trimTokens(rest).length > 0) this.warnFinal('trailing garbage after %else ignored');
      top.state = top.state === 'false' ? 'else-true' : top.state === 'never' ? 'never' : 'else-false';
      return true;
    }
    const m = /^(if|elif)(.*)$/.exec(directive);
    if (m === null) return false;
    let [, kind, cond] = m as unknown as [string, string, string];
    let negate = false;
    const known = (c: string): boolean => CONDITIONS.has(c) || REFUSED_CONDITIONS.has(c);
    if (!known(cond) && cond.startsWith('n') && known(cond.slice(1))) {
      negate = true;
      cond = cond.slice(1);
    }
    if (!known(cond)) return false;
    if (kind === 'if') {
      if (!this.emitting()) conds.push({ state: 'never', file: this.file, line: this.line });
      else {
        const v = this.test(cond, directive, rest) !== negate;
        conds.push({ state: v ? 'true' : 'false', file: this.file, line: this.line });
      }
      return true;
    }
    const top = conds[conds.length - 1];
    if (top === undefined) throw new SyntaxProblem(`%${directive} without %if`);
    if (top.state === 'else-true' || top.state === 'else-false') throw new SyntaxProblem(`%${directive} after %else`);
    if (top.state === 'true') top.state = 'done';
    else if (top.state === 'false') top.state = this.test(cond, directive, rest) !== negate ? 'true' : 'false';
    return true;
  }

  /** Evaluates one condition of the %if family. */
  private test(cond: string, directive: string, rest: PPToken[]): boolean {
    const refused = REFUSED_CONDITIONS.get(cond);
    if (refused !== undefined) throw new SyntaxProblem(`%${directive} (${refused}) is not supported by golf asm`);
    switch (cond) {
      case '':
        return this.evaluate(rest, `%${directive}`) !== 0n;
      case 'def': {
        const t = trimTokens(this.resolveName(rest))[0];
        if (t === undefined) throw new SyntaxProblem(`%${directive} needs a macro name`);
        if (t.kind === 'ctx') {
          const { depth, name } = contextName(t.text);
          return this.contextAt(depth).macros.lookup(name) !== undefined;
        }
        if (t.kind !== 'id') throw new SyntaxProblem(`%${directive} needs a macro name, not '${t.text}'`);
        return this.globals.lookup(t.text) !== undefined;
      }
      case 'idn':
      case 'idni': {
        const parts = this.splitOnce(this.expand(rest), directive);
        const a = parts[0].filter((t) => t.kind !== 'ws');
        const b = parts[1].filter((t) => t.kind !== 'ws');
        if (a.length !== b.length) return false;
        return a.every((x, k) => sameToken(x, b[k]!, cond === 'idni'));
      }
      case 'num':
      case 'str':
      case 'id': {
        // Only the first token counts (`%ifnum 1+2` is true); for %ifnum, signs before it are skipped.
        let t = trimTokens(this.expand(rest)).filter((x) => x.kind !== 'ws');
        if (cond === 'num') while (t[0]?.kind === 'op' && (t[0].text === '-' || t[0].text === '+')) t = t.slice(1);
        return t[0] !== undefined && t[0].kind === cond;
      }
      case 'token':
        return trimTokens(this.expand(rest)).length === 1;
      case 'empty':
        return trimTokens(this.expand(rest)).length === 0;
      case 'macro':
        return this.ifMacro(rest, directive);
      case 'ctx': {
        const names = trimTokens(rest).filter((t) => t.kind !== 'ws').map((t) => t.text);
        const top = this.contexts[this.contexts.length - 1];
        if (top === undefined) return false;
        return names.some((n) => n === top.name);
      }
    }
    throw new SyntaxProblem(`%${directive} is not supported by golf asm`);
  }

  private ifMacro(rest: PPToken[], directive: string): boolean {
    const tokens = trimTokens(rest);
    const name = tokens[0];
    if (name === undefined || name.kind !== 'id') throw new SyntaxProblem(`%${directive} needs a macro name`);
    const spec = detokenize(tokens.slice(1)).trim();
    let min = 0;
    let max = Infinity;
    if (spec !== '') {
      const m = /^([0-9]+)(?:\s*-\s*([0-9]+|\*))?\+?$/.exec(spec);
      if (m === null) throw new SyntaxProblem(`%${directive}: bad parameter count '${spec}'`);
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[2] === '*' ? Infinity : Number(m[2]);
    }
    const defs = this.lookupMacros(name.text);
    if (defs === undefined) return isStandardMultiLineMacro(name.text);
    // A greedy macro takes any number of arguments from its minimum on.
    return defs.some((d) => d.min <= max && (d.greedy ? Infinity : d.max) >= min);
  }

  private splitOnce(tokens: PPToken[], directive: string): [PPToken[], PPToken[]] {
    const k = tokens.findIndex((t) => t.kind === 'op' && t.text === ',');
    if (k < 0) throw new SyntaxProblem(`%${directive} expects two comma-separated arguments`);
    return [tokens.slice(0, k), tokens.slice(k + 1)];
  }

  // ---- other directives ----------------------------------------------------------------------

  private directive(name: string, spelled: string, rest: PPToken[]): void {
    switch (name) {
      case 'define':
      case 'idefine':
      case 'xdefine':
      case 'ixdefine':
        return this.define(name, rest);
      case 'undef': {
        const t = this.nameToken(rest, name);
        if (t.kind === 'ctx') {
          const { depth, name: n } = contextName(t.text);
          this.contextAt(depth).macros.undef(n);
        } else this.globals.undef(t.text);
        return;
      }
      case 'assign':
      case 'iassign': {
        const { table, macroName, after } = this.target(rest, name);
        const v = this.evaluate(after, `%${name}`);
        table.define({ name: macroName, caseless: name === 'iassign', params: null, greedy: false, body: numberTokens(v) });
        return;
      }
      case 'strlen': {
        const { table, macroName, after } = this.target(rest, name);
        const s = this.singleString(this.expand(after), name);
        table.define({ name: macroName, caseless: false, params: null, greedy: false, body: [{ kind: 'num', text: String(s.length) }] });
        return;
      }
      case 'substr':
        return this.substr(rest);
      case 'strcat': {
        const { table, macroName, after } = this.target(rest, name);
        const bytes: number[] = [];
        for (const part of splitArgs(this.expand(after), false)) bytes.push(...this.singleString(part, name));
        table.define({ name: macroName, caseless: false, params: null, greedy: false, body: [quoteBytes(bytes)] });
        return;
      }
      case 'defstr':
      case 'idefstr': {
        const { table, macroName, after } = this.target(rest, name);
        const text = detokenize(collapseWs(this.expand(after)));
        table.define({ name: macroName, caseless: name === 'idefstr', params: null, greedy: false, body: [quoteBytes([...Buffer.from(text, 'utf8')])] });
        return;
      }
      case 'deftok':
      case 'ideftok': {
        const { table, macroName, after } = this.target(rest, name);
        const s = this.singleString(this.expand(after), name);
        table.define({ name: macroName, caseless: name === 'ideftok', params: null, greedy: false, body: ppTokenize(Buffer.from(s).toString('utf8')) });
        return;
      }
      case 'macro':
      case 'imacro': {
        const tokens = trimTokens(rest);
        const nt = tokens[0];
        if (nt === undefined || nt.kind !== 'id') throw new SyntaxProblem(`%${name} needs a macro name`);
        const spec = parseMacroSpec(nt.text, this.expand(tokens.slice(1)));
        this.collecting = {
          kind: 'macro', depth: 0, body: [], file: this.file, line: this.line, inv: null,
          macro: { name: nt.text, caseless: name === 'imacro', ...spec, body: [], file: this.sourceFile, line: this.sourceLine },
        };
        return;
      }
      case 'rmacro':
      case 'irmacro':
        // nasm 2.16.01 loses the lines after a recursive expansion (observed), so there is no
        // behaviour to match.
        throw new SyntaxProblem(`%${name} (recursive macros) is not supported by golf asm`);
      case 'endmacro':
      case 'endm':
        throw new SyntaxProblem(`%${name} without %macro`);
      case 'unmacro':
      case 'unimacro': {
        const tokens = trimTokens(rest);
        const nt = tokens[0];
        if (nt === undefined || nt.kind !== 'id') throw new SyntaxProblem(`%${name} needs a macro name`);
        const spec = parseMacroSpec(nt.text, tokens.slice(1));
        const map = name === 'unimacro' ? this.foldedMacros : this.exactMacros;
        const key = name === 'unimacro' ? nt.text.toLowerCase() : nt.text;
        const list = (map.get(key) ?? []).filter((d) => !(d.min === spec.min && d.max === spec.max));
        map.set(key, list);
        if (list.length === 0) map.delete(key);
        return;
      }
      case 'rotate': {
        const inv = this.currentInvocation();
        if (inv === null) throw new SyntaxProblem('%rotate outside a macro');
        const n = inv.params.length;
        if (n === 0) return;
        const by = this.evaluate(rest, '%rotate');
        inv.rotation = Number(((BigInt(inv.rotation) + by) % BigInt(n) + BigInt(n)) % BigInt(n));
        return;
      }
      case 'exitmacro':
        return this.exit('macro');
      case 'rep': {
        const count = this.evaluate(rest, '%rep');
        if (count < 0n) this.warnFinal(`negative %rep count: ${count}`);
        if (count > BigInt(MAX_REP)) throw new SyntaxProblem(`%rep count ${count} exceeds nasm's limit of ${MAX_REP}`);
        this.collecting = { kind: 'rep', depth: 0, body: [], count: Number(count), file: this.file, line: this.line, inv: this.currentInvocation() };
        return;
      }
      case 'endrep':
        throw new SyntaxProblem('%endrep without %rep');
      case 'exitrep':
        return this.exit('rep');
      case 'include':
        return this.include(rest);
      case 'error':
      case 'warning':
      case 'fatal': {
        const msg = this.message(rest);
        if (name === 'fatal') throw new SyntaxProblem(msg);
        if (!this.host.finalPass) return;
        if (name === 'error') throw new SyntaxProblem(msg);
        this.host.warn(this.file, this.line, msg);
        return;
      }
      case 'push':
      case 'repl': {
        const t = trimTokens(rest);
        const ctxName = t.length === 0 ? '' : detokenize(t);
        if (name === 'repl') {
          const top = this.contexts[this.contexts.length - 1];
          if (top === undefined) throw new SyntaxProblem('%repl: context stack is empty');
          top.name = ctxName;
        } else this.contexts.push({ name: ctxName, id: this.contextIds++, macros: new SMacroTable() });
        return;
      }
      case 'pop': {
        const top = this.contexts[this.contexts.length - 1];
        if (top === undefined) throw new SyntaxProblem('%pop: context stack is empty');
        const t = detokenize(trimTokens(rest));
        if (t !== '' && t !== top.name) throw new SyntaxProblem(`%pop in wrong context: ${top.name}, expected ${t}`);
        this.contexts.pop();
        return;
      }
    }
    if (UNSUPPORTED_DIRECTIVES.has(name)) throw new SyntaxProblem(`preprocessor directive '${spelled}' is not supported by golf asm`);
    throw new SyntaxProblem(`unknown preprocessor directive '${spelled}'`);
  }

  /**
   * A macro name may be built with `%[...]` and `%+` (`%define lib%[n]_name ...`): the run of
   * tokens up to the first space or `(` becomes one name token.
   */
  private resolveName(rest: PPToken[]): PPToken[] {
    const i = skipWs(rest, 0);
    let j = i;
    while (j < rest.length && ['id', 'num', 'ctx', 'indirect', 'paste'].includes(rest[j]!.kind)) j++;
    const region = rest.slice(i, j);
    if (!region.some((t) => t.kind === 'indirect' || t.kind === 'paste')) return rest.slice(i);
    const text = region.map((t) => (t.kind === 'indirect' ? detokenize(expandSmacros(ppTokenize(t.text.slice(2, -1)), this.env)) : t.kind === 'paste' ? '' : t.text)).join('');
    const name = ppTokenize(text);
    if (name.length !== 1) throw new SyntaxProblem(`'${text}' is not a macro name`);
    return [...name, ...rest.slice(j)];
  }

  private define(name: string, rest: PPToken[]): void {
    rest = this.resolveName(rest);
    const i = skipWs(rest, 0);
    const nt = rest[i];
    if (nt === undefined || (nt.kind !== 'id' && nt.kind !== 'ctx')) throw new SyntaxProblem(`%${name} needs a macro name`);
    let j = i + 1;
    let params: string[] | null = null;
    let greedy = false;
    // A parameter list must follow the name directly: `%define f (x)` has no parameters.
    if (rest[j]?.kind === 'op' && rest[j]!.text === '(') {
      const close = rest.findIndex((t, k) => k > j && t.kind === 'op' && t.text === ')');
      if (close < 0) throw new SyntaxProblem(`%${name} ${nt.text}: parameter list without ')'`);
      const inner = trimTokens(rest.slice(j + 1, close));
      params = [];
      if (inner.length > 0) {
        for (const p of splitArgs(inner, false)) {
          let text = detokenize(p).trim();
          if (text.endsWith('+')) {
            greedy = true;
            text = text.slice(0, -1).trim();
          }
          if (!/^[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*$/.test(text)) {
            throw new SyntaxProblem(`%${name} ${nt.text}: parameter '${detokenize(p).trim()}' is not supported by golf asm (only plain names and a final greedy '+')`);
          }
          params.push(text);
        }
      }
      j = close + 1;
    }
    let body = trimTokens(rest.slice(j));
    if (name === 'xdefine' || name === 'ixdefine') body = this.expand(body);
    const caseless = name === 'idefine' || name === 'ixdefine';
    const macro: SMacro = { name: nt.text, caseless, params, greedy, body };
    if (nt.kind === 'ctx') {
      const { depth, name: n } = contextName(nt.text);
      this.contextAt(depth).macros.define({ ...macro, name: n });
    } else this.globals.define(macro);
  }

  /** `NAME rest` of %assign-like directives: the table the name goes into, the name, the rest. */
  private target(rest: PPToken[], directive: string): { table: SMacroTable; macroName: string; after: PPToken[] } {
    rest = this.resolveName(rest);
    const i = skipWs(rest, 0);
    const nt = rest[i];
    if (nt === undefined || (nt.kind !== 'id' && nt.kind !== 'ctx')) throw new SyntaxProblem(`%${directive} needs a macro name`);
    const after = rest.slice(i + 1);
    if (nt.kind === 'ctx') {
      const { depth, name } = contextName(nt.text);
      return { table: this.contextAt(depth).macros, macroName: name, after };
    }
    return { table: this.globals, macroName: nt.text, after };
  }

  private nameToken(rest: PPToken[], directive: string): PPToken {
    const t = trimTokens(this.resolveName(rest))[0];
    if (t === undefined || (t.kind !== 'id' && t.kind !== 'ctx')) throw new SyntaxProblem(`%${directive} needs a macro name`);
    return t;
  }

  private substr(rest: PPToken[]): void {
    const { table, macroName, after } = this.target(rest, 'substr');
    const parts = splitArgs(this.expand(after), false);
    if (parts.length < 2 || parts.length > 3) throw new SyntaxProblem('%substr expects a string, a start and an optional length');
    const s = this.singleString(parts[0]!, 'substr');
    const len = BigInt(s.length);
    let start = this.evaluateExpanded(parts[1]!, '%substr');
    const count = parts[2] !== undefined ? this.evaluateExpanded(parts[2], '%substr') : 1n;
    // nasm 2.16.01: a start below 1 is 1; a negative length ends that many characters before the
    // end (-1 = through the last character).
    if (start < 1n) start = 1n;
    const from = start - 1n;
    let to = count < 0n ? len + count + 1n : from + count;
    if (to > len) to = len;
    const bytes = from >= len || to <= from ? [] : s.slice(Number(from), Number(to));
    table.define({ name: macroName, caseless: false, params: null, greedy: false, body: [quoteBytes(bytes)] });
  }

  private exit(kind: 'macro' | 'rep'): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'file') break;
      if (f.kind === kind) {
        const conds = this.conds();
        conds.length = Math.min(conds.length, f.condDepth);
        this.frames.length = i;
        return;
      }
    }
    throw new SyntaxProblem(kind === 'macro' ? '%exitmacro outside a macro' : '%exitrep outside a %rep');
  }

  private include(rest: PPToken[]): void {
    const tokens = trimTokens(this.expand(rest));
    // nasm 2.16.01 takes only a quoted name (`%include <file>` is "expects a file name" there too).
    const name = tokens.length === 1 && tokens[0]!.kind === 'str' ? Buffer.from(stringBytes(tokens[0]!)).toString('utf8') : '';
    if (name === '') throw new SyntaxProblem('%include expects a file name in quotes');
    if (this.frames.filter((f) => f.kind === 'file').length > MAX_INCLUDE_DEPTH) throw new SyntaxProblem(`%include nested deeper than ${MAX_INCLUDE_DEPTH} (a file that includes itself?)`);
    const found = this.host.files.find(name);
    if (found === undefined) throw new SyntaxProblem(`unable to open include file '${name}'`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(found.bytes);
    } catch {
      throw new SyntaxProblem(`include file '${found.path}' is not a text file (invalid UTF-8)`);
    }
    this.frames.push(fileFrame(found.path, text));
  }

  private message(rest: PPToken[]): string {
    const tokens = trimTokens(this.finish(this.expand(rest)));
    if (tokens.length === 1 && tokens[0]!.kind === 'str') return Buffer.from(stringBytes(tokens[0]!)).toString('utf8');
    return detokenize(tokens);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private expand(tokens: PPToken[]): PPToken[] {
    return expandSmacros(tokens, this.env);
  }

  private evaluate(tokens: PPToken[], directive: string): bigint {
    return this.evaluateExpanded(this.expand(tokens), directive);
  }

  private evaluateExpanded(tokens: PPToken[], directive: string): bigint {
    const t = trimTokens(this.finish(tokens));
    if (t.length === 0) throw new SyntaxProblem(`${directive} needs an expression`);
    return this.host.evaluate(t, directive);
  }

  private singleString(tokens: PPToken[], directive: string): number[] {
    const t = trimTokens(tokens);
    if (t.length !== 1 || t[0]!.kind !== 'str') throw new SyntaxProblem(`%${directive} expects a string, not '${detokenize(t)}'`);
    return stringBytes(t[0]!);
  }

  private contextAt(depth: number): Context {
    const c = this.contexts[this.contexts.length - depth];
    if (c === undefined) throw new SyntaxProblem(this.contexts.length === 0 ? 'context stack is empty' : `context stack has only ${this.contexts.length} level${this.contexts.length === 1 ? '' : 's'}`);
    return c;
  }

  private warnFinal(message: string): void {
    if (this.host.finalPass) this.host.warn(this.file, this.line, message);
  }
}

function fileFrame(name: string, source: string): FileFrame {
  const lines = source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { kind: 'file', name, lines, pos: 0, conds: [] };
}

/** %assign stores its value as signed decimal (nasm: `%assign x 0xffffffffffffffff` is -1). */
function numberTokens(v: bigint): PPToken[] {
  const s = BigInt.asIntN(64, v);
  return s < 0n ? [{ kind: 'op', text: '-' }, { kind: 'num', text: String(-s) }] : [{ kind: 'num', text: String(s) }];
}

/** %ifidn compares tokens; strings compare by their bytes, so 'a' and "a" are identical. */
function sameToken(a: PPToken, b: PPToken, caseless: boolean): boolean {
  if (a.kind === 'str' && b.kind === 'str') {
    const x = Buffer.from(stringBytes(a)).toString('latin1');
    const y = Buffer.from(stringBytes(b)).toString('latin1');
    return caseless ? x.toLowerCase() === y.toLowerCase() : x === y;
  }
  return caseless ? a.text.toLowerCase() === b.text.toLowerCase() : a.text === b.text;
}

/** %defstr: runs of whitespace become one space, none at the ends. */
function collapseWs(tokens: PPToken[]): PPToken[] {
  return trimTokens(tokens).map((t) => (t.kind === 'ws' ? { kind: 'ws', text: ' ' } : t));
}
