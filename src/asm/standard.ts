/**
 * The part of nasm 2.16.01's predefined environment golf provides, and what it refuses.
 *
 * Single-line macros: the version macros, __?FILE?__, __?LINE?__, __?BITS?__ and
 * __?OUTPUT_FORMAT?__ (each also without the question marks, as nasm defines both spellings).
 * Macros whose value golf cannot reproduce (the time of assembly, nasm's pass number) are defined
 * so that using them is an error instead of an undefined symbol.
 *
 * Multi-line macros: nasm implements struc, istruc, align, bits, section and the like as standard
 * macros; golf's assembler handles them as directives, and %ifmacro answers for them as nasm does.
 */
import { SyntaxProblem } from './errors.js';
import type { PPToken } from './pptoken.js';
import type { SMacroTable } from './smacro.js';

/** nasm 2.16.01. */
const VERSION = { major: 2, minor: 16, subminor: 1, patchlevel: 0 };

export interface DynamicValues {
  file(): string;
  line(): number;
  bits(): number;
}

const num = (n: number | string): PPToken[] => [{ kind: 'num', text: String(n) }];

function define(table: SMacroTable, name: string, value: () => PPToken[], fixed?: PPToken[]): void {
  for (const spelling of [`__?${name}?__`, `__${name}__`]) {
    table.define({ name: spelling, caseless: false, params: null, greedy: false, body: fixed ?? [], dynamic: fixed ? undefined : value });
  }
}

export function defineStandardMacros(table: SMacroTable, values: DynamicValues): void {
  const fixed = (name: string, tokens: PPToken[]): void => define(table, name, () => tokens, tokens);
  fixed('NASM_MAJOR', num(VERSION.major));
  fixed('NASM_MINOR', num(VERSION.minor));
  fixed('NASM_SUBMINOR', num(VERSION.subminor));
  fixed('NASM_PATCHLEVEL', num(VERSION.patchlevel));
  const id = (VERSION.major << 24) | (VERSION.minor << 16) | (VERSION.subminor << 8) | VERSION.patchlevel;
  fixed('NASM_VERSION_ID', num(`0x${id.toString(16).padStart(8, '0')}`));
  fixed('NASM_VER', [{ kind: 'str', text: `"${VERSION.major}.${VERSION.minor}.${String(VERSION.subminor).padStart(2, '0')}"` }]);
  fixed('OUTPUT_FORMAT', [{ kind: 'id', text: 'bin' }]);
  define(table, 'FILE', () => [{ kind: 'str', text: quoteFileName(values.file()) }]);
  define(table, 'LINE', () => num(values.line()));
  define(table, 'BITS', () => num(values.bits()));
  const refuse = (name: string, why: string): void =>
    define(table, name, () => {
      throw new SyntaxProblem(`__?${name}?__ is not supported by golf asm (${why})`);
    });
  for (const n of ['DATE', 'TIME', 'DATE_NUM', 'TIME_NUM', 'UTC_DATE', 'UTC_TIME', 'UTC_DATE_NUM', 'UTC_TIME_NUM', 'POSIX_TIME']) {
    refuse(n, 'its value is the time of assembly');
  }
  refuse('PASS', "its value depends on nasm's pass structure");
  refuse('SECT', 'golf assembles one section');
}

function quoteFileName(name: string): string {
  if (!name.includes("'")) return `'${name}'`;
  if (!name.includes('"')) return `"${name}"`;
  return '`' + name.replace(/[\\`]/g, (c) => '\\' + c) + '`';
}

/** nasm's standard multi-line macros (bin format), which golf implements as assembler directives. */
const STANDARD_MULTI_LINE = new Set([
  'struc', 'endstruc', 'istruc', 'at', 'iend', 'align', 'alignb', 'sectalign', 'bits', 'use16', 'use32', 'use64',
  'section', 'segment', 'absolute', 'org', 'default', 'cpu', 'float', 'extern', 'global', 'common', 'static',
  'required', 'incbin',
]);

export function isStandardMultiLineMacro(name: string): boolean {
  return STANDARD_MULTI_LINE.has(name.toLowerCase());
}

/** Directives nasm 2.16 has and golf does not implement: each is an error naming it. */
export const UNSUPPORTED_DIRECTIVES: ReadonlySet<string> = new Set([
  'use', 'line', 'pragma', 'clear', 'arg', 'local', 'stacksize', 'depend', 'pathsearch', 'aliases',
  'defalias', 'idefalias', 'undefalias', 'null',
]);
