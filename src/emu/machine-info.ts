/**
 * What the emulated CPU answers to cpuid and rdtsc. Real values depend on the machine, so a file
 * that uses them has machine-dependent behaviour: the interpreter records that it executed them
 * (Cpu.usedCpuid / Cpu.usedRdtsc) so the Linux layer can report the dependency. The emulated values
 * are fixed, so emulated runs stay deterministic.
 */

/** cpuid vendor string of the emulated CPU: "GolfEmulator" (ebx, edx, ecx as the CPU orders it). */
const VENDOR_EBX = 0x666c6f47; // "Golf"
const VENDOR_EDX = 0x6c756d45; // "Emul"
const VENDOR_ECX = 0x726f7461; // "ator"

/** Leaf 1 edx feature bits the interpreter really implements: TSC (bit 4) and CMOV (bit 15). */
const LEAF1_EDX = (1 << 4) | (1 << 15);
/** Leaf 0x80000001: ecx bit 0 LAHF/SAHF in 64-bit mode; edx bit 11 SYSCALL, bit 29 long mode. */
const EXT1_ECX = 1;
const EXT1_EDX = (1 << 11) | (1 << 29);

/** Result registers of one cpuid query, in the order eax, ebx, ecx, edx. */
export const cpuidOut = new Uint32Array(4);

/** Fills cpuidOut for leaf `eax` (sub-leaf ignored: no supported leaf has sub-leaves). Unknown leaves give zeros. */
export function cpuid(leaf: number): void {
  cpuidOut.fill(0);
  switch (leaf >>> 0) {
    case 0:
      cpuidOut[0] = 1; cpuidOut[1] = VENDOR_EBX; cpuidOut[2] = VENDOR_ECX; cpuidOut[3] = VENDOR_EDX;
      break;
    case 1:
      cpuidOut[0] = 0x600; // family 6, model 0, stepping 0
      cpuidOut[3] = LEAF1_EDX;
      break;
    case 0x80000000:
      cpuidOut[0] = 0x80000001;
      break;
    case 0x80000001:
      cpuidOut[2] = EXT1_ECX; cpuidOut[3] = EXT1_EDX;
      break;
  }
}
