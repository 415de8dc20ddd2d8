/** `golf search`: find the smallest ELF file that produces a target, across worker threads. */
import type { Command } from 'commander';
import { ARCH_NAMES, type ArchName } from '../linux/personality.js';
import { profileNames, type KernelProfile } from '../linux/profile.js';
import { DEFAULT_SPACE, units, unitsNoun, type SearchSpace } from '../search/engine.js';
import { archRefusal, defaultMaxSize, effectiveProfile, smallestMaxSize } from '../search/policy.js';
import { spaceScope } from '../search/report.js';
import { defaultWorkers } from '../search/run.js';
import { DEFAULT_PROVE_SECONDS, provedSpace, searchThenProve } from '../search/prove.js';
import { knownBound } from '../search/start-bound.js';
import { emitOrPlan, searchSharded } from './search-shards.js';
import { parseBound } from './shard-options.js';
import { addTargetOptions, targetFromOptions } from './target-options.js';
import { resultsDir } from '../targets/paths.js';
import { writeWinnerImage } from '../image/search-hook.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { checkWritable, STDIO } from './io.js';
import { parseIntegerOption, parseShard, profileFromOption, resultsFolder } from './options.js';
import { progressPrinter } from './progress-line.js';
import { checkOutputPlan, defaultOutputNames, finishWinner, type OutputPlan } from './winner.js';

interface SearchOptions {
  target?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: string;
  workers?: string;
  seed: string;
  timeLimit?: string;
  proveTime?: string;
  maxSize?: string;
  splitWrites?: boolean;
  exact?: boolean;
  maxNodes?: string;
  profile: string;
  output?: string;
  json?: boolean;
  shard?: string;
  partial?: string;
  record: boolean;
  results: string;
  markReproduced?: boolean;
  image?: string;
  arch: string;
  bound?: string;
  costs?: string[];
  shards?: string;
  plan?: boolean;
  emit?: string;
}

// explain.ts takes profiles from here; the rule itself lives in options.ts.
export { profileFromOption };

/** --arch: x86-64 or i386, refused with the reason when the profile cannot search it (policy.ts). */
function archFromOption(name: string, profile: KernelProfile): ArchName {
  const arch = ARCH_NAMES.find((a) => a === name);
  if (!arch) throw new CliError(`unknown --arch "${name}" (known: ${ARCH_NAMES.join(', ')})`, ExitCode.usage);
  const refused = archRefusal(arch, profile);
  if (refused) throw new CliError(`--arch ${arch}: ${refused}`, ExitCode.usage);
  return arch;
}

/** Layout families of the space (an exact search's units are their sizes). */
function familyCount(space: SearchSpace): number {
  return new Set(units(space).map((u) => `${u.phoff}/${u.type}`)).size;
}

