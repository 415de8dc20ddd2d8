/**
 * The two kinds of process an x86-64 kernel starts from an ELF file: a native 64-bit process, and,
 * with IA32 emulation, a 32-bit one (the compat loader calls set_personality_ia32: TIF_ADDR32 and
 * the compat system-call state). What differs between them is data here, so the loader, the stack
 * and the emulator stay one piece of code each:
 * - the ELF structures the loader reads and its header checks (elf.ts);
 * - TASK_SIZE: 0x7ffffffff000 (4-level paging), and IA32_PAGE_OFFSET = 0xffffe000 for a 32-bit
 *   process (no ADDR_LIMIT_3GB personality);
 * - STACK_TOP and its randomization (STACK_RND_MASK: 22 bits of pages, 11 for a 32-bit process);
 * - mmap_base (arch/x86/mm/mmap.c): TASK_SIZE minus a gap of the stack rlimit + guard gap + the
 *   stack's randomization range, clamped to at least 128 MiB, minus mmap_rnd_bits (28) or
 *   mmap_rnd_compat_bits (8) random pages. During exec the kernel already counts as in a compat
 *   system call for a 32-bit file (set_personality_ia32 sets TS_COMPAT), so the 32-bit base applies;
 * - the word size of the initial stack (argc, argv, envp, auxv: elf_addr_t), the platform string
 *   (AT_PLATFORM "x86_64" or COMPAT_ELF_PLATFORM "i686") and the CPU mode the process runs in.
 */
import { ELF32, ELF64, HEADER_RULES, HEADER_RULES_32, type ElfLayout, type HeaderRule } from './elf.js';
import { PAGE_SIZE } from './memory.js';
import type { KernelProfile } from './profile.js';
import type { Random } from './random.js';

export interface Personality {
  readonly name: 'x86-64' | 'i386';
  /** CPU mode of the process: long mode, or compatibility mode (32-bit code segment). */
  readonly mode: 64 | 32;
  readonly layout: ElfLayout;
  readonly headerRules: readonly HeaderRule[];
  /** sizeof(elf_addr_t): the words of argc, argv, envp and auxv on the initial stack. */
  readonly wordSize: 4 | 8;
  /** AT_PLATFORM's string. */
  readonly platform: string;
  /** STACK_RND_MASK as a number of bits of pages. */
  readonly stackRandomPageBits: number;
  /** mmap_rnd_bits (64-bit) or mmap_rnd_compat_bits (32-bit): random pages below mmap_base's gap. */
  readonly mmapRandomBits: number;
  /** TASK_SIZE as this process sees it. */
  taskSize(profile: KernelProfile): number;
}

/** The architectures golf's records and searches are kept by: the personality of the process. */
export type ArchName = Personality['name'];
export const ARCH_NAMES: readonly ArchName[] = ['x86-64', 'i386'];

/** IA32_PAGE_OFFSET: TASK_SIZE (and STACK_TOP) of a 32-bit process on a 64-bit kernel. */
export const IA32_TASK_SIZE = 0xffffe000;

export const X86_64: Personality = {
  name: 'x86-64',
  mode: 64,
  layout: ELF64,
  headerRules: HEADER_RULES,
  wordSize: 8,
  platform: 'x86_64',
  stackRandomPageBits: 22,
  mmapRandomBits: 28,
  taskSize: (profile) => profile.taskSize,
};

export const IA32: Personality = {
  name: 'i386',
  mode: 32,
  layout: ELF32,
  headerRules: HEADER_RULES_32,
  wordSize: 4,
  platform: 'i686',
  stackRandomPageBits: 11,
  mmapRandomBits: 8,
  taskSize: () => IA32_TASK_SIZE,
};

/**
 * The profile's limits as the process sees them: the loader's TASK_SIZE checks (segment bounds,
 * mappings, the entry point) read `taskSize`, which for a 32-bit process is IA32_TASK_SIZE.
 */
export function processProfile(profile: KernelProfile, personality: Personality): KernelProfile {
  const taskSize = personality.taskSize(profile);
  return taskSize === profile.taskSize ? profile : { ...profile, taskSize };
}

/** Linux's stack_guard_gap: 256 pages kept free below the stack. */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;
/** RLIMIT_STACK default: the stack may grow down to 8 MiB below its top. */
export const STACK_RLIMIT = 8 * 1024 * 1024;
/** mmap_base keeps at least this much room for the stack (gap_min in arch/x86/mm/mmap.c). */
const MMAP_GAP_MIN = 128 * 1024 * 1024;

/** randomize_stack_top(STACK_TOP): STACK_TOP minus up to STACK_RND_MASK pages, page aligned. */
export function stackTopFor(personality: Personality, profile: KernelProfile, random: Random): number {
  return personality.taskSize(profile) - random.bits(personality.stackRandomPageBits) * PAGE_SIZE;
}

/** mmap_base (see the module comment): the highest address a kernel-placed mapping may end at. */
export function mmapBaseFor(personality: Personality, profile: KernelProfile, random: Random): number {
  const taskSize = personality.taskSize(profile);
  const stackRandomRange = (2 ** personality.stackRandomPageBits - 1) * PAGE_SIZE;
  const gap = Math.min(Math.max(STACK_RLIMIT + STACK_GUARD_GAP + stackRandomRange, MMAP_GAP_MIN), Math.floor(taskSize / 6) * 5);
  const base = taskSize - gap - random.bits(personality.mmapRandomBits) * PAGE_SIZE;
  return Math.ceil(base / PAGE_SIZE) * PAGE_SIZE;
}
