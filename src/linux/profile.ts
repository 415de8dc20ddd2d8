/**
 * Kernel profiles: the differences between Linux kernels and machine settings that change whether
 * a tiny ELF file runs. The loader and the system calls read these fields instead of forking code
 * per kernel version, so every rule is still written once.
 */
import { readFileSync } from 'node:fs';
import { TASK_SIZE } from './memory.js';
import { hostElf32Works, hostInt80Works } from './native.js';

export interface KernelProfile {
  /** Short name used on the command line (`--profile NAME`). */
  name: string;
  description: string;
  /**
   * How a failed zeroing of the last file page of a segment (p_memsz > p_filesz) is treated.
   * "6.7+": ignored unless the segment is writable. "pre-6.7": a failed final zeroing kills the exec.
   */
  zeroingRule: 'pre-6.7' | '6.7+';
  /**
   * Largest program-header table in bytes (56 * e_phnum). Up to 6.16 the kernel also refused
   * tables larger than one page (4096 bytes, e_phnum <= 73); 6.17 keeps only the 64 KiB cap.
   */
  maxPhdrTableBytes: number;
  /** vm.mmap_min_addr as it applies to the process: 0 models root (CAP_SYS_RAWIO ignores the limit). */
  mmapMinAddr: number;
  /**
   * `int 0x80` from 64-bit code reaches the 32-bit system-call table: CONFIG_IA32_EMULATION compiled
   * in and enabled (and, on a virtual machine, a hypervisor that delivers it).
   */
  ia32Emulation: boolean;
  /**
   * The compat ELF loader takes 32-bit (ELF32, EM_386) files: IA32 emulation compiled in and enabled.
   * Without it every ELF32 file fails with ENOEXEC. Usually equal to ia32Emulation; the host profile
   * measures the two apart (a paravirtualized guest may run 32-bit processes yet refuse int 0x80 from
   * 64-bit code).
   */
  elf32Executables: boolean;
  /**
   * Heuristic overcommit (vm.overcommit_memory = 0) refuses one accountable mapping larger than
   * RAM + swap: this is that limit in bytes. Infinity models vm.overcommit_memory = 1.
   */
  commitLimitBytes: number;
  /** First address above user space: 0x7ffffffff000 with 4-level paging. */
  taskSize: number;
  /**
   * The CPU and kernel have memory protection keys (PKU): a PROT_EXEC-only mapping is then
   * execute-only (not readable). Without PKU, executable pages are always readable on x86.
   */
  execOnlyUnreadable: boolean;
  /**
   * Whether a file may rely on the argument count the target fixes (argc = 1 when run without
   * arguments, so `pop rdi` gives stdout's fd). Not a kernel setting but a condition of use: when
   * false, the extra-argument probe of golf check becomes a required run, so a file must work with
   * any argc. The strict portable profile forbids it; the others allow it and report "argc-N".
   */
  argcAssumable: boolean;
  /**
   * Whether a file may rely on how stdin is open (open for reading, not a terminal, or writable).
   * Also a condition of use: when false, golf check's stdin probes (closed, read-write) become
   * required runs. The portable profile forbids it; the others report "stdin-readable" ...
   */
  stdinAssumable: boolean;
  /** Real and effective uid/gid reported in the auxiliary vector (AT_UID ...). */
  uid: number;
  gid: number;
}

const GiB = 1024 * 1024 * 1024;

/** A current distribution kernel on a typical machine: 6.18, 4-level paging, mmap_min_addr 65536. */
export const DEFAULT_PROFILE: KernelProfile = {
  name: 'default',
  description: 'current distribution kernel (6.18): mmap_min_addr 65536, IA32 emulation on, 8 GiB commit limit, non-root',
  zeroingRule: '6.7+',
  maxPhdrTableBytes: 65536,
  mmapMinAddr: 65536,
  ia32Emulation: true,
  elf32Executables: true,
  commitLimitBytes: 8 * GiB,
  taskSize: TASK_SIZE,
  execOnlyUnreadable: false,
  argcAssumable: true,
  stdinAssumable: true,
  uid: 1000,
  gid: 1000,
};

