/**
 * What the operating system running the user-mode CPU decides, given to the CPU when it is made
 * (linux/traps.ts makes Linux's): the interrupt gates user code may use, and the OS's reaction
 * to first touches of pages (demand paging can make a first touch end the process).
 */

export interface PageTouches {
  /** Misaligned accesses skip #AC while this is set (cleared by the CPU once rsp is canonical). */
  alignmentCheckSuspended: boolean;
  /** Page of the last data access noted: the CPU skips noteData for it (the common case). */
  lastPage: number;
  reset(): void;
  /** The initial rsp, told before the first instruction. */
  setInitialStack(rsp: number): void;
  /** An instruction fetch from `page`. */
  noteFetch(page: number): void;
  /** A data access to `page`; true if it raises #GP. */
  noteData(page: number, rspCanonical: boolean): boolean;
}

export interface Platform {
  /** Per vector 0..255: a Gate (exceptions.ts), what `int n` does in user mode. */
  readonly userGates: Uint8Array;
  readonly touches: PageTouches;
}
