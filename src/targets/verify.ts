/**
 * Multi-environment verification: the judgement `golf check` prints and the search engine applies
 * to every candidate it believes complete. The emulator is injected as a runner so one Emulator
 * (and its address space) is reused across all runs; see emulator-runner.ts for the real one.
 */
import type { Assumption, RunResult } from '../linux/run-result.js';
import { environmentsFor, type Environment } from './environments.js';
import { judgeRun } from './judge.js';
import type { Target } from './target.js';

/** A run as the emulator reports it: the result plus what the loader and syscalls relied on. */
export type AssumingRun = RunResult & { assumptions: Assumption[] };

export interface RunRequest {
  argv: string[];
  env: string[];
  stdin: Uint8Array;
  seed: number;
  execPath: string;
  maxSteps: number;
}

/** Runs a file once in the built-in model (synchronous: the search calls it in a hot loop). */
export type EmulatedRunner = (file: Uint8Array, request: RunRequest) => AssumingRun;

export interface EnvironmentRun {
  environment: Environment;
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
}

/** Options that follow from a kernel profile's conditions of use. */
export function verifyOptionsFor(profile: { argcAssumable: boolean }): VerifyOptions {
  return { anyArgc: !profile.argcAssumable };
}

/** Whether a run in this environment decides pass or fail under these options. */
export function isRequired(environment: Environment, options: VerifyOptions = {}): boolean {
  return environment.role === 'required' || (options.anyArgc === true && environment.varies === 'argc');
}

export const DEFAULT_VERIFY_STEPS = 1_000_000;

export function verifyFile(run: EmulatedRunner, file: Uint8Array, target: Target, options: VerifyOptions = {}): Verification {
  const maxSteps = options.maxSteps ?? DEFAULT_VERIFY_STEPS;
  const environments = cachedEnvironments(target);
  const runs: EnvironmentRun[] = [];
  const required = (e: Environment): boolean => isRequired(e, options);
  const once = (environment: Environment): EnvironmentRun => {
    const result = run(file, {
      argv: [...environment.argv],
      env: [...environment.env],
      stdin: target.stdin,
      seed: environment.seed,
      execPath: environment.execPath,
      maxSteps,
    });
    const r = { environment, result, problem: judgeRun(result, target) };
    runs.push(r);
    return r;
  };

  for (const environment of environments) {
    if (!required(environment)) continue;
    const r = once(environment);
    if (r.problem !== null && options.stopAtFirstFailure === true) break;
  }
  const requiredRuns = runs.filter((r) => required(r.environment));
  const failed = requiredRuns.filter((r) => r.problem !== null);
  const assumptions = new AssumptionSet();
  for (const r of requiredRuns) if (r.problem === null) assumptions.addAll(r.result.assumptions);

  if (failed.length > 0) {
    // A diagnosis needs every required environment's result, so the cheap mode skips it.
    const failedOnlyOnArgc = failed.every((r) => r.environment.varies === 'argc');
    const diagnosis =
      options.stopAtFirstFailure === true
        ? null
        : failedOnlyOnArgc
          ? forbidden(failed[0]!.environment)
          : diagnose(requiredRuns.filter((r) => r.environment.role === 'required'));
    if (diagnosis) assumptions.add(diagnosis);
    const first = failed[0];
    const why = `${first.problem} (${first.environment.name})`;
    return {
      pass: false,
      runs,
      assumptions: assumptions.list(),
      problem: diagnosis ? `${why}; ${diagnosis.text}` : why,
    };
  }

  // Every required run passed: probes reveal conditions the target fixes but the file relies on.
  for (const environment of environments) {
    if (required(environment)) continue;
    const r = once(environment);
    if (r.problem !== null && environment.reveals) assumptions.add(environment.reveals);
  }
  return { pass: true, runs, assumptions: assumptions.list(), problem: null };
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
