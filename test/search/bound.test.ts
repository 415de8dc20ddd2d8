/**
 * The walk's cost bound (src/search/walk/bound.ts) prunes a state when the open bytes left cannot
 * pay for what it still needs. Only a bound that never overestimates would let golf say "no smaller
 * file exists in this space"; golf calls its bound a heuristic and says so, and `--exact` searches
 * without it. These tests pin both sides on small goals:
 *
 * - brute force: a known working file with one or two of its bytes opened again has every
 *   assignment of those bytes run on the emulator. The exact walk (no bound) must find a file
 *   exactly when one of the working assignments lies in its space (a walk guided by that file's
 *   bytes gets through), and a file the bounded walk finds must work;
 * - the heuristic overestimates: on such layouts (code the walk would otherwise place now fixed
 *   bytes that run later, or moves that overlap fixed bytes) it prunes files the exact walk finds;
 * - on the search's own layouts, where only header bytes are fixed, the bounded walk and the
 *   exact walk find the same first file (the bound removed no file there).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { SYSCALL_64 } from '../../src/search/abi.js';
import { EXACT_PARTS, fromHex, LAST_SIZE_PARTS, slicePartsAt, units, unitKey } from '../../src/search/engine.js';
import { minFileSize, solveLayouts, type Layout } from '../../src/search/layout.js';
import { completeness, spaceScope } from '../../src/search/report.js';
import { runSearch } from '../../src/search/run.js';
import { loaderVerdict } from '../../src/search/process.js';
import { Walk, type WalkOptions } from '../../src/search/walk/walk.js';
import { emulatorRunner } from '../../src/verify/machine.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';
import { verifyFile, verifyOptionsFor } from '../../src/verify/verify.js';

const profile = { ...DEFAULT_PROFILE, ia32Emulation: false };
const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: profile.taskSize, commitLimitBytes: profile.commitLimitBytes };
const run = emulatorRunner(profile);
const enc = new TextEncoder();

function target(stdout: string, stderr: string, exitCode: number): Target {
  return {
    name: 'bound', origin: 'test', description: 'test', stdout: enc.encode(stdout), stderr: enc.encode(stderr),
    exitCode, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any',
  };
}

function works(t: Target, file: Uint8Array): boolean {
  return verifyFile(run, file, t, { ...verifyOptionsFor(profile), stopAtFirstFailure: true, maxSteps: 10_000 }).pass;
}

function layoutsOf(phoff: number, type: 2 | 3, size: number): Layout[] {
  return solveLayouts(phoff, type, size, { limits, verdict: loaderVerdict(profile) });
}

interface Outcome {
  file: Uint8Array | null;
  exhausted: boolean;
  nodes: number;
}

function walk(layout: Layout, t: Target, extra: Partial<WalkOptions>): Outcome {
  const r = Walk.run(layout, { stdout: t.stdout, stderr: t.stderr, exitCode: t.exitCode }, {
    profile, argc: 1, abis: [SYSCALL_64], maxPathSteps: 40, nodeLimit: 0, stopped: () => false, mode: 'straight',
    accept: (f) => works(t, f),
    ...extra,
  });
  return { file: r.file, exhausted: r.exhausted, nodes: r.nodes };
}

/** The layout with every byte fixed to `file`'s value except those at `open` (which keep the layout's allowed values). */
function reopened(layout: Layout, file: Uint8Array, open: readonly number[]): Layout {
  const allowed = layout.allowed.map((a, i) => (open.includes(i) ? a : Uint8Array.of(file[i] ?? 0)));
  const image = layout.image.slice();
  for (let i = 0; i < image.length; i++) image[i] = open.includes(i) ? layout.image[i]! : (file[i] ?? 0);
  return { ...layout, image, allowed };
}

/** Every assignment of the open bytes (their allowed values, all 256 where free) that makes a working file. */
function bruteForce(layout: Layout, open: readonly number[], t: Target): Uint8Array[] {
  const values = open.map((i) => layout.allowed[i] ?? Uint8Array.from({ length: 256 }, (_, v) => v));
  const out: Uint8Array[] = [];
  const file = layout.image.slice();
  const rec = (k: number): void => {
    if (k === open.length) {
      if (works(t, file)) out.push(file.slice());
      return;
    }
    for (const v of values[k]!) {
      file[open[k]!] = v;
      rec(k + 1);
    }
  };
  rec(0);
  return out;
}

