/**
 * `golf check` as a library: judge one file against a target in every environment, optionally on
 * the host kernel too, and describe the result in a shape for --json and for people.
 */
import { formatCall } from '../linux/call-facts.js';
import { runResultJson, type Assumption, type RunResultJson } from '../linux/run-result.js';
import { checkNatively, type NativeCheck, type NativeProbe, type NativeRunner } from './native-check.js';
import type { Target } from '../targets/target.js';
import { isRequired, runName, verifyFile, type AssumingRun, type EmulatedRunner, type EnvironmentRun, type Verification, type VerifyOptions } from './verify.js';

export interface RunSummary extends RunResultJson {
  environment: string;
  role: 'required' | 'probe' | 'native' | 'native probe';
  /** Null when the run met the target. */
  problem: string | null;
  /** The system calls the run made, as text ("read(0, NULL, 0) = 0"); emulator runs only. */
  calls: string[] | null;
}

/** Whether the file loads at all, as the emulator's loader judged it in the first required run. */
export interface LoadVerdict {
  loads: boolean;
  /** The loader's reason when it does not load ("exec fails with ENOEXEC: e_machine ..."), else null. */
  reason: string | null;
  /** The file uses something golf does not model (a 32-bit ELF, an interpreter, ...). */
  notModelled: boolean;
}

export type CheckVerdict = 'pass' | 'fail' | 'pass-emulator-only';

export interface CheckReport {
  file: string;
  size: number;
  target: string;
  profile: string;
  /** True when the file met the target (on the emulator, and on the host kernel when that ran). */
  pass: boolean;
  /**
   * pass, fail, or pass-emulator-only: a native run was asked for but could not be made (the
   * reason is in `nativeNotPossible`), so the pass rests on the emulator alone.
   */
  verdict: CheckVerdict;
  /** Null on pass; else the first reason (emulator or native). */
  problem: string | null;
  load: LoadVerdict;
  assumptions: Assumption[];
  runs: RunSummary[];
  /** Present when a native run was asked for and the host can make one. */
  native: { kernel: string; machine: string; ran: boolean; skipped: string | null; pass: boolean; disagreements: string[] } | null;
  /** Why an asked-for native run could not be made (not this host, or not applicable), else null. */
  nativeNotPossible: string | null;
}

function summarize(environment: string, role: RunSummary['role'], r: AssumingRun | NativeCheck['runs'][number]['result'], problem: string | null): RunSummary {
  const calls = 'calls' in r && r.calls ? r.calls.map((c) => formatCall(c)) : null;
  return { environment, role, ...runResultJson(r), problem, calls };
}

export interface CheckInput {
  file: string;
  bytes: Uint8Array;
  target: Target;
  profile: string;
  /** What the profile's conditions of use add to the judgement (see verifyOptionsFor). */
  verify?: VerifyOptions;
  emulate: EmulatedRunner;
  /** Given when --native was asked for and the host can run the file. */
  native: NativeRunner | null;
  /** --native was asked for, but this host cannot run files natively: why (e.g. "this host is darwin arm64"). */
  nativeImpossible?: string | null;
}

/** What the loader said about the file, from one run of it (all runs load a file alike). */
export function loadVerdictOf(r: AssumingRun | undefined): LoadVerdict {
  if (!r || r.loaded === true) return { loads: true, reason: null, notModelled: false };
  if (r.outcome === 'exec-failed') return { loads: false, reason: `exec fails with ${r.execError}${r.reason ? `: ${r.reason}` : ''}`, notModelled: false };
  if (r.outcome === 'unsupported' && r.steps === 0 && r.loaded === false) return { loads: false, reason: `not modelled by golf: ${r.unsupported}`, notModelled: true };
  if (r.outcome === 'killed' && r.steps === 0 && r.reason) return { loads: false, reason: `the kernel kills it while loading (${r.signal}): ${r.reason}`, notModelled: false };
  return { loads: true, reason: null, notModelled: false };
}

