/**
 * Register names for the assembler: general-purpose registers come from the shared table in
 * src/x86/registers.ts; segment registers (only used as override prefixes) are listed here.
 */
import { parseRegister } from '../x86/registers.js';

export interface RegisterName {
  reg: number;
  size: number;
}

/** The general-purpose register a NASM name denotes (case-insensitive), or undefined. */
export function lookupRegister(name: string): RegisterName | undefined {
  return parseRegister(name) ?? undefined;
}

/** Segment registers, by name, as the segment-override prefix byte they select. */
const SEGMENT_PREFIXES: ReadonlyMap<string, number> = new Map([
  ['es', 0x26], ['cs', 0x2e], ['ss', 0x36], ['ds', 0x3e], ['fs', 0x64], ['gs', 0x65],
]);

export function segmentPrefix(name: string): number | undefined {
  return SEGMENT_PREFIXES.get(name.toLowerCase());
}
