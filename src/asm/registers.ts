/**
 * Register names for the assembler, from the shared tables in src/x86/registers.ts (segment
 * registers only as override prefixes).
 */
import { parseRegister, SEGMENT_PREFIXES } from '../x86/registers.js';

export interface RegisterName {
  reg: number;
  size: number;
}

/** The general-purpose register a NASM name denotes (case-insensitive), or undefined. */
export function lookupRegister(name: string): RegisterName | undefined {
  return parseRegister(name) ?? undefined;
}

export function segmentPrefix(name: string): number | undefined {
  return SEGMENT_PREFIXES.get(name.toLowerCase());
}
