// `golf disasm` through the compiled CLI (bin/golf.js after `npx tsc -p .`): listing, JSON, and
// one-line errors with exit code 2 (input errors, as for every command).
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tempDir } from '../helpers/temp.js';

const bin = new URL('../../bin/golf.js', import.meta.url).pathname;
let out = '';
let err = '';

const dir = tempDir('golf-disasm-');
const code = join(dir, 'code.bin');
writeFileSync(code, Buffer.from('4831c0b03c0f0506c5f877ebfe48', 'hex'));
const empty = join(dir, 'empty.bin');
writeFileSync(empty, new Uint8Array(0));
function run(...args: string[]): number {
  const r = spawnSync(process.execPath, [bin, 'disasm', ...args], { encoding: 'utf8' });
  out = r.stdout;
  err = r.stderr;
  return r.status ?? -1;
}

describe('golf disasm', () => {
  it('lists offset, bytes and text, marking invalid, unsupported and truncated bytes', () => {
    expect(run(code)).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^00000000 {2}48 31 c0 +xor rax,rax$/);
    expect(lines.find((l) => l.startsWith('00000007'))).toMatch(/db 0x06 +; invalid instruction/);
    expect(lines.find((l) => l.startsWith('00000008'))).toMatch(/vzeroupper +; unsupported by golf/);
    expect(lines.at(-1)).toMatch(/truncated/);
  });
  it('--json --bits 32 --start', () => {
    expect(run(code, '--bits', '32', '--start', '0x3', '--json')).toBe(0);
    const listing = JSON.parse(out) as { offset: number; bytes: string; status: string; text: string }[];
    expect(listing[0]).toMatchObject({ offset: 3, bytes: 'b03c', status: 'ok', text: 'mov al,3Ch' });
    // 0f 05 is syscall, outside golf's table in 32-bit mode; 06 is push es there.
    expect(listing[1]).toMatchObject({ bytes: '0f05', status: 'unsupported' });
    expect(listing[2]).toMatchObject({ bytes: '06', status: 'unsupported' });
  });
  it('decodes an i386 ELF file as 32-bit code by default (--bits auto)', () => {
    const tiny = new URL('../../corpus/published/raiter-tiny-exit42-45', import.meta.url).pathname;
    expect(run(tiny, '--start', '0x20', '--base', '0x10000', '--json')).toBe(0);
    const listing = JSON.parse(out) as { text: string }[];
    expect(listing.slice(0, 4).map((l) => l.text)).toEqual(['mov bl,2Ah', 'xor eax,eax', 'inc eax', 'int 80h']);
    // The same bytes as 64-bit code: 40 is a REX prefix.
    expect(run(tiny, '--start', '0x20', '--bits', '64', '--json')).toBe(0);
    expect((JSON.parse(out) as { text: string }[])[2]!.text).toBe('int 80h');
    expect(run(code, '--json')).toBe(0);
    expect((JSON.parse(out) as { text: string }[])[0]!.text).toBe('xor rax,rax');
  });
  it.each([
    ['a missing file', join(dir, 'nope'), /no such file/],
    ['a directory', dir, /is a directory/],
    ['an empty file', empty, /is empty/],
  ])('%s gives one line on stderr and exit code 2', (_what, file, message) => {
    expect(run(file)).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
  it('rejects bad --bits', () => {
    expect(run(code, '--bits', '16')).toBe(2);
    expect(err).toMatch(/--bits must be auto, 64 or 32/);
  });
});

describe('golf disasm into a closed pipe', () => {
  it('stops quietly when the reader goes away (`| head -1`)', () => {
    const big = join(dir, 'big.bin');
    writeFileSync(big, new Uint8Array(200_000).fill(0x90));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${bin}" disasm "${big}" | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toBe('status=0');
  });
});
