import { describe, expect, it } from 'vitest';
import { runEmulated } from '../../src/linux/emulate.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { SYSCALL_64 } from '../../src/search/abi.js';
import { searchUnit, units } from '../../src/search/engine.js';
import { solveLayouts } from '../../src/search/layout.js';
import { loaderVerdict } from '../../src/search/process.js';
import { runSearch } from '../../src/search/run.js';
import { Walk } from '../../src/search/walk/walk.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';

function target(stdout: string, exitCode: number): Target {
  return {
    name: 'test', origin: 'test', description: 'test', stdout: new TextEncoder().encode(stdout), stderr: new Uint8Array(0),
    exitCode, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
  };
}

const profile = { ...DEFAULT_PROFILE, ia32Emulation: false };
const space = { maxSize: 73, maxPathSteps: 40, nodeLimit: 20_000 };

describe('code walk', () => {
  it('finds a 73-byte exit(42) in the P=12 DYN layout, and the emulator runs it to exit 42', () => {
    const unit = units({ maxSize: 73 }).find((u) => u.phoff === 12 && u.type === 3)!;
    const r = searchUnit(unit, { target: target('', 42), profile, space, deadline: Date.now() + 60_000, bound: Infinity });
    expect(r.best?.size).toBe(73);
    const run = runEmulated(new Uint8Array(Buffer.from(r.best!.hex, 'hex')), { seed: 7 }, profile);
    expect(run.outcome).toBe('exited');
    expect(run.exitCode).toBe(42);
    // nothing smaller exists in this family: every size below was exhausted
    expect(r.exhaustedBelow).toBe(73);
  });

  it('any exit code works the same way (nothing is specific to 42)', () => {
    const unit = units({ maxSize: 73 }).find((u) => u.phoff === 12 && u.type === 3)!;
    const r = searchUnit(unit, { target: target('', 7), profile, space, deadline: Date.now() + 60_000, bound: Infinity });
    expect(r.best?.size).toBe(73);
    expect(runEmulated(new Uint8Array(Buffer.from(r.best!.hex, 'hex')), { seed: 3 }, profile).exitCode).toBe(7);
  });
});

describe('argc at entry', () => {
  const unit = units({ maxSize: 73 }).find((u) => u.phoff === 12 && u.type === 3)!;
  const exitWith = (code: number, p: typeof profile) => {
    const r = searchUnit(unit, { target: target('', code), profile: p, space, deadline: Date.now() + 60_000, bound: Infinity });
    return new Uint8Array(Buffer.from(r.best!.hex, 'hex'));
  };
  const exitCodeWith = (file: Uint8Array, argv: string[], p: typeof profile) => runEmulated(file, { seed: 5, argv }, p).exitCode;

  it('pops argc = 1 into the exit code when the profile lets a file rely on argc', () => {
    const file = exitWith(1, profile);
    expect(exitCodeWith(file, ['./a'], profile)).toBe(1);
    // with one more argument the same file exits 2: it really took argc from the stack
    expect(exitCodeWith(file, ['./a', 'x'], profile)).toBe(2);
  });

  it('never relies on argc under a profile that forbids it (as portable does)', () => {
    const strict = { ...profile, argcAssumable: false };
    const file = exitWith(1, strict);
    expect(file.length).toBe(73);
    expect(exitCodeWith(file, ['./a'], strict)).toBe(1);
    expect(exitCodeWith(file, ['./a', 'x', 'y'], strict)).toBe(1);
  });
});

describe('two writes', () => {
  it('writes stdout, then stderr from the registers the first write left, then exits: the emulator agrees', () => {
    const enc = new TextEncoder();
    const t: Target = { ...target('Hi', 3), stderr: enc.encode('Hi') };
    const unit = units({ maxSize: 80 }).find((u) => u.phoff === 12 && u.type === 3)!;
    const r = searchUnit(unit, { target: t, profile, space: { maxSize: 80, maxPathSteps: 80, nodeLimit: 200_000 }, deadline: Date.now() + 60_000, bound: Infinity });
    expect(r.best).not.toBeNull();
    const run = runEmulated(new Uint8Array(Buffer.from(r.best!.hex, 'hex')), { seed: 5 }, profile);
    expect(run.outcome).toBe('exited');
    expect(new TextDecoder().decode(run.stdout)).toBe('Hi');
    expect(new TextDecoder().decode(run.stderr)).toBe('Hi');
    expect(run.exitCode).toBe(3);
    // the lower bound counts the second write's and the exit's register changes: smaller sizes were exhausted
    expect(r.exhaustedBelow).toBe(r.best!.size);
  });
});

