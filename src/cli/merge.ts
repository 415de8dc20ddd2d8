/** `golf merge`: combine the partial results of `golf search --shard I/N` runs into one answer. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { units } from '../search/engine.js';
import { completeness, mergePartials, PARTIAL_FORMAT, spaceScope, type PartialResult } from '../search/report.js';
import { addTargetOptions, targetFromOptions } from '../targets/cli-options.js';
import { targetFingerprint } from '../targets/target.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { finishWinner, profileFromOption } from './search.js';

interface MergeOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  output?: string;
  json?: boolean;
  record: boolean;
}

function readPartial(path: string): PartialResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code ? `${path}: cannot read (${code})` : `${path}: not JSON`, ExitCode.usage);
  }
  const p = value as Partial<PartialResult>;
  if (typeof p !== 'object' || p === null || p.format !== PARTIAL_FORMAT) throw new CliError(`${path}: not a golf search partial result (format ${PARTIAL_FORMAT})`, ExitCode.usage);
  return p as PartialResult;
}

export function registerMerge(program: Command): void {
  const cmd = program.command('merge');
  addTargetOptions(cmd)
    .description('combine partial results of `golf search --shard I/N` into the overall smallest file')
    .argument('<partials...>', 'partial result files written by golf search --shard')
    .option('-o, --output <file>', 'write the smallest file found here (executable)')
    .option('--json', 'print the summary as JSON')
    .option('--no-record', 'do not offer the winner to results/')
    .action(async (paths: string[], opts: MergeOptions) => {
      const parts = paths.map(readPartial);
      const first = parts[0]!;
      for (const p of parts) {
        const same = p.target.fingerprint === first.target.fingerprint && p.profile === first.profile && p.int80 === first.int80 && p.seed === first.seed &&
          p.shard.count === first.shard.count && JSON.stringify(p.space) === JSON.stringify(first.space);
        if (!same) throw new CliError('partial results come from different searches (target, profile, seed, shard count or space differ)', ExitCode.usage);
      }
      const target = targetFromOptions(opts);
      if (targetFingerprint(target) !== first.target.fingerprint) throw new CliError(`the partial results were made for a different target than ${target.name}`, ExitCode.usage);
      const named = profileFromOption(first.profile);
      const profile = first.int80 === false ? { ...named, ia32Emulation: false } : named;
      const merged = mergePartials(parts);
      const done = completeness(merged.units, units(first.space.maxSize).length, merged.best, first.space, merged.interrupted);
      if (merged.missingShards.length > 0) process.stderr.write(`missing shards: ${merged.missingShards.map((i) => `${i + 1}/${first.shard.count}`).join(', ')}\n`);
      await finishWinner({
        target, profile, best: merged.best, output: opts.output, json: opts.json === true, record: opts.record, seed: first.seed,
        command: `golf ${process.argv.slice(2).join(' ')}`,
        summary: {
          shards: `${parts.length}/${first.shard.count}`, missingShards: merged.missingShards.map((i) => i + 1), nodes: merged.nodes,
          candidates: merged.candidates, elapsedMs: merged.elapsedMs, completeness: done.sentence, exhaustedBelow: done.exhaustedBelow, space: spaceScope(first.space),
        },
      });
    });
  withExamples(cmd, [
    'golf merge --target hello golf-shard-1-of-2.json golf-shard-2-of-2.json -o hello',
    'golf merge --target exit42 part*.json --json',
  ]);
}
