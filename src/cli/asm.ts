/**
 * `golf asm FILE.asm [-o OUT] [-i DIR]... [-D NAME[=VALUE]]... [-U NAME]... [--json]`: assembles
 * NASM source to a flat binary, byte-identical to `nasm -f bin`. The output defaults to the input
 * name without its extension (as nasm does) and is made executable, since golf's sources are whole
 * ELF files. -i, -D and -U mean what they mean to nasm; `-f bin` is accepted so that a nasm
 * command line works unchanged, any other format is refused. `-` reads the source from stdin and,
 * as -o, writes the binary to stdout; the output is never the input file itself (as with nasm).
 *
 * Input policy: a missing file, a directory, a file that is not text (NUL bytes or invalid UTF-8),
 * a zero-length file and an assembly error are input errors (exit 2). A file with only comments
 * assembles to an empty output, as with nasm; a zero-length file is treated as a mistake (wrong
 * path, truncated file) instead.
 */
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { assemble } from '../asm/assembler.js';
import { AsmError } from '../asm/errors.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { checkWritable, readInput, sameFile, STDIO, writeOutput } from './io.js';
import { printJson } from './output.js';

interface AsmOptions {
  output?: string;
  json?: boolean;
  define: string[];
  undefine: string[];
  format?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads a source file (stdin for -), turning every unusable-input case into a one-line CliError. */
export function readSource(path: string): string {
  const bytes = readInput(path, 'an assembly source file');
  const name = path === STDIO ? 'stdin' : path;
  if (bytes.length === 0) throw new CliError(`${name}: file is empty, nothing to assemble`, ExitCode.usage);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${name}: not a text file (invalid UTF-8); expected NASM source`, ExitCode.usage);
  }
  if (text.includes('\0')) throw new CliError(`${name}: not a text file (contains NUL bytes); expected NASM source`, ExitCode.usage);
  return text;
}

/** nasm's default output name for -f bin: the input name without its extension. */
export function defaultOutput(input: string): string {
  const ext = extname(input);
  return ext === '' ? `${input}.bin` : input.slice(0, -ext.length);
}

export function registerAsm(program: Command): void {
  // -i and -I are the same option to nasm; both feed one list so their order is kept.
  const includeDirs: string[] = [];
  const include = (dir: string): string[] => {
    includeDirs.push(dir);
    return includeDirs;
  };
  const cmd = program
    .command('asm')
    .description('assemble NASM source to a flat binary, byte-identical to nasm -f bin')
    .argument('<file>', 'NASM source file (- reads stdin)')
    .option('-o, --output <out>', 'output file, never the input itself (default: the input name without its extension; - writes to stdout)')
    .option('-i, --include <dir>', 'search DIR for %include and incbin files after the current directory (repeatable; -I too)', include)
    .addOption(new Option('-I <dir>').hideHelp().argParser(include))
    .option('-D, --define <name[=value]>', 'define a single-line macro before the source (repeatable)', collect, [])
    .option('-U, --undefine <name>', 'undefine a macro before the source (repeatable)', collect, [])
    .option('-f, --format <format>', 'output format: only bin (accepted for nasm compatibility)')
    .option('--json', 'print {input, output, size, warnings} as JSON')
    .action((file: string, opts: AsmOptions) => {
      if (opts.format !== undefined && opts.format !== 'bin') {
        throw new CliError(`output format '${opts.format}' is not supported: golf asm writes flat binaries (-f bin)`, ExitCode.usage);
      }
      if (file === STDIO && opts.output === undefined) throw new CliError('reading the source from stdin (-) needs -o OUT (- for stdout)', ExitCode.usage);
      const output = opts.output ?? defaultOutput(file);
      if (output === STDIO && opts.json) throw new CliError('-o - and --json would both write to stdout; give -o FILE', ExitCode.usage);
      if (sameFile(file, output)) throw new CliError(`${output} is the input file; refusing to overwrite it (give another -o)`, ExitCode.usage);
      checkWritable(output, '-o');
      const source = readSource(file);
      const defines = opts.define.map((d): [string, string] => {
        const eq = d.indexOf('=');
        const name = eq < 0 ? d : d.slice(0, eq);
        if (!/^[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*$/.test(name)) throw new CliError(`-D ${d}: '${name}' is not a macro name`, ExitCode.usage);
        return [name, eq < 0 ? '' : d.slice(eq + 1)];
      });
      const warnings: string[] = [];
      let bytes: Uint8Array;
      try {
        bytes = assemble(source, file === STDIO ? 'stdin' : file, {
          includeDirs: [...includeDirs], defines, undefines: opts.undefine,
          onWarning: (w) => {
            warnings.push(w);
            if (!opts.json) process.stderr.write(`${w}\n`);
          },
        });
      } catch (err) {
        if (err instanceof AsmError) throw new CliError(err.message, ExitCode.usage);
        throw err;
      }
      writeOutput(output, bytes, { executable: true, flag: '-o' });
      if (opts.json) printJson({ input: file, output, size: bytes.length, warnings });
      else process.stderr.write(`golf asm: wrote ${bytes.length} bytes to ${output === STDIO ? 'stdout' : output}\n`);
    });
  withExamples(cmd, [
    'golf asm corpus/programs/seed-hello.asm -o seed-hello',
    'golf asm -i corpus/programs/ corpus/programs/alu-mix.asm -o alu-mix',
    'golf asm -f bin -D ORG=0x10000 -i corpus/programs/ corpus/programs/hello64.asm -o hello64',
    'cp corpus/programs/seed-hello.asm . && golf asm seed-hello.asm --json   # writes ./seed-hello (the input name without .asm)',
    'golf asm - -o - < corpus/programs/seed-hello.asm | wc -c',
  ]);
}
