import { Command, CommanderError } from 'commander';
import { CliError, ExitCode, exitCodesHelp } from './cli/errors.js';
import type { RegisterCommand } from './cli/commands.js';
import { withExamples } from './cli/commands.js';
import { golfVersion } from './targets/paths.js';
import { registerTable } from './cli/table.js';
import { registerCheck } from './cli/check.js';
import { registerRegress } from './cli/regress.js';
import { registerAsm } from './cli/asm.js';
import { registerRun } from './cli/run.js';
import { registerDisasm } from './cli/disasm.js';
import { registerSearch } from './cli/search.js';
import { registerMerge } from './cli/merge.js';
import { registerExplain } from './cli/explain.js';
import { registerImage } from './cli/image.js';

// One line per command module; each module owns its flags, help text and examples.
const commands: RegisterCommand[] = [
  registerSearch,
  registerCheck,
  registerRun,
  registerExplain,
  registerTable,
  registerRegress,
  registerMerge,
  registerAsm,
  registerDisasm,
  registerImage,
];

export function buildProgram(): Command {
  const program = new Command('golf');
  program
    .description('golf: finds the smallest Linux ELF executable that produces a given output')
    .version(golfVersion())
    .exitOverride();
  oneLineErrors(program, 'golf');
  withExamples(program, [
    'golf search --target exit42',
    'golf check exit42 --target exit42 --native',
    'golf explain exit42',
    'golf run corpus/programs/hello64 --json',
    'golf asm corpus/programs/seed-hello.asm -o seed-hello',
    'golf disasm seed-hello --start 0x78',
  ]);
  program.addHelpText('after', exitCodesHelp(null));
  for (const register of commands) register(program);
  // Subcommands inherit the exit override so that usage errors come back to main().
  for (const sub of program.commands) {
    oneLineErrors(sub.exitOverride(), `golf ${sub.name()}`);
    sub.addHelpText('after', exitCodesHelp(sub.name()));
  }
  return program;
}

/**
 * commander's own usage errors ("error: unknown option '--x'", then a "(Did you mean ...?)" line)
 * become one `golf: ...` line like every other error, naming the help to read.
 */
function oneLineErrors(cmd: Command, name: string): void {
  cmd.configureOutput({
    outputError: (message, write) => {
      const text = message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
      write(`golf: ${text} (see ${name} --help)\n`);
    },
  });
}

/** Runs the CLI and returns the process exit code. Never throws for user errors. */
export async function main(argv: string[]): Promise<number> {
  // `golf disasm big | head` closes our stdout early: stop quietly, as Unix tools do.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok);
    process.stderr.write(`golf: cannot write output: ${err.message}\n`);
    process.exit(ExitCode.failure);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0; commander already printed the message.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`golf: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`golf: internal error: ${message}\n`);
    return ExitCode.internal;
  }
}