describe('determinism', () => {
  it('gives identical results with 1 and 2 workers', async () => {
    const request = { target: target('', 42), profile, space, timeLimit: Infinity, seed: 1 };
    const one = await runSearch({ ...request, workers: 1 });
    const two = await runSearch({ ...request, workers: 2 });
    expect(one.best).not.toBeNull();
    expect(two.best).toEqual(one.best);
    expect(two.results.map((r) => r.best)).toEqual(one.results.map((r) => r.best));
  });
});

describe('byte registers', () => {
  it('sets fd 2 with mov dil, 2 (REX, 3 bytes) instead of mov edi, 2: error\\n on stderr in 77 bytes (v1 needed 78)', () => {
    const enc = new TextEncoder();
    const t: Target = { ...target('', 1), stderr: enc.encode('error\n') };
    const unit = units({ maxSize: 77 }).find((u) => u.phoff === 12 && u.type === 3)!;
    const r = searchUnit(unit, { target: t, profile, space: { maxSize: 77, maxPathSteps: 80, nodeLimit: 300_000 }, deadline: Date.now() + 120_000, bound: Infinity });
    expect(r.best?.size).toBeLessThanOrEqual(77);
    const run = runEmulated(new Uint8Array(Buffer.from(r.best!.hex, 'hex')), { seed: 4 }, profile);
    expect([run.outcome, run.exitCode, Buffer.from(run.stderr).toString()]).toEqual(['exited', 1, 'error\n']);
  }, 180_000);
});

describe('Ctrl-C', () => {
  it('stops every worker and keeps the best file found so far, also with one worker', async () => {
    const hello = target('Hello, World!\n', 0);
    let interruptedAt = 0;
    const request = { target: hello, profile, space: { maxSize: 96, maxPathSteps: 40, nodeLimit: 300_000 }, timeLimit: Infinity, seed: 1 };
    const outcome = await runSearch({ ...request, workers: 1 }, (p) => {
      // The first unit that finds a file: a real SIGINT, as a terminal's Ctrl-C sends. It is only
      // handled if this thread is free while the walk runs (the walk itself is synchronous).
      if (p.best && interruptedAt === 0) {
        interruptedAt = Date.now();
        process.kill(process.pid, 'SIGINT');
      }
    });
    expect(interruptedAt).toBeGreaterThan(0);
    expect(outcome.interrupted).toBe(true);
    expect(outcome.best).not.toBeNull();
    const file = new Uint8Array(Buffer.from(outcome.best!.hex, 'hex'));
    const run = runEmulated(file, { seed: 9 }, profile);
    expect(Buffer.from(run.stdout).toString()).toBe('Hello, World!\n');
    // Units still queued or running returned at once instead of searching below the best size.
    expect(outcome.results.some((r) => r.stoppedBy === 'stopped')).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(0);
  }, 400_000);
});

describe('split writes', () => {
  it('writes a stream in pieces when no hole holds it whole (32 bytes in a 99-byte P=12 DYN file: four stack pieces are more than a stack plan holds)', () => {
    const text = 'a'.repeat(32);
    const goal = { stdout: new TextEncoder().encode(text), stderr: new Uint8Array(0), exitCode: 0 };
    const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: profile.taskSize, commitLimitBytes: profile.commitLimitBytes };
    const walkAll = (splitWrites: boolean): Uint8Array | null => {
      for (const layout of solveLayouts(12, 3, 99, { limits, verdict: loaderVerdict(profile) })) {
        const r = Walk.run(layout, goal, {
          profile, argc: 1, abis: [SYSCALL_64], maxPathSteps: 60, nodeLimit: 300_000, stopped: () => false, splitWrites,
          accept: (f) => Buffer.from(runEmulated(f, { seed: 1 }, profile).stdout).toString() === text,
        });
        if (r.file) return r.file;
      }
      return null;
    };
    const writes = (f: Uint8Array): number => runEmulated(f, { seed: 11 }, profile).calls.filter((c) => c.name === 'write').length;
    // Without split writes a stream is written whole by one write (from a buffer on the stack, at
    // most three pushed pieces, if anything is found at all).
    const whole = walkAll(false);
    if (whole) expect(writes(whole)).toBe(1);
    const file = walkAll(true)!;
    expect(file).not.toBeNull();
    const run = runEmulated(file, { seed: 11 }, profile);
    expect([run.outcome, run.exitCode, Buffer.from(run.stdout).toString()]).toEqual(['exited', 0, text]);
    // 32 bytes are four pieces of e_ident's 8 a's: more than a stack plan holds, so written in pieces
    expect(writes(file)).toBeGreaterThanOrEqual(2);
  });
});