/** A small goal's first file on a P=12 ET_DYN layout of `size` bytes, and that layout. */
function firstFile(t: Target, size: number): { layout: Layout; file: Uint8Array } {
  for (const layout of layoutsOf(12, 3, size)) {
    const r = walk(layout, t, {});
    if (r.file) return { layout, file: r.file };
  }
  throw new Error(`no ${size}-byte file for the goal`);
}

/** Bytes of `file` the layout leaves free (the walk chose them). */
function chosenBytes(layout: Layout, file: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < file.length; i++) if (layout.allowed[i] === null || (layout.allowed[i]!.length > 1)) out.push(i);
  return out;
}

describe('the exact walk against brute force', () => {
  // Small goals: exit codes, and one or two bytes of output on stdout or stderr.
  const goals: [string, Target, number][] = [
    ['exit 42', target('', '', 42), 73],
    ['exit 0', target('', '', 0), 73],
    ['stdout "A", exit 0', target('A', '', 0), 73],
    ['stderr "e\\n", exit 1', target('', 'e\n', 1), 76],
  ];
  let overestimates = 0;
  for (const [name, t, size] of goals) {
    it(`${name}: with one or two bytes of a found file open, the exact walk finds one of the working assignments, or none lies in its space`, () => {
      const { layout, file } = firstFile(t, size);
      const chosen = chosenBytes(layout, file);
      fc.assert(
        fc.property(fc.subarray(chosen, { minLength: 1, maxLength: 2 }), (open) => {
          const small = reopened(layout, file, open);
          const working = bruteForce(small, open, t);
          // the found file itself is one of them
          expect(working.length).toBeGreaterThan(0);
          const exact = walk(small, t, { useBound: false });
          expect(exact.exhausted).toBe(true);
          if (exact.file) {
            // what it found is one of the working assignments
            const hex = Buffer.from(exact.file).toString('hex');
            expect(working.some((w) => Buffer.from(w).toString('hex') === hex)).toBe(true);
          } else {
            // none of them lies in its space: a walk guided by each one's bytes gets nowhere
            // (up to 64 of them, spread over the list: a free padding byte makes 256 alike)
            const step = Math.max(1, Math.floor(working.length / 64));
            for (let i = 0; i < working.length; i += step) {
              expect(walk(small, t, { useBound: false, guide: { file: working[i]!, onMissing: () => {} } }).file, `bytes ${open.join(',')} open`).toBeNull();
            }
          }
          const pruned = walk(small, t, {});
          if (pruned.file) expect(works(t, pruned.file)).toBe(true);
          // the bound only removes: whatever it finds, the exact walk finds something too
          if (pruned.file) expect(exact.file).not.toBeNull();
          if (exact.file && !pruned.file) overestimates++;
        }),
        { numRuns: 8, seed: 0x5eed },
      );
    }, 300_000);
  }
  it('the heuristic bound does overestimate there (which is why golf calls it a heuristic)', () => {
    expect(overestimates).toBeGreaterThan(0);
  });
});

describe('the cost bound on the search\'s own layouts', () => {
  const goals: [string, Target, number[]][] = [
    ['exit 42', target('', '', 42), [72, 73]],
    ['exit 200', target('', '', 200), [73]],
    ['stdout "A"', target('A', '', 0), [73, 74]],
  ];
  for (const [name, t, sizes] of goals) {
    it(`${name}: with the bound as 0 the walk finds a file on exactly the same layouts`, () => {
      let found = 0;
      let compared = 0;
      for (const size of sizes) {
        for (const type of [2, 3] as const) {
          for (const layout of layoutsOf(12, type, size)) {
            const pruned = walk(layout, t, {});
            const full = walk(layout, t, { useBound: false });
            expect(pruned.exhausted && full.exhausted).toBe(true);
            // the same depth-first order, minus subtrees without a file: the same first file
            expect(pruned.file, `layout entry ${layout.entryOffset}, ${size} bytes, type ${type}`).toEqual(full.file);
            if (pruned.file) found++;
            compared++;
            // the bound only ever removes work
            expect(pruned.nodes).toBeLessThanOrEqual(full.nodes);
            // an exact search's schedule (one complete round, no deepening): a file on the same
            // layouts (perhaps another one), never more nodes where none exists
            const oneRound = walk(layout, t, { useBound: false, schedule: 'one-round' });
            expect(oneRound.exhausted).toBe(true);
            expect(oneRound.file !== null, `one round, layout entry ${layout.entryOffset}, ${size} bytes, type ${type}`).toBe(full.file !== null);
            if (oneRound.file) expect(works(t, oneRound.file)).toBe(true);
            else expect(oneRound.nodes).toBeLessThanOrEqual(full.nodes);
            // the same walk shared by three workers (branchPart): together they find a file exactly where it does
            const parts = [0, 1, 2].map((index) => walk(layout, t, { useBound: false, schedule: 'one-round', branchPart: { index, count: 3 } }));
            expect(parts.every((p) => p.exhausted)).toBe(true);
            expect(parts.some((p) => p.file !== null), `parts, layout entry ${layout.entryOffset}, ${size} bytes, type ${type}`).toBe(full.file !== null);
            for (const p of parts) if (p.file) expect(works(t, p.file)).toBe(true);
          }
        }
      }
      expect(compared).toBeGreaterThan(0);
      expect(found).toBeGreaterThan(0);
    }, 600_000);
  }
});

