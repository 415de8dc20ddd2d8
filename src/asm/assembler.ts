/**
 * The assembler: NASM `-f bin` compatible flat binaries.
 *
 * Multi-pass layout, as nasm does it: every pass runs the preprocessor afresh (preprocess.ts) and
 * assembles its lines one at a time, so preprocessor expressions see the labels of earlier lines.
 * Each pass lays out all statements with the symbol values of the previous pass (forward
 * references) or of this pass (backward ones). While a value is unknown it is taken as 0 (a
 * branch target as the branch itself), so code starts short and grows where values turn out
 * large; each pass makes nasm's choice (nasm-select.ts) for the values it has. Passes repeat until
 * no label moves, then one more pass emits with every value final.
 *
 * One section: its start is org rounded up to the section's alignment (`section ... align=`,
 * `sectalign`, and every `align n`, as in nasm), padded with zeros in the file. `absolute` space
 * (and struc) places labels without output.
 */
import { AsmError, SyntaxProblem, type MacroStep } from './errors.js';
import { evaluate, parseExpr, TokenStream, type EvalContext, type Expr, type Value } from './expr.js';
import { tokenize } from './lexer.js';
import { parseLine, type DataItem, type ParsedLine, type Statement } from './parser.js';
import { Preprocessor, type PreprocessOptions } from './preprocess.js';
import { detokenize, type PPToken } from './pptoken.js';
import { fileSystemSources, type SourceFiles } from './sources.js';
import { encodeInstruction } from './encode-instruction.js';
import type { Encoding } from '../x86/encoder.js';

/** Passes before the layout is declared unstable (nasm gives up similarly). */
const MAX_PASSES = 40;

/** NASM's `align` fills code with this (a one-byte nop). */
const ALIGN_FILL_NOP = 0x90;

export interface AssembleOptions extends PreprocessOptions {
  /** `-i DIR`: directories searched for %include and incbin after the current directory. */
  includeDirs?: readonly string[];
  /** Where included files come from (default: the file system, with includeDirs). */
  files?: SourceFiles;
  /** Warnings (%warning, nasm's preprocessor warnings), as "file:line: warning: text". */
  onWarning?: (message: string) => void;
}

/** `absolute` space: labels are placed from `start` on, nothing is emitted. */
interface AbsoluteSpace {
  start: bigint;
  /** 1 if the space was opened at an address (`absolute $`), 0 at a number. */
  reloc: number;
  offset: bigint;
}

interface Location {
  file: string;
  line: number;
  trace: readonly MacroStep[];
}

interface PassState {
  mode: 64 | 32;
  defaultRel: boolean;
  org: bigint;
  orgSet: boolean;
  /** Alignment of the section this pass lays out with (the previous pass's final value). */
  layoutAlign: bigint;
  /** Largest alignment asked for in this pass. */
  sectionAlign: bigint;
  /** `sectalign off` stops `align` from raising the section's alignment. */
  alignRaisesSection: boolean;
  section: string | null;
  out: number[];
  absolute: AbsoluteSpace | null;
  struc: { name: string } | null;
  istrucs: Array<{ name: string; start: bigint }>;
  /** Symbols defined so far in this pass, and where. */
  symbols: Map<string, Value>;
  definedAt: Map<string, Location>;
  /** The last non-local label: `.name` is local to it. */
  scope: string;
  /** Some value was unknown in this pass. */
  sawUnknown: boolean;
  /** First undefined symbol use, for the final report. */
  undefinedUse: { name: string; at: Location } | null;
  final: boolean;
  at: Location;
}

interface PassInputs {
  source: string;
  fileName: string;
  options: AssembleOptions;
  files: SourceFiles;
  /** Parsed lines by scope and text, shared by the passes. */
  parsed: Map<string, ParsedLine>;
}

/** What a pass leaves to the next: the symbol values and the layout it found. */
interface PassResult {
  symbols: Map<string, Value>;
  org: bigint;
  sectionAlign: bigint;
}

