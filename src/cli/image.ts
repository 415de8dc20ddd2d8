/** `golf image FILE -o OUT`: the smallest FROM-scratch container image archive around FILE. */
import type { Command } from 'commander';
import { ENGINES, type EngineName } from '../image/acceptance.js';
import { FORMATS, type ImageFormat } from '../image/build.js';
import { COMPRESSIONS, CompressionError, type Compression } from '../image/compression.js';
import { ImageInputError, notElfReason, readImageInput, targetOfRecordedFile } from '../image/input.js';
import { DEFAULT_ENTRY, entryProblem } from '../image/layer.js';
import { imageLines, ImageWriteError, makeImage, type ImageReport } from '../image/make.js';
import { normaliseTag } from '../image/tag.js';
import { verifyWithEngine, type EngineVerdict } from '../image/verify.js';
import { addTargetOptions, targetFromOptions } from './target-options.js';
import { resultsDir } from '../targets/paths.js';
import type { Target } from '../targets/target.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { printJson } from './output.js';

/** Exit status when an engine --verify asked for is not installed or its daemon is not running. */
export const ENGINE_UNAVAILABLE = ExitCode.toolMissing;

interface ImageOptions {
  output?: string;
  tag?: string;
  entry: string;
  compress: string;
  format: string;
  portable?: boolean;
  verify?: string;
  force?: boolean;
  json?: boolean;
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new CliError(`${flag} must be one of ${allowed.join(', ')} (got "${value}")`, ExitCode.usage);
  return value as T;
}

function enginesFromOption(value: string | undefined): EngineName[] {
  if (value === undefined) return [];
  if (value === 'both') return [...ENGINES];
  return [oneOf(value, ENGINES, '--verify')];
}

/** The target a verification compares with: flags, else FILE's record, else a record holding the same bytes. */
function verificationTarget(opts: ImageOptions, input: ReturnType<typeof readImageInput>): { target: Target; from: string } | null {
  if (opts.target !== undefined || opts.stdout !== undefined || opts.stderr !== undefined || opts.exitCode !== undefined) {
    const target = targetFromOptions(opts);
    return { target, from: target.origin };
  }
  if (input.record) return { target: input.record.file.target, from: input.record.path };
  const found = targetOfRecordedFile(input.executable, resultsDir());
  return found ? { target: found.target, from: `${found.path} (same bytes)` } : null;
}

function verdictLines(v: EngineVerdict, targetName: string): string[] {
  const name = `${v.engine}${v.version ? ` ${v.version}` : ''}`;
  if (v.outcome === 'unavailable') return [`verify ${v.engine}: not available: ${v.detail}`];
  const lines = [`verify ${name}: ${v.outcome === 'pass' ? `pass (same stdout and exit status as target ${targetName})` : `FAIL: ${v.detail}`}`];
  if (v.exitCode !== null) {
    lines.push(`  exit status ${v.exitCode}, stdout:`);
    const out = v.stdout ?? '';
    for (const line of (out.endsWith('\n') ? out.slice(0, -1) : out).split('\n')) lines.push(`  | ${line}`);
    if (v.stderr) lines.push(`  engine stderr: ${v.stderr.split('\n')[0]}`);
    lines.push(`  image ${v.removed ? 'removed again' : 'kept (it was there before the load)'}`);
  }
  return lines;
}

