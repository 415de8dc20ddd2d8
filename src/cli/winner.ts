/**
 * The common end of `golf search` and `golf merge`: conclude the search (search/conclude.ts:
 * verify, write, offer to the records) and say all of it: where the file went, its hex, what it
 * assumes, how far it was verified. The exit code follows errors.ts.
 */
import type { Assumption } from '../linux/run-result.js';
import type { Certificate } from '../results/certify.js';
import { conclude, type Conclusion } from '../search/conclude.js';
import { COMMAND_LINE_TARGET } from '../targets/resolve.js';
import type { Target } from '../targets/target.js';
import { CliError, ExitCode } from './errors.js';
import { checkWritable, STDIO, writeNewFile, writeOutput } from './io.js';
import { printJson } from './output.js';

/** Where the winner goes: a path or `-` given with -o, a free default name, or nowhere (a shard). */
export type OutputPlan = { kind: 'path'; path: string } | { kind: 'default'; names: string[] } | { kind: 'none' };

/** The file name a search writes without -o: the target's name (a.out for a command-line target). */
export function defaultOutputNames(target: Target): string[] {
  const base = target.name === COMMAND_LINE_TARGET ? 'a.out' : target.name;
  return [base, ...Array.from({ length: 99 }, (_, i) => `${base}.${i + 1}`)].map((n) => `./${n}`);
}

/** Checks the output place before any work is done (see io.ts: checkWritable). */
export function checkOutputPlan(plan: OutputPlan): void {
  if (plan.kind === 'path') checkWritable(plan.path, '-o');
  // The first free default name now; the write itself never replaces a file that appeared since.
  if (plan.kind === 'default') checkWritable(plan.names[0]!, 'writing the result to the current folder as');
}

export interface Winner extends Omit<Conclusion, 'write'> {
  output: OutputPlan;
  json: boolean;
  interrupted: boolean;
  summary: Record<string, unknown>;
  /**
   * A shard whose units hold no file still succeeded: its partial result is what it was run for
   * (a Slurm merge job that runs afterok the array needs every shard to exit 0).
   */
  noFileIsSuccess?: boolean;
}

function assumptionsText(list: readonly Assumption[]): string {
  return list.length === 0 ? 'nothing beyond the target' : list.map((a) => `${a.text} [${a.id}]`).join('; ');
}

function verificationText(c: Certificate): string {
  const emu = `emulator, profile ${c.verification.emulator.profile}, ${c.verification.emulator.environments} runs`;
  if (!c.pass) return `FAILED: ${c.problem}`;
  if (c.verification.native) return `${emu}; host kernel ${c.verification.native.kernel} (${c.verification.native.machine})`;
  return `${emu}; emulator only: ${c.verification.nativeNotRun ?? 'no native run possible on this host'}`;
}

/** The native verdict in one word or line: "pass", what went wrong, or null when it did not run. */
function nativeField(c: Certificate | null): string | null {
  if (!c?.native?.ran) return null;
  return c.native.pass ? 'pass' : c.native.problem;
}

export async function finishWinner(w: Winner): Promise<void> {
  // A second Ctrl-C while the winner is verified and written (well under a second) must not lose it.
  const holdOn = (): void => {
    process.stderr.write('\ngolf: writing the best file found, one moment\n');
  };
  process.on('SIGINT', holdOn);
  try {
    await finish(w);
  } finally {
    process.off('SIGINT', holdOn);
  }
}

async function finish(w: Winner): Promise<void> {
  // Checked before the search, the place can still go away during it: the summary (with the hex)
  // is printed all the same, so the result is not lost.
  let writeError = null as CliError | null; // set by write (a closure: no narrowing to null)
  const write = (bytes: Uint8Array): string | null => {
    try {
      if (w.output.kind === 'path') {
        writeOutput(w.output.path, bytes, { executable: true, flag: '-o' });
        return w.output.path;
      }
      return w.output.kind === 'default' ? writeNewFile(w.output.names, bytes, true) : null;
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      writeError = err;
      return null;
    }
  };
  const { certificate, pass, output, record } = await conclude({ ...w, write });
  const summary = {
    target: w.target.name, profile: w.profile.name, size: w.best?.size ?? null, hex: w.best?.hex ?? null, output,
    pass: certificate ? pass : null, problem: certificate?.problem ?? null,
    assumptions: certificate?.assumptions ?? [], verification: certificate?.verification ?? null,
    native: nativeField(certificate), interrupted: w.interrupted, record, ...w.summary,
  };
  if (w.json) printJson(summary);
  else {
    const lines: string[] = [];
    if (w.best && certificate) {
      const where = output === STDIO ? 'written to stdout' : output ? `written to ${output}` : writeError ? `not written: ${writeError.message}`
        : w.output.kind === 'none' ? 'not written (give -o FILE)' : 'not written: it failed verification';
      lines.push(`smallest file: ${w.best.size} bytes, ${where}`, `hex: ${w.best.hex}`);
      lines.push(`assumes: ${assumptionsText(certificate.assumptions)}`, `verified: ${verificationText(certificate)}`);
    } else lines.push('no file found in the searched space');
    lines.push(`searched: ${String(w.summary.completeness)}`, `space: ${String(w.summary.space)}`);
    if (w.interrupted) lines.push('interrupted (Ctrl-C): the best file found so far is above');
    if (record) {
      const verdict = record.accepted ? 'replaced' : record.updated ? 'kept, marked reproduced' : record.path ? 'kept' : 'not recorded';
      lines.push(`record: ${verdict} (${record.reason})${record.path ? ` ${record.path}` : ''}`);
    }
    // With -o - the file itself is on stdout: the summary goes to stderr.
    const toStdout = !(w.output.kind === 'path' && w.output.path === STDIO);
    (toStdout ? process.stdout : process.stderr).write(lines.join('\n') + '\n');
  }
  if (certificate && !pass) process.stderr.write(`golf: the smallest file fails target ${w.target.name} on re-verification: ${certificate.problem}${output ? '' : '; no file written'}\n`);
  if (writeError) {
    process.stderr.write(`golf: ${writeError.message}\n`);
    process.exitCode = writeError.exitCode;
    return;
  }
  const failed = w.best ? !pass : w.noFileIsSuccess !== true;
  process.exitCode = w.interrupted ? ExitCode.interrupted : failed ? ExitCode.failure : ExitCode.ok;
}
