/**
 * The initial process stack as Linux 6.x lays it out (fs/exec.c copy_strings + setup_arg_pages,
 * fs/binfmt_elf.c create_elf_tables), from the top down:
 *   8 zero bytes at the stack top, the exec file name (AT_EXECFN), the environment strings, the
 *   argument strings; a random gap of up to 8 KiB, 16-byte alignment; the platform string
 *   (AT_PLATFORM: "x86_64", or "i686" for a 32-bit process); 16 random bytes (AT_RANDOM); the
 *   auxiliary vector, envp pointers + NULL, argv pointers + NULL, argc at rsp, which is 16-byte
 *   aligned. The words (argc, pointers, auxv entries) are elf_addr_t: 8 bytes, or 4 in a 32-bit
 *   process, whose compat loader writes the same tables from the same code.
 */
import { AddressSpace, PAGE_SIZE, Prot } from './memory.js';
import { STACK_RLIMIT, stackTopFor, X86_64, type Personality } from './personality.js';
import type { KernelProfile } from './profile.js';
import type { Random } from './random.js';

/** Auxiliary-vector keys (include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h). */
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, HWCAP2: 26,
  RSEQ_FEATURE_SIZE: 27, RSEQ_ALIGN: 28, EXECFN: 31, SYSINFO: 32, SYSINFO_EHDR: 33, MINSIGSTKSZ: 51,
} as const;

/**
 * Values of the CPU-dependent auxv entries, as measured on the reference machine (AMD EPYC,
 * Linux 6.18): programs that read them depend on the CPU anyway.
 */
export const AUXV_HOST_VALUES = {
  hwcap: 0x178bebff,
  hwcap2: 0,
  minSigStkSz: 3376,
  /** offsetof(struct rseq, end) and __alignof__(struct rseq). */
  rseqFeatureSize: 28,
  rseqAlign: 32,
} as const;

/**
 * Offset of __kernel_vsyscall in the 32-bit vDSO (AT_SYSINFO = vDSO base + this). It depends on the
 * kernel build; golf maps no vDSO, so the value only fills the auxiliary vector.
 */
export const VDSO32_VSYSCALL_OFFSET = 0x570;
/** Linux grows the stack mapping 128 KiB below the argument pages at exec (setup_arg_pages). */
export const STACK_EXPAND = 128 * 1024;
export { STACK_RLIMIT } from './personality.js';

export interface StackInput {
  argv: readonly string[];
  env: readonly string[];
  execPath: string;
}

/** Where the strings go; computed before the segments are mapped (the stack mapping exists first). */
export interface StackPlan {
  top: number;
  /** Lowest address of the initial stack mapping. */
  low: number;
  strings: Uint8Array;
  /** Address of the first argument string (the strings block). */
  stringsStart: number;
  argvAddrs: number[];
  envAddrs: number[];
  execFnAddr: number;
}

const encoder = new TextEncoder();

/**
 * NUL-terminated UTF-8 of the strings a run passes. The search validates thousands of candidates
 * with the same few argv/env strings, so their encodings are kept (callers never modify them).
 */
const cStrings = new Map<string, Uint8Array>();
const C_STRING_CACHE_LIMIT = 4096;

function cString(s: string): Uint8Array {
  const cached = cStrings.get(s);
  if (cached) return cached;
  const bytes = encoder.encode(s);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  if (cStrings.size >= C_STRING_CACHE_LIMIT) cStrings.clear();
  cStrings.set(s, out);
  return out;
}

/**
 * randomize_stack_top(STACK_TOP): up to 16 GiB below 0x7ffffffff000 (64-bit), up to 8 MiB below
 * 0xffffe000 (32-bit), page aligned.
 */
export function chooseStackTop(profile: KernelProfile, random: Random, personality: Personality = X86_64): number {
  return stackTopFor(personality, profile, random);
}

/** Lays out the strings below the stack top (copy_strings) and the initial stack mapping. */
export function planStack(input: StackInput, top: number): StackPlan {
  const parts = [...input.argv.map(cString), ...input.env.map(cString), cString(input.execPath)];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const strings = new Uint8Array(total + 8);
  const stringsStart = top - strings.length;
  const addrs: number[] = [];
  let at = 0;
  for (const p of parts) {
    addrs.push(stringsStart + at);
    strings.set(p, at);
    at += p.length;
  }
  const low = Math.floor(stringsStart / PAGE_SIZE) * PAGE_SIZE - STACK_EXPAND;
  return {
    top,
    low,
    strings,
    stringsStart,
    argvAddrs: addrs.slice(0, input.argv.length),
    envAddrs: addrs.slice(input.argv.length, input.argv.length + input.env.length),
    execFnAddr: addrs[addrs.length - 1]!,
  };
}

/** Maps the initial stack (read/write, executable only with an executable PT_GNU_STACK). */
export function mapStack(mem: AddressSpace, plan: StackPlan, executable: boolean): void {
  mem.map(plan.low, plan.top - plan.low, Prot.read | Prot.write | (executable ? Prot.exec : 0));
}

/**
 * The region the stack may grow into on faults: down to 8 MiB below the top, but never within the
 * guard gap (256 pages) above another mapping, nor below mmap_min_addr.
 */