export function registerImage(program: Command): void {
  const cmd = program.command('image').argument('<file>', "an executable, or a record of results/ (results/default/hello.json, or without .json): its best file");
  cmd
    .description('write the smallest FROM-scratch container image archive holding FILE as its only file, and optionally load and run it in docker/podman')
    .option('-o, --output <archive>', 'where to write the archive (required)')
    .option('--tag <name>', 'repository tag, e.g. golf/hello (":latest" is added when no tag is given); default: no tag, the smallest archive')
    .option('--entry <path>', 'path of the executable inside the image, also the Entrypoint', DEFAULT_ENTRY)
    .option('--compress <kind>', `compress the whole archive: ${COMPRESSIONS.join(', ')} (gzip: docker only; zstd: podman only)`, 'none')
    .option('--format <format>', `${FORMATS.join(' or ')} (oci: podman and skopeo only)`, 'docker-archive')
    .option('--portable', "a standard tar (padded, end blocks) that GNU tar and Python's tarfile read too, instead of the smallest")
    .option('--verify <engine>', 'load, run (--rm --network=none) and remove the image in docker, podman or both; compare with the target');
  addTargetOptions(cmd)
    .option('--force', 'put FILE in the image even if it is not an ELF executable')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The target of --verify is --target/--stdout when given, else FILE's record, else the record in
results/ holding the same bytes. Exit status: 0 written (and every verification passed), 1 a
verification failed or OUT could not be written, 2 bad input or options, ${ENGINE_UNAVAILABLE} an engine
asked for is not installed or its daemon is not running (the message names the command to start it).`,
    )
    .action(async (file: string, opts: ImageOptions) => {
      if (!opts.output) throw new CliError('give the archive to write with -o OUT', ExitCode.usage);
      const compress = oneOf<Compression>(opts.compress, COMPRESSIONS, '--compress');
      const format = oneOf<ImageFormat>(opts.format, FORMATS, '--format');
      const engines = enginesFromOption(opts.verify);
      const entryIssue = entryProblem(opts.entry);
      if (entryIssue) throw new CliError(entryIssue, ExitCode.usage);
      let tag: string | null = null;
      if (opts.tag !== undefined) {
        try {
          tag = normaliseTag(opts.tag);
        } catch (err) {
          throw new CliError((err as Error).message, ExitCode.usage);
        }
      }
      let input;
      try {
        input = readImageInput(file);
      } catch (err) {
        if (err instanceof ImageInputError) throw new CliError(err.message, ExitCode.usage);
        throw err;
      }
      const notElf = notElfReason(input.executable);
      if (notElf && !opts.force) throw new CliError(`${file} is not an ELF executable: ${notElf} (give --force to put it in an image anyway)`, ExitCode.usage);
      const verifyTarget = engines.length ? verificationTarget(opts, input) : null;
      if (engines.length && !verifyTarget) {
        throw new CliError(`--verify needs a target to compare the run with, and no record in results/ holds ${file}: give --target NAME or --stdout TEXT --exit-code N`, ExitCode.usage);
      }

      let report: ImageReport;
      try {
        report = makeImage({ executable: input.executable, entry: opts.entry, tag, format, style: opts.portable ? 'portable' : 'compact', compress }, opts.output);
      } catch (err) {
        if (err instanceof ImageWriteError || err instanceof CompressionError) throw new CliError(err.message, ExitCode.failure);
        throw err;
      }
      const verdicts: EngineVerdict[] = [];
      for (const engine of engines) {
        verdicts.push(await verifyWithEngine({ engine, archive: opts.output, imageId: report.built.imageId, tag, entry: opts.entry, target: verifyTarget!.target }));
      }

      const b = report.built;
      if (opts.json) {
        printJson({
          output: opts.output,
          input: input.origin,
          size: b.bytes.length,
          sha256: b.sha256,
          format,
          style: b.request.style,
          compress,
          settings: b.settings,
          compressor: report.compressor,
          imageId: b.imageId,
          tag,
          entry: opts.entry,
          members: b.members,
          layer: b.layer,
          candidates: b.candidates,
          loadsIn: report.readers,
          reliesOn: report.reliesOn,
          target: verifyTarget ? { name: verifyTarget.target.name, from: verifyTarget.from } : null,
          verify: verdicts,
        });
      } else {
        const lines = imageLines(opts.output, report);
        if (notElf) lines.push(`  warning: ${file} is not an ELF executable (${notElf}); written because of --force`);
        if (verifyTarget) lines.push(`target: ${verifyTarget.target.name} (from ${verifyTarget.from})`);
        for (const v of verdicts) lines.push(...verdictLines(v, verifyTarget!.target.name));
        process.stdout.write(lines.join('\n') + '\n');
      }
      if (verdicts.some((v) => v.outcome === 'fail')) process.exitCode = ExitCode.failure;
      else if (verdicts.some((v) => v.outcome === 'unavailable')) {
        for (const v of verdicts.filter((x) => x.outcome === 'unavailable')) process.stderr.write(`golf: ${v.detail}\n`);
        process.exitCode = ENGINE_UNAVAILABLE;
      }
    });
  withExamples(cmd, [
    'golf image results/default/hello -o hello.tar',
    'golf image results/default/hello -o hello.tar --verify both   # needs a running dockerd (see README); else exit 3 names the command to start it',
    'golf image results/default/hello -o hello.tar.xz --compress xz --verify podman',
    'golf image results/default/hello -o hello-std.tar --portable --tag golf/hello',
    'golf image corpus/programs/hello64 -o hello64.tar --target hello --verify podman',
  ]);
}
