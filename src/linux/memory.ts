/**
 * The emulated process's address space: 4 KiB pages with protections, as the kernel maps them.
 *
 * Addresses are plain numbers (user space is below 2^47, exact in a double). Accesses that the
 * kernel would not allow throw a MemoryFault (a #PF; traps.ts says which signal the process gets:
 * SIGSEGV for unmapped or forbidden pages, SIGBUS for file pages wholly past the end of the file).
 * It is the CPU's Memory (emu/memory.ts).
 * A one-entry cache per access kind keeps repeated accesses to the same page cheap.
 *
 * Mappings are recorded as regions and their pages are only materialized when first touched, as
 * the kernel does: a file may map gigabytes of zero pages (a huge p_memsz) or a p_filesz far past
 * its end, and only the pages the program really touches cost memory. Later mappings replace
 * earlier ones (MAP_FIXED semantics); regions are searched newest first.
 */
import { Fault, PageFaultCause, Vector } from '../emu/exceptions.js';
import { PAGE_SIZE } from '../emu/memory.js';
import type { Access, Memory } from '../emu/memory.js';
import { signalOf, type Signal } from './traps.js';

export { PAGE_SIZE };

export const Prot = { none: 0, read: 1, write: 2, exec: 4 } as const;

export type { Access };

/** A #PF raised by this address space, with the signal Linux sends for it (traps.ts). */
export class MemoryFault extends Fault {
  constructor(cause: PageFaultCause, address: number, access: Access) {
    super(Vector.PF, address, access, cause);
  }

  override get name(): string {
    return 'MemoryFault';
  }

  get signal(): Signal {
    return signalOf(this.vector, this.cause);
  }

  override get message(): string {
    return `${this.signal} on ${this.access} at 0x${this.address.toString(16)}`;
  }
}

export interface Page {
  readonly data: Uint8Array;
  prot: number;
  /** A file page wholly past EOF: mapped, but any touch raises SIGBUS. */
  pastEof: boolean;
}

/** Lowest address above user space (4-level paging). */
export const TASK_SIZE = 0x7ffffffff000;

export function pageOf(address: number): number {
  return Math.floor(address / PAGE_SIZE);
}

/** A run of pages mapped by one call: zero-filled, or backed by a file's bytes (MAP_PRIVATE). */
interface Region {
  /** First and last page numbers (inclusive). */
  first: number;
  last: number;
  /** False for a hole that hides older regions (a protect() of an unmapped piece keeps it a hole). */
  mapped: boolean;
  prot: number;
  /** The file whose bytes back the region, or null for anonymous zero pages. */
  file: Uint8Array | null;
  /** File offset of page `first` (page aligned). */
  fileOffset: number;
}

export class AddressSpace implements Memory {
  private readonly pages = new Map<number, Page>();
  /** Regions in mapping order; lookups go newest first. */
  private regions: Region[] = [];
  /** Page buffers released by clear(), reused by the next run. */
  private readonly freeBuffers: Uint8Array[] = [];
  // One-entry caches: page number and its data for the last read/write/fetch that succeeded.
  private readPage = -1;
  private readData: Uint8Array = new Uint8Array(0);
  private writePage = -1;
  private writeData: Uint8Array = new Uint8Array(0);
  private fetchPage = -1;
  private fetchData: Uint8Array = new Uint8Array(0);
  /** Called after any write to an executable page, so decode caches can drop stale entries. */
  onCodeWrite: ((address: number) => void) | null = null;

  /** Forget every mapping (reuse the object for the next run). */
  clear(): void {
    for (const page of this.pages.values()) if (this.freeBuffers.length < 4096) this.freeBuffers.push(page.data);
    this.pages.clear();
    this.regions = [];
    this.invalidateCaches();
  }

  private invalidateCaches(): void {
    this.readPage = -1;
    this.writePage = -1;
    this.fetchPage = -1;
  }

  private newBuffer(): Uint8Array {
    const reused = this.freeBuffers.pop();
    if (reused) {
      reused.fill(0);
      return reused;
    }
    return new Uint8Array(PAGE_SIZE);
  }

  /** The newest region containing a page (mapped or a hole), or undefined. */
  private regionOf(pageNumber: number): Region | undefined {
    for (let i = this.regions.length - 1; i >= 0; i--) {
      const r = this.regions[i]!;
      if (pageNumber >= r.first && pageNumber <= r.last) return r;
    }
    return undefined;
  }

