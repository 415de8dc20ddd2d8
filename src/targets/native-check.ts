/**
 * Running a file against a target on the host kernel: the oracle behind `golf check --native`,
 * record verification and `golf regress`. The native runner is injected (src/linux/native.ts in
 * production) so the judging logic is testable anywhere.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Assumption, RunResult } from '../linux/run-result.js';
import { missingOnHost } from './host-capabilities.js';
import { LARGE_ENVIRONMENT } from './environments.js';
import { judgeRun } from './judge.js';
import { argvFor, type Target } from './target.js';

export type NativeRunner = (path: string, options: { argv: string[]; env: string[]; timeoutMs?: number }) => Promise<RunResult>;

export interface NativeRun {
  name: string;
  result: RunResult;
  problem: string | null;
}

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
}

export const NATIVE_TIMEOUT_MS = 5000;

/**
 * Runs the file's bytes natively (from a private executable copy) in an empty and a large
 * environment. `assumptions` are what the emulator found the file relies on: when the host lacks
 * one of them, the file is not run (a failure would only describe the host).
 */
export async function checkNatively(run: NativeRunner, file: Uint8Array, target: Target, assumptions: readonly Assumption[] = []): Promise<NativeCheck> {
  const base = { kernel: release(), machine: arch() === 'x64' ? 'x86_64' : arch() };
  const notRun = (skippedBecause: NativeCheck['skippedBecause'], skipped: string): NativeCheck => ({ ...base, ran: false, skipped, skippedBecause, pass: false, runs: [], problem: skipped });
  if (target.stdin.length > 0) return notRun('target-stdin', 'the target gives the program stdin, which native runs do not provide');
  const missing = await missingOnHost(assumptions, run);
  if (missing.length > 0) return notRun('host-lacks', `this host lacks ${missing.join(' and ')}, which the file relies on`);
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
    for (const [name, env] of envs) {
      const result = await run(path, { argv: argvFor(target, path), env: [...env], timeoutMs: NATIVE_TIMEOUT_MS });
      runs.push({ name: `native, ${name}`, result, problem: judgeRun(result, target) });
    }
    const failed = runs.find((r) => r.problem !== null);
    return { ...base, ran: true, skipped: null, skippedBecause: null, pass: !failed, runs, problem: failed ? `${failed.problem} (${failed.name})` : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