export function mapStackGrowth(mem: AddressSpace, plan: StackPlan, executable: boolean, profile: KernelProfile, guardGap: number): void {
  const below = mem.mappedEndBelow(plan.low);
  const lowest = Math.max(plan.top - STACK_RLIMIT, below > 0 ? below + guardGap : 0, profile.mmapMinAddr);
  if (lowest < plan.low) mem.map(lowest, plan.low - lowest, Prot.read | Prot.write | (executable ? Prot.exec : 0));
}

export interface ElfTables {
  entry: number;
  phdrAddr: number;
  phnum: number;
  sysinfoEhdr: number;
}

/** Scratch space for writeWords, grown as needed and reused across runs. */
let wordBytes = new Uint8Array(1024);
let wordView = new DataView(wordBytes.buffer);

/** Writes elf_addr_t words (8 or 4 bytes each, little-endian). */
function writeWords(mem: AddressSpace, address: number, words: readonly number[], wordSize: 4 | 8): void {
  if (wordBytes.length < words.length * wordSize) {
    wordBytes = new Uint8Array(words.length * 16);
    wordView = new DataView(wordBytes.buffer);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (wordSize === 4) {
      wordView.setUint32(i * 4, w >>> 0, true);
      continue;
    }
    wordView.setUint32(i * 8, w % 0x1_0000_0000, true);
    wordView.setUint32(i * 8 + 4, Math.floor(w / 0x1_0000_0000), true);
  }
  mem.poke(address, wordBytes.subarray(0, words.length * wordSize));
}

/**
 * The auxiliary vector create_elf_tables builds: ARCH_DLINFO first (64-bit: AT_SYSINFO_EHDR and
 * AT_MINSIGSTKSZ; a 32-bit process gets ARCH_DLINFO_IA32: AT_SYSINFO, the vDSO entry point, before
 * them), then the common entries. AT_PHENT is sizeof(struct elf_phdr) of the loader's layout.
 */
function auxiliaryVector(personality: Personality, tables: ElfTables, profile: KernelProfile, randomAddr: number, execFnAddr: number, platformAddr: number): number[] {
  const arch = personality.mode === 32 ? [AT.SYSINFO, tables.sysinfoEhdr + VDSO32_VSYSCALL_OFFSET] : [];
  return [
    ...arch,
    AT.SYSINFO_EHDR, tables.sysinfoEhdr,
    AT.MINSIGSTKSZ, AUXV_HOST_VALUES.minSigStkSz,
    AT.HWCAP, AUXV_HOST_VALUES.hwcap,
    AT.PAGESZ, PAGE_SIZE,
    AT.CLKTCK, 100,
    AT.PHDR, tables.phdrAddr,
    AT.PHENT, personality.layout.phentsize,
    AT.PHNUM, tables.phnum,
    AT.BASE, 0,
    AT.FLAGS, 0,
    AT.ENTRY, tables.entry,
    AT.UID, profile.uid,
    AT.EUID, profile.uid,
    AT.GID, profile.gid,
    AT.EGID, profile.gid,
    AT.SECURE, 0,
    AT.RANDOM, randomAddr,
    AT.HWCAP2, AUXV_HOST_VALUES.hwcap2,
    AT.EXECFN, execFnAddr,
    AT.PLATFORM, platformAddr,
    AT.RSEQ_FEATURE_SIZE, AUXV_HOST_VALUES.rseqFeatureSize,
    AT.RSEQ_ALIGN, AUXV_HOST_VALUES.rseqAlign,
    AT.NULL, 0,
  ];
}

/** Writes the strings, platform, AT_RANDOM bytes, auxv, envp, argv and argc; returns rsp (esp). */
export function writeInitialStack(
  mem: AddressSpace, plan: StackPlan, tables: ElfTables, profile: KernelProfile, random: Random, personality: Personality = X86_64,
): number {
  mem.poke(plan.stringsStart, plan.strings);
  // arch_align_stack: a random gap below the strings, then 16-byte alignment.
  let p = plan.stringsStart - random.below(8192);
  p -= p % 16;
  const platform = cString(personality.platform);
  p -= platform.length;
  const platformAddr = p;
  mem.poke(platformAddr, platform);
  const randomBytes = new Uint8Array(16);
  const randomView = new DataView(randomBytes.buffer);
  for (let i = 0; i < 16; i += 4) randomView.setUint32(i, random.next32(), true);
  p -= 16;
  const randomAddr = p;
  mem.poke(randomAddr, randomBytes);
  const auxv = auxiliaryVector(personality, tables, profile, randomAddr, plan.execFnAddr, platformAddr);
  const pointers = [plan.argvAddrs.length, ...plan.argvAddrs, 0, ...plan.envAddrs, 0];
  const word = personality.wordSize;
  // STACK_ROUND: the words below the auxv start 16-byte aligned.
  const sp = p - auxv.length * word;
  const rsp = (sp - pointers.length * word) - ((sp - pointers.length * word) % 16);
  writeWords(mem, rsp, [...pointers, ...auxv], word);
  return rsp;
}
