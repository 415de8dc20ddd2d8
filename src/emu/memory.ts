/**
 * What the CPU needs of memory: byte/word/dword accesses that either succeed or throw a #PF Fault
 * (exceptions.ts), and a hook told of writes to executable pages (to drop decoded instructions).
 * The Linux process's address space (linux/memory.ts) implements it.
 */

/** The x86 page size (4 KiB pages; golf models no large pages). */
export const PAGE_SIZE = 4096;

export type Access = 'read' | 'write' | 'exec';

export interface Memory {
  /** Instruction fetch (needs execute permission). */
  fetch8(address: number): number;
  read8(address: number): number;
  read16(address: number): number;
  read32(address: number): number;
  write8(address: number, value: number): void;
  write16(address: number, value: number): void;
  write32(address: number, value: number): void;
  /** Throws the fault a write of `size` bytes at address would raise, before anything is written. */
  checkWritable(address: number, size: number): void;
  /** Told of every byte written to an executable page (self-modifying code). */
  onCodeWrite: ((address: number) => void) | null;
}
