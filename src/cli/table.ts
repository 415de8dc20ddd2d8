/** `golf table`: the records in results/ as a table, one row per target. */
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { findProfile, profileNames } from '../linux/profile.js';
import { bestPublished, loadPublished, PublishedError, type BestPublished } from '../results/published.js';
import { RecordError } from '../results/record.js';
import { renderMarkdownTable, renderTerminalTable } from '../results/render-table.js';
import { listRecordPaths, readRecord, recordKey, recordPath } from '../results/store.js';
import type { ArchName } from '../linux/personality.js';
import { emptyRow, summaryRow, type SummaryRow } from '../results/summary.js';
import { resultsDir } from '../targets/paths.js';
import { emulatorRunner } from '../verify/machine.js';
import { loadShippedTarget, shippedTargetNames } from '../targets/resolve.js';
import type { Target } from '../targets/target.js';
import { verifyFile, verifyOptionsFor } from '../verify/verify.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { profileFromOption, resultsFolder } from './options.js';
import { printJson, stdoutColumns, useColor } from './output.js';

interface TableOptions {
  results: string;
  profile: string;
  json?: boolean;
  markdown?: boolean;
}

/**
 * The best published file per target under `profile`, judged by the emulator when the table is
 * made (a published file the profile refuses, e.g. for its commit limit, is not shown there).
 */
function publishedJudge(profile: string, arch: ArchName): (target: Target) => BestPublished | null {
  const files = loadPublished();
  const kernel = findProfile(profile);
  if (files.length === 0 || !kernel) return () => null;
  const run = emulatorRunner(kernel);
  return (target) => bestPublished(files, target, (bytes, t) => verifyFile(run, bytes, t, verifyOptionsFor(kernel)), arch);
}

/**
 * Rows for one profile: every record file of that profile, plus shipped targets that have none
 * yet; then one i386 row per record under PROFILE-i386/ (an i386 search's), against the best
 * published ELF32 file. (Targets without an i386 record get no i386 row: the table stays the
 * x86-64 one where nobody searched for i386.)
 */
export function tableRows(dir: string, profile: string): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const i386Rows: SummaryRow[] = [];
  const published = publishedJudge(profile, 'x86-64');
  const published32 = publishedJudge(profile, 'i386');
  const key32 = recordKey(profile, 'i386');
  for (const path of listRecordPaths(dir)) {
    const record = readRecord(path);
    if (record && record.profile === profile) rows.push(summaryRow(record, published(record.target)));
    if (record && record.profile === key32) i386Rows.push({ ...summaryRow(record, published32(record.target)), arch: 'i386' });
  }
  for (const name of shippedTargetNames()) {
    if (!rows.some((r) => r.target === name) && !existsSync(recordPath(dir, profile, name))) rows.push(emptyRow(name, profile, published(loadShippedTarget(name))));
  }
  const byTarget = (a: SummaryRow, b: SummaryRow): number => a.target.localeCompare(b.target);
  return [...rows.sort(byTarget), ...i386Rows.sort(byTarget)];
}

export function registerTable(program: Command): void {
  const cmd = program
    .command('table')
    .description('show the records: baseline, seed article, best published file (corpus/published) and golf\'s best file per target, with the saving')
    .option('--results <dir>', 'results directory', resultsDir())
    .option('--profile <name>', `kernel profile whose records to show: ${profileNames().join(', ')}`, 'default')
    .option('--json', 'print the rows as JSON')
    .option('--markdown', 'print a Markdown table (for a README)')
    .action((opts: TableOptions) => {
      if (opts.json && opts.markdown) throw new CliError('give --json or --markdown, not both', ExitCode.usage);
      profileFromOption(opts.profile);
      resultsFolder(opts.results);
      let rows: SummaryRow[];
      try {
        rows = tableRows(opts.results, opts.profile);
      } catch (err) {
        if (err instanceof RecordError || err instanceof PublishedError) throw new CliError(err.message, ExitCode.usage);
        throw err;
      }
      if (opts.json) printJson(rows);
      else if (opts.markdown) process.stdout.write(renderMarkdownTable(rows) + '\n');
      else process.stdout.write(renderTerminalTable(rows, useColor(), stdoutColumns()) + '\n');
    });
  withExamples(cmd, ['golf table', 'golf table --markdown > table.md', 'golf table --json --profile portable', 'COLUMNS=80 golf table']);
}