describe('--exact', () => {
  it('exit(42): the search without the bound finds 73 bytes and may then say that no smaller file exists in the space', async () => {
    const t = target('', '', 42);
    const space = { maxSize: 73, maxPathSteps: 80, nodeLimit: 300_000, loopCost: 7, exact: true };
    const outcome = await runSearch({ target: t, profile, space, workers: 2, timeLimit: Infinity, seed: 1 });
    expect(outcome.best?.size).toBe(73);
    const done = completeness(outcome.results, outcome.unitsTotal, outcome.best, space, outcome.interrupted);
    expect(done.exhaustedBelow).toBe(73);
    expect(done.sentence).toBe('exhausted all layouts and code up to 72 bytes in this space: no smaller file exists in it (finished)');
    expect(spaceScope(space)).toMatch(/no cost bound \(--exact/);
    // the default search prunes by the heuristic bound and says only that none was found
    const heuristic = { ...space, exact: false };
    expect(completeness(outcome.results, outcome.unitsTotal, outcome.best, heuristic, false).sentence).toMatch(/no smaller file was found in it \(code was pruned by a heuristic cost bound/);
  }, 300_000);

  it('splits every layout family into one unit per file size, smallest first, and the slices answer as whole families do', async () => {
    const space = { maxSize: 73, maxPathSteps: 80, nodeLimit: 300_000, loopCost: 7, exact: true };
    const slices = units(space);
    const families = units({ ...space, exact: false });
    expect(families.every((u) => u.size === undefined)).toBe(true);
    // each (family, size, part) from the family's smallest file (its program header whole) to --max-size, once
    const want = families.flatMap((f) => Array.from({ length: space.maxSize - minFileSize(f.phoff) + 1 }, (_, k) => minFileSize(f.phoff) + k)
      .flatMap((size) => Array.from({ length: slicePartsAt(size, space.maxSize) }, (_, index) => unitKey({ ...f, size, part: { index, count: slicePartsAt(size, space.maxSize) } }))));
    expect(EXACT_PARTS).toBeGreaterThan(1);
    expect(LAST_SIZE_PARTS).toBeGreaterThan(EXACT_PARTS);
    expect(slices.filter((u) => u.size === space.maxSize).every((u) => u.part!.count === LAST_SIZE_PARTS)).toBe(true);
    expect(slices.map(unitKey).sort()).toEqual(want.sort());
    expect(slices.map((u) => u.index)).toEqual(slices.map((_, i) => i));
    for (let i = 1; i < slices.length; i++) expect(slices[i]!.size!).toBeGreaterThanOrEqual(slices[i - 1]!.size!);
    // the same search run over whole families: the same file and the same claim
    const t = target('', '', 42);
    const bySlice = await runSearch({ target: t, profile, space, workers: 2, timeLimit: Infinity, seed: 1 });
    const byFamily = await runSearch({ target: t, profile, space, workers: 2, timeLimit: Infinity, seed: 1, units: families });
    // the same size; where a file exists the parts' first files may differ from the family's (the best of them wins)
    expect(bySlice.best?.size).toBe(byFamily.best?.size);
    expect(works(t, fromHex(bySlice.best!.hex))).toBe(true);
    const claim = (o: typeof bySlice) => completeness(o.results, o.unitsTotal, o.best, space, o.interrupted);
    expect(claim(bySlice)).toEqual(claim(byFamily));
    expect(bySlice.results.length).toBe(slices.length);
  }, 300_000);
});
