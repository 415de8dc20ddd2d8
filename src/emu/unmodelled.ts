/**
 * Why golf refuses an instruction it decodes but does not execute, for the classes where the answer
 * is not simply "not in the table yet": golf models one flat code segment and fixed data segments
 * of a Linux process, so instructions that change or read segment state are refused by name,
 * honestly, instead of being guessed at.
 */

const LEGACY_PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]);

const SEGMENT_STATE = 'golf models a flat address space with fixed segment registers and does not execute segment-register instructions';
const FAR = 'golf models one code segment (a far transfer may switch between 32-bit and 64-bit code) and does not execute far branches';

/** The reason for a refused instruction's bytes, or null when it is just outside golf's table. */
export function unmodelledReason(bytes: Uint8Array, mode: 64 | 32): string | null {
  let i = 0;
  while (i < bytes.length && (LEGACY_PREFIXES.has(bytes[i]!) || (mode === 64 && (bytes[i]! & 0xf0) === 0x40))) i++;
  const op = bytes[i];
  if (op === undefined) return null;
  const modrmReg = ((bytes[i + 1] ?? 0) >> 3) & 7;
  switch (op) {
    case 0x9a: return `far call (call ptr16:32): ${FAR}`;
    case 0xea: return `far jump (jmp ptr16:32): ${FAR}`;
    case 0xca: case 0xcb: return `far return (retf): ${FAR}`;
    case 0xcf: return `iret: ${FAR}`;
    case 0xff: return modrmReg === 3 ? `far call through memory (call far [m]): ${FAR}` : modrmReg === 5 ? `far jump through memory (jmp far [m]): ${FAR}` : null;
    case 0x06: case 0x0e: case 0x16: case 0x1e: return `push of a segment register: ${SEGMENT_STATE}`;
    case 0x07: case 0x17: case 0x1f: return `pop of a segment register: ${SEGMENT_STATE}`;
    case 0x8c: case 0x8e: return `mov to or from a segment register: ${SEGMENT_STATE}`;
    case 0xc4: case 0xc5: return `les/lds (loads a segment register): ${SEGMENT_STATE}`;
    case 0x63: return mode === 32 ? `arpl: ${SEGMENT_STATE}` : null;
    case 0x62: return mode === 32 ? 'bound (raises #BR, SIGSEGV, when out of range): not modelled' : null;
    case 0x0f: {
      const op2 = bytes[i + 1];
      if (op2 === 0xa0 || op2 === 0xa8) return `push fs/gs: ${SEGMENT_STATE}`;
      if (op2 === 0xa1 || op2 === 0xa9) return `pop fs/gs: ${SEGMENT_STATE}`;
      if (op2 === 0xb2 || op2 === 0xb4 || op2 === 0xb5) return `lss/lfs/lgs: ${SEGMENT_STATE}`;
      if (op2 === 0x05 && mode === 32) return 'syscall in a 32-bit process: #UD on Intel CPUs; on AMD CPUs the kernel returns through the vDSO, which golf does not map';
      return null;
    }
    default:
      return null;
  }
}
