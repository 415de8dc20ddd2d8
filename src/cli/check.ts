/** `golf check FILE --target T`: does FILE produce the target in every environment? */
import { Command } from 'commander';
import { findProfile, profileNames } from '../linux/profile.js';
import { checkFile, formatCheckReport } from '../targets/check.js';
import { emulatorRunner, hostNativeRunner } from '../targets/machine.js';
import { verifyOptionsFor } from '../targets/verify.js';
import { addTargetOptions, targetFromOptions } from '../targets/cli-options.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { readInput } from './io.js';
import { printJson } from './output.js';

interface CheckOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  profile: string;
  native?: boolean;
  json?: boolean;
}

/** Reads the file to check (stdin for -); anything but a readable regular file is a usage error. */
export function readInputFile(path: string): Uint8Array {
  return readInput(path, 'an ELF file');
}

export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('check that FILE meets a target in every environment a real machine can present (stack positions, environments, argv)')
    .argument('<file>', 'the ELF file to check');
  addTargetOptions(cmd)
    .option('--profile <name>', `kernel profile: ${profileNames().join(', ')}`, 'default')
    .option('--native', 'also run the file on the host kernel (Linux x86-64 only)')
    .option('--json', 'print the per-environment details as JSON')
    .action(async (file: string, opts: CheckOptions) => {
      const target = targetFromOptions(opts);
      const profile = findProfile(opts.profile);
      if (!profile) throw new CliError(`unknown profile "${opts.profile}" (known: ${profileNames().join(', ')})`, ExitCode.usage);
      const native = opts.native ? hostNativeRunner() : null;
      if (opts.native && !native) throw new CliError('--native needs a Linux x86-64 host', ExitCode.usage);
      const bytes = readInputFile(file);
      const report = await checkFile({ file, bytes, target, profile: profile.name, verify: verifyOptionsFor(profile), emulate: emulatorRunner(profile), native });
      if (opts.json) printJson(report);
      else process.stdout.write(formatCheckReport(report) + '\n');
      process.exitCode = report.pass ? ExitCode.ok : ExitCode.failure;
    });
  withExamples(cmd, [
    'golf check corpus/programs/seed-hello --target hello',
    'golf check corpus/programs/hello64 --target corpus/targets/hello.json --native',
    "golf check corpus/programs/hello64 --stdout 'Hello, World!\\n' --exit-code 0 --json",
    'golf check corpus/programs/hello64 --target hello --profile portable',
  ]);
}