/** Assembles NASM source to a flat binary. Throws AsmError naming file:line on any problem. */
export function assemble(source: string, fileName = '<input>', options: AssembleOptions = {}): Uint8Array {
  const inputs: PassInputs = { source, fileName, options, files: options.files ?? fileSystemSources(options.includeDirs), parsed: new Map() };
  let previous: PassResult = { symbols: new Map(), org: 0n, sectionAlign: 1n };
  let last: PassState | null = null;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const state = runPass(inputs, previous, false);
    const stable = !state.sawUnknown && sameSymbols(previous.symbols, state.symbols) && state.org === previous.org && state.sectionAlign === previous.sectionAlign;
    previous = { symbols: state.symbols, org: state.org, sectionAlign: state.sectionAlign };
    last = state;
    if (stable) {
      const final = runPass(inputs, previous, true);
      const pad = Number(sectionStart(final) - final.org);
      return Uint8Array.from([...new Array<number>(pad).fill(0), ...final.out]);
    }
  }
  // Still moving: report the first undefined symbol if that is why, else the instability.
  const u = last?.undefinedUse;
  if (u) throw new AsmError(u.at.file, u.at.line, `undefined symbol '${u.name}'`, u.at.trace);
  throw new AsmError(fileName, 1, `layout does not converge after ${MAX_PASSES} passes`);
}

function sameSymbols(a: Map<string, Value>, b: Map<string, Value>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) {
    const w = a.get(k);
    if (w === undefined || w.v !== v.v || w.reloc !== v.reloc || w.unknown !== v.unknown) return false;
  }
  return true;
}

function alignUp(v: bigint, a: bigint): bigint {
  return ((v + a - 1n) / a) * a;
}

function sectionStart(state: PassState): bigint {
  return alignUp(state.org, state.layoutAlign);
}

function runPass(inputs: PassInputs, previous: PassResult, final: boolean): PassState {
  const state: PassState = {
    mode: 64, defaultRel: false, org: previous.org, orgSet: false, layoutAlign: previous.sectionAlign, sectionAlign: 1n,
    alignRaisesSection: true, section: null, out: [], absolute: null, struc: null, istrucs: [],
    symbols: new Map(), definedAt: new Map(), scope: '', sawUnknown: false, undefinedUse: null, final,
    at: { file: inputs.fileName, line: 0, trace: [] },
  };
  const warn = (message: string): void => {
    if (final) inputs.options.onWarning?.(message);
  };
  const pp = new Preprocessor(inputs.source, inputs.fileName, {
    evaluate: (tokens, directive) => evaluateForPreprocessor(tokens, directive, state, warn),
    bits: () => state.mode,
    finalPass: final,
    files: inputs.files,
    warn: (file, line, message) => warn(`${file}:${line}: warning: ${message}`),
  }, inputs.options);
  for (;;) {
    const line = pp.next();
    if (line === null) break;
    state.at = { file: line.file, line: line.line, trace: line.trace };
    try {
      assembleLine(line.text, state, previous.symbols, inputs);
    } catch (err) {
      if (err instanceof SyntaxProblem) throw new AsmError(line.file, line.line, err.message, line.trace);
      throw err;
    }
  }
  if (state.struc !== null) throw new AsmError(state.at.file, state.at.line, `struc ${state.struc.name} without endstruc`);
  if (state.istrucs.length > 0) throw new AsmError(state.at.file, state.at.line, `istruc ${state.istrucs[state.istrucs.length - 1]!.name} without iend`);
  if (final && state.undefinedUse) throw new AsmError(state.undefinedUse.at.file, state.undefinedUse.at.line, `undefined symbol '${state.undefinedUse.name}'`, state.undefinedUse.at.trace);
  return state;
}

function assembleLine(text: string, state: PassState, previous: Map<string, Value>, inputs: PassInputs): void {
  const key = `${state.scope}\n${text}`;
  let parsed = inputs.parsed.get(key);
  if (parsed === undefined) {
    parsed = parseLine(tokenize(text), state.scope);
    inputs.parsed.set(key, parsed);
  }
  if (parsed.label !== null) {
    const ctx = contextFor(state, previous);
    const value: Value = parsed.equ !== null ? evaluate(parsed.equ, ctx) : hereValue(state);
    if (value.unknown) state.sawUnknown = true;
    defineSymbol(state, parsed.label, value);
    // A label starts a new scope for `.local` names; equ does not (nasm: `a:` `b equ 5` `.c:` is a.c).
    if (parsed.equ === null) setScope(state, parsed.label);
  }
  emitStatement(parsed.statement, state, previous, inputs);
}

