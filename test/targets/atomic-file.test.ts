// Outputs, records and archives are written through one atomic writer (src/targets/atomic-file.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSpecialFile, writeFileAtomic } from '../../src/targets/atomic-file.js';

const dir = mkdtempSync(join(tmpdir(), 'golf-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces a regular file whole, with the mode asked for, and leaves no temporary file', () => {
    const path = join(dir, 'out');
    writeFileSync(path, 'old');
    writeFileAtomic(path, Uint8Array.of(1, 2, 3), 0o755);
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o755);
    expect(readdirSync(dir)).toEqual(['out']);
  });

  it('writes into a special file in place: /dev/null stays a device, a FIFO stays a FIFO', () => {
    expect(isSpecialFile('/dev/null')).toBe(true);
    writeFileAtomic('/dev/null', 'x', 0o755);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // a reader on the other end, so the in-place write can finish
    const reader = execFileSync('sh', ['-c', `cat "${fifo}" > "${fifo}.got" 2>/dev/null < /dev/null & echo $!`], { encoding: 'utf8' });
    writeFileAtomic(fifo, 'through the fifo');
    execFileSync('sh', ['-c', `while kill -0 ${reader.trim()} 2>/dev/null; do sleep 0.05; done`]);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(`${fifo}.got`, 'utf8')).toBe('through the fifo');
  });
});
