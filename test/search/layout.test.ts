import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { fixedBoard, layoutSpace, smallestCompatible, solveLayouts } from '../../src/search/layout.js';
import { loaderVerdict } from '../../src/search/process.js';

const profile = DEFAULT_PROFILE;
const options = {
  limits: { mmapMinAddr: profile.mmapMinAddr, taskSize: profile.taskSize, commitLimitBytes: profile.commitLimitBytes },
  verdict: loaderVerdict(profile),
};

describe('layout derivation', () => {
  it('P=24 EXEC: e_entry = p_type | p_flags << 32, so execution starts at offset 1 inside the magic', () => {
    const layouts = solveLayouts(24, 2, 80, options);
    expect(layouts.length).toBeGreaterThan(0);
    const l = layouts[0]!;
    expect(l.entryOffset).toBe(1);
    expect(l.pOffset).toBe(24);
    expect(l.base % 2 ** 32).toBe(0); // the base is p_flags << 32
    expect(l.base / 2 ** 32 & 1).toBe(1); // and p_flags has X
    // bytes 4..15 (e_ident padding) are free for code; the magic and e_type are not
    for (let i = 4; i < 16; i++) expect(l.allowed[i]).toBeNull();
    expect(l.allowed[0]).toEqual(Uint8Array.of(0x7f));
    expect(l.allowed[16]).toEqual(Uint8Array.of(2));
  });

  it('P=12 DYN: p_flags = e_type | e_machine << 16 (X|W) and the entry is offset 0 (7f 45 = jg)', () => {
    const layouts = solveLayouts(12, 3, 73, options);
    expect(layouts.map((l) => l.entryOffset)).toContain(0);
    const l = layouts.find((x) => x.entryOffset === 0)!;
    expect(l.pFlags).toBe(3);
    expect(l.pOffset).toBe(12);
    expect(l.base).toBe(12 * 2 ** 32);
    // p_memsz's low bytes (52, 53) only move the kernel-chosen load bias of a DYN file: free.
    expect(l.allowed[52]).toBeNull();
    expect(l.allowed[53]).toBeNull();
    // p_filesz may not reach a page wholly past EOF: zeroing the tail of a writable segment there fails.
    expect(l.allowed[46]).toEqual(Uint8Array.of(0));
  });

  it('rejects P=12 EXEC (p_flags = 2 has no X) and offsets whose fixed fields conflict', () => {
    expect(solveLayouts(12, 2, 80, options)).toEqual([]);
    expect(fixedBoard(16, 2, 100)).toBeNull(); // p_type would be e_type
    expect(fixedBoard(54, 2, 120)).toBeNull(); // p_type would overlap e_phentsize = 56
    expect(fixedBoard(24, 2, 80)).not.toBeNull();
  });

  it('every layout family that fits in 86 bytes is one of the overlapping ones', () => {
    const solvable = layoutSpace(86).filter((u) => solveLayouts(u.phoff, u.type, 86, options).length > 0);
    expect(solvable.map((u) => `${u.phoff}/${u.type}`)).toEqual(['12/3', '24/2', '24/3']);
  });

  it('smallestCompatible respects pinned bytes', () => {
    const board = new Int16Array(8).fill(-1);
    board[0] = 1;
    board[1] = 0;
    expect(smallestCompatible(board, 0, 56n)).toBe(0x10001n);
    expect(smallestCompatible(board, 0, 1n)).toBe(1n);
    board[7] = 0xff;
    expect(smallestCompatible(board, 0, 0n)).toBe(0xff00000000000001n);
  });
});

describe('loader-read bytes left open (what the walk re-checks as a combination)', () => {
  it('are the bytes of fields the loader reads with more than one allowed value, and a pair of them can be refused where each alone is accepted', () => {
    const verdict = loaderVerdict(profile);
    let refusedPairs = 0;
    for (const l of solveLayouts(12, 3, 80, options)) {
      const read = new Set(l.loaderRead);
      for (let i = 0; i < l.size; i++) {
        const open = l.allowed[i] === null || l.allowed[i]!.length > 1;
        const readByLoader = l.roles[i]!.some((name) => !['e_ident.rest', 'e_version', 'e_shoff', 'e_flags', 'e_ehsize', 'e_shentsize', 'e_shnum', 'e_shstrndx', 'p_paddr'].includes(name));
        expect(read.has(i), `offset ${i} (${l.roles[i]!.join(', ')})`).toBe(open && readByLoader);
      }
      // p_filesz and p_memsz (at 44 and 52 with the table at 12) are among them
      expect(l.loaderRead).toEqual(expect.arrayContaining([44, 52]));
      // two bytes of p_filesz, each value allowed alone, and pairs of them refused ("zeroing the end
      // of the last file page failed"): why the walk asks the loader again once all are assigned
      const values = (i: number): number[] => (l.allowed[i] === null ? Array.from({ length: 256 }, (_, v) => v) : [...l.allowed[i]!]);
      let refused = 0;
      for (const va of values(44)) {
        for (const vb of values(45)) {
          const image = l.image.slice();
          image[44] = va;
          image[45] = vb;
          if (!verdict(image).startsWith('ok')) refused++;
        }
      }
      if (refused > 0) refusedPairs++;
    }
    // both layouts (p_filesz fitting the file, and reaching its page end)
    expect(refusedPairs).toBe(2);
  });
});
