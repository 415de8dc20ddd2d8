/**
 * How Linux (x86-64, as measured on golf's reference host) delivers the CPU's exceptions to a
 * user process, and which `int n` gates user code may use: the OS half of the machine/kernel
 * boundary (the CPU in emu/ only raises architectural exceptions).
 *
 * - #DE (div, aam by zero) -> SIGFPE; #UD (ud2, invalid encodings, sysenter on AMD) -> SIGILL.
 * - #DB (TF single-step) and #BP (int3, `int 3`) -> SIGTRAP.
 * - #OF (into with OF set, `int 4`): do_overflow sends SIGSEGV.
 * - #GP (hlt, `int n` through a kernel-only gate, over-long instructions, the non-canonical-rsp
 *   first touch of noncanonical-rsp.ts) -> SIGSEGV.
 * - #SS (a non-canonical address through SS) and #AC (misaligned access with RFLAGS.AC; Linux
 *   runs user code with CR0.AM on) -> SIGBUS (both measured natively).
 * - #PF -> SIGSEGV, except a mapped file page wholly past the end of its file -> SIGBUS.
 * - User-accessible gates (arch/x86/kernel/idt.c's system gates): 3 (#BP), 4 (#OF) and 0x80, the
 *   IA32 system call; every other `int n` raises #GP.
 */
import type { Cpu } from '../emu/cpu.js';
import { Gate, PageFaultCause, Vector } from '../emu/exceptions.js';

export type Signal = 'SIGSEGV' | 'SIGBUS' | 'SIGILL' | 'SIGFPE' | 'SIGTRAP';

const SIGNAL_OF_VECTOR: Partial<Record<number, Signal>> = {
  [Vector.DE]: 'SIGFPE',
  [Vector.DB]: 'SIGTRAP',
  [Vector.BP]: 'SIGTRAP',
  [Vector.OF]: 'SIGSEGV',
  [Vector.UD]: 'SIGILL',
  [Vector.SS]: 'SIGBUS',
  [Vector.GP]: 'SIGSEGV',
  [Vector.AC]: 'SIGBUS',
};

/** The signal Linux sends for exception `vector` (cause: the PageFaultCause of a #PF). */
export function signalOf(vector: number, cause: number): Signal {
  if (vector === Vector.PF) return cause === PageFaultCause.noBacking ? 'SIGBUS' : 'SIGSEGV';
  const signal = SIGNAL_OF_VECTOR[vector];
  if (signal === undefined) throw new Error(`no Linux delivery modelled for exception vector ${vector}`);
  return signal;
}

/** The signal that ended a CPU run that stopped with Stop.exception. */
export function deliveredSignal(cpu: Cpu): Signal {
  return signalOf(cpu.exception, cpu.faultCause);
}

/** Linux's user-accessible interrupt gates. */
export const LINUX_USER_GATES: Uint8Array = (() => {
  const gates = new Uint8Array(256).fill(Gate.kernelOnly);
  gates[Vector.BP] = Gate.exception;
  gates[Vector.OF] = Gate.exception;
  gates[0x80] = Gate.systemCall;
  return gates;
})();

