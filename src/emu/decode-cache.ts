/**
 * Decoded instructions by start address, so a loop body is decoded once. Entries are grouped per
 * 4 KiB page (a Map lookup per page, an array index per instruction) with a one-page memo.
 *
 * Correctness rule: an entry is dropped whenever any byte it could span is written (self-modifying
 * code). An instruction is at most 15 bytes long, so a write at address A can only affect entries
 * starting in [A - 14, A].
 */
import type { Decoded } from '../x86/decoded.js';
import { PAGE_SIZE } from './memory.js';

/** Longest x86 instruction: the 15-byte limit. */
export const MAX_INSTRUCTION_LENGTH = 15;

/** A cached instruction: the decoder's result plus facts the interpreter derives once. */
export interface CachedInstruction {
  readonly d: Decoded;
  /** Address of the next instruction (start + length). */
  readonly next: number;
  /** The instruction has a memory operand (ModRM memory or moffs), whose address is computed per execution. */
  readonly hasMem: boolean;
  /** The memory operand is an a0-a3 absolute offset (memDisp/memDispHi unsigned halves). */
  readonly moffs: boolean;
  /**
   * Where a shift count comes from: 0 = the constant 1, 1 = CL, 2 = the imm8 (shift group and
   * shld/shrd); -1 for other instructions.
   */
  readonly countFrom: number;
}

/** Beyond this many cached pages, clear() drops the page arrays instead of keeping them for reuse. */
const MAX_KEPT_PAGES = 64;
/** Beyond this many entries set in one run (code rewriting itself in a loop), clear() drops everything. */
const MAX_TRACKED = 65536;

export class DecodeCache {
  private readonly pages = new Map<number, (CachedInstruction | undefined)[]>();
  /** Addresses set since the last clear(), so clearing costs the entries used, not whole pages. */
  private readonly used: number[] = [];
  private untracked = false;
  private memoPage = -1;
  private memoEntries: (CachedInstruction | undefined)[] | undefined = undefined;

  get(address: number): CachedInstruction | undefined {
    const p = Math.floor(address / PAGE_SIZE);
    if (p !== this.memoPage) {
      this.memoEntries = this.pages.get(p);
      this.memoPage = p;
    }
    const entries = this.memoEntries;
    return entries === undefined ? undefined : entries[address - p * PAGE_SIZE];
  }

  set(address: number, entry: CachedInstruction): void {
    const p = Math.floor(address / PAGE_SIZE);
    let entries = this.pages.get(p);
    if (entries === undefined) {
      entries = new Array<CachedInstruction | undefined>(PAGE_SIZE);
      this.pages.set(p, entries);
      if (p === this.memoPage) this.memoEntries = entries;
    }
    entries[address - p * PAGE_SIZE] = entry;
    if (this.used.length < MAX_TRACKED) this.used.push(address);
    else this.untracked = true;
  }

  /** A byte at `address` was written: drop every entry that could contain it. */
  invalidate(address: number): void {
    for (let a = address - (MAX_INSTRUCTION_LENGTH - 1); a <= address; a++) {
      const p = Math.floor(a / PAGE_SIZE);
      const entries = p === this.memoPage ? this.memoEntries : this.pages.get(p);
      if (entries !== undefined) entries[a - p * PAGE_SIZE] = undefined;
    }
  }

  /**
   * Forget every entry. The search re-runs files millions of times: page arrays are kept and only
   * the used slots are emptied, unless many distinct pages have accumulated.
   */
  clear(): void {
    if (this.untracked || this.pages.size > MAX_KEPT_PAGES) {
      this.pages.clear();
      this.untracked = false;
    } else {
      for (const address of this.used) {
        const p = Math.floor(address / PAGE_SIZE);
        this.pages.get(p)![address - p * PAGE_SIZE] = undefined;
      }
    }
    this.used.length = 0;
    this.memoPage = -1;
    this.memoEntries = undefined;
  }
}
