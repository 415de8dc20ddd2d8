/**
 * `golf run FILE [--json] [--native] [--max-steps N] [--profile NAME] [--mmap-min-addr N] [--seed N] [-- ARG...]`:
 * runs an ELF file under golf's emulator (or, with --native, on the host kernel) and reports what
 * happened. Without --json the program's output passes through, a one-line summary goes to stderr
 * and golf's exit status mirrors a shell's: the exit code, 128 + signal number, 126 when the exec
 * failed, 124 at the step limit (as timeout(1)), 125 when golf cannot model the program.
 */
import type { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { withExamples } from './commands.js';
import { CliError, ExitCode, RUN_EXIT } from './errors.js';
import { readInput, STDIO } from './io.js';
import { printJson } from './output.js';
import { DEFAULT_MAX_STEPS, Emulator, type EmulatedRun } from '../linux/emulate.js';
import { nativeSupported, runNative } from '../linux/native.js';
import { findProfile, hostProfile, profileNames, type KernelProfile } from '../linux/profile.js';
import { runResultJson, type Assumption, type RunResult } from '../linux/run-result.js';

interface RunFlags {
  json?: boolean;
  native?: boolean;
  maxSteps?: string;
  profile?: string;
  mmapMinAddr?: string;
  seed?: string;
}

/** Parses a non-negative integer given in decimal or 0x-hex, or fails with one clear line. */
export function parseCount(text: string, flag: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? Number.parseInt(text, 16) : /^\d+$/.test(text) ? Number.parseInt(text, 10) : NaN;
  if (!Number.isSafeInteger(n)) throw new CliError(`${flag} needs a non-negative integer, got "${text}"`, ExitCode.usage);
  return n;
}

/** Reads the file to run (stdin for -), turning every file-system problem into one clear line. */
export function readProgram(path: string): Uint8Array {
  return readInput(path, 'an ELF file');
}

/** A program read from stdin runs natively from a private executable copy, removed afterwards. */
async function withExecutablePath<T>(file: string, bytes: Uint8Array, use: (path: string) => Promise<T>): Promise<T> {
  if (file !== STDIO) return use(file);
  const dir = mkdtempSync(join(tmpdir(), 'golf-run-'));
  try {
    const path = join(dir, 'stdin');
    writeFileSync(path, bytes, { mode: 0o755 });
    return await use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function chooseProfile(flags: RunFlags): KernelProfile {
  let profile: KernelProfile = findProfile('default')!;
  if (flags.profile !== undefined) {
    const found = findProfile(flags.profile);
    if (!found) throw new CliError(`unknown profile "${flags.profile}" (known: ${profileNames().join(', ')})`, ExitCode.usage);
    profile = found;
  }
  if (flags.mmapMinAddr !== undefined) profile = { ...profile, mmapMinAddr: parseCount(flags.mmapMinAddr, '--mmap-min-addr') };
  return profile;
}

/** The shell's view of a result: what `$?` would be. */
export function shellStatus(r: RunResult): number {
  switch (r.outcome) {
    case 'exited':
      return r.exitCode ?? 0;
    case 'killed': {
      const n = r.signal ? (constants.signals as Record<string, number>)[r.signal] : undefined;
      return RUN_EXIT.signalBase + (n ?? 0);
    }
    case 'exec-failed':
      return RUN_EXIT.execFailed;
    case 'step-limit':
      return RUN_EXIT.stepLimit;
    case 'unsupported':
      return RUN_EXIT.unsupported;
  }
}

/** One line describing a result, for stderr. */
export function summarize(r: RunResult & { reason?: string | null }, engine: string): string {
  const where = r.steps === null ? engine : `${engine}, ${r.steps} steps`;
  const why = r.reason ? `: ${r.reason}` : '';
  switch (r.outcome) {
    case 'exited':
      return `exited with code ${r.exitCode} (${where})`;
    case 'killed':
      return `killed by ${r.signal} (${where})${why}`;
    case 'exec-failed':
      return `exec failed with ${r.execError} (${where})${why}`;
    case 'step-limit':
      return `stopped at the ${r.steps === null ? 'timeout' : 'step limit'} (${where})`;
    case 'unsupported':
      return `not modelled by golf: ${r.unsupported} (${where})`;
  }
}

/** The --json object: the same fields for emulated and native runs, so the two can be compared. */
export function resultJson(r: RunResult, assumptions: Assumption[], reason: string | null): Record<string, unknown> {
  return { ...runResultJson(r), reason, assumptions };
}

async function runCommand(file: string, args: string[], flags: RunFlags): Promise<void> {
  const argv = [file, ...args];
  if (flags.native) {
    for (const [flag, given] of [['--profile', flags.profile], ['--mmap-min-addr', flags.mmapMinAddr], ['--max-steps', flags.maxSteps], ['--seed', flags.seed]] as const) {
      if (given !== undefined) throw new CliError(`${flag} applies to the emulator only, not to --native`, ExitCode.usage);
    }
    if (!nativeSupported()) throw new CliError(`--native needs a Linux x86-64 host (this is ${process.platform} ${process.arch})`, ExitCode.usage);
    const bytes = readProgram(file);
    const result = await withExecutablePath(file, bytes, (path) => runNative(path, { argv: [path, ...args] }));
    // What the file relies on is a property of its bytes: judged by the model of this host.
    const model = new Emulator(hostProfile()).run(bytes, { argv, execPath: file, seed: 0 });
    report(result, model.assumptions, null, 'native', flags);
    return;
  }
  const profile = chooseProfile(flags);
  const maxSteps = flags.maxSteps === undefined ? DEFAULT_MAX_STEPS : parseCount(flags.maxSteps, '--max-steps');
  const seed = flags.seed === undefined ? undefined : parseCount(flags.seed, '--seed');
  const bytes = readProgram(file);
  const result: EmulatedRun = new Emulator(profile).run(bytes, { argv, execPath: file, maxSteps, ...(seed === undefined ? {} : { seed }) });
  report(result, result.assumptions, result.reason, `emulator, profile ${profile.name}`, flags);
}

function report(result: RunResult, assumptions: Assumption[], reason: string | null, engine: string, flags: RunFlags): void {
  if (flags.json) {
    printJson(resultJson(result, assumptions, reason));
  } else {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    let line = `golf: ${summarize({ ...result, reason }, engine)}`;
    if (assumptions.length > 0) line += `; relies on: ${assumptions.map((a) => a.id).join(', ')}`;
    process.stderr.write(line + '\n');
  }
  process.exitCode = shellStatus(result);
}

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run an ELF file under golf\'s emulator (or natively with --native) and report the outcome')
    .argument('<file>', 'the ELF executable (- reads it from stdin)')
    .argument('[args...]', 'arguments for the program (after --)')
    .option('--json', 'print one JSON object: outcome, exitCode, signal, execError, stdout/stderr (base64), steps, ...')
    .option('--native', 'run on the host kernel instead (Linux x86-64 only)')
    .option('--max-steps <n>', `instruction limit (default ${DEFAULT_MAX_STEPS})`)
    .option('--profile <name>', `kernel profile: ${profileNames().join(', ')} (default: default)`)
    .option('--mmap-min-addr <n>', 'override the profile\'s vm.mmap_min_addr (0 models root)')
    .option('--seed <n>', 'fix the randomized stack top, mmap base and AT_RANDOM bytes')
    .action(async (file: string, args: string[], flags: RunFlags) => runCommand(file, args, flags));
  withExamples(cmd, [
    'golf run corpus/programs/seed-hello',
    'golf run corpus/programs/seed-hello --json',
    'golf run corpus/programs/hello64 --native --json',
    'golf run corpus/programs/hello64 --profile portable --seed 7',
    'golf run corpus/programs/low-vaddr --mmap-min-addr 0',
    'golf run corpus/programs/echo-args -- one two   # exits 3 (its argc): golf run passes the status through',
    'golf run - < corpus/programs/seed-hello',
  ]);
}
