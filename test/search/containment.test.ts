/**
 * Whether the best published x86-64 files lie in search v2's space: a walk guided by a file's own
 * bytes (WalkOptions.guide) tries at each decision only the move the file has there, and hears of
 * every decision where the alphabet does not offer it. The published files are read here for this
 * comparison only; no search reads them.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { SYSCALL_64 } from '../../src/search/abi.js';
import { EHDR64 } from '../../src/linux/elf.js';
import { solveLayouts } from '../../src/search/layout.js';
import { computeLoopPlans, loopTries } from '../../src/search/loop-tries.js';
import { loaderVerdict } from '../../src/search/process.js';
import { Walk, type WalkOptions } from '../../src/search/walk/walk.js';
import { loadPublished } from '../../src/results/published.js';
import { loadShippedTarget } from '../../src/targets/resolve.js';

const profile = { ...DEFAULT_PROFILE, ia32Emulation: false };
const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: profile.taskSize, commitLimitBytes: profile.commitLimitBytes };

interface Containment {
  /** Layouts of the file's phoff, e_type and size whose allowed bytes hold the file. */
  layouts: number;
  straight: boolean;
  loop: boolean;
  /** File offsets of decisions where the alphabet lacked the file's move. */
  missing: Set<number>;
}

function containment(name: string): Containment {
  const file = loadPublished().find((f) => f.name === name)!;
  const b = file.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const type = view.getUint16(EHDR64.e_type.offset, true) as 2 | 3;
  const phoff = Number(view.getBigUint64(EHDR64.e_phoff.offset, true));
  const target = loadShippedTarget(file.target!);
  const goal = { stdout: target.stdout, stderr: target.stderr, exitCode: target.exitCode };
  const fitting = solveLayouts(phoff, type, b.length, { limits, verdict: loaderVerdict(profile) })
    .filter((l) => l.allowed.every((a, i) => a === null || a.includes(b[i]!)));
  const missing = new Set<number>();
  const options: WalkOptions = {
    profile, argc: 1, abis: [SYSCALL_64], maxPathSteps: 80, nodeLimit: 0, stopped: () => false, accept: () => true,
    guide: { file: b, onMissing: (offset) => missing.add(offset) },
  };
  const plans = computeLoopPlans(target, SYSCALL_64, true, 7, 200_000_000);
  let straight = false;
  let loop = false;
  for (const layout of fitting) {
    straight ||= Walk.run(layout, goal, { ...options, mode: 'straight' }).file !== null;
    if (plans) loop ||= Walk.run(layout, goal, { ...options, mode: 'broad', plan: loopTries(plans) }).file !== null;
  }
  return { layouts: fitting.length, straight, loop, missing };
}

describe('the published files in search v2\'s space', () => {
  it("lm978's 73-byte exit(42) lies in the straight family: the walk guided by its bytes reaches it", () => {
    const c = containment('lm978-exit42-73');
    expect(c.layouts).toBe(1);
    expect(c.straight).toBe(true);
    expect(c.missing.size).toBe(0);
  }, 120_000);

  it("lm978's 81-byte hello-world does not: its jmp at 0x49 back into the loop at 0x28 is no move of the alphabet there (golf's 81-byte file is other code)", () => {
    const c = containment('lm978-hello-world-81');
    expect(c.layouts).toBe(1);
    expect(c.straight).toBe(false);
    expect(c.loop).toBe(false);
    expect(c.missing.has(73)).toBe(true);
  }, 300_000);
});
