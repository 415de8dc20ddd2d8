/**
 * The pipe write model against the results measured on Linux 6.18 (k readable bytes followed by an
 * unmapped page, the reader draining; see PipeWriter in src/linux/syscalls.ts). The corpus programs
 * pipe-write-* check the deterministic cases against the host kernel on every test run.
 */
import { describe, expect, it } from 'vitest';
import { AddressSpace, Prot } from '../../src/linux/memory.js';
import { PipeWriter, ProcessIo } from '../../src/linux/syscalls.js';

const EFAULT = -14;

describe('PipeWriter', () => {
  it.each([
    // [readable k, length, bytes written], first write on the pipe
    [0, 10, EFAULT],
    [100, 200, EFAULT],
    [4095, 5000, EFAULT],
    [4096, 5000, 4096],
    [4097, 5000, 4096],
    [8191, 9000, 4096],
    [8192, 9000, 8192],
    [8193, 9000, 8192],
    [4096, 4096, 4096],
    [4097, 4097, 4097],
    [0, 100000, EFAULT],
    [65535, 100000, 61440],
    [65536, 100000, 65536],
    [70000, 200000, 69632],
    [131077, 200000, 131072],
    [200000, 300000, 196608],
    [262144, 262145, 262144],
  ])('first write: %i readable of %i -> %i', (k, len, expected) => {
    expect(new PipeWriter().write(len, k)).toBe(expected);
  });

  it.each([
    // [previous write's length, readable k, length, bytes written]
    [10, 100, 200, EFAULT], // the merged part faults
    [10, 903, 5000, EFAULT],
    [10, 904, 5000, 904], // merged 904, then the first page faults
    [10, 4095, 5000, 904],
    [10, 4999, 5000, 904],
    [10, 5000, 5000, 5000],
    [10, 8000, 9000, 4904], // 808 merged, one page, then a fault
    [4000, 100, 96, 96],
    [4000, 95, 96, EFAULT],
    [8192, 100, 200, EFAULT], // the last page is full: no merge
    [8192, 5000, 9000, 4096],
  ])('after %i bytes: %i readable of %i -> %i', (previous, k, len, expected) => {
    const pipe = new PipeWriter();
    expect(pipe.write(previous, previous)).toBe(previous);
    expect(pipe.write(len, k)).toBe(expected);
  });

  it('drops the page that faulted: a later write merges into the buffer before it', () => {
    const pipe = new PipeWriter();
    expect(pipe.write(10, 10)).toBe(10);
    expect(pipe.write(4196, 200)).toBe(100);
    expect(pipe.write(5000, 4500)).toBe(904);
    const fresh = new PipeWriter();
    expect(fresh.write(100, 10)).toBe(EFAULT);
    expect(fresh.write(5000, 4500)).toBe(4096); // still an empty pipe: no merge
  });

  it('starts empty again after reset', () => {
    const pipe = new PipeWriter();
    pipe.write(10, 10);
    pipe.reset();
    expect(pipe.write(5000, 4500)).toBe(4096);
  });
});

describe('ProcessIo.write on a pipe', () => {
  it('captures exactly the bytes the kernel would have written', () => {
    const mem = new AddressSpace();
    mem.map(0x400000, 0x3000, Prot.read | Prot.write);
    for (let i = 0; i < 0x3000; i++) mem.write8(0x400000 + i, i & 0xff);
    const io = new ProcessIo();
    io.reset(new Uint8Array(0), 1);
    // 8193 readable bytes of a 12000-byte buffer starting 8193 bytes before the unmapped page.
    expect(io.write(mem, 2, 0x403000 - 8193, 12000)).toBe(8192);
    const expected = Uint8Array.from({ length: 8192 }, (_, i) => (0x3000 - 8193 + i) & 0xff);
    expect(io.stderrBytes).toEqual(expected);
    expect(io.stdoutBytes.length).toBe(0);
    // stdout is a separate pipe: still empty, so no merge.
    expect(io.write(mem, 1, 0x403000 - 4500, 5000)).toBe(4096);
  });
});
