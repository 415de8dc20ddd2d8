/**
 * The emulated process's address space: 4 KiB pages with protections, as the kernel maps them.
 *
 * Addresses are plain numbers (user space is below 2^47, exact in a double). Accesses that the
 * kernel would not allow throw a MemoryFault carrying the signal the process would receive:
 * SIGSEGV for unmapped or forbidden pages, SIGBUS for file pages wholly past the end of the file.
 * A one-entry cache per access kind keeps repeated accesses to the same page cheap.
 */

export const PAGE_SIZE = 4096;

export const Prot = { none: 0, read: 1, write: 2, exec: 4 } as const;

export type Access = 'read' | 'write' | 'exec';

export class MemoryFault extends Error {
  constructor(
    readonly signal: 'SIGSEGV' | 'SIGBUS',
    readonly address: number,
    readonly access: Access,
  ) {
    super(`${signal} on ${access} at 0x${address.toString(16)}`);
    this.name = 'MemoryFault';
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

export class AddressSpace {
  private readonly pages = new Map<number, Page>();
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
    this.pages.clear();
    this.invalidateCaches();
  }

  private invalidateCaches(): void {
    this.readPage = -1;
    this.writePage = -1;
    this.fetchPage = -1;
  }

  /** True if any page of [start, start+length) is mapped. */
  overlaps(start: number, length: number): boolean {
    if (length <= 0) return false;
    const last = pageOf(start + length - 1);
    for (let p = pageOf(start); p <= last; p++) if (this.pages.has(p)) return true;
    return false;
  }

  /** Map zero-filled pages covering [start, start+length), replacing whatever was there. */
  map(start: number, length: number, prot: number): void {
    if (length <= 0) return;
    const last = pageOf(start + length - 1);
    for (let p = pageOf(start); p <= last; p++) {
      this.pages.set(p, { data: new Uint8Array(PAGE_SIZE), prot, pastEof: false });
    }
    this.invalidateCaches();
  }

  /** Change the protection of the mapped pages of a range (unmapped pages are skipped). */
  protect(start: number, length: number, prot: number): void {
    if (length <= 0) return;
    const last = pageOf(start + length - 1);
    for (let p = pageOf(start); p <= last; p++) {
      const page = this.pages.get(p);
      if (page) page.prot = prot;
    }
    this.invalidateCaches();
  }

  /** Mark a mapped page as lying wholly past the end of its file (SIGBUS on touch). */
  markPastEof(pageNumber: number): void {
    const page = this.pages.get(pageNumber);
    if (page) page.pastEof = true;
    this.invalidateCaches();
  }

  getPage(pageNumber: number): Page | undefined {
    return this.pages.get(pageNumber);
  }

  /** Number of mapped pages (for reports and tests). */
  get pageCount(): number {
    return this.pages.size;
  }

  /** Copy bytes into memory regardless of protection (what the kernel does when it fills pages). */
  poke(address: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) {
      const a = address + i;
      const page = this.pages.get(pageOf(a));
      if (!page) throw new Error(`poke into unmapped page at 0x${a.toString(16)}`);
      page.data[a % PAGE_SIZE] = bytes[i]!;
    }
  }

  private resolve(address: number, need: number, access: Access): Uint8Array {
    const page = address >= 0 && address < TASK_SIZE ? this.pages.get(pageOf(address)) : undefined;
    if (!page || (page.prot & need) === 0) throw new MemoryFault('SIGSEGV', address, access);
    if (page.pastEof) throw new MemoryFault('SIGBUS', address, access);
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
      const page = a >= 0 && a < TASK_SIZE ? this.pages.get(pageOf(a)) : undefined;
      if (!page || (page.prot & Prot.read) === 0 || page.pastEof) break;
      const off = a % PAGE_SIZE;
      const take = Math.min(length - n, PAGE_SIZE - off);
      out.set(page.data.subarray(off, off + take), n);
      n += take;
    }
    return n === length ? out : out.subarray(0, n);
  }
}
