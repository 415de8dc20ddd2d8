/** `golf merge`: combine the partial results of `golf search --shard I/N` runs into one answer. */
import type { Command } from 'commander';
import { fromHex, units } from '../search/engine.js';
import { completeness, MergeError, mergePartials, spaceScope } from '../search/report.js';
import { familyName } from '../search/shard-run.js';
import { emulatorRunner } from '../targets/machine.js';
import { addTargetOptions, targetFromOptions } from '../targets/cli-options.js';
import { targetFingerprint } from '../targets/target.js';
import { verifyFile, verifyOptionsFor } from '../targets/verify.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { finishWinner, profileFromOption } from './search.js';
import { readPartialFile } from './shard-options.js';

interface MergeOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  output?: string;
  json?: boolean;
  record: boolean;
}

/** The search accepts a file after this many steps at most; the merge re-verifies with the same. */
const SEARCH_VERIFY_STEPS = 10_000;

export function registerMerge(program: Command): void {
  const cmd = program.command('merge');
  addTargetOptions(cmd)
    .description('combine partial results of `golf search --shard I/N` into the overall smallest file, re-verifying every file the shards claim')
    .argument('<partials...>', 'partial result files written by golf search --shard')
    .option('-o, --output <file>', 'write the smallest file found here (executable)')
    .option('--json', 'print the summary as JSON')
    .option('--no-record', 'do not offer the winner to results/')
    .action(async (paths: string[], opts: MergeOptions) => {
      const named = paths.map((path) => ({ path, partial: readPartialFile(path) }));
      const first = named[0]!.partial;
      const target = targetFromOptions(opts);
      if (targetFingerprint(target) !== first.target.fingerprint) throw new CliError(`the partial results were made for a different target than ${target.name}`, ExitCode.usage);
      const named0 = profileFromOption(first.profile);
      const profile = first.int80 === false ? { ...named0, ia32Emulation: false } : named0;
      const run = emulatorRunner(profile);
      const verify = (hex: string): boolean =>
        verifyFile(run, fromHex(hex), target, { ...verifyOptionsFor(profile), maxSteps: SEARCH_VERIFY_STEPS }).pass;
      let merged;
      try {
        merged = mergePartials(named, units(first.space.maxSize), verify);
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
        target, profile, best: merged.best, output: opts.output, json: opts.json === true, record: opts.record, seed: first.seed,
        command: `golf ${process.argv.slice(2).join(' ')}`,
        summary: {
          shards: `${merged.shards.length}/${count}`, missingShards: merged.missingShards.map((i) => i + 1),
          bound: merged.plan.bound, boundSource: merged.plan.boundSource, plan: merged.plan.fingerprint,
          foundBy: winner ? familyName(winner.unit) : null,
          shardTimes: merged.shards.map((s) => ({ shard: s.index + 1, host: s.host, elapsedMs: s.elapsedMs, units: s.units, best: s.best, file: s.path })),
          nodes: merged.nodes, candidates: merged.candidates, elapsedMs: merged.elapsedMs, shardMsTotal: merged.shardMsTotal,
          completeness: done.sentence, exhaustedBelow: done.exhaustedBelow, space: spaceScope(first.space),
          verified: 'every file the partials claim was run again on the emulator',
        },
      });
    });
  withExamples(cmd, [
    'golf merge --target hello golf-shard-1-of-2.json golf-shard-2-of-2.json -o hello',
    'golf merge --target exit42 part*.json --json',
  ]);
}
