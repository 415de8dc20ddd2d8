/**
 * The initial process stack as Linux 6.x lays it out (fs/exec.c copy_strings + setup_arg_pages,
 * fs/binfmt_elf.c create_elf_tables), from the top down:
 *   8 zero bytes at the stack top, the exec file name (AT_EXECFN), the environment strings, the
 *   argument strings; a random gap of up to 8 KiB, 16-byte alignment; "x86_64\0" (AT_PLATFORM);
 *   16 random bytes (AT_RANDOM); the auxiliary vector, envp pointers + NULL, argv pointers + NULL,
 *   argc at rsp, which is 16-byte aligned.
 */
import { AddressSpace, PAGE_SIZE, Prot } from './memory.js';
import type { KernelProfile } from './profile.js';
import type { Random } from './random.js';

/** Auxiliary-vector keys (include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h). */
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, HWCAP2: 26,
  RSEQ_FEATURE_SIZE: 27, RSEQ_ALIGN: 28, EXECFN: 31, SYSINFO_EHDR: 33, MINSIGSTKSZ: 51,
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

export const PLATFORM = 'x86_64';
/** Linux grows the stack mapping 128 KiB below the argument pages at exec (setup_arg_pages). */
export const STACK_EXPAND = 128 * 1024;
/** RLIMIT_STACK default: the stack may grow down to 8 MiB below its top. */
export const STACK_RLIMIT = 8 * 1024 * 1024;
/** STACK_RND_MASK for 64-bit processes: 22 bits of pages of stack-top randomization. */
export const STACK_RANDOM_PAGES_BITS = 22;

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

/** randomize_stack_top(STACK_TOP): up to 16 GiB below 0x7ffffffff000, page aligned. */
export function chooseStackTop(profile: KernelProfile, random: Random): number {
  return profile.taskSize - random.bits(STACK_RANDOM_PAGES_BITS) * PAGE_SIZE;
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

function writeWords(mem: AddressSpace, address: number, words: readonly number[]): void {
  if (wordBytes.length < words.length * 8) {
    wordBytes = new Uint8Array(words.length * 16);
    wordView = new DataView(wordBytes.buffer);
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    wordView.setUint32(i * 8, w % 0x1_0000_0000, true);
    wordView.setUint32(i * 8 + 4, Math.floor(w / 0x1_0000_0000), true);
  }
  mem.poke(address, wordBytes.subarray(0, words.length * 8));
}

/** Writes the strings, platform, AT_RANDOM bytes, auxv, envp, argv and argc; returns rsp. */
export function writeInitialStack(mem: AddressSpace, plan: StackPlan, tables: ElfTables, profile: KernelProfile, random: Random): number {
  mem.poke(plan.stringsStart, plan.strings);
  // arch_align_stack: a random gap below the strings, then 16-byte alignment.
  let p = plan.stringsStart - random.below(8192);
  p -= p % 16;
  const platform = cString(PLATFORM);
  p -= platform.length;
  const platformAddr = p;
  mem.poke(platformAddr, platform);
  const randomBytes = new Uint8Array(16);
  const randomView = new DataView(randomBytes.buffer);
  for (let i = 0; i < 16; i += 4) randomView.setUint32(i, random.next32(), true);
  p -= 16;
  const randomAddr = p;
  mem.poke(randomAddr, randomBytes);
  const auxv: number[] = [
    AT.SYSINFO_EHDR, tables.sysinfoEhdr,
    AT.MINSIGSTKSZ, AUXV_HOST_VALUES.minSigStkSz,
    AT.HWCAP, AUXV_HOST_VALUES.hwcap,
    AT.PAGESZ, PAGE_SIZE,
    AT.CLKTCK, 100,
    AT.PHDR, tables.phdrAddr,
    AT.PHENT, 56,
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
    AT.EXECFN, plan.execFnAddr,
    AT.PLATFORM, platformAddr,
    AT.RSEQ_FEATURE_SIZE, AUXV_HOST_VALUES.rseqFeatureSize,
    AT.RSEQ_ALIGN, AUXV_HOST_VALUES.rseqAlign,
    AT.NULL, 0,
  ];
  const pointers = [plan.argvAddrs.length, ...plan.argvAddrs, 0, ...plan.envAddrs, 0];
  const sp = p - auxv.length * 8;
  const rsp = (sp - pointers.length * 8) - ((sp - pointers.length * 8) % 16);
  writeWords(mem, rsp, [...pointers, ...auxv]);
  return rsp;
}
