import { describe, expect, it } from 'vitest';
import { BLOCK, tarHeader, writeTar, type TarMember } from '../../src/image/tar.js';
import { gnuTarAvailable, gnuTarExtract, gnuTarList, pythonAvailable, pythonTarList } from './tar-reader.js';

const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const members: TarMember[] = [
  { name: 'manifest.json', data: bytes(31), mode: 0o644 },
  { name: 'c', data: bytes(182, 2), mode: 0 },
  { name: 'dir/x', data: bytes(600, 3), mode: 0o755 },
];

/** The checksum rule every tar reader applies: byte sum with the checksum field read as spaces. */
function checksumOk(header: Uint8Array): boolean {
  const field = new TextDecoder().decode(header.subarray(148, 156)).replace(/[\0 ]+/g, '');
  let sum = 0;
  header.forEach((b, i) => (sum += i >= 148 && i < 156 ? 0x20 : b));
  return parseInt(field, 8) === sum;
}

const text = (h: Uint8Array, from: number, width: number): string => new TextDecoder().decode(h.subarray(from, from + width)).replace(/\0+$/, '');

describe('tar writer', () => {
  it('compact: V7 headers with only name, mode, size, checksum; every other byte NUL', () => {
    const h = tarHeader({ name: 'x', data: bytes(86), mode: 0o755 }, 'compact');
    expect(h.length).toBe(BLOCK);
    expect(checksumOk(h)).toBe(true);
    expect(text(h, 0, 100)).toBe('x');
    expect(text(h, 100, 8)).toBe('755');
    expect(text(h, 124, 12)).toBe('126'); // 86 in octal
    expect(h[156]).toBe(0); // V7 regular file
    const used = new Set<number>([0, 100, 101, 102, 124, 125, 126, ...Array.from({ length: 8 }, (_, i) => 148 + i)]);
    h.forEach((b, i) => {
      if (!used.has(i)) expect(b, `byte ${i}`).toBe(0);
    });
  });

  it('portable: ustar magic, zero-padded octal fields, typeflag 0', () => {
    const h = tarHeader({ name: 'x', data: bytes(86), mode: 0o755 }, 'portable');
    expect(checksumOk(h)).toBe(true);
    expect(text(h, 100, 8)).toBe('0000755');
    expect(text(h, 124, 12)).toBe('00000000126');
    expect(text(h, 257, 6)).toBe('ustar');
    expect(text(h, 263, 2)).toBe('00');
    expect(String.fromCharCode(h[156])).toBe('0');
  });

  it('compact archives pad every member but the last and have no end blocks', () => {
    const tar = writeTar(members, 'compact');
    expect(tar.length).toBe(3 * BLOCK + BLOCK + BLOCK + 600);
    // The last member's data ends the archive.
    expect(Array.from(tar.subarray(tar.length - 600))).toEqual(Array.from(members[2].data));
  });

  it('portable archives are padded and end with two zero blocks', () => {
    const tar = writeTar(members, 'portable');
    expect(tar.length).toBe(3 * BLOCK + BLOCK + BLOCK + 2 * BLOCK + 2 * BLOCK);
    expect(tar.subarray(tar.length - 2 * BLOCK).every((b) => b === 0)).toBe(true);
  });

  it('is deterministic', () => {
    expect(writeTar(members, 'compact')).toEqual(writeTar(members, 'compact'));
    expect(writeTar(members, 'portable')).toEqual(writeTar(members, 'portable'));
  });

  it('refuses names a loader could resolve outside the archive, or that do not fit', () => {
    expect(() => writeTar([{ name: '../x', data: bytes(1), mode: 0 }], 'compact')).toThrow(/relative path without/);
    expect(() => writeTar([{ name: '/x', data: bytes(1), mode: 0 }], 'compact')).toThrow(/relative path/);
    expect(() => writeTar([{ name: 'a'.repeat(101), data: bytes(1), mode: 0 }], 'compact')).toThrow(/longer than 100/);
    expect(() => writeTar([], 'compact')).toThrow(/at least one member/);
  });

  it.runIf(gnuTarAvailable)('GNU tar reads the portable archive and extracts the same bytes and modes', () => {
    const tar = writeTar(members, 'portable');
    const list = gnuTarList(tar);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(/-rwxr-xr-x 0\/0\s+600 1970-01-01 00:00 dir\/x/);
    const x = gnuTarExtract(tar, 'dir/x');
    expect(Array.from(x.data)).toEqual(Array.from(members[2].data));
    expect(x.mode).toBe(0o755);
  });

  it.runIf(gnuTarAvailable)('GNU tar refuses the compact archive (the unpadded last member), as the mode states', () => {
    const list = gnuTarList(writeTar(members, 'compact'));
    expect(list.status).not.toBe(0);
    expect(list.stderr).toMatch(/Unexpected EOF/);
  });

  it.runIf(pythonAvailable)("Python's tarfile reads the portable archive and refuses the compact one", () => {
    const portable = pythonTarList(writeTar(members, 'portable'));
    expect(portable.error).toBe('');
    expect(portable.members).toEqual([
      { name: 'manifest.json', size: 31, mode: 0o644 },
      { name: 'c', size: 182, mode: 0 },
      { name: 'dir/x', size: 600, mode: 0o755 },
    ]);
    expect(pythonTarList(writeTar(members, 'compact')).ok).toBe(false);
  });
});
