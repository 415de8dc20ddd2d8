/**
 * `golf disasm FILE [--bits auto|64|32] [--start OFFSET] [--base ADDRESS] [--json]`: a listing from
 * golf's decoder. `--bits auto` (the default) decodes an ELF file in the mode of the process its
 * loader starts (32-bit for an i386 file, by e_machine), anything else as 64-bit code.
 */
import type { Command } from 'commander';
import { withExamples } from './commands.js';
import { CliError } from './errors.js';
import { readInput, STDIO } from './io.js';
import { printJson } from './output.js';
import { ELF_MAGIC, isIa32Machine, parseHeader } from '../linux/elf.js';
import { disassemble } from '../x86/disasm.js';

/** The decoding mode `--bits auto` picks: 32 for an ELF file the compat (i386) loader would take. */
export function autoBits(data: Uint8Array): 64 | 32 {
  const isElf = ELF_MAGIC.every((b, i) => data[i] === b);
  return isElf && isIa32Machine(parseHeader(data)) ? 32 : 64;
}

function parseNumber(value: string, what: string): number {
  const n = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value.slice(2), 16) : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new CliError(`${what} must be a number (decimal or 0x hex), got "${value}"`);
  return n;
}

/** The bytes to list (stdin for -); an empty file has nothing to disassemble. */
function readBytes(file: string): Uint8Array {
  const data = readInput(file);
  if (data.length === 0) throw new CliError(`cannot disassemble ${file === STDIO ? 'stdin' : file}: the file is empty`);
  return data;
}

export function registerDisasm(program: Command): void {
  const cmd = program
    .command('disasm')
    .description('list the instructions of a file: offset, bytes and NASM-syntax text (lengths from golf\'s decoder)')
    .argument('<file>', 'file to disassemble (raw bytes; use --start to skip an ELF header; - reads stdin)')
    .option('--bits <n>', 'decoding mode: auto (32 for an i386 ELF file, else 64), 64 or 32', 'auto')
    .option('--start <offset>', 'file offset to start at (decimal or 0x hex)', '0')
    .option('--base <address>', 'address of file offset 0, for branch targets (decimal or 0x hex)', '0')
    .option('--json', 'print the listing as JSON')
    .action((file: string, opts: { bits: string; start: string; base: string; json?: boolean }) => {
      if (opts.bits !== '64' && opts.bits !== '32' && opts.bits !== 'auto') throw new CliError(`--bits must be auto, 64 or 32, got "${opts.bits}"`);
      const start = parseNumber(opts.start, '--start');
      const base = parseNumber(opts.base, '--base');
      const data = readBytes(file);
      const mode = opts.bits === 'auto' ? autoBits(data) : opts.bits === '64' ? 64 : 32;
      if (start >= data.length) throw new CliError(`--start ${start} is past the end of ${file} (${data.length} bytes)`);
      const lines = disassemble(data, mode, start, base);
      if (opts.json) {
        printJson(lines.map((l) => ({ offset: l.offset, address: l.address, bytes: Buffer.from(l.bytes).toString('hex'), status: l.status, text: l.text })));
        return;
      }
      for (const l of lines) {
        const hex = Array.from(l.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
        process.stdout.write(`${l.offset.toString(16).padStart(8, '0')}  ${hex.padEnd(30)}  ${l.text}\n`);
      }
    });
  withExamples(cmd, [
    'golf disasm corpus/programs/seed-hello --start 0x78',
    'golf disasm corpus/programs/hello-int80 --start 0x78 --bits 32 --json',
    'golf disasm corpus/programs/seed-hello --start 0x78 --base 0x400000',
    'tail -c 44 corpus/programs/seed-hello | golf disasm -',
    'golf disasm corpus/published/raiter-tiny-exit42-45 --start 0x20 --base 0x10000',
  ]);
}