function setScope(state: PassState, label: string): void {
  if (!label.startsWith('.') && !(state.scope !== '' && label.startsWith(state.scope + '.'))) state.scope = label;
}

/** Defines a symbol; nasm accepts a second definition with the same value (a struc in a %rep). */
function defineSymbol(state: PassState, name: string, value: Value): void {
  const first = state.definedAt.get(name);
  if (first !== undefined) {
    const old = state.symbols.get(name)!;
    if (old.unknown || value.unknown || (old.v === value.v && old.reloc === value.reloc)) return;
    const where = first.file === state.at.file ? `line ${first.line}` : `${first.file}:${first.line}`;
    throw new SyntaxProblem(`symbol '${name}' redefined with a different value (first defined on ${where})`);
  }
  state.definedAt.set(name, state.at);
  state.symbols.set(name, value);
}

/** `$`: the next address in the section, or the position in absolute space. */
function hereValue(state: PassState): Value {
  const a = state.absolute;
  if (a !== null) return { v: BigInt.asIntN(64, a.start + a.offset), reloc: a.reloc, unknown: false };
  return { v: BigInt.asIntN(64, sectionStart(state) + BigInt(state.out.length)), reloc: 1, unknown: false };
}

function contextFor(state: PassState, previous: Map<string, Value>): EvalContext {
  const here = hereValue(state);
  const a = state.absolute;
  return {
    lookup: (name) => state.symbols.get(name) ?? previous.get(name),
    here: here.v,
    base: a !== null && a.reloc === 0 ? 0n : sectionStart(state),
    hereReloc: here.reloc,
    onUndefined: (name) => {
      state.sawUnknown = true;
      if (state.undefinedUse === null) state.undefinedUse = { name, at: state.at };
      if (state.final) throw new SyntaxProblem(`undefined symbol '${name}'`);
    },
  };
}

/**
 * A preprocessor expression (%if, %assign, %rep ...): nasm evaluates it on the spot, with the
 * symbols defined so far in this pass; a later one is "not defined before use", and the value
 * must be a number, not an address.
 */
function evaluateForPreprocessor(tokens: PPToken[], directive: string, state: PassState, warn: (m: string) => void): bigint {
  const ts = new TokenStream(tokenize(detokenize(tokens)), state.scope);
  const e = parseExpr(ts);
  if (!ts.atEnd()) warn(`${state.at.file}:${state.at.line}: warning: trailing garbage after expression ignored (${ts.peek()!.text}...)`);
  const here = hereValue(state);
  const a = state.absolute;
  const v = evaluate(e, {
    lookup: (name) => state.symbols.get(name),
    here: here.v,
    base: a !== null && a.reloc === 0 ? 0n : sectionStart(state),
    hereReloc: here.reloc,
    onUndefined: (name) => {
      throw new SyntaxProblem(`symbol '${name}' not defined before use (in ${directive})`);
    },
  });
  if (v.unknown) throw new SyntaxProblem(`${directive} depends on a symbol whose value is not known yet`);
  if (v.reloc !== 0) throw new SyntaxProblem(`non-constant value given to ${directive} (an address; use a difference such as label - $$)`);
  return v.v;
}

/** Evaluates an expression that must be known now (counts, org): an unknown value is an error. */
function known(e: Expr, ctx: EvalContext, what: string): Value {
  const v = evaluate(e, ctx);
  if (v.unknown) throw new SyntaxProblem(`${what} must not depend on symbols defined later`);
  return v;
}

/** Emits `n` zero bytes, or advances absolute space by `n`. */
function reserve(state: PassState, n: bigint): void {
  if (state.absolute !== null) {
    state.absolute.offset += n;
    return;
  }
  for (let i = 0n; i < n; i++) state.out.push(0);
}

function requireSection(state: PassState): void {
  if (state.absolute !== null) throw new SyntaxProblem('attempt to assemble code or data in absolute space (struc or absolute)');
}

function powerOfTwo(v: bigint): boolean {
  return v > 0n && (v & (v - 1n)) === 0n;
}

function raiseAlignment(state: PassState, b: bigint, what: string): void {
  if (!powerOfTwo(b)) throw new SyntaxProblem(`${what} ${b} is not a power of two`);
  if (b > state.sectionAlign) state.sectionAlign = b;
}

