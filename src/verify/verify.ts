/**
 * Multi-environment verification: the judgement `golf check` prints and the search engine applies
 * to every candidate it believes complete. The emulator is injected as a runner so one Emulator
 * (and its address space) is reused across all runs; see emulator-runner.ts for the real one.
 */
import type { SyscallRecord } from '../linux/call-facts.js';
import type { Assumption, RunResult } from '../linux/run-result.js';
import type { StdinKind } from '../linux/syscalls.js';
import { bytesEqual } from '../targets/bytes.js';
import { environmentsFor, STDIN_LABELS, type Environment } from './environments.js';
import { judgeRun } from './judge.js';
import type { Target } from '../targets/target.js';

/**
 * A run as the emulator reports it: the result plus what the loader and syscalls relied on, the
 * calls it made and, for a run that stopped without finishing, why (e.g. it waits for input).
 */
export type AssumingRun = RunResult & { assumptions: Assumption[]; calls?: SyscallRecord[]; reason?: string | null; loaded?: boolean };

export interface RunRequest {
  argv: string[];
  env: string[];
  stdin: Uint8Array;
  /** How fd 0 is open. */
  stdinKind: StdinKind;
  seed: number;
  execPath: string;
  maxSteps: number;
}

/** Runs a file once in the built-in model (synchronous: the search calls it in a hot loop). */
export type EmulatedRunner = (file: Uint8Array, request: RunRequest) => AssumingRun;

export interface EnvironmentRun {
  environment: Environment;
  /** The stdin the run had: the environment's, or read-write for a file that needs it writable. */
  stdin: StdinKind;
  result: AssumingRun;
  /** Null when the run met the target, else why not. */
  problem: string | null;
}

export interface Verification {
  pass: boolean;
  /** The runs made, in order; with stopAtFirstFailure, fewer than all environments. */
  runs: EnvironmentRun[];
  /** Everything the file relies on: the loader's and syscalls' reports plus inferred conditions. */
  assumptions: Assumption[];
  /** Null on pass; else one line: which environment failed and why, with a diagnosis if found. */
  problem: string | null;
}

export interface VerifyOptions {
  /** Stop at the first failing required run (the search's cheap mode). Default false. */
  stopAtFirstFailure?: boolean;
  /** Instruction budget per run. Default 1,000,000 (tiny targets need far fewer). */
  maxSteps?: number;
  /**
   * The file must work with any argc (a profile with argcAssumable false): the argc probe is then
   * judged like a required run instead of revealing an assumption.
   */
  anyArgc?: boolean;
  /**
   * The file must work however stdin is open (a profile with stdinAssumable false): the stdin
   * probes are judged like required runs, and a file that needs a writable stdin fails.
   */
  anyStdin?: boolean;
}

/** Options that follow from a kernel profile's conditions of use. */
export function verifyOptionsFor(profile: { argcAssumable: boolean; stdinAssumable: boolean }): VerifyOptions {
  return { anyArgc: !profile.argcAssumable, anyStdin: !profile.stdinAssumable };
}

/** Whether a run in this environment decides pass or fail under these options. */
export function isRequired(environment: Environment, options: VerifyOptions = {}): boolean {
  return (
    environment.role === 'required' ||
    (options.anyArgc === true && environment.varies === 'argc') ||
    (options.anyStdin === true && environment.varies === 'stdin')
  );
}

/** The assumption of a file that passes only when stdin is open for writing. */
export const STDIN_WRITABLE: Assumption = {
  id: 'stdin-writable',
  text: "works only when stdin is open for writing, as a terminal's is (fails with stdin read-only, e.g. < /dev/null)",
};

export const DEFAULT_VERIFY_STEPS = 1_000_000;

export function verifyFile(run: EmulatedRunner, file: Uint8Array, target: Target, options: VerifyOptions = {}): Verification {
  const maxSteps = options.maxSteps ?? DEFAULT_VERIFY_STEPS;
  const environments = cachedEnvironments(target);
  const cheap = options.stopAtFirstFailure === true;
  const runs: EnvironmentRun[] = [];
  const required = (e: Environment): boolean => isRequired(e, options);
  const once = (environment: Environment, stdin: StdinKind = environment.stdin): EnvironmentRun => {
    const result = run(file, {
      argv: [...environment.argv],
      env: [...environment.env],
      stdin: target.stdin,
      stdinKind: stdin,
      seed: environment.seed,
      execPath: environment.execPath,
      maxSteps,
    });
    const r = { environment, stdin, result, problem: judgeRun(result, target) };
    runs.push(r);
    return r;
  };

  for (const environment of environments) {
    if (!required(environment)) continue;
    const r = once(environment);
    if (r.problem !== null && cheap) break;
  }
  let deciding = runs.filter((r) => required(r.environment));
  const assumptions = new AssumptionSet();
  /** The stdin the environments that do not vary it are run with: read-only, or read-write for a file that needs it. */
  let baseStdin: StdinKind = 'read-only';

  if (deciding.some((r) => r.problem !== null)) {
    const writable = cheap ? null : stdinWritableDiagnosis(deciding, target, options, once);
    if (writable?.pass) {
      baseStdin = 'read-write';
      deciding = writable.runs;
      assumptions.add(STDIN_WRITABLE);
    } else {
      for (const r of deciding) if (r.problem === null) assumptions.addAll(r.result.assumptions);
      // A diagnosis needs every required environment's result, so the cheap mode skips it.
      const failed = deciding.filter((r) => r.problem !== null);
      const failedOnlyOnProbes = failed.every((r) => r.environment.role === 'probe');
      const diagnosis = cheap
        ? null
        : (writable?.diagnosis ?? (failedOnlyOnProbes ? forbidden(failed[0]!.environment) : diagnose(deciding.filter((r) => r.environment.role === 'required'))));
      if (diagnosis) assumptions.add(diagnosis);
      const first = failed[0]!;
      const why = `${first.problem} (${runName(first)})`;
      return { pass: false, runs, assumptions: assumptions.list(), problem: diagnosis ? `${why}; ${diagnosis.text}` : why };
    }
  }
  for (const r of deciding) assumptions.addAll(r.result.assumptions);

  // Every required run passed: probes reveal conditions the file relies on. The search's cheap
  // mode only needs the verdict, so it skips them.
  if (!cheap) {
    for (const environment of environments) {
      if (required(environment)) continue;
      // With a writable stdin required, the read-write probe is what the file needs, not a probe.
      if (baseStdin === 'read-write' && environment.stdin === 'read-write') continue;
      const r = once(environment, environment.varies === 'stdin' ? environment.stdin : baseStdin);
      if (r.problem !== null && environment.reveals) assumptions.add(environment.reveals);
    }
  }
  return { pass: true, runs, assumptions: assumptions.list(), problem: null };
}

