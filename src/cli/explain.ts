/** `golf explain FILE`: the role of every byte, and a NASM source that assembles back to the file. */
import type { Command } from 'commander';
import { explainFile } from '../search/explain.js';
import { readInputFile } from './check.js';
import { withExamples } from './commands.js';
import { printJson } from './output.js';
import { profileFromOption } from './search.js';
import { profileNames } from '../linux/profile.js';

interface ExplainOptions {
  profile: string;
  json?: boolean;
  source?: boolean;
}

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .description('show every role each byte of FILE plays (header fields, executed instructions, output bytes) and a NASM source that assembles back to it')
    .argument('<file>', 'an ELF file (e.g. one written by golf search -o)')
    .option('--profile <name>', `kernel profile for the traced run: ${profileNames().join(', ')}`, 'default')
    .option('--source', 'print only the NASM source')
    .option('--json', 'print the byte map, executed instructions and source as JSON')
    .action((file: string, opts: ExplainOptions) => {
      const profile = profileFromOption(opts.profile);
      const bytes = readInputFile(file);
      const e = explainFile(bytes, profile, file);
      if (opts.json) {
        printJson({
          file, size: e.size, loadBase: e.loadBase, ending: e.ending, executed: e.executed,
          bytes: e.roles.map((roles, offset) => ({ offset, byte: bytes[offset], roles })), source: e.source,
        });
        return;
      }
      if (opts.source) {
        process.stdout.write(e.source);
        return;
      }
      const lines = [`${file}: ${e.size} bytes, loaded at ${e.loadBase === null ? '(does not load)' : '0x' + e.loadBase.toString(16)}, run ends: ${e.ending}`, ''];
      lines.push('offset  byte  roles');
      e.roles.forEach((roles, off) => {
        lines.push(`${off.toString().padStart(6)}  ${bytes[off]!.toString(16).padStart(2, '0')}    ${roles.join(' | ') || 'free (read by nobody)'}`);
      });
      lines.push('', 'NASM source (golf asm and nasm -f bin give back the identical file):', '', e.source);
      process.stdout.write(lines.join('\n'));
    });
  withExamples(cmd, [
    'golf explain corpus/programs/hello64',
    'golf explain corpus/programs/hello64 --source > hello64.asm && golf asm hello64.asm -o hello64 && cmp hello64 corpus/programs/hello64',
    'golf explain corpus/programs/dyn-pic-hello --json',
  ]);
}
