/**
 * What a search covers and under which kernel it judges files, decided from the user's choices
 * (the CLI only parses them and prints what this says):
 * - which architectures a profile can search (i386 needs a kernel that runs ELF32 files);
 * - the default and smallest maximum file size;
 * - the effective profile: when the host kernel refuses `int 0x80` from 64-bit code (IA32
 *   emulation compiled out, disabled, or killed by a hypervisor), an x86-64 search runs without
 *   it, so that the winner runs here (the host's one probe, linux/native.ts).
 */
import { assemble } from '../asm/assembler.js';
import { hostInt80Refusal, nativeSupported } from '../linux/native.js';
import { IA32, X86_64, type ArchName } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import { buildBaseline, buildBaseline32 } from '../results/baseline.js';
import type { Target } from '../targets/target.js';
import { DEFAULT_SPACE } from './engine.js';
import { minFileSize } from './layout.js';

/** Why `arch` cannot be searched under `profile`, or null: an i386 search needs a kernel that runs ELF32 files. */
export function archRefusal(arch: ArchName, profile: KernelProfile): string | null {
  if (arch === 'i386' && !profile.elf32Executables) {
    return `profile "${profile.name}" has no IA32 emulation (every ELF32 file gives ENOEXEC there); use --profile default, whose results are emulator only where the host refuses ELF32`;
  }
  return null;
}

/**
 * By default the search goes up to the size of golf's baseline for the target (the straightforward
 * layout without overlaps, which always works): a search never settles for less than that, and a
 * long output still gets a file. Never below DEFAULT_SPACE.maxSize, where the overlapping layouts live.
 */
export function defaultMaxSize(target: Target, arch: ArchName): number {
  return Math.max(DEFAULT_SPACE.maxSize, (arch === 'i386' ? buildBaseline32 : buildBaseline)(target, assemble).length);
}

/** The smallest maximum size worth searching: a file holding one program header at offset 0. */
export function smallestMaxSize(arch: ArchName): number {
  return minFileSize(0, arch === 'i386' ? IA32 : X86_64);
}

/**
 * Whether the host kernel refuses `int 0x80` (the host's own probe, as the `host` profile uses):
 * the refusal when it does, null when it works, the profile does not use it, or files cannot run here.
 */
function int80RefusedByHost(profile: KernelProfile): string | null {
  if (!profile.ia32Emulation || !nativeSupported()) return null;
  return hostInt80Refusal();
}

export interface EffectiveProfile {
  /** The profile the search judges files under. */
  profile: KernelProfile;
  /** How the host refuses int 0x80 when the search does without it, else null. */
  int80Refused: string | null;
}

/**
 * The host kernel is the judge: if it refuses int 0x80, an x86-64 search runs without it. An i386
 * search is judged by the emulator under the profile: the host's int 0x80 from 64-bit code says
 * nothing about 32-bit processes, and a host that refuses ELF32 makes the records "emulator only;
 * host refuses ELF32".
 */
export function effectiveProfile(profile: KernelProfile, arch: ArchName): EffectiveProfile {
  const refused = arch === 'i386' ? null : int80RefusedByHost(profile);
  return { profile: refused ? withoutInt80(profile) : profile, int80Refused: refused };
}

/** The profile a search runs under when it does without int 0x80 (the host refuses it). */
export function withoutInt80(profile: KernelProfile): KernelProfile {
  return { ...profile, ia32Emulation: false };
}
