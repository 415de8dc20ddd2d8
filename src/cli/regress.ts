/** `golf regress`: re-verify every record; fail on a record that no longer passes or grew. */
import { Command } from 'commander';
import { assemble } from '../asm/assembler.js';
import { findProfile, profileNames } from '../linux/profile.js';
import { recordCertifier } from '../results/certifiers.js';
import { splitRecordKey } from '../results/store.js';
import { committedRecord } from '../results/committed.js';
import { loadPublished, PublishedError } from '../results/published.js';
import { RecordError } from '../results/record.js';
import { updateReferences } from '../results/references.js';
import { regress, type RegressReport } from '../results/regress.js';
import { resultsDir } from '../targets/paths.js';
import { loadShippedTarget, shippedTargetNames } from '../targets/resolve.js';
import { hostNativeRunner } from '../verify/machine.js';
import { checkRecordImages, updateAllRecordImages } from '../image/record-images.js';
import { withExamples } from './commands.js';
import { CliError, ExitCode } from './errors.js';
import { profileFromOption, resultsFolder } from './options.js';
import { printJson } from './output.js';

interface RegressOptions {
  results: string;
  native: boolean;
  updateBaselines?: boolean;
  updateImages?: boolean;
  profile: string;
  json?: boolean;
}

function formatReport(report: RegressReport, nativeUsed: boolean): string {
  const lines: string[] = [];
  for (const f of report.files) {
    const entries = f.entries.map((e) => `${e.kind} ${e.size} B (emulator ${e.emulator}${e.native === 'not run' ? '' : `, native ${e.native}`})`);
    lines.push(`${f.problems.length ? 'FAIL' : 'ok  '} ${f.path}: ${entries.join('; ') || 'no entries checked'}`);
  }
  for (const p of report.published) {
    const what = p.target === null ? 'its stated outcome' : `target ${p.target}`;
    lines.push(`${p.problems.length ? 'FAIL' : 'ok  '} published ${p.name}: ${p.size} B, ${what} (emulator ${p.emulator}${p.native === 'not run' ? '' : `, native ${p.native}`})`);
  }
  for (const p of report.problems) lines.push(`regression: ${p}`);
  const entries = report.files.reduce((n, f) => n + f.entries.length, 0);
  const published = report.published.length > 0 ? ` and ${report.published.length} published files` : '';
  lines.push(
    report.problems.length === 0
      ? `regress passed: ${entries} entries in ${report.files.length} record files${published} re-verified (emulator${nativeUsed ? ' and host kernel' : ''})`
      : `regress FAILED: ${report.problems.length} problem(s)`,
  );
  return lines.join('\n');
}

export function registerRegress(program: Command): void {
  const cmd = program
    .command('regress')
    .description('re-verify every record in results/ and every published file in corpus/published/ (emulator, and host kernel on Linux x86-64); fail if one no longer passes or grew past its history')
    .option('--results <dir>', 'results directory', resultsDir())
    .option('--no-native', 'do not run records on the host kernel, nor their images in container engines')
    .option('--update-baselines', 'first (re)compute the baseline and seed-article entries of every shipped target')
    .option('--update-images', "first (re)build every record's container images and run them in the available engines")
    .option('--profile <name>', `profile for --update-baselines: ${profileNames().join(', ')}`, 'default')
    .option('--json', 'print the report as JSON')
    .action(async (opts: RegressOptions) => {
      const nativeUsed = opts.native && hostNativeRunner() !== null;
      const certifiers = new Map<string, ReturnType<typeof recordCertifier>>();
      const certifierFor = (name: string) => {
        const key = splitRecordKey(name);
        const profile = findProfile(key.profile);
        if (!profile) return null;
        if (!certifiers.has(name)) certifiers.set(name, recordCertifier(profile, { native: opts.native, arch: key.arch }));
        return certifiers.get(name)!;
      };
      resultsFolder(opts.results);
      profileFromOption(opts.profile);
      try {
        if (opts.updateBaselines) {
          const certifier = certifierFor(opts.profile)!;
          for (const name of shippedTargetNames()) {
            const update = await updateReferences(loadShippedTarget(name), certifier, assemble, opts.results);
            if (!opts.json) process.stderr.write(`${update.path}: ${update.changes.join('; ')}\n`);
          }
        }
        if (opts.updateImages) {
          for (const u of await updateAllRecordImages(opts.results)) if (!opts.json) process.stderr.write(`${u.path} image: ${u.lines.join('; ')}\n`);
        }
        const report = await regress(opts.results, {
          certifierFor,
          committed: committedRecord,
          published: { files: loadPublished(), profile: 'default' },
          shippedTarget: (name) => {
            try {
              return loadShippedTarget(name);
            } catch {
              return null;
            }
          },
        });
        // Container images of the records: rebuilt, and run in the engines here (not with --no-native).
        const images = await checkRecordImages(opts.results, { runs: opts.native });
        report.problems.push(...images.problems);
        // An empty folder (a wrong --results, a clone without results/) must not pass as "all verified".
        const empty = report.files.length === 0;
        const pass = report.problems.length === 0 && !empty;
        if (empty) process.stderr.write(`golf: warning: ${opts.results} holds no record files (PROFILE/TARGET.json): nothing was verified\n`);
        if (opts.json) printJson({ ...report, pass, native: nativeUsed, images });
        else if (!empty) process.stdout.write([...images.lines, formatReport(report, nativeUsed)].join('\n') + '\n');
        process.exitCode = pass ? ExitCode.ok : ExitCode.failure;
      } catch (err) {
        if (err instanceof RecordError || err instanceof PublishedError) throw new CliError(err.message, ExitCode.failure);
        throw err;
      }
    });
  withExamples(cmd, [
    'golf regress',
    'cp -r results results-copy && golf regress --results results-copy --no-native',
    'cp -r results results-copy2 && golf regress --results results-copy2 --update-baselines',
    'cp -r results results-copy3 && golf regress --results results-copy3 --update-images',
    'golf regress --json',
  ]);
}
