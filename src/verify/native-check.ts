/**
 * Running a file against a target on the host kernel: the oracle behind `golf check --native`,
 * record verification and `golf regress`. The native runner is injected (src/linux/native.ts in
 * production) so the judging logic is testable anywhere.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NativeRunner } from '../linux/native.js';
import { observableResult, type Assumption, type RunResult } from '../linux/run-result.js';
import type { StdinKind } from '../linux/syscalls.js';
import { hostRefusal } from './host-capabilities.js';
import { LARGE_ENVIRONMENT, STDIN_LABELS } from './environments.js';
import { judgeRun } from './judge.js';
import { argvFor, type Target } from '../targets/target.js';

/** How a file is run on the host kernel: runNative, or a test double. */
export type { NativeRunner };

export interface NativeRun {
  name: string;
  result: RunResult;
  problem: string | null;
  /** A probe run natively to compare with the emulator's probe: whether the two judged it alike. */
  probe?: { agrees: boolean; emulatorProblem: string | null };
}

/**
 * An emulator probe to repeat on the host kernel (golf check --native measures stdin behaviour
 * there too): the two must agree on everything a process shows from outside.
 */
export interface NativeProbe {
  stdin: StdinKind;
  /** The emulator's run of this probe, and its judgement (null: it met the target). */
  emulated: RunResult;
  emulatorProblem: string | null;
}

/** A native run that the emulator says is still running (e.g. waits for input) ends at this timeout. */
export const NATIVE_WAIT_TIMEOUT_MS = 1000;

export interface NativeCheck {
  /** False when the target cannot be run natively (it needs stdin): `skipped` says why. */
  ran: boolean;
  skipped: string | null;
  /** Why it was not run: the target needs stdin, or this host lacks what the file relies on; null when run. */
  skippedBecause: 'target-stdin' | 'host-lacks' | null;
  pass: boolean;
  runs: NativeRun[];
  problem: string | null;
  /** The host kernel's release (os.release()) and machine. */
  kernel: string;
  machine: string;
  /** Probes where the host kernel and the emulator disagree, one line each (a golf bug to report). */
  disagreements: string[];
}

export const NATIVE_TIMEOUT_MS = 5000;

/**
 * Runs the file's bytes natively (from a private executable copy) in an empty and a large
 * environment, with stdin read-only (or read-write for a file that needs it writable), then the
 * given probes. `assumptions` are what the emulator found the file relies on: when the host lacks
 * one of them, the file is not run (a failure would only describe the host).
 */
export async function checkNatively(
  run: NativeRunner,
  file: Uint8Array,
  target: Target,
  assumptions: readonly Assumption[] = [],
  probes: readonly NativeProbe[] = [],
): Promise<NativeCheck> {
  const base = { kernel: release(), machine: arch() === 'x64' ? 'x86_64' : arch(), disagreements: [] as string[] };
  const notRun = (skippedBecause: NativeCheck['skippedBecause'], skipped: string): NativeCheck => ({ ...base, ran: false, skipped, skippedBecause, pass: false, runs: [], problem: skipped });
  if (target.stdin.length > 0) return notRun('target-stdin', 'the target gives the program stdin, which native runs do not provide');
  const refused = await hostRefusal(assumptions, run);
  if (refused !== null) return notRun('host-lacks', refused);
  const dir = mkdtempSync(join(tmpdir(), 'golf-native-'));
  const path = join(dir, 'candidate');
  try {
    writeFileSync(path, file);
    chmodSync(path, 0o755);
    const envs: [string, readonly string[]][] =
      target.env === 'any'
        ? [['empty environment', []], ['large environment', LARGE_ENVIRONMENT]]
        : [["the target's environment", target.env]];
    const runs: NativeRun[] = [];
    const stdin: StdinKind = assumptions.some((a) => a.id === 'stdin-writable') ? 'read-write' : 'read-only';
    for (const [name, env] of envs) {
      const result = await run(path, { argv: argvFor(target, path), env: [...env], timeoutMs: NATIVE_TIMEOUT_MS, stdin });
      runs.push({ name: `native, ${name}${stdin === 'read-only' ? '' : `, ${STDIN_LABELS[stdin]}`}`, result, problem: judgeRun(result, target) });
    }
    const failed = runs.find((r) => r.problem !== null);
    // Probes compare the emulator with the kernel; after a failed required run the verdict is already FAIL.
    for (const p of failed ? [] : probes) {
      const env = target.env === 'any' ? [] : [...target.env];
      const waits = p.emulated.outcome === 'step-limit';
      const result = await run(path, { argv: argvFor(target, path), env, timeoutMs: waits ? NATIVE_WAIT_TIMEOUT_MS : NATIVE_TIMEOUT_MS, stdin: p.stdin });
      const problem = judgeRun(result, target);
      const agrees = JSON.stringify(observableResult(result)) === JSON.stringify(observableResult(p.emulated));
      const name = `native probe: ${STDIN_LABELS[p.stdin]}`;
      runs.push({ name, result, problem, probe: { agrees, emulatorProblem: p.emulatorProblem } });
      if (!agrees) {
        const said = (r: RunResult, judged: string | null): string => judged ?? `met the target (${r.outcome === 'exited' ? `exit ${r.exitCode}` : r.outcome})`;
        base.disagreements.push(`${name}: golf's emulator ${said(p.emulated, p.emulatorProblem)}, the host kernel ${said(result, problem)}`);
      }
    }
    return { ...base, ran: true, skipped: null, skippedBecause: null, pass: !failed, runs, problem: failed ? `${failed.problem} (${failed.name})` : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