export function registerSearch(program: Command): void {
  const cmd = program.command('search');
  addTargetOptions(cmd)
    .description('search ELF header layouts and code together for the smallest file that produces the target')
    .option('--workers <n>', `worker threads (default: all cores, ${defaultWorkers()} here)`)
    .option('--seed <n>', 'seed recorded with the result (the search order is fixed, so equal seeds and options give equal results)', '1')
    .option('--time-limit <seconds>', 'stop after this many seconds and keep the best so far')
    .option('--prove-time <seconds>', `after a file is found, search every smaller size without the heuristic bound for at most this long, to prove no smaller file exists (0: no proof; default ${DEFAULT_PROVE_SECONDS})`)
    .option('--max-size <bytes>', "largest file size searched (default: the size of golf's straightforward layout for the target, at least " + `${DEFAULT_SPACE.maxSize})`)
    .option('--split-writes', 'also search files that write an output in several pieces (a much larger space: slower)')
    .option('--exact', 'prune code by no cost bound, so that an exhausted size means no smaller file exists in the space (the default bound is a heuristic); much slower, for small targets')
    .option('--max-nodes <n>', `walk nodes per layout before it is cut (bounds the code search); 0: no limit (default: ${DEFAULT_SPACE.nodeLimit}, and no limit with --exact, whose claim needs every layout walked to the end)`)
    .option('--profile <name>', `kernel profile: ${profileNames().join(', ')}`, 'default')
    .option('--arch <name>', `files to search: x86-64 (ELF64) or i386 (ELF32 for a 32-bit process, int 0x80; needs a profile with IA32 emulation; records under results/PROFILE-i386/)`, 'x86-64')
    .option('-o, --output <file>', "write the smallest file found here, executable; - writes it to stdout (default: ./TARGET-NAME, or ./a.out for --stdout targets, never replacing a file: ./NAME.1 and so on)")
    .option('--json', 'print the summary as JSON (fields: docs/formats.md)')
    .option('--shard <I/N|auto>', 'run only shard I of N and write a partial result (combine with golf merge; no file is written without -o); auto: from SLURM_ARRAY_TASK_ID/_COUNT, or auto/N with JOB_COMPLETION_INDEX')
    .option('--partial <file>', 'where --shard writes its partial result (default golf-shard-I-of-N.json)')
    .option('--bound <n|record|first-pass|none>', 'files larger than this cannot win: n bytes, the record for the target, the best file of a quick first pass, or none (default: record, else first-pass, with --shard; none without)')
    .option('--costs <partials...>', 'balance shards by the unit times in these partial results of an earlier run (default: estimated from layout counts)')
    .option('--shards <n>', 'number of shards, for --plan and --emit')
    .option('--plan', 'print how the search splits into shards (with --shards N or --shard I/N) and exit')
    .option('--emit <scheduler>', 'print a script that runs the search as --shards N shards and the merge on a cluster (slurm) and exit')
    .option('--results <dir>', 'the records folder the winner is offered to', resultsDir())
    .option('--no-record', 'do not offer the winner to the records')
    .option('--mark-reproduced', "when the winner is the record's size again, write that into the record (by default the record file is left unchanged)")
    .option('--image <archive>', "also write the winner's container image archive (as golf image writes it)")
    .action(async (opts: SearchOptions) => {
      const target = targetFromOptions(opts);
      const profile = profileFromOption(opts.profile);
      const arch = archFromOption(opts.arch, profile);
      // Shard planning (costs, bounds, partials, merge) is written for the x86-64 space only so far.
      if (arch === 'i386') {
        const sharding = [['--shard', opts.shard], ['--plan', opts.plan], ['--emit', opts.emit], ['--bound', opts.bound], ['--shards', opts.shards], ['--costs', opts.costs]].find(([, v]) => v !== undefined);
        if (sharding) throw new CliError(`${sharding[0] as string} is not available with --arch i386 yet (the i386 space is searched in one run)`, ExitCode.usage);
      }
      const workers = opts.workers === undefined ? defaultWorkers() : parseIntegerOption(opts.workers, '--workers', 1, 256);
      const seed = parseIntegerOption(opts.seed, '--seed', 0, 2 ** 32 - 1);
      const timeLimit = opts.timeLimit === undefined ? Infinity : parseIntegerOption(opts.timeLimit, '--time-limit', 1, 10 ** 7);
      const proveSeconds = opts.proveTime === undefined ? DEFAULT_PROVE_SECONDS : parseIntegerOption(opts.proveTime, '--prove-time', 0, 10 ** 7);
      const space: SearchSpace = {
        ...DEFAULT_SPACE,
        maxSize: opts.maxSize === undefined ? defaultMaxSize(target, arch) : parseIntegerOption(opts.maxSize, '--max-size', smallestMaxSize(arch), 4096),
        nodeLimit: opts.maxNodes !== undefined ? parseIntegerOption(opts.maxNodes, '--max-nodes', 0, 10 ** 12) : opts.exact === true ? 0 : DEFAULT_SPACE.nodeLimit,
        ...(opts.splitWrites === true ? { splitWrites: true } : {}),
        ...(opts.exact === true ? { exact: true } : {}),
        ...(arch === 'i386' ? { arch } : {}),
      };
      const shard = opts.shard === undefined ? { index: 0, count: 1 } : parseShard(opts.shard);
      if (opts.partial !== undefined && opts.shard === undefined) throw new CliError('--partial needs --shard I/N', ExitCode.usage);
      if (opts.partial === STDIO) throw new CliError('--partial needs a file name: stdout carries the summary', ExitCode.usage);
      if (opts.output === STDIO && opts.json === true) throw new CliError('-o - and --json would both write to stdout; give -o FILE', ExitCode.usage);
      const recording = opts.record && opts.shard === undefined;
      const results = recording ? resultsFolder(opts.results) : opts.results;
      // Everything that will be written is checked now: a search is never thrown away at the end.
      const output: OutputPlan = opts.output !== undefined ? { kind: 'path', path: opts.output }
        : opts.shard !== undefined ? { kind: 'none' } : { kind: 'default', names: defaultOutputNames(target) };
      checkOutputPlan(output);
      const partialPath = opts.shard === undefined ? null : opts.partial ?? `golf-shard-${shard.index + 1}-of-${shard.count}.json`;
      if (partialPath) checkWritable(partialPath, '--partial');
      if (opts.image !== undefined) checkWritable(opts.image, '--image');
      const { profile: searchedProfile, int80Refused: refused } = effectiveProfile(profile, arch);
      if (refused) process.stderr.write(`this host refuses int 0x80 (${refused}); searching without it\n`);
      const note = (line: string): void => { process.stderr.write(line + '\n'); };
      const bound = opts.bound === undefined ? undefined : parseBound(opts.bound);
      const base = { target, profile: searchedProfile, space, workers, timeLimit, seed };
      if (opts.plan === true || opts.emit !== undefined) {
        await emitOrPlan(opts, base, bound, profile.name, opts.shard === undefined ? null : shard.count, note);
        return;
      }
      const start = knownBound(bound, opts.shard !== undefined, target, searchedProfile, space, note);
      const sharded = opts.shard !== undefined || start.bound !== null || start.firstPass;
      const progress = progressPrinter();
      const outcome = sharded
        ? await searchSharded(opts, base, shard, start.bound, profile.name, partialPath, progress.report)
        : { ...(await searchThenProve(base, proveSeconds, progress.report)), shardSummary: {} };
      progress.end();
      const { proof, done } = outcome;
      // A shard's claims are about its own units only; golf merge makes the claim for the space.
      if (opts.shard !== undefined) done.sentence = `shard ${shard.index + 1}/${shard.count} (${outcome.unitsTotal} ${unitsNoun(space)}, golf merge combines the shards): ${done.sentence}`;
      await finishWinner({
        target, profile: searchedProfile, arch, best: outcome.best, output, writeUnverified: true, json: opts.json === true,
        record: recording ? { dir: results, markReproduced: opts.markReproduced === true } : null, seed,
        noFileIsSuccess: opts.shard !== undefined,
        command: `golf ${process.argv.slice(2).join(' ')}`, interrupted: outcome.interrupted, summary: {
          workers, shard: `${shard.index + 1}/${shard.count}`, partial: partialPath, ...outcome.shardSummary, elapsedMs: outcome.elapsedMs, timeToBestMs: outcome.timeToBestMs,
          nodes: outcome.nodes, candidates: outcome.candidates, nodesPerSecond: outcome.elapsedMs > 0 ? Math.round(outcome.nodes / (outcome.elapsedMs / 1000)) : null,
          layoutFamilies: familyCount(space), units: outcome.unitsTotal, completeness: done.sentence, exhaustedBelow: done.exhaustedBelow,
          // a complete proof's claim is about the space walked without the bound
          space: spaceScope(proof?.complete === true ? provedSpace(space) : space),
          proof,
          arch,
          int80: arch === 'i386' ? 'the only system-call convention (32-bit process)' : searchedProfile.ia32Emulation ? 'allowed' : 'not used',
          ...(refused ? { int80RefusedByHost: refused } : {}),
        },
      });
      if (opts.image !== undefined && !writeWinnerImage(outcome.best?.hex ?? null, opts.image)) process.exitCode = ExitCode.failure;
    });
  withExamples(cmd, [
    'golf search --target hello   # takes minutes (81 bytes in about 1 on 2 cores, then about 8 proving nothing smaller exists); Ctrl-C stops it and still writes the best file',
    'golf search --target exit42 --prove-time 0 -o exit42-quick   # no proof: the heuristic search alone',
    'golf search --target exit42 --workers 2 --time-limit 60 --json -o exit42',
    "golf search --stdout 'Hi\\n' --exit-code 3 --max-size 80 -o hi",
    "printf 'Hi\\n' > hi.txt && golf search --stdout-file hi.txt --exit-code 3 --max-size 80 -o hi2   # the same target, its output read from a file",
    'golf search --target true -o - | wc -c',
    'golf search --target exit42 --exact --max-size 73 -o exit42-exact   # without the heuristic bound: "no smaller file exists" in the space',
    'golf search --arch i386 --target exit42 -o exit42-i386   # ELF32; emulator only where the host refuses ELF32',
    'golf search --target exit42 --shard 1/2 --partial part1.json',
    'golf search --target hello --shards 4 --plan',
    'golf search --target hello --shards 8 --workers 4 --emit slurm > hello-slurm.sh',
    'golf search --target hello --split-writes   # takes minutes; Ctrl-C stops it and still writes the best file',
  ]);
}
