/**
 * The loop family in 32-bit code: loop plans for int 0x80 (one-byte inc/dec, 4-byte stack words,
 * plans in three parts: a prelude run once, the body the loop jumps back to, code after the trap),
 * and the walk tiling one into an ELF32 file whose single int 0x80 makes both calls.
 * Nothing here reads corpus/published.
 */
import { describe, expect, it } from 'vitest';
import { runEmulated } from '../../src/linux/emulate.js';
import { ET_EXEC } from '../../src/linux/elf.js';
import { IA32 } from '../../src/linux/personality.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { INT80_32, SYSCALL_64 } from '../../src/search/abi.js';
import { solveLayouts } from '../../src/search/layout.js';
import { loopPlans } from '../../src/search/loop-plans.js';
import { computeLoopPlans, loopGoalsFor, loopTries } from '../../src/search/loop-tries.js';
import { loaderVerdict } from '../../src/search/process.js';
import { Walk } from '../../src/search/walk/walk.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';

const profile = DEFAULT_PROFILE;
const hello = new TextEncoder().encode('Hello, World!\n');
const target: Target = {
  name: 'test', origin: 'test', description: 'test', stdout: hello, stderr: new Uint8Array(0),
  exitCode: 0, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('i386 loop plans', () => {
  it('find the three-part machines of least cost: push 4 and inc ebx once, pop eax in the loop, dec ebx after int 0x80', () => {
    const goal = loopGoalsFor(target, INT80_32, true, 32)![0]!;
    expect(goal.parts).toBe(true);
    const { plans, exhausted } = loopPlans(goal, 5);
    expect(exhausted).toBe(true);
    expect(plans.length).toBeGreaterThan(0);
    expect(plans[0]!.cost).toBe(5);
    const shapes = plans.map((p) => {
      const t = p.items.map((i) => i.text);
      const { headAt, trapAt } = p.parts!;
      return `${t.slice(0, headAt).join(', ')} | ${t.slice(headAt, trapAt).join(', ')} | ${t.slice(trapAt).join(', ')}`;
    });
    expect(shapes).toContain('inc ebx, push 4 | pop eax | dec ebx');
    const raiter = plans[shapes.indexOf('inc ebx, push 4 | pop eax | dec ebx')]!;
    // 32-bit encodings: inc ebx and dec ebx are one byte (43, 4b), push 4 is 6a 04, pop eax 58
    expect(raiter.items.map((i) => hex(i.bytes))).toEqual(['43', '6a04', '58', '4b']);
    expect(raiter.parts!.trap).toEqual([0xcd, 0x80]);
  }, 60_000);

  it('need argc = 1 at cost 5: without it the second pass has no 1 to pop, and no machine of that cost exists', () => {
    const without = loopPlans(loopGoalsFor(target, INT80_32, false, 32)![0]!, 5, 100_000_000);
    expect(without.exhausted).toBe(true);
    expect(without.plans).toEqual([]);
    expect(loopPlans(loopGoalsFor(target, INT80_32, true, 32)![0]!, 5).plans.length).toBeGreaterThan(0);
  }, 60_000);

  it('leave the 64-bit plans as they were: long-mode goals have no parts', () => {
    const goals = loopGoalsFor(target, SYSCALL_64, true)!;
    expect(goals.every((g) => g.parts === undefined && (g.mode ?? 64) === 64)).toBe(true);
    const plans = computeLoopPlans(target, SYSCALL_64, true, 4, 10_000_000)!;
    expect(plans.bufferReg).toBe(SYSCALL_64.args[1]);
    expect(Object.values(plans.byPieces).flat().every((p) => p.parts === undefined)).toBe(true);
  }, 60_000);
});

describe('i386 loop walk', () => {
  it('tiles a plan into a 67-byte ELF32 hello whose one int 0x80 makes the write and the exit', () => {
    const plans = computeLoopPlans(target, INT80_32, true, 5, 100_000_000, () => false, 32)!;
    const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: IA32.taskSize(profile), commitLimitBytes: profile.commitLimitBytes };
    const goal = { stdout: hello, stderr: new Uint8Array(0), exitCode: 0 };
    let found: Uint8Array | null = null;
    for (const layout of solveLayouts(4, ET_EXEC, 67, { limits, verdict: loaderVerdict(profile), personality: IA32 })) {
      Walk.run(layout, goal, {
        profile, argc: 1, abis: [INT80_32], maxPathSteps: 80, nodeLimit: 300_000, stopped: () => false, splitWrites: false,
        mode: 'broad', plan: loopTries(plans),
        // only files with a single trap instruction: the loop's
        accept: (file) => {
          if (hex(file).split('cd80').length !== 2) return false;
          found = file.slice();
          return true;
        },
      });
      if (found) break;
    }
    expect(found).not.toBeNull();
    const file = found! as Uint8Array;
    expect(file.length).toBe(67);
    const run = runEmulated(file, { seed: 3 }, profile);
    expect(run.outcome).toBe('exited');
    expect(run.exitCode).toBe(0);
    expect(Buffer.from(run.stdout).toString()).toBe('Hello, World!\n');
  }, 120_000);
});