function variant(name: string, description: string, changes: Partial<KernelProfile>): KernelProfile {
  return { ...DEFAULT_PROFILE, ...changes, name, description };
}

export const PROFILES: Record<string, KernelProfile> = {
  default: DEFAULT_PROFILE,
  root: variant('root', 'default kernel, running as root: mmap_min_addr does not apply', { mmapMinAddr: 0, uid: 0, gid: 0 }),
  'linux-6.16': variant('linux-6.16', 'kernel 6.7 to 6.16: program-header table limited to one page (e_phnum <= 73)', { maxPhdrTableBytes: 4096 }),
  'linux-6.6': variant('linux-6.6', 'kernel up to 6.6: a failed bss zeroing kills the exec; e_phnum <= 73', {
    maxPhdrTableBytes: 4096,
    zeroingRule: 'pre-6.7',
  }),
  'no-ia32': variant('no-ia32', 'default kernel without IA32 emulation (int 0x80 and 32-bit files fail)', { ia32Emulation: false, elf32Executables: false }),
  portable: variant('portable', 'the strictest common case: 6.6 rules, no IA32 emulation, PKU execute-only pages, 1 GiB commit limit, any argc, any stdin', {
    maxPhdrTableBytes: 4096,
    zeroingRule: 'pre-6.7',
    ia32Emulation: false,
    elf32Executables: false,
    execOnlyUnreadable: true,
    commitLimitBytes: 1 * GiB,
    argcAssumable: false,
    stdinAssumable: false,
  }),
};

function readProcNumber(path: string): number | null {
  try {
    const n = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/** RAM + swap in bytes from /proc/meminfo (the heuristic-overcommit limit), or null off Linux. */
function memoryCommitLimit(): number | null {
  try {
    const info = readFileSync('/proc/meminfo', 'utf8');
    const kb = (key: string): number => Number.parseInt(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? '0', 10);
    const total = (kb('MemTotal') + kb('SwapTotal')) * 1024;
    return total > 0 ? total : null;
  } catch {
    return null;
  }
}

function cpuHasPku(): boolean {
  try {
    return /^flags\s*:.*\bpku\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The profile of the machine golf runs on, for comparisons with native execution: the host's
 * mmap_min_addr (0 for root, who has CAP_SYS_RAWIO), RAM + swap as commit limit (or Infinity with
 * vm.overcommit_memory = 1), PKU from /proc/cpuinfo, whether int 0x80 works and whether an ELF32
 * file runs (two probe runs).
 */
export function hostProfile(): KernelProfile {
  const uid = typeof process.getuid === 'function' ? process.getuid() : DEFAULT_PROFILE.uid;
  const gid = typeof process.getgid === 'function' ? process.getgid() : DEFAULT_PROFILE.gid;
  const minAddr = readProcNumber('/proc/sys/vm/mmap_min_addr') ?? DEFAULT_PROFILE.mmapMinAddr;
  const overcommit = readProcNumber('/proc/sys/vm/overcommit_memory');
  return {
    ...DEFAULT_PROFILE,
    name: 'host',
    description: 'this machine, as measured from /proc',
    mmapMinAddr: uid === 0 ? 0 : minAddr,
    commitLimitBytes: overcommit === 1 ? Infinity : memoryCommitLimit() ?? DEFAULT_PROFILE.commitLimitBytes,
    ia32Emulation: hostInt80Works(),
    elf32Executables: hostElf32Works(),
    execOnlyUnreadable: cpuHasPku(),
    uid,
    gid,
  };
}

/** Names accepted by `--profile`: the fixed profiles plus "host". */
export function profileNames(): string[] {
  return [...Object.keys(PROFILES), 'host'];
}

/** Looks a profile up by name; null if unknown. */
export function findProfile(name: string): KernelProfile | null {
  if (name === 'host') return hostProfile();
  return Object.hasOwn(PROFILES, name) ? PROFILES[name]! : null;
}
