/**
 * Assembly errors. Every error names the source position (file:line) and what is wrong, so that
 * `golf asm` can print it as one line. Inside a macro expansion the position is the line that
 * called the macro (as nasm reports it), followed by the macro body lines the error came through.
 */

/** A macro a line came through, and the line of its body that led further in. */
export interface MacroStep {
  macro: string;
  file: string;
  line: number;
}

export class AsmError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
    readonly trace: readonly MacroStep[] = [],
  ) {
    super(`${file}:${line}: ${detail}${traceText(trace)}`);
    this.name = 'AsmError';
  }
}

function traceText(trace: readonly MacroStep[]): string {
  if (trace.length === 0) return '';
  return ` (from ${trace.map((s) => `macro '${s.macro}' at ${s.file}:${s.line}`).join(', ')})`;
}

/**
 * Thrown by the line-level helpers (lexer, expression parser, operand parser) that do not know
 * their position; the assembler catches it and rethrows it as an AsmError with file:line.
 */
export class SyntaxProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SyntaxProblem';
  }
}