  /** The page, materializing it from its region on first touch; undefined if unmapped. */
  private lookup(pageNumber: number): Page | undefined {
    const existing = this.pages.get(pageNumber);
    if (existing) return existing;
    const region = this.regionOf(pageNumber);
    if (!region || !region.mapped) return undefined;
    const data = this.newBuffer();
    let pastEof = false;
    if (region.file) {
      const offset = region.fileOffset + (pageNumber - region.first) * PAGE_SIZE;
      if (offset >= region.file.length) pastEof = true;
      else data.set(region.file.subarray(offset, Math.min(offset + PAGE_SIZE, region.file.length)));
    }
    const page: Page = { data, prot: region.prot, pastEof };
    this.pages.set(pageNumber, page);
    return page;
  }

  /** Drop materialized pages of [first, last] (they are being replaced). */
  private dropPages(first: number, last: number): void {
    if (last - first + 1 <= this.pages.size) {
      for (let p = first; p <= last; p++) this.pages.delete(p);
    } else {
      for (const p of [...this.pages.keys()]) if (p >= first && p <= last) this.pages.delete(p);
    }
  }

  private addRegion(start: number, length: number, region: Omit<Region, 'first' | 'last'>): void {
    if (length <= 0) return;
    const first = pageOf(start);
    const last = pageOf(start + length - 1);
    this.dropPages(first, last);
    // Built field by field: an object spread here was a fifth of a whole emulated run's time.
    this.regions.push({ first, last, mapped: region.mapped, prot: region.prot, file: region.file, fileOffset: region.fileOffset });
    this.invalidateCaches();
  }

  /** True if any page of [start, start+length) is mapped. */
  overlaps(start: number, length: number): boolean {
    if (length <= 0) return false;
    const first = pageOf(start);
    const last = pageOf(start + length - 1);
    // Walk region boundaries instead of pages: a range may span billions of pages.
    let p = first;
    while (p <= last) {
      const r = this.regionOf(p);
      if (r?.mapped) return true;
      // Skip to the next page where the answer could change: the end of the covering region or the
      // start of the nearest region above p.
      let next = last + 1;
      if (r) next = Math.min(next, r.last + 1);
      for (const q of this.regions) if (q.first > p && q.first < next) next = q.first;
      p = next;
    }
    return false;
  }

  /** Map zero-filled pages covering [start, start+length), replacing whatever was there. */
  map(start: number, length: number, prot: number): void {
    this.addRegion(start, length, { mapped: true, prot, file: null, fileOffset: 0 });
  }

  /**
   * Map file pages covering [start, start+length) privately: page k holds the file's bytes from
   * `fileOffset + k*4096` (page aligned), bytes past EOF read as 0, and pages wholly past EOF
   * raise SIGBUS when touched. Replaces whatever was there.
   */
  mapFile(start: number, length: number, prot: number, file: Uint8Array, fileOffset: number): void {
    this.addRegion(start, length, { mapped: true, prot, file, fileOffset });
  }

  /** Change the protection of the mapped pages of a range (unmapped pages are skipped). */
  protect(start: number, length: number, prot: number): void {
    if (length <= 0) return;
    const first = pageOf(start);
    const last = pageOf(start + length - 1);
    // Re-add each overlapping piece of the older regions, clipped to the range, with the new
    // protection: newest-first lookup then sees the new protection everywhere in the range.
    const pieces: Region[] = [];
    for (const r of this.regions) {
      const a = Math.max(first, r.first);
      const b = Math.min(last, r.last);
      if (a > b) continue;
      pieces.push({ ...r, first: a, last: b, prot: r.mapped ? prot : r.prot, fileOffset: r.fileOffset + (a - r.first) * PAGE_SIZE });
    }
    this.regions.push(...pieces);
    for (const [p, page] of this.pages) if (p >= first && p <= last) page.prot = prot;
    this.invalidateCaches();
  }

  /** Mark a mapped page as lying wholly past the end of its file (SIGBUS on touch). */
  markPastEof(pageNumber: number): void {
    const page = this.lookup(pageNumber);
    if (page) page.pastEof = true;
    this.invalidateCaches();
  }

