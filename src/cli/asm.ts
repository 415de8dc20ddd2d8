/**
 * `golf asm FILE.asm [-o OUT] [--json]`: assembles NASM source to a flat binary, byte-identical to
 * `nasm -f bin`. The output defaults to the input name without its extension (as nasm does) and is
 * made executable, since golf's sources are whole ELF files.
 *
 * Input policy: a missing file, a directory, a file that is not text (NUL bytes or invalid UTF-8) and
 * a zero-length file are errors (exit 1). A file with only comments assembles to an empty output, as
 * with nasm; a zero-length file is treated as a mistake (wrong path, truncated file) instead.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { assemble } from '../asm/assembler.js';
import { AsmError } from '../asm/errors.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { printJson } from './output.js';

interface AsmOptions {
  output?: string;
  json?: boolean;
}

/** Reads a source file, turning every unusable-input case into a one-line CliError. */
export function readSource(path: string): string {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code ?? 'error'})`, ExitCode.failure);
  }
  if (isDirectory) throw new CliError(`${path}: is a directory, not an assembly source file`, ExitCode.failure);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new CliError(`${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, ExitCode.failure);
  }
  if (bytes.length === 0) throw new CliError(`${path}: file is empty, nothing to assemble`, ExitCode.failure);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${path}: not a text file (invalid UTF-8); expected NASM source`, ExitCode.failure);
  }
  if (text.includes('\0')) throw new CliError(`${path}: not a text file (contains NUL bytes); expected NASM source`, ExitCode.failure);
  return text;
}

/** nasm's default output name for -f bin: the input name without its extension. */
export function defaultOutput(input: string): string {
  const ext = extname(input);
  return ext === '' ? `${input}.bin` : input.slice(0, -ext.length);
}

export function registerAsm(program: Command): void {
  const cmd = program
    .command('asm')
    .description('assemble NASM source to a flat binary, byte-identical to nasm -f bin')
    .argument('<file>', 'NASM source file')
    .option('-o, --output <out>', 'output file (default: the input name without its extension)')
    .option('--json', 'print {input, output, size} as JSON')
    .action((file: string, opts: AsmOptions) => {
      const source = readSource(file);
      let bytes: Uint8Array;
      try {
        bytes = assemble(source, file);
      } catch (err) {
        if (err instanceof AsmError) throw new CliError(err.message, ExitCode.failure);
        throw err;
      }
      const output = opts.output ?? defaultOutput(file);
      try {
        writeFileSync(output, bytes);
        chmodSync(output, 0o755);
      } catch (err) {
        throw new CliError(`${output}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`, ExitCode.failure);
      }
      if (opts.json) printJson({ input: file, output, size: bytes.length });
      else process.stderr.write(`golf asm: wrote ${bytes.length} bytes to ${output}\n`);
    });
  withExamples(cmd, [
    'golf asm corpus/programs/seed-hello.asm -o seed-hello',
    'golf asm tiny.asm            # writes ./tiny',
    'golf asm tiny.asm -o tiny --json',
  ]);
}
