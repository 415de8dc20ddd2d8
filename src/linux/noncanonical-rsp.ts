/**
 * What the reference host does when a program touches a page for the first time while its rsp is
 * non-canonical (e.g. after `bswap rsp`). Measured natively (Linux 6.18 guest on AMD EPYC, every
 * variant run 3 times with the same result; the x86 manual does not describe this, the host's
 * page-fault return path does):
 *
 * - The first data access to a page the process has not touched yet, made while rsp is
 *   non-canonical, is served, and from then on misaligned accesses with RFLAGS.AC set do NOT raise
 *   #AC as long as rsp stays non-canonical (`bswap rsp; mov eax,[data]; movsxd r8d,[data+0x81]`
 *   exits 0 with r8 loaded, whereas without the first touch, or with the page touched before the
 *   `bswap`, or with rsp made canonical again before the misaligned load, it dies with SIGBUS).
 *   Once rsp is canonical, #AC is back for good (making rsp non-canonical again does not suspend it).
 * - Every later such first touch in the same process dies with SIGSEGV (#GP, SI_KERNEL), even after
 *   a canonical phase in between. First touches with a canonical rsp do not count.
 * - Pages already touched: by any earlier data access or instruction fetch of the process, and the
 *   initial stack the kernel wrote (a read near the initial rsp does not count as a first touch).
 *   An anonymous page and a file page whose tail the loader zeroed both count as untouched.
 *
 * The CPU reports each data access's page; pages are remembered only when they differ from the last
 * one, so the common case costs one comparison. A first touch that kills raises #GP (SIGSEGV).
 */
import { PAGE_SIZE } from '../emu/memory.js';
import type { PageTouches } from '../emu/platform.js';

export class NonCanonicalRspTouches implements PageTouches {
  /** Misaligned accesses skip #AC (until rsp is canonical again). */
  alignmentCheckSuspended = false;
  /** Page of the last access noted (fast path). */
  lastPage = -1;

  private readonly touched = new Set<number>();
  private firstTouches = 0;
  /** Page of the initial rsp (the kernel-written stack is this page and the mapped pages above it). */
  private initialStackPage = -1;
  private stackTopPage = -1;

  /** isMapped tells whether a page is mapped (used once, to find the top of the kernel-written stack). */
  constructor(private readonly isMapped: (page: number) => boolean) {}

  reset(): void {
    this.touched.clear();
    this.lastPage = -1;
    this.firstTouches = 0;
    this.alignmentCheckSuspended = false;
    this.initialStackPage = -1;
    this.stackTopPage = -1;
  }

  /** Records the initial rsp (called before the first instruction). */
  setInitialStack(rsp: number): void {
    this.initialStackPage = Math.floor(rsp / PAGE_SIZE);
    this.stackTopPage = -1;
  }

  /** An instruction fetch populates its page without ever being a first touch of this kind. */
  noteFetch(page: number): void {
    this.touched.add(page);
  }

  /**
   * A data access to `page`. Returns true if the process must die (#GP, SIGSEGV).
   */
  noteData(page: number, rspCanonical: boolean): boolean {
    this.lastPage = page;
    const touched = this.touched;
    if (touched.has(page)) return false;
    touched.add(page);
    if (rspCanonical || this.inInitialStack(page)) return false;
    this.firstTouches++;
    if (this.firstTouches > 1) return true;
    this.alignmentCheckSuspended = true;
    return false;
  }

  private inInitialStack(page: number): boolean {
    if (this.initialStackPage < 0 || page < this.initialStackPage) return false;
    if (this.stackTopPage < 0) {
      let top = this.initialStackPage;
      // The initial stack (strings, pointers, auxv) is a few pages; the cap (in pages) only bounds the walk.
      while (top - this.initialStackPage < 4096 && this.isMapped(top + 1)) top++;
      this.stackTopPage = top;
    }
    return page <= this.stackTopPage;
  }
}
