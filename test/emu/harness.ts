// Runs hand-assembled machine code on a fresh Cpu: code at CODE (r-x unless writable code is
// asked for), a read-write stack page below STACK_TOP, and a read-write data page at DATA.
import { AddressSpace, Prot } from '../../src/linux/memory.js';
import { Cpu, Stop } from '../../src/emu/cpu.js';
import { processCpu } from '../../src/linux/process-cpu.js';
import { deliveredSignal } from '../../src/linux/traps.js';

export const CODE = 0x400000;
export const DATA = 0x600000;
export const STACK_TOP = 0x7ffff000;

/** signal: what Linux delivers for the exception the run stopped with (read after a Stop.exception). */
export interface Machine { cpu: Cpu; mem: AddressSpace; stop: number; readonly signal: string }

/** 64-bit register value as a BigInt (tests only). */
export function reg(cpu: Cpu, r: number): bigint {
  return (BigInt(cpu.regHi[r]!) << 32n) | BigInt(cpu.regLo[r]!);
}

export function setReg(cpu: Cpu, r: number, v: bigint): void {
  const u = BigInt.asUintN(64, v);
  cpu.regLo[r] = Number(u & 0xffffffffn);
  cpu.regHi[r] = Number(u >> 32n);
}

export function machine(code: number[], opts: { writableCode?: boolean; mode?: 64 | 32; setup?: (cpu: Cpu, mem: AddressSpace) => void } = {}): Machine {
  const mem = new AddressSpace();
  mem.map(CODE, 0x2000, Prot.read | Prot.exec | (opts.writableCode ? Prot.write : 0));
  mem.map(DATA, 0x1000, Prot.read | Prot.write);
  mem.map(STACK_TOP - 0x1000, 0x1000, Prot.read | Prot.write);
  mem.poke(CODE, Uint8Array.from(code));
  const cpu = processCpu(mem, opts.mode ?? 64);
  cpu.reset();
  cpu.rip = CODE;
  setReg(cpu, 4, BigInt(STACK_TOP));
  opts.setup?.(cpu, mem);
  return { cpu, mem, stop: 0, get signal() { return deliveredSignal(cpu); } };
}

/** Runs code until it stops; a trailing `syscall` (0f 05) is the usual end marker. */
export function run(code: number[], opts: Parameters<typeof machine>[1] & { maxSteps?: number } = {}): Machine {
  const m = machine(code, opts);
  m.stop = m.cpu.run(opts.maxSteps ?? 10_000);
  return m;
}

export { Stop };
