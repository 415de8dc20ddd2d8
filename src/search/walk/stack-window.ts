/**
 * The part of the stack a walk may write, with the provenance of every byte: a stack byte that a
 * copying instruction (`push qword [rcx+2]`) took from a file byte the walk has not chosen yet
 * carries that file offset as its tag. When a system call later reads the byte, the tag turns the
 * target's byte into a constraint on the file byte it came from; when the file byte is assigned in
 * the meantime, the copy takes its value. Untagged bytes are plain values.
 *
 * The window is saved per walk depth (bytes and tags), so backtracking restores it exactly.
 */
import type { AddressSpace } from '../../linux/memory.js';
import { PAGE_SIZE } from '../../linux/memory.js';

/** Bytes below the initial rsp the walk may push into, and above it that it may pop or overwrite. */
export const WINDOW_BELOW = 256;
export const WINDOW_ABOVE = 128;
const WINDOW = WINDOW_BELOW + WINDOW_ABOVE;

export class StackWindow {
  /** First address of the window. */
  readonly lo: number;
  /** One past the last address. */
  readonly hi: number;
  /** Current bytes of the window (kept equal to the process's stack pages). */
  private readonly pages: Uint8Array[] = [];
  private readonly firstPage: number;
  /** Per byte: file offset + 1 of the open file byte it is a copy of, or 0. */
  readonly tags: Int16Array = new Int16Array(WINDOW);
  /** Number of nonzero tags. */
  tagged = 0;
  private readonly savedBytes: Uint8Array;
  private readonly savedTags: Int16Array;
  private readonly savedCount: Int32Array;

  constructor(mem: AddressSpace, initialRsp: number, maxDepth: number) {
    this.lo = initialRsp - WINDOW_BELOW;
    this.hi = initialRsp + WINDOW_ABOVE;
    this.firstPage = Math.floor(this.lo / PAGE_SIZE);
    for (let p = this.firstPage; p <= Math.floor((this.hi - 1) / PAGE_SIZE); p++) {
      const page = mem.getPage(p);
      if (!page) throw new Error(`stack window page 0x${(p * PAGE_SIZE).toString(16)} is not mapped`);
      this.pages.push(page.data);
    }
    this.savedBytes = new Uint8Array(WINDOW * (maxDepth + 1));
    this.savedTags = new Int16Array(WINDOW * (maxDepth + 1));
    this.savedCount = new Int32Array(maxDepth + 1);
  }

  contains(address: number): boolean {
    return address >= this.lo && address < this.hi;
  }

  /** Byte at an address inside the window. */
  get(address: number): number {
    const p = Math.floor(address / PAGE_SIZE);
    return this.pages[p - this.firstPage]![address - p * PAGE_SIZE]!;
  }

  set(address: number, v: number): void {
    const p = Math.floor(address / PAGE_SIZE);
    this.pages[p - this.firstPage]![address - p * PAGE_SIZE] = v;
  }

  tag(address: number): number {
    return this.tags[address - this.lo]!;
  }

  setTag(address: number, t: number): void {
    const i = address - this.lo;
    const old = this.tags[i]!;
    if (old === t) return;
    if (old !== 0) this.tagged--;
    if (t !== 0) this.tagged++;
    this.tags[i] = t;
  }

  /** File byte `off` was assigned v: every copy of it takes the value and loses its tag. */
  fileByteAssigned(off: number, v: number): void {
    if (this.tagged === 0) return;
    const t = off + 1;
    for (let i = 0; i < WINDOW; i++) {
      if (this.tags[i] !== t) continue;
      this.tags[i] = 0;
      this.tagged--;
      this.set(this.lo + i, v);
    }
  }

  /** Copies the window's bytes to (save) or from (restore) `buffer` at `base`, page by page. */
  private copy(buffer: Uint8Array, base: number, save: boolean): void {
    let a = this.lo;
    let i = 0;
    while (a < this.hi) {
      const p = Math.floor(a / PAGE_SIZE);
      const data = this.pages[p - this.firstPage]!;
      const from = a - p * PAGE_SIZE;
      const n = Math.min(this.hi - a, PAGE_SIZE - from);
      if (save) buffer.set(data.subarray(from, from + n), base + i);
      else data.set(buffer.subarray(base + i, base + i + n), from);
      a += n;
      i += n;
    }
  }

  save(depth: number): void {
    const base = depth * WINDOW;
    this.copy(this.savedBytes, base, true);
    if (this.tagged !== 0 || this.savedCount[depth] !== 0) this.savedTags.set(this.tags, base);
    this.savedCount[depth] = this.tagged;
  }

  restore(depth: number): void {
    const base = depth * WINDOW;
    this.copy(this.savedBytes, base, false);
    if (this.tagged !== 0 || this.savedCount[depth] !== 0) this.tags.set(this.savedTags.subarray(base, base + WINDOW));
    this.tagged = this.savedCount[depth]!;
  }

  /** Hash of the window's bytes and tags from `from` up (what later code can still read). */
  hash(from: number): number {
    let h = 0x811c9dc5;
    const tags = this.tags;
    // page by page, so the per-byte work is two multiplications (this runs at every walk node)
    let a = Math.max(from, this.lo);
    while (a < this.hi) {
      const p = Math.floor(a / PAGE_SIZE);
      const data = this.pages[p - this.firstPage]!;
      const start = a - p * PAGE_SIZE;
      const end = Math.min(this.hi - p * PAGE_SIZE, PAGE_SIZE);
      for (let i = start, t = a - this.lo; i < end; i++, t++) {
        h = Math.imul(h ^ data[i]!, 0x01000193);
        h = Math.imul(h ^ tags[t]!, 0x01000193);
      }
      a += end - start;
    }
    return h >>> 0;
  }
}
