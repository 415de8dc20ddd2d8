/** `golf explain FILE`: the role of every byte, the executed path, the output's origins, and a NASM source that assembles back to the file. */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { profileNames } from '../linux/profile.js';
import { explainFile } from '../search/explain.js';
import { explainHtml } from '../search/explain-html.js';
import { formatExplanation } from '../search/explain-report.js';
import { readInputFile } from './check.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { printJson } from './output.js';
import { profileFromOption } from './search.js';

interface ExplainOptions {
  profile: string;
  json?: boolean;
  source?: boolean;
  html?: string;
}

export function registerExplain(program: Command): void {
  const cmd = program
    .command('explain')
    .description(
      'show what every byte of FILE does: header fields with their values (checked or ignored by the kernel), the executed path with its effects and loop passes, where the output bytes come from, and a NASM source that assembles back to it',
    )
    .argument('<file>', 'an ELF file (e.g. one written by golf search -o)')
    .option('--profile <name>', `kernel profile for the traced run: ${profileNames().join(', ')}`, 'default')
    .option('--source', 'print only the NASM source')
    .option('--html <page>', 'also write the byte map as one self-contained HTML page (a coloured hex grid)')
    .option('--json', 'print the fields, byte roles, executed path, output origins and source as JSON')
    .action((file: string, opts: ExplainOptions) => {
      const profile = profileFromOption(opts.profile);
      const bytes = readInputFile(file);
      const e = explainFile(bytes, profile, file);
      if (opts.html) {
        try {
          writeFileSync(opts.html, explainHtml(e, file, bytes, profile.name));
        } catch (err) {
          throw new CliError(`cannot write ${opts.html} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, ExitCode.usage);
        }
      }
      if (opts.json) {
        printJson({
          file, size: e.size, loads: e.load.loads, loadError: e.load.reason, notModelled: e.load.notModelled,
          loadBase: e.loadBase, baseIsSample: e.baseIsSample, entryOffset: e.entryOffset, ending: e.ending,
          fields: e.fields, executed: e.executed, path: e.path, totalSteps: e.totalSteps, loops: e.loops, outputs: e.outputs,
          bytes: e.roles.map((roles, offset) => ({ offset, byte: bytes[offset], roles })), source: e.source,
        });
      } else if (opts.source) process.stdout.write(e.source);
      else process.stdout.write(formatExplanation(e, file, bytes, profile.name));
      if (!e.load.loads) {
        // The map above is still printed (it shows why); the command says the file does not load.
        process.stderr.write(`golf: ${file} does not load: ${e.load.reason}\n`);
        process.exitCode = ExitCode.failure;
      }
    });
  withExamples(cmd, [
    'golf explain corpus/published/lm978-hello-world-81',
    'golf explain corpus/published/lm978-exit42-73 --html exit42.html',
    'golf explain corpus/programs/seed-hello --source > hello.asm && golf asm hello.asm -o hello2 && cmp corpus/programs/seed-hello hello2',
    'golf explain corpus/programs/seed-hello --json',
  ]);
  cmd.addHelpText('after', '\nExit status: 0 explained; 1 the file does not load (the loader\'s reason, or "not modelled by golf", is printed); 2 bad usage or input.\n');
}