  /** The page (materialized on demand), or undefined if unmapped. */
  getPage(pageNumber: number): Page | undefined {
    return this.lookup(pageNumber);
  }

  /**
   * Moves a materialized page to another page number (the search's load address, chosen after
   * the process started): the old number becomes a hole, the new one shows the same page.
   * Returns what unmove() needs; moves must be undone in reverse order.
   */
  movePage(from: number, to: number): { from: number; to: number; page: Page; before: Page | undefined } | null {
    const page = this.lookup(from);
    if (!page) return null;
    const before = this.pages.get(to);
    this.regions.push({ first: from, last: from, mapped: false, prot: 0, file: null, fileOffset: 0 });
    this.pages.delete(from);
    this.pages.set(to, page);
    this.invalidateCaches();
    return { from, to, page, before };
  }

  /** Undoes the last movePage(). */
  unmovePage(moved: { from: number; to: number; page: Page; before: Page | undefined }): void {
    this.regions.pop();
    if (moved.before) this.pages.set(moved.to, moved.before);
    else this.pages.delete(moved.to);
    this.pages.set(moved.from, moved.page);
    this.invalidateCaches();
  }

  /** Number of pages materialized so far (touched or filled by the loader), for reports and tests. */
  get pageCount(): number {
    return this.pages.size;
  }

  /**
   * The end of the nearest mapping below `limit` (its highest address plus one), or 0 if nothing
   * is mapped below. The stack's guard gap is measured from it.
   */
  mappedEndBelow(limit: number): number {
    const limitPage = pageOf(limit);
    let best = 0;
    for (const r of this.regions) {
      if (r.mapped && r.first < limitPage) best = Math.max(best, Math.min(r.last + 1, limitPage) * PAGE_SIZE);
    }
    return best;
  }

  /** Copy bytes into memory regardless of protection (what the kernel does when it fills pages). */
  poke(address: number, bytes: Uint8Array): void {
    let n = 0;
    while (n < bytes.length) {
      const a = address + n;
      const page = this.lookup(pageOf(a));
      if (!page) throw new Error(`poke into unmapped page at 0x${a.toString(16)}`);
      const off = a % PAGE_SIZE;
      const take = Math.min(bytes.length - n, PAGE_SIZE - off);
      page.data.set(bytes.subarray(n, n + take), off);
      n += take;
    }
  }

  private resolve(address: number, need: number, access: Access): Uint8Array {
    const page = address >= 0 && address < TASK_SIZE ? this.lookup(pageOf(address)) : undefined;
    if (!page) throw new MemoryFault(PageFaultCause.notPresent, address, access);
    if (page.pastEof) {
      // A page past EOF is never present, so the kernel takes a not-present fault. Its permission
      // check (arch/x86/mm/fault.c, access_error) then only asks that a write hit a writable mapping
      // and that a read or an instruction fetch hit an accessible one; the fetch's exec permission is
      // only checked once a page is present. So the file's missing page (SIGBUS) wins over NX.
      // Measured by the header fuzz: a R-only or W-only segment whose p_offset lies past EOF dies
      // with SIGBUS at the entry point, not SIGSEGV.
      const permitted = access === 'write' ? (page.prot & Prot.write) !== 0 : page.prot !== Prot.none;
      throw new MemoryFault(permitted ? PageFaultCause.noBacking : PageFaultCause.protection, address, access);
    }
    if ((page.prot & need) === 0) throw new MemoryFault(PageFaultCause.protection, address, access);
    return page.data;
  }

  read8(address: number): number {
    const p = Math.floor(address / PAGE_SIZE);
    if (p !== this.readPage) {
      this.readData = this.resolve(address, Prot.read, 'read');
      this.readPage = p;
    }
    return this.readData[address - p * PAGE_SIZE]!;
  }

  write8(address: number, value: number): void {
    const p = Math.floor(address / PAGE_SIZE);
    if (p !== this.writePage) {
      this.writeData = this.resolve(address, Prot.write, 'write');
      this.writePage = p;
      const page = this.pages.get(p)!;
      if (page.prot & Prot.exec) this.writePage = -2 - p; // executable page: never cache, always notify
    }
    this.writeData[address - p * PAGE_SIZE] = value;
    if (this.writePage < -1 && this.onCodeWrite) this.onCodeWrite(address);
    if (this.writePage < -1) this.writePage = -1;
  }