/** A run's name in reports: the environment, and the stdin when it is not the environment's own. */
export function runName(r: EnvironmentRun): string {
  return r.stdin === r.environment.stdin ? r.environment.name : `${r.environment.name}, ${STDIN_LABELS[r.stdin]}`;
}

/**
 * When the required runs fail with stdin read-only: do they all pass with stdin read-write (as a
 * terminal's)? Then the file passes with the assumption stdin-writable, unless the profile forbids
 * it. A file that writes the target's stdout to fd 0 instead is named as such (it fails either way).
 */
function stdinWritableDiagnosis(
  deciding: readonly EnvironmentRun[],
  target: Target,
  options: VerifyOptions,
  once: (environment: Environment, stdin: StdinKind) => EnvironmentRun,
): { pass: boolean; runs: EnvironmentRun[]; diagnosis: Assumption | null } | null {
  // Only a file that ran (not one the loader refused) can depend on its stdin.
  const failedReadOnly = deciding.filter((r) => r.problem !== null && r.stdin === 'read-only' && r.environment.role === 'required' && (r.result.steps ?? 0) > 0);
  if (failedReadOnly.length === 0) return null;
  const first = once(failedReadOnly[0]!.environment, 'read-write');
  if (first.problem !== null) {
    const onFd0 = target.stdout.length > 0 && first.result.stdout.length === 0 && bytesEqual(first.result.stdinWrites, target.stdout);
    return onFd0
      ? { pass: false, runs: [], diagnosis: { id: 'stdin-writable', text: 'writes its output to fd 0 (stdin) instead of stdout: only a terminal that is both stdin and stdout shows it' } }
      : null;
  }
  // Every run that does not vary stdin again, with stdin read-write (the stdin probes a strict profile requires stay as they were).
  const rerun = deciding.map((r) => (r.environment === first.environment ? first : r.stdin === 'read-only' ? once(r.environment, 'read-write') : r));
  if (rerun.some((r) => r.environment.varies !== 'stdin' && r.problem !== null)) return null;
  if (options.anyStdin === true) return { pass: false, runs: rerun, diagnosis: { id: STDIN_WRITABLE.id, text: `${STDIN_WRITABLE.text}, which this profile does not allow` } };
  return { pass: true, runs: rerun, diagnosis: null };
}

// The search verifies many candidates against one target: build its environment list once.
const environmentCache = new WeakMap<Target, Environment[]>();
function cachedEnvironments(target: Target): Environment[] {
  let list = environmentCache.get(target);
  if (!list) environmentCache.set(target, (list = environmentsFor(target)));
  return list;
}

/** The assumption a strict profile refused: what the failed probe would have revealed. */
function forbidden(environment: Environment): Assumption | null {
  const r = environment.reveals;
  return r ? { id: r.id, text: `${r.text}, which this profile does not allow` } : null;
}

/** Names a pattern in which required environments failed, when there is a clear one. */
function diagnose(required: EnvironmentRun[]): Assumption | null {
  // A file that fails everywhere is simply wrong; a pattern needs some runs to pass.
  if (required.every((r) => r.problem !== null)) return null;
  const largeFails = required.filter((r) => r.environment.largeEnv).every((r) => r.problem !== null);
  const smallPass = required.filter((r) => !r.environment.largeEnv).every((r) => r.problem === null);
  const hasLarge = required.some((r) => r.environment.largeEnv);
  if (hasLarge && largeFails && smallPass) {
    return { id: 'empty-environment', text: 'works only with an empty environment' };
  }
  return {
    id: 'stack-layout',
    text: 'result depends on the stack position (ASLR) or on the length of the exec path or environment',
  };
}

/** Assumptions deduplicated by id, in first-seen order. */
export class AssumptionSet {
  private readonly byId = new Map<string, Assumption>();
  add(a: Assumption): void {
    if (!this.byId.has(a.id)) this.byId.set(a.id, { id: a.id, text: a.text });
  }
  addAll(list: readonly Assumption[]): void {
    for (const a of list) this.add(a);
  }
  list(): Assumption[] {
    return [...this.byId.values()];
  }
}
