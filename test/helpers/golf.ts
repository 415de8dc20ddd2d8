/**
 * Runs the built golf (bin/golf.js on dist/, which `npm test` compiles first) as a user would: in a
 * chosen folder, with stdin, and optionally sending SIGINT once stderr shows a given text.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/targets/paths.js';

export interface GolfRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** Milliseconds from start to exit. */
  ms: number;
}

export interface GolfOptions {
  cwd?: string;
  stdin?: string | Uint8Array;
  env?: Record<string, string>;
  /** Send SIGINT (as Ctrl-C does) as soon as stderr matches. */
  interruptWhen?: RegExp;
  /** Called just before that SIGINT is sent. */
  beforeInterrupt?: () => void;
  timeoutMs?: number;
}

export const golfBin = (): string => join(packageRoot(), 'bin', 'golf.js');

export function runGolf(args: string[], options: GolfOptions = {}): Promise<GolfRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [golfBin(), ...args], { cwd: options.cwd, env: { ...process.env, ...options.env } });
    const out: Buffer[] = [];
    let err = '';
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      if (options.interruptWhen && !interrupted && options.interruptWhen.test(err)) {
        interrupted = true;
        options.beforeInterrupt?.();
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out), stderr: err, ms: Date.now() - started });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