function emitStatement(st: Statement, state: PassState, previous: Map<string, Value>, inputs: PassInputs): void {
  const ctx = contextFor(state, previous);
  switch (st.k) {
    case 'empty':
      return;
    case 'map':
      // The map file is a listing beside the output; the output bytes do not depend on it.
      if (state.final) inputs.options.onWarning?.(`${state.at.file}:${state.at.line}: warning: map files are not written by golf asm`);
      return;
    case 'bits':
      state.mode = st.mode;
      return;
    case 'default':
      state.defaultRel = st.rel;
      return;
    case 'section':
      if (state.section !== null && state.section !== st.name) {
        throw new SyntaxProblem(`a second section ('${st.name}' after '${state.section}') is not supported: golf assembles one flat section`);
      }
      if (state.section === null && state.out.length > 0 && st.name !== '.text') {
        throw new SyntaxProblem(`section '${st.name}' after code in the default section .text is a second section: golf assembles one flat section`);
      }
      state.section = st.name;
      state.absolute = null;
      if (st.align !== null) raiseAlignment(state, known(st.align, ctx, 'section alignment').v, 'section alignment');
      return;
    case 'org': {
      const v = known(st.expr, ctx, 'org');
      if (state.orgSet && v.v !== state.org) throw new SyntaxProblem('org given twice with different values');
      // nasm applies org to the whole section, even to code before it: the next pass starts with it.
      state.org = v.v;
      state.orgSet = true;
      return;
    }
    case 'absolute': {
      const v = known(st.expr, ctx, 'absolute address');
      if (v.reloc !== 0 && v.reloc !== 1) throw new SyntaxProblem('absolute needs a number or an address');
      state.absolute = { start: v.v, reloc: v.reloc, offset: 0n };
      return;
    }
    case 'struc': {
      if (state.struc !== null) throw new SyntaxProblem(`struc ${st.name} inside struc ${state.struc.name}`);
      const start = st.offset === null ? { v: 0n, reloc: 0 } : known(st.offset, ctx, 'struc offset');
      state.struc = { name: st.name };
      state.absolute = { start: start.v, reloc: start.reloc, offset: 0n };
      defineSymbol(state, st.name, hereValue(state));
      setScope(state, st.name);
      return;
    }
    case 'endstruc': {
      const s = state.struc;
      if (s === null || state.absolute === null) throw new SyntaxProblem('endstruc without struc');
      defineSymbol(state, `${s.name}_size`, { v: state.absolute.offset, reloc: 0, unknown: false });
      state.struc = null;
      state.absolute = null;
      return;
    }
    case 'istruc':
      state.istrucs.push({ name: st.name, start: hereValue(state).v });
      return;
    case 'at': {
      const open = state.istrucs[state.istrucs.length - 1];
      if (open === undefined) throw new SyntaxProblem('at outside istruc');
      // `at .field` names a field of the structure being filled.
      const first = st.field[0]!;
      const scope = first.kind === 'id' && first.text.startsWith('.') && !first.text.startsWith('..') ? open.name : state.scope;
      const fts = new TokenStream(st.field, scope);
      const fieldExpr = parseExpr(fts);
      if (!fts.atEnd()) throw new SyntaxProblem(`unexpected '${fts.peek()!.text}' after the field of at`);
      const field = evaluate(fieldExpr, ctx);
      const base = evaluate({ k: 'sym', name: open.name }, ctx);
      if (field.unknown || base.unknown) {
        state.sawUnknown = true;
      } else {
        const pad = field.v - base.v - (hereValue(state).v - open.start);
        if (pad < 0n) throw new SyntaxProblem(`at ${detokenizeFieldText(st.field)}: the field lies before the current position in the ${open.name} structure (fields out of order?)`);
        reserve(state, pad);
      }
      if (st.body !== null) emitStatement(st.body, state, previous, inputs);
      return;
    }
    case 'iend': {
      const open = state.istrucs.pop();
      if (open === undefined) throw new SyntaxProblem('iend without istruc');
      const size = evaluate({ k: 'sym', name: `${open.name}_size` }, ctx);
      if (size.unknown) {
        state.sawUnknown = true;
        return;
      }
      const pad = size.v - (hereValue(state).v - open.start);
      if (pad < 0n) throw new SyntaxProblem(`iend: the ${open.name} structure is ${-pad} bytes longer than ${open.name}_size`);
      reserve(state, pad);
      return;
    }
    case 'data':
      requireSection(state);
      emitData(st.unit, st.items, state, ctx);
      return;
    case 'reserve': {
      const n = known(st.count, ctx, 'reserve count');
      if (n.v < 0n) throw new SyntaxProblem(`negative reserve count ${n.v}`);
      reserve(state, n.v * BigInt(st.unit));
      return;
    }
    case 'times': {
      const n = evaluate(st.count, ctx);
      if (n.unknown) {
        state.sawUnknown = true;
        return;
      }
      if (n.reloc !== 0) throw new SyntaxProblem('times count must be a number, not an address');
      if (n.v < 0n) throw new SyntaxProblem(`times count is negative (${n.v})`);
      for (let i = 0n; i < n.v; i++) emitStatement(st.body, state, previous, inputs);
      return;
    }
    case 'align': {
      const b = known(st.boundary, ctx, 'align boundary').v;
      // nasm's align is `sectalign n` (a power of two, raising the section's alignment) and then
      // `times (n - ($-$$) % n) % n` of the fill.
      if (state.alignRaisesSection) raiseAlignment(state, b, 'align boundary');
      else if (b <= 0n) throw new SyntaxProblem(`align boundary ${b} must be positive`);
      const here = hereValue(state).v;
      const offset = BigInt.asUintN(64, here - ctx.base);
      const pad = (b - (offset % b)) % b;
      if (st.fill === null && st.reserve) return reserve(state, pad);
      for (let i = 0n; i < pad; i++) {
        if (st.fill !== null) emitStatement(st.fill, state, previous, inputs);
        else {
          requireSection(state);
          state.out.push(ALIGN_FILL_NOP);
        }
      }
      return;
    }
    case 'sectalign':
      if (st.value === 'on' || st.value === 'off') state.alignRaisesSection = st.value === 'on';
      else raiseAlignment(state, known(st.value, ctx, 'sectalign').v, 'sectalign');
      return;
    case 'incbin': {
      requireSection(state);
      const found = inputs.files.find(st.file);
      if (found === undefined) throw new SyntaxProblem(`incbin: unable to open file '${st.file}'`);
      const skip = st.skip === null ? 0n : known(st.skip, ctx, 'incbin offset').v;
      const len = BigInt(found.bytes.length);
      let count = st.count === null ? len - skip : known(st.count, ctx, 'incbin length').v;
      if (skip < 0n || count < 0n) throw new SyntaxProblem('incbin offset and length must not be negative');
      if (skip + count > len) count = len - skip > 0n ? len - skip : 0n;
      for (const b of found.bytes.subarray(Number(skip), Number(skip + count))) state.out.push(b);
      return;
    }
    case 'instruction':
      requireSection(state);
      for (const b of encodeInstruction(st, { mode: state.mode, defaultRel: state.defaultRel, here: hereValue(state).v }, ctx)) state.out.push(b);
      return;
  }
}

