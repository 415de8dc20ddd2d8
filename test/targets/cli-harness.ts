// Runs the real golf command (bin/golf.js on the compiled dist/, which `npm test` builds first)
// and captures what it prints, for the command tests.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/targets/paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function golf(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const bin = join(packageRoot(), 'bin', 'golf.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
