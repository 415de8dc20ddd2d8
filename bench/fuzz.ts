/**
 * `npm run fuzz [-- --cases N] [--seed S] [--only CATEGORY,...] [--bias uniform|vex]`: long
 * differential runs that are too slow for `npm test`. Each category compares golf with an oracle
 * (iced-x86 for the decoder, the host kernel for the emulator, qemu-i386 for 32-bit instructions) and
 * reports agreement counts and every
 * disagreement. `--bias vex` draws the decoder's strings from the VEX/XOP/EVEX space instead of
 * uniform bytes (e.g. `npm run fuzz -- --only decoder --bias vex --cases 2000000`).
 * Exit status 1 if any category disagreed.
 */
import { Command } from 'commander';
import type { FuzzCategory, FuzzReport } from './fuzz/report.js';
import { DECODER_BIASES } from './fuzz/decoder.js';
import type { DecoderBias } from './fuzz/decoder.js';

interface CategoryEntry {
  name: string;
  /** Default case count when --cases is not given. */
  defaultCases: number;
  load: (cli: CliOptions) => Promise<FuzzCategory>;
}

interface CliOptions { cases?: number; seed: number; only?: string; bias: DecoderBias }

const categories: CategoryEntry[] = [
  { name: 'decoder', defaultCases: 200_000, load: async (cli) => (await import('./fuzz/decoder.js')).categoryFor(cli.bias) },
  { name: 'instructions', defaultCases: 20_000, load: async () => (await import('./fuzz/instructions.js')).run },
  { name: 'headers', defaultCases: 20_000, load: async () => (await import('./fuzz/headers.js')).run },
  { name: 'i386', defaultCases: 5_000, load: async () => (await import('./fuzz/i386.js')).run },
];

async function main(): Promise<number> {
  const program = new Command('fuzz')
    .option('--cases <n>', 'cases per category (default: per category)', (v) => Number.parseInt(v, 10))
    .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10), Date.now() % 2 ** 31)
    .option('--only <list>', 'comma-separated categories: ' + categories.map((c) => c.name).join(', '))
    .option('--bias <kind>', `decoder strings: ${DECODER_BIASES.join(' or ')}`, 'uniform')
    .parse(process.argv);
  const opts = program.opts<CliOptions>();
  if (!DECODER_BIASES.includes(opts.bias)) {
    console.error(`fuzz: --bias must be one of ${DECODER_BIASES.join(', ')}, not '${opts.bias}'`);
    return 2;
  }
  const wanted = opts.only ? new Set(opts.only.split(',')) : null;
  const reports: FuzzReport[] = [];
  console.log(`fuzz seed ${opts.seed}`);
  for (const entry of categories) {
    if (wanted && !wanted.has(entry.name)) continue;
    const cases = opts.cases ?? entry.defaultCases;
    const started = Date.now();
    const run = await entry.load(opts);
    const report = await run({ cases, seed: opts.seed, log: (line) => console.log(`[${entry.name}] ${line}`) });
    reports.push(report);
    for (const d of report.disagreements) console.log(`[${entry.name}] DISAGREE ${d}`);
    console.log(`[${entry.name}] ${report.agree}/${report.cases} agree, ${report.disagreements.length} disagreements (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
  console.log('\nsummary:');
  for (const r of reports) console.log(`  ${r.category.padEnd(14)} ${String(r.agree).padStart(8)} / ${String(r.cases).padEnd(8)} agree, ${r.disagreements.length} disagreements`);
  return reports.some((r) => r.disagreements.length > 0) ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  console.error(`fuzz: ${err instanceof Error ? err.stack : String(err)}`);
  process.exitCode = 2;
});
