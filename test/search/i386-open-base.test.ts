/**
 * ELF32 ET_EXEC layouts whose load address the code chooses (layout.ts openBaseLayouts), the
 * linked board that keeps p_vaddr, e_entry and p_offset naming one base (walk/board.ts
 * LinkedBoard), and the walk that moves to the base once its bytes are placed (walk.ts). The
 * rules are checked against the loader itself; nothing here reads corpus/programs or
 * corpus/published: the walk starts from the loader rules and the target.
 */
import { describe, expect, it } from 'vitest';
import { checkExec, mapSegments } from '../../src/linux/loader.js';
import { runEmulated } from '../../src/linux/emulate.js';
import { ET_DYN, ET_EXEC } from '../../src/linux/elf.js';
import { AddressSpace } from '../../src/linux/memory.js';
import { IA32, processProfile } from '../../src/linux/personality.js';
import { DEFAULT_PROFILE, PROFILES } from '../../src/linux/profile.js';
import { INT80_32 } from '../../src/search/abi.js';
import { openBaseLayouts, type Layout } from '../../src/search/layout.js';
import { loaderVerdict } from '../../src/search/process.js';
import { LinkedBoard } from '../../src/search/walk/board.js';
import { Walk } from '../../src/search/walk/walk.js';
import { emulatorRunner } from '../../src/verify/machine.js';
import { verifyFile, verifyOptionsFor } from '../../src/verify/verify.js';
import { FILE_PLACEHOLDER, type Target } from '../../src/targets/target.js';

const profile = DEFAULT_PROFILE;
const limits = { mmapMinAddr: profile.mmapMinAddr, taskSize: IA32.taskSize(profile), commitLimitBytes: profile.commitLimitBytes };
const options = { limits, verdict: loaderVerdict(profile), personality: IA32 };
const hello = new TextEncoder().encode('Hello, World!\n');
/** A 32-bit process's stack, as the loader test places it (132 KiB below a randomized top). */
const STACK_TOP = IA32.taskSize(profile) - 0x100000;
const STACK_LOW = STACK_TOP - 0x21000;

/** Where the loader maps file offset 0 and where it enters, or null when it refuses the file. */
function loaded(file: Uint8Array): { base: number; entry: number } | null {
  const checked = checkExec(file, profile);
  if (checked.kind !== 'ok') return null;
  const mem = new AddressSpace();
  mem.map(STACK_LOW, STACK_TOP - STACK_LOW, 3);
  const r = mapSegments(checked.exe, mem, profile, { mmapBase: STACK_TOP - 0x10000000, stackLow: STACK_LOW, stackTop: STACK_TOP });
  if (r.kind !== 'loaded') return null;
  const ph = checked.exe.phdrs[0]!;
  return { base: r.bias + ph.vaddr - ph.offset, entry: r.entry };
}

/** The file the board builds after assigning `values` (offset -> byte) through its links. */
function linked(layout: Layout, values: [number, number][]): Uint8Array | null {
  const board = new LinkedBoard(layout, layout.openBase!.links);
  for (const [off, v] of values) {
    if (board.isOpen(off)) {
      if (!board.canTake(off, v)) return null;
      board.set(off, v);
    } else if (board.peek(off) !== v) return null;
  }
  return board.snapshot();
}

