// Helpers for tests that inject a runner instead of the emulator.
import type { AssumingRun, EmulatedRunner, RunRequest } from '../../src/verify/verify.js';

export function exited(stdout: string, exitCode: number, assumptions: AssumingRun['assumptions'] = []): AssumingRun {
  return {
    outcome: 'exited',
    exitCode,
    signal: null,
    execError: null,
    stdout: new TextEncoder().encode(stdout),
    stderr: new Uint8Array(0),
    stdinWrites: new Uint8Array(0),
    steps: 10,
    unsupported: null,
    engine: 'emulator',
    assumptions,
  };
}

export function killed(signal: string): AssumingRun {
  return { ...exited('', 0), outcome: 'killed', exitCode: null, signal };
}

/** A runner whose behaviour is a function of the request; records every request it saw. */
export function fakeRunner(behaviour: (req: RunRequest) => AssumingRun): EmulatedRunner & { requests: RunRequest[] } {
  const requests: RunRequest[] = [];
  const runner = ((_file: Uint8Array, req: RunRequest) => {
    requests.push(req);
    return behaviour(req);
  }) as EmulatedRunner & { requests: RunRequest[] };
  runner.requests = requests;
  return runner;
}
