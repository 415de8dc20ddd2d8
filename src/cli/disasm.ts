/** `golf disasm FILE [--bits 64|32] [--start OFFSET] [--base ADDRESS] [--json]`: a listing from golf's decoder. */
import type { Command } from 'commander';
import { withExamples } from './commands.js';
import { CliError } from './errors.js';
import { readInput, STDIO } from './io.js';
import { printJson } from './output.js';
import { disassemble } from '../x86/disasm.js';

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
    .option('--bits <n>', 'decoding mode: 64 or 32', '64')
    .option('--start <offset>', 'file offset to start at (decimal or 0x hex)', '0')
    .option('--base <address>', 'address of file offset 0, for branch targets (decimal or 0x hex)', '0')
    .option('--json', 'print the listing as JSON')
    .action((file: string, opts: { bits: string; start: string; base: string; json?: boolean }) => {
      if (opts.bits !== '64' && opts.bits !== '32') throw new CliError(`--bits must be 64 or 32, got "${opts.bits}"`);
      const mode = opts.bits === '64' ? 64 : 32;
      const start = parseNumber(opts.start, '--start');
      const base = parseNumber(opts.base, '--base');
      const data = readBytes(file);
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
  ]);
}
