/**
 * Assembly errors. Every error names the source position (file:line) and what is wrong, so that
 * `golf asm` can print it as one line.
 */
export class AsmError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'AsmError';
  }
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