  /** Instruction fetch: needs PROT_EXEC (on x86-64, readable is not executable for 64-bit files). */
  fetch8(address: number): number {
    const p = Math.floor(address / PAGE_SIZE);
    if (p !== this.fetchPage) {
      this.fetchData = this.resolve(address, Prot.exec, 'exec');
      this.fetchPage = p;
    }
    return this.fetchData[address - p * PAGE_SIZE]!;
  }

  /** Little-endian unsigned 16-bit read. Page-crossing accesses check both pages. */
  read16(address: number): number {
    return this.read8(address) | (this.read8(address + 1) << 8);
  }

  /** Little-endian 32-bit read, returned unsigned. */
  read32(address: number): number {
    const off = address % PAGE_SIZE;
    if (off <= PAGE_SIZE - 4) {
      this.read8(address); // fills the cache and checks permission for the page
      const d = this.readData;
      return (d[off]! | (d[off + 1]! << 8) | (d[off + 2]! << 16) | (d[off + 3]! << 24)) >>> 0;
    }
    return (this.read8(address) | (this.read8(address + 1) << 8) | (this.read8(address + 2) << 16) | (this.read8(address + 3) << 24)) >>> 0;
  }

  write16(address: number, value: number): void {
    this.checkWritable(address, 2);
    this.write8(address, value & 0xff);
    this.write8(address + 1, (value >>> 8) & 0xff);
  }

  write32(address: number, value: number): void {
    this.checkWritable(address, 4);
    this.write8(address, value & 0xff);
    this.write8(address + 1, (value >>> 8) & 0xff);
    this.write8(address + 2, (value >>> 16) & 0xff);
    this.write8(address + 3, (value >>> 24) & 0xff);
  }

  /**
   * A multi-byte store either happens whole or faults before changing anything, as on the CPU:
   * check the last byte's page before writing the first (the first byte is checked by write8).
   */
  checkWritable(address: number, size: number): void {
    const lastByte = address + size - 1;
    if (pageOf(lastByte) !== pageOf(address)) this.resolve(lastByte, Prot.write, 'write');
  }

  /** True if the kernel could read this byte on the process's behalf (copy_from_user). */
  private userReadable(page: Page | undefined): page is Page {
    return page !== undefined && (page.prot & Prot.read) !== 0 && !page.pastEof;
  }

  /**
   * Read up to `length` bytes as the kernel's copy_from_user does: stop at the first byte that
   * cannot be read, returning what was copied before it (the caller decides between a short
   * count and -EFAULT).
   */
  readAvailable(address: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let n = 0;
    while (n < length) {
      const a = address + n;
      const page = a >= 0 && a < TASK_SIZE ? this.lookup(pageOf(a)) : undefined;
      if (!this.userReadable(page)) break;
      const off = a % PAGE_SIZE;
      const take = Math.min(length - n, PAGE_SIZE - off);
      out.set(page.data.subarray(off, off + take), n);
      n += take;
    }
    return n === length ? out : out.subarray(0, n);
  }

  /** True if the kernel could write all of [address, address + length) for the process (copy_to_user). */
  writable(address: number, length: number): boolean {
    for (let a = address; a < address + length; a = (Math.floor(a / PAGE_SIZE) + 1) * PAGE_SIZE) {
      const page = a >= 0 && a < TASK_SIZE ? this.lookup(pageOf(a)) : undefined;
      if (!page || (page.prot & Prot.write) === 0 || page.pastEof) return false;
    }
    return true;
  }

  /**
   * Write bytes as the kernel's copy_to_user does: stop at the first byte that cannot be written
   * and return how many were written before it.
   */
  writeAvailable(address: number, bytes: Uint8Array): number {
    let n = 0;
    while (n < bytes.length) {
      const a = address + n;
      const page = a >= 0 && a < TASK_SIZE ? this.lookup(pageOf(a)) : undefined;
      if (!page || (page.prot & Prot.write) === 0 || page.pastEof) break;
      const off = a % PAGE_SIZE;
      const take = Math.min(bytes.length - n, PAGE_SIZE - off);
      page.data.set(bytes.subarray(n, n + take), off);
      if (page.prot & Prot.exec && this.onCodeWrite) for (let i = 0; i < take; i++) this.onCodeWrite(a + i);
      n += take;
    }
    this.invalidateCaches();
    return n;
  }
}
