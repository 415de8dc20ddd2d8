/**
 * `golf check` as a library: judge one file against a target in every environment, optionally on
 * the host kernel too, and describe the result in a shape for --json and for people.
 */
import { runResultJson, type Assumption, type RunResult, type RunResultJson } from '../linux/run-result.js';
import { checkNatively, type NativeCheck, type NativeRunner } from './native-check.js';
import type { Target } from './target.js';
import type { Environment } from './environments.js';
import { isRequired, verifyFile, type EmulatedRunner, type Verification, type VerifyOptions } from './verify.js';

export interface RunSummary extends RunResultJson {
  environment: string;
  role: 'required' | 'probe' | 'native';
  /** Null when the run met the target. */
  problem: string | null;
}

export interface CheckReport {
  file: string;
  size: number;
  target: string;
  profile: string;
  pass: boolean;
  /** Null on pass; else the first reason (emulator or native). */
  problem: string | null;
  assumptions: Assumption[];
  runs: RunSummary[];
  /** Present when a native run was asked for. */
  native: { kernel: string; machine: string; ran: boolean; skipped: string | null; pass: boolean } | null;
}

function summarize(environment: string, role: RunSummary['role'], r: RunResult, problem: string | null): RunSummary {
  return { environment, role, ...runResultJson(r), problem };
}

export interface CheckInput {
  file: string;
  bytes: Uint8Array;
  target: Target;
  profile: string;
  /** What the profile's conditions of use add to the judgement (see verifyOptionsFor). */
  verify?: VerifyOptions;
  emulate: EmulatedRunner;
  /** Given when --native was asked for (the caller has made sure the host supports it). */
  native: NativeRunner | null;
}

export async function checkFile(input: CheckInput): Promise<CheckReport> {
  const emulated: Verification = verifyFile(input.emulate, input.bytes, input.target, input.verify);
  // Under a strict profile the argc probe decides like a required run, and is reported as one.
  const role = (e: Environment): 'required' | 'probe' => (isRequired(e, input.verify) ? 'required' : 'probe');
  const runs = emulated.runs.map((r) => summarize(r.environment.name, role(r.environment), r.result, r.problem));
  let native: NativeCheck | null = null;
  if (input.native) {
    native = await checkNatively(input.native, input.bytes, input.target, emulated.assumptions);
    for (const r of native.runs) runs.push(summarize(r.name, 'native', r.result, r.problem));
  }
  // A native run that could not apply (the host lacks what the file openly relies on) is reported, not failed.
  const nativeFailed = native !== null && native.ran && !native.pass;
  const problem = !emulated.pass ? `emulator: ${emulated.problem}` : nativeFailed ? `host kernel: ${native!.problem}` : null;
  return {
    file: input.file,
    size: input.bytes.length,
    target: input.target.name,
    profile: input.profile,
    pass: problem === null,
    problem,
    assumptions: emulated.assumptions,
    runs,
    native: native && { kernel: native.kernel, machine: native.machine, ran: native.ran, skipped: native.skipped, pass: native.pass },
  };
}

/** The human-readable report: one line per run, the assumptions, and a verdict line. */
export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [`${report.file} (${report.size} bytes) against target ${report.target}, profile ${report.profile}:`];
  for (const r of report.runs) {
    const what =
      r.outcome === 'exited' ? `exited ${r.exitCode}` : r.outcome === 'killed' ? `killed by ${r.signal}` : r.outcome === 'exec-failed' ? `exec failed (${r.execError})` : r.outcome;
    const mark = r.problem === null ? 'ok  ' : r.role === 'probe' ? 'diff' : 'FAIL';
    lines.push(`  ${mark} ${r.role === 'probe' ? 'probe: ' : ''}${r.environment}: ${r.problem ?? what}`);
  }
  if (report.assumptions.length === 0) lines.push('assumptions: none found');
  else {
    lines.push('assumptions:');
    for (const a of report.assumptions) lines.push(`  ${a.id}: ${a.text}`);
  }
  if (report.native) {
    lines.push(
      report.native.ran
        ? `native: ran on the host kernel (Linux ${report.native.kernel}, ${report.native.machine}): ${report.native.pass ? 'pass' : 'FAIL'}`
        : `native: not run (${report.native.skipped})`,
    );
  }
  lines.push(report.pass ? 'PASS' : `FAIL: ${report.problem}`);
  return lines.join('\n');
}