function detokenizeFieldText(tokens: readonly { text: string }[]): string {
  return tokens.map((t) => t.text).join('');
}

/** Value ranges nasm accepts for data of each unit without a warning: -2^n .. 2^n - 1 (`db -256` is 00). */
function dataFits(v: bigint, unit: number): boolean {
  if (unit === 8) return true;
  const bits = BigInt(8 * unit);
  return v >= -(1n << bits) && v < 1n << bits;
}

function emitData(unit: number, items: DataItem[], state: PassState, ctx: EvalContext): void {
  for (const item of items) {
    if (item.k === 'bytes') {
      // Strings in dw/dd/dq are padded with zeros to a whole number of units.
      const padded = Math.ceil(item.bytes.length / unit) * unit;
      for (let i = 0; i < padded; i++) state.out.push(item.bytes[i] ?? 0);
      continue;
    }
    const v = evaluate(item.expr, ctx);
    if (!v.unknown && !dataFits(v.v, unit)) throw new SyntaxProblem(`value ${v.v} out of range for ${unit}-byte data`);
    let x = BigInt.asUintN(8 * unit, v.v);
    for (let i = 0; i < unit; i++) {
      state.out.push(Number(x & 0xffn));
      x >>= 8n;
    }
  }
}

export { AsmError };
export type { Encoding };
