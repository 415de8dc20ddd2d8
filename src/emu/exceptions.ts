/**
 * The architectural exceptions the interpreter stops with. The CPU only says which exception it
 * raised (and for #PF at which address and why the translation failed); how an operating system
 * delivers each one to the process is the OS model's business (linux/traps.ts for Linux).
 */
import type { Access } from './memory.js';

/** Exception vectors (Intel SDM vol. 3, table 6-1) the interpreter raises. */
export const Vector = { DE: 0, DB: 1, BP: 3, OF: 4, UD: 6, SS: 12, GP: 13, PF: 14, AC: 17 } as const;

/**
 * Why a page translation failed, as the page tables and the OS's page-fault handler see it:
 * no page (or an address outside user space), a page whose protection forbids the access, or a
 * mapped page the handler cannot fill (its backing store has no data there).
 */
export const PageFaultCause = { notPresent: 0, protection: 1, noBacking: 2 } as const;
export type PageFaultCause = (typeof PageFaultCause)[keyof typeof PageFaultCause];

/**
 * An exception raised during an instruction, thrown by memory accesses (#PF from a Memory, #GP/#SS/
 * #AC from the CPU's own checks) and caught by the run loop.
 *
 * Not an Error subclass on purpose: faults are the normal end of countless candidate runs in a
 * search, and an Error captures a stack trace when it is made (a fifth of a walk's time went
 * there). The interpreter catches every one of them; should one escape, its message says what it is.
 */
export class Fault {
  // Declared, not defined: plain assignments in the constructor (no per-field define), as faults
  // are made by the million.
  declare readonly vector: number;
  /** The faulting address for #PF; 0 for the others (the kernel reports none). */
  declare readonly address: number;
  declare readonly access: Access;
  /** A PageFaultCause for #PF, 0 otherwise. */
  declare readonly cause: number;

  constructor(vector: number, address: number, access: Access, cause: number) {
    this.vector = vector;
    this.address = address;
    this.access = access;
    this.cause = cause;
  }

  /** On the prototype, not each instance: a fault is made per failed candidate run. */
  get name(): string {
    return 'Fault';
  }

  get message(): string {
    return `exception ${this.vector} on ${this.access} at 0x${this.address.toString(16)}`;
  }

  toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

/**
 * What `int n` from user mode (CPL 3) does under the OS's interrupt descriptor table: a gate
 * user code may not use raises #GP; a trap gate raises the exception of its vector after the
 * instruction (#BP, #OF); the system-call gate enters the kernel (the run stops for it).
 */
export const Gate = { kernelOnly: 0, exception: 1, systemCall: 2 } as const;