describe('open load address layouts', () => {
  const layouts = openBaseLayouts(4, ET_EXEC, 60, options);

  it('exist for the P=4 ET_EXEC ELF32 layout at every entry, and never for ELF64 or ET_DYN', () => {
    expect(layouts.map((l) => l.entryOffset)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(openBaseLayouts(4, ET_EXEC, 60, { ...options, personality: undefined })).toEqual([]);
    expect(openBaseLayouts(4, ET_DYN, 60, options)).toEqual([]);
    const l = layouts[37]!;
    // p_vaddr 12-15 and e_entry 25-27 are open (24 is the entry offset), p_offset's high bytes stay 0
    for (const off of [12, 13, 14, 15, 25, 26, 27, 8, 9, 20, 21, 22, 23]) expect(l.allowed[off] === null || l.allowed[off]!.length > 1).toBe(true);
    expect(l.allowed[24]).toEqual(Uint8Array.of(37));
    expect(l.allowed[10]).toEqual(Uint8Array.of(0));
    expect(l.allowed[11]).toEqual(Uint8Array.of(0));
    expect(l.loaderRead).toEqual(expect.arrayContaining([8, 9, 12, 13, 14, 15, 20, 21, 22, 23, 25, 26, 27]));
  });

  it('name one base: for every value of each base byte the loader takes, it maps file offset 0 there and enters at base + e', () => {
    const l = layouts[37]!;
    const ob = l.openBase!;
    let accepted = 0;
    let refused = 0;
    for (const k of [1, 2, 3]) {
      for (let v = 0; v < 256; v++) {
        // p_filesz = 0x1000 - o (a page end: no bss zeroing), so the verdict is about the base alone
        const o = 0x43;
        const file = linked(l, [[ob.vaddrAt, o], [ob.vaddrAt + k, v], [20, 0xbd], [21, 0x0f], [22, 0], [23, 0]]);
        expect(file).not.toBeNull();
        const b1 = file![ob.vaddrAt + 1]! & 0xf0;
        const base = file![ob.vaddrAt + 3]! * 0x1000000 + file![ob.vaddrAt + 2]! * 0x10000 + b1 * 0x100;
        // the links wrote e_entry and p_offset from p_vaddr
        expect(file![ob.entryAt + 1]).toBe(b1);
        expect(file![ob.entryAt + 2]).toBe(file![ob.vaddrAt + 2]);
        expect(file![ob.entryAt + 3]).toBe(file![ob.vaddrAt + 3]);
        expect(file![ob.offsetAt]).toBe(o);
        expect(file![ob.offsetAt + 1]).toBe(file![ob.vaddrAt + 1]! & 0x0f);
        const got = loaded(file!);
        // the loader's rules for this file: mmap_min_addr, and p_vaddr + p_memsz (= 2 * base + o + 37,
        // the end of the bss) below TASK_SIZE and clear of the stack
        const expectRefused = base < processProfile(profile, IA32).mmapMinAddr || 2 * base + o + 37 > STACK_LOW;
        expect(got === null).toBe(expectRefused);
        if (got === null) {
          refused++;
          continue;
        }
        accepted++;
        expect(got.base).toBe(base);
        expect(got.entry).toBe(base + 37);
      }
    }
    expect(accepted).toBeGreaterThan(600);
    expect(refused).toBeGreaterThan(0);
  });

  it('keep linked bytes agreeing: a value that contradicts a placed partner is refused, and undo reopens both', () => {
    const l = layouts[37]!;
    const board = new LinkedBoard(l, l.openBase!.links);
    const mark = board.mark();
    board.set(14, 0x24);
    expect(board.peek(26)).toBe(0x24);
    expect(board.canTake(26, 0x25)).toBe(false);
    board.set(25, 0xb0);
    // e_entry's nibble constrains p_vaddr's byte 13, whose low nibble is p_offset's
    expect(board.canTake(13, 0xa4)).toBe(false);
    expect(board.canTake(13, 0xb4)).toBe(true);
    expect(board.snapshot()[13]! & 0xf0).toBe(0xb0);
    board.undo(mark);
    for (const off of [14, 25, 26]) expect(board.isOpen(off)).toBe(true);
  });
});

describe('open load address walk', () => {
  it('finds a 60-byte hello on its own (P=4 ET_EXEC, entry 37) that the emulator runs, with the base the code chose', () => {
    const layout = openBaseLayouts(4, ET_EXEC, 60, options)[37]!;
    const t: Target = { name: 'hello', origin: 'test', description: 'test', stdout: hello, stderr: new Uint8Array(0), exitCode: 0, argv: [FILE_PLACEHOLDER], stdin: new Uint8Array(0), env: 'any' };
    const run = emulatorRunner(profile);
    let candidates = 0;
    const r = Walk.run(layout, { stdout: hello, stderr: new Uint8Array(0), exitCode: 0 }, {
      profile, argc: 1, abis: [INT80_32], maxPathSteps: 80, nodeLimit: 0, stopped: () => false,
      accept: (f) => {
        candidates++;
        return verifyFile(run, f, t, { ...verifyOptionsFor(profile), stopAtFirstFailure: true, maxSteps: 10_000 }).pass;
      },
    });
    expect(r.file).not.toBeNull();
    // every candidate the walk offered ran as the walk said (no stale base)
    expect(candidates).toBe(1);
    const file = r.file!;
    expect(file.length).toBe(60);
    const got = loaded(file);
    expect(got).not.toBeNull();
    expect(got!.base).not.toBe(layout.base);
    const out = runEmulated(file, { seed: 3 }, profile);
    expect(out.outcome).toBe('exited');
    expect(out.exitCode).toBe(0);
    expect(new TextDecoder().decode(out.stdout)).toBe('Hello, World!\n');
    expect(runEmulated(file, { seed: 3 }, PROFILES['no-ia32']!).outcome).toBe('exec-failed');
  }, 120_000);

  it('walks nothing where the stream has no room whole in the file (59 bytes: no file buffer of 14 bytes)', () => {
    for (const layout of openBaseLayouts(4, ET_EXEC, 59, options)) {
      const r = Walk.run(layout, { stdout: hello, stderr: new Uint8Array(0), exitCode: 0 }, {
        profile, argc: 1, abis: [INT80_32], maxPathSteps: 80, nodeLimit: 0, stopped: () => false, accept: () => true,
      });
      expect(r.file).toBeNull();
      expect(r.exhausted).toBe(true);
    }
  });
});
