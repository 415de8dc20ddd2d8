/** `golf asm`: output, and one line + exit 2 for every kind of unusable input. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runEmulated } from '../../src/linux/emulate.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('golf-asm-');
const seed = new URL('../../corpus/programs/seed-hello.asm', import.meta.url).pathname;
const seedBinary = new URL('../../corpus/programs/seed-hello', import.meta.url).pathname;

// The built CLI (npm test compiles first), run as a user runs it.
const bin = new URL('../../bin/golf.js', import.meta.url).pathname;
let stderr = '';
async function golf(...args: string[]): Promise<number> {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  stderr = r.stderr;
  return r.status ?? -1;
}

describe('golf asm', () => {
  it('assembles the seed program to the committed 164 bytes (nasm 2.16 output), executable', async () => {
    const out = join(dir, 'seed');
    expect(await golf('asm', seed, '-o', out)).toBe(0);
    const bytes = readFileSync(out);
    expect(bytes.length).toBe(164);
    expect(bytes.equals(readFileSync(seedBinary))).toBe(true);
    expect(statSync(out).mode & 0o111).not.toBe(0);
  });

  it('the seed program prints Hello, World! and exits 0 under golf\'s emulator', () => {
    const run = runEmulated(new Uint8Array(readFileSync(seedBinary)), { seed: 1 });
    expect(run.outcome).toBe('exited');
    expect(run.exitCode).toBe(0);
    expect(Buffer.from(run.stdout).toString()).toBe('Hello, World!\n');
  });

  const bad = (name: string, content: string | Buffer | null): string => {
    const p = join(dir, name);
    if (content !== null) writeFileSync(p, content);
    return p;
  };

  it.each([
    ['missing file', () => join(dir, 'nope.asm'), /no such file/],
    ['directory', () => dir, /is a directory/],
    ['empty file', () => bad('empty.asm', ''), /file is empty/],
    ['binary garbage', () => bad('garbage.asm', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe, 0x00, 0x01])), /not a text file/],
    ['NUL bytes in ASCII', () => bad('nul.asm', 'nop\0\n'), /not a text file/],
    ['assembly error', () => bad('err.asm', 'BITS 64\nmov eax, bl\n'), /err\.asm:2: invalid combination/],
  ])('%s: one line on stderr, exit 2', async (_n, path, pattern) => {
    expect(await golf('asm', path(), '-o', join(dir, 'out.bin'))).toBe(2);
    const text = stderr;
    expect(text).toMatch(pattern);
    expect(text.trim().split('\n')).toHaveLength(1);
  });
});
