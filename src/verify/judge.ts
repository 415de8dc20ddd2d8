/** Whether one run produced exactly what a target requires, and if not, why (one line). */
import type { RunResult } from '../linux/run-result.js';
import { bytesEqual, preview } from '../targets/bytes.js';
import type { Target } from '../targets/target.js';

/** Returns null when the run meets the target, else a one-line reason (`reason`: why an emulated run stopped unfinished). */
export function judgeRun(run: RunResult & { reason?: string | null }, target: Target): string | null {
  switch (run.outcome) {
    case 'exec-failed':
      return `exec failed with ${run.execError ?? 'an error'}${run.reason ? ` (${run.reason})` : ''}`;
    case 'killed':
      return `killed by ${run.signal ?? 'a signal'}${run.reason ? ` (${run.reason})` : ''}`;
    case 'step-limit':
      if (run.steps === null) return 'still running at the timeout';
      return run.reason ? `still running: ${run.reason}` : `still running at the step limit (${run.steps} instructions)`;
    case 'unsupported':
      return `not modelled by golf: ${run.unsupported ?? 'unknown'}`;
    case 'exited':
      break;
  }
  if (!bytesEqual(run.stdout, target.stdout)) {
    return `stdout was ${preview(run.stdout)}, expected ${preview(target.stdout)}`;
  }
  if (!bytesEqual(run.stderr, target.stderr)) {
    return `stderr was ${preview(run.stderr)}, expected ${preview(target.stderr)}`;
  }
  if (run.exitCode !== target.exitCode) return `exit status ${run.exitCode}, expected ${target.exitCode}`;
  return null;
}
