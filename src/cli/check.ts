/** `golf check FILE --target T`: does FILE produce the target in every environment? */
import { Command } from 'commander';
import { findProfile, profileNames } from '../linux/profile.js';
import { checkFile, formatCheckReport } from '../verify/check.js';
import { emulatorRunner, hostNativeRunner } from '../verify/machine.js';
import { verifyOptionsFor } from '../verify/verify.js';
import { addTargetOptions, targetFromOptions } from './target-options.js';
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

/** golf check's exit status for each verdict (documented in --help and the README). */
export const CHECK_EXIT = { pass: ExitCode.ok, fail: ExitCode.failure, 'pass-emulator-only': ExitCode.emulatorOnly } as const;

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
      const nativeImpossible = opts.native && !native ? `this host is ${process.platform} ${process.arch}, not Linux x86-64` : null;
      const bytes = readInputFile(file);
      const report = await checkFile({ file, bytes, target, profile: profile.name, verify: verifyOptionsFor(profile), emulate: emulatorRunner(profile), native, nativeImpossible });
      if (opts.json) printJson(report);
      else process.stdout.write(formatCheckReport(report) + '\n');
      process.exitCode = CHECK_EXIT[report.verdict];
    });
  withExamples(cmd, [
    'golf check corpus/programs/seed-hello --target hello',
    'golf check corpus/programs/hello64 --target corpus/targets/hello.json --native',
    "golf check corpus/programs/hello64 --stdout 'Hello, World!\\n' --exit-code 0 --json",
    'golf check corpus/programs/hello64 --target hello --profile portable',
    'golf check corpus/published/lm978-hello-world-81 --target hello-lower --native',
  ]);
  cmd.addHelpText(
    'after',
    [
      '',
      'Besides the required runs (stdin /dev/null read-only), probes vary argc and stdin (closed; read-write, as a',
      "terminal's) to find what the file relies on; --native repeats the required runs and the stdin probes on the",
      'host kernel.',
      '',
      'Exit status: 0 PASS; 1 FAIL (the file does not meet the target, does not load, or the host kernel disagrees);',
      '2 bad usage or input; 3 PASS on the emulator only, because the --native run asked for could not be made here.',
      '',
    ].join('\n'),
  );
}
