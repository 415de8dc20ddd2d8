/**
 * The CPU of a Linux process: golf's interpreter with Linux's side of the boundary (its interrupt
 * gates, traps.ts, and its first-touch behaviour with a non-canonical rsp, noncanonical-rsp.ts).
 */
import { Cpu } from '../emu/cpu.js';
import type { Platform } from '../emu/platform.js';
import type { AddressSpace } from './memory.js';
import { NonCanonicalRspTouches } from './noncanonical-rsp.js';
import { LINUX_USER_GATES } from './traps.js';

/** What Linux decides for a CPU running a process in `mem`. */
export function linuxPlatform(mem: AddressSpace): Platform {
  return { userGates: LINUX_USER_GATES, touches: new NonCanonicalRspTouches((page) => mem.getPage(page) !== undefined) };
}

/** A CPU for a Linux process whose memory is `mem` (long mode, or compatibility mode for ELF32). */
export function processCpu(mem: AddressSpace, mode: 64 | 32): Cpu {
  return new Cpu(mem, mode, linuxPlatform(mem));
}