export async function checkFile(input: CheckInput): Promise<CheckReport> {
  const emulated: Verification = verifyFile(input.emulate, input.bytes, input.target, input.verify);
  // Under a strict profile a probe decides like a required run, and is reported as one.
  const role = (r: EnvironmentRun): 'required' | 'probe' => (isRequired(r.environment, input.verify) ? 'required' : 'probe');
  const runs = emulated.runs.map((r) => summarize(runName(r), role(r), r.result, r.problem));
  const load = loadVerdictOf(emulated.runs[0]?.result);
  let native: NativeCheck | null = null;
  if (input.native && load.loads) {
    // The stdin probes are repeated natively: what golf reports about stdin is measured there too.
    const probes: NativeProbe[] = emulated.pass
      ? emulated.runs.filter((r) => r.environment.varies === 'stdin').map((r) => ({ stdin: r.stdin, emulated: r.result, emulatorProblem: r.problem }))
      : [];
    native = await checkNatively(input.native, input.bytes, input.target, emulated.assumptions, probes);
    for (const r of native.runs) runs.push(summarize(r.name, r.probe ? 'native probe' : 'native', r.result, r.problem));
  }
  // A native run that could not apply (the host lacks what the file openly relies on) is reported, not failed.
  const nativeFailed = native !== null && native.ran && !native.pass;
  const disagreement = native?.disagreements[0] ?? null;
  const problem = !emulated.pass
    ? load.loads
      ? `emulator: ${emulated.problem}`
      : `the file does not load: ${load.reason}`
    : nativeFailed
      ? `host kernel: ${native!.problem}`
      : disagreement
        ? `the host kernel and golf's emulator disagree: ${disagreement}`
        : null;
  const wanted = input.native !== null || (input.nativeImpossible ?? null) !== null;
  const nativeNotPossible = !wanted || problem !== null ? null : (input.nativeImpossible ?? (native && !native.ran ? native.skipped : null));
  return {
    file: input.file,
    size: input.bytes.length,
    target: input.target.name,
    profile: input.profile,
    pass: problem === null,
    verdict: problem !== null ? 'fail' : nativeNotPossible !== null ? 'pass-emulator-only' : 'pass',
    problem,
    load,
    assumptions: emulated.assumptions,
    runs,
    native: native && { kernel: native.kernel, machine: native.machine, ran: native.ran, skipped: native.skipped, pass: native.pass, disagreements: native.disagreements },
    nativeNotPossible,
  };
}

const CALLS_SHOWN = 8;

/** The human-readable report: one line per run, the assumptions, and a verdict line. */
export function formatCheckReport(report: CheckReport): string {
  const lines: string[] = [`${report.file} (${report.size} bytes) against target ${report.target}, profile ${report.profile}:`, '  (stdin is /dev/null, read-only, unless a run says otherwise)'];
  if (!report.load.loads) lines.push(`  the file does not load: ${report.load.reason}`);
  // The calls of the first required run, then of any run whose calls differ (a probe that takes another path).
  let shownCalls: string | null = null;
  // Runs differ in stack addresses only; a run's calls are shown when they differ in anything else.
  const shape = (text: string): string => text.replace(/0x[0-9a-f]{7,}/g, 'ADDR');
  for (const r of report.runs) {
    const what =
      r.outcome === 'exited' ? `exited ${r.exitCode}` : r.outcome === 'killed' ? `killed by ${r.signal}` : r.outcome === 'exec-failed' ? `exec failed (${r.execError})` : r.outcome;
    const mark = r.problem === null ? 'ok  ' : r.role === 'probe' ? 'diff' : 'FAIL';
    lines.push(`  ${mark} ${r.role === 'probe' ? 'probe: ' : ''}${r.environment}: ${r.problem ?? what}`);
    if (r.calls && r.calls.length > 0) {
      const text = r.calls.slice(0, CALLS_SHOWN).join(', ') + (r.calls.length > CALLS_SHOWN ? `, ... (${r.calls.length} calls)` : '');
      if (shape(text) !== shownCalls) lines.push(`       system calls: ${text}`);
      shownCalls ??= shape(text);
    }
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
  lines.push(
    report.verdict === 'pass'
      ? 'PASS'
      : report.verdict === 'pass-emulator-only'
        ? `PASS (${report.nativeNotPossible?.startsWith('emulator only') ? report.nativeNotPossible : `emulator only: native run not possible here because ${report.nativeNotPossible}`})`
        : `FAIL: ${report.problem}`,
  );
  return lines.join('\n');
}
