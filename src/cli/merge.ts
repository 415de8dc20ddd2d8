/** `golf merge`: combine the partial results of `golf search --shard I/N` runs into one answer. */
import type { Command } from 'commander';
import { mergeShards, partialProfile } from '../search/merge-shards.js';
import { MergeError, type PartialResult } from '../search/partial.js';
import { completeness, spaceScope } from '../search/report.js';
import { familyName } from '../search/shard-run.js';
import { addTargetOptions, targetFromOptions } from './target-options.js';
import { resultsDir } from '../targets/paths.js';
import type { TargetOptions } from '../targets/resolve.js';
import { targetFingerprint } from '../targets/target.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { STDIO } from './io.js';
import { profileFromOption, resultsFolder } from './options.js';
import { readPartialFile } from './shard-options.js';
import { checkOutputPlan, finishWinner, type OutputPlan } from './winner.js';

interface MergeOptions extends TargetOptions {
  output?: string;
  json?: boolean;
  record: boolean;
  results: string;
  markReproduced?: boolean;
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
    .description('combine partial results of `golf search --shard I/N` (checking that they cover the plan and re-running every file they claim), re-verify the smallest file (emulator, then the host kernel where it applies) and write it')
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
      const named = paths.map((path) => ({ path: path === STDIO ? 'stdin' : path, partial: readPartialFile(path) }));
      const first = named[0]!.partial;
      const target = mergedTarget(named.map((n) => n.partial), opts);
      const profile = partialProfile(first, profileFromOption(first.profile));
      // Every claimed file is run as the search ran it; the winner is then verified in full by finishWinner.
      let merged;
      try {
        merged = mergeShards(named, target, profile);
      } catch (err) {
        if (err instanceof MergeError) throw new CliError(err.message, ExitCode.usage);
        throw err;
      }
      const bound = merged.plan.bound === null ? null : { size: merged.plan.bound, source: merged.plan.boundSource };
      const done = completeness(merged.units, merged.unitsTotal, merged.best, first.space, merged.interrupted, bound);
      const count = first.shard.count;
      if (merged.missingShards.length > 0) process.stderr.write(`missing shards: ${merged.missingShards.map((i) => `${i + 1}/${count}`).join(', ')}\n`);
      const winner = merged.best ? merged.units.find((r) => r.best?.hex === merged.best!.hex) : undefined;
      await finishWinner({
        target, profile, best: merged.best, output, writeUnverified: false, json: opts.json === true,
        record: opts.record ? { dir: results, markReproduced: opts.markReproduced === true } : null, seed: first.seed,
        command: `golf ${process.argv.slice(2).join(' ')}`, interrupted: false,
        summary: {
          shards: `${merged.shards.length}/${count}`, missingShards: merged.missingShards.map((i) => i + 1),
          bound: merged.plan.bound, boundSource: merged.plan.boundSource, plan: merged.plan.fingerprint,
          foundBy: winner ? familyName(winner.unit) : null,
          shardTimes: merged.shards.map((s) => ({ shard: s.index + 1, host: s.host, elapsedMs: s.elapsedMs, units: s.units, best: s.best, file: s.path })),
          nodes: merged.nodes, candidates: merged.candidates, elapsedMs: merged.elapsedMs, shardMsTotal: merged.shardMsTotal,
          completeness: done.sentence, exhaustedBelow: done.exhaustedBelow, space: spaceScope(first.space),
          claimsVerified: 'every file the partials claim was run again on the emulator',
        },
      });
    });
  withExamples(cmd, [
    'golf search --target exit42 --shard 1/2 --partial p1.json && golf search --target exit42 --shard 2/2 --partial p2.json && golf merge p1.json p2.json -o exit42',
    'golf merge p1.json p2.json --json --no-record',
  ]);
}
