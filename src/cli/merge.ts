/** `golf merge`: combine the partial results of `golf search --shard I/N` runs into one answer. */
import type { Command } from 'commander';
import { units } from '../search/engine.js';
import { mergePartials, parsePartial, PartialError, partialMismatch, type PartialResult } from '../search/partial.js';
import { completeness, spaceScope } from '../search/report.js';
import { addTargetOptions, targetFromOptions } from '../targets/cli-options.js';
import { resultsDir } from '../targets/paths.js';
import type { TargetOptions } from '../targets/resolve.js';
import { targetFingerprint } from '../targets/target.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { readInput, STDIO } from './io.js';
import { profileFromOption, resultsFolder } from './options.js';
import { checkOutputPlan, finishWinner, type OutputPlan } from './winner.js';

interface MergeOptions extends TargetOptions {
  output?: string;
  json?: boolean;
  record: boolean;
  results: string;
  markReproduced?: boolean;
}

function readPartial(path: string): PartialResult {
  const text = Buffer.from(readInput(path, 'a partial result')).toString('utf8');
  try {
    return parsePartial(text);
  } catch (err) {
    if (err instanceof PartialError) throw new CliError(`${path === STDIO ? 'stdin' : path}: not a valid partial result: ${err.message}`, ExitCode.usage);
    throw err;
  }
}

/** The target: the one all partials name, or the one given, which must be the same. */
function mergedTarget(parts: readonly PartialResult[], opts: MergeOptions): PartialResult['target'] {
  const fromPartials = parts[0]!.target;
  const given = opts.target !== undefined || opts.stdout !== undefined || opts.stdoutFile !== undefined || opts.exitCode !== undefined || opts.stderr !== undefined || opts.stderrFile !== undefined;
  if (!given) return fromPartials;
  const target = targetFromOptions(opts);
  if (targetFingerprint(target) !== targetFingerprint(fromPartials)) {
    throw new CliError(`the partial results were made for target ${fromPartials.name}, which requires something other than ${target.name}`, ExitCode.usage);
  }
  return target;
}

export function registerMerge(program: Command): void {
  const cmd = program.command('merge');
  addTargetOptions(cmd)
    .description('combine partial results of `golf search --shard I/N`, re-verify the smallest file (emulator, then the host kernel where it applies) and write it')
    .argument('<partials...>', 'partial result files written by golf search --shard (- reads one from stdin); the target is taken from them')
    .option('-o, --output <file>', 'write the smallest file here, executable, only if it passes verification (- writes it to stdout)')
    .option('--json', 'print the summary as JSON (fields: docs/formats.md)')
    .option('--results <dir>', 'the records folder the winner is offered to', resultsDir())
    .option('--no-record', 'do not offer the winner to the records')
    .option('--mark-reproduced', "when the winner is the record's size again, write that into the record")
    .action(async (paths: string[], opts: MergeOptions) => {
      if (paths.filter((p) => p === STDIO).length > 1) throw new CliError('stdin (-) can hold only one partial result', ExitCode.usage);
      if (opts.output === STDIO && opts.json === true) throw new CliError('-o - and --json would both write to stdout; give -o FILE', ExitCode.usage);
      const results = opts.record ? resultsFolder(opts.results) : opts.results;
      const output: OutputPlan = opts.output === undefined ? { kind: 'none' } : { kind: 'path', path: opts.output };
      checkOutputPlan(output);
      const parts = paths.map(readPartial);
      const first = parts[0]!;
      for (const [i, p] of parts.entries()) {
        const why = partialMismatch(first, p);
        if (why) throw new CliError(`${paths[0]} and ${paths[i]} come from different searches: ${why}`, ExitCode.usage);
      }
      const target = mergedTarget(parts, opts);
      const named = profileFromOption(first.profile);
      const profile = first.int80 === false ? { ...named, ia32Emulation: false } : named;
      const merged = mergePartials(parts);
      const done = completeness(merged.units, units(first.space.maxSize).length, merged.best, first.space, merged.interrupted);
      if (merged.missingShards.length > 0) process.stderr.write(`missing shards: ${merged.missingShards.map((i) => `${i + 1}/${first.shard.count}`).join(', ')}\n`);
      await finishWinner({
        target, profile, best: merged.best, output, writeUnverified: false, json: opts.json === true,
        record: opts.record ? { dir: results, markReproduced: opts.markReproduced === true } : null, seed: first.seed,
        command: `golf ${process.argv.slice(2).join(' ')}`, interrupted: false,
        summary: {
          shards: `${parts.length}/${first.shard.count}`, missingShards: merged.missingShards.map((i) => i + 1), nodes: merged.nodes,
          candidates: merged.candidates, elapsedMs: merged.elapsedMs, completeness: done.sentence, exhaustedBelow: done.exhaustedBelow, space: spaceScope(first.space),
        },
      });
    });
  withExamples(cmd, [
    'golf search --target exit42 --shard 1/2 --partial p1.json && golf search --target exit42 --shard 2/2 --partial p2.json && golf merge p1.json p2.json -o exit42',
    'golf merge p1.json p2.json --json --no-record',
  ]);
}
