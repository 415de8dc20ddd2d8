/**
 * The kernel's ELF loader (fs/binfmt_elf.c, load_elf_binary and elf_load, Linux 6.x) for static
 * x86-64 files: checks before the point of no return fail the exec (ENOEXEC ...), everything after
 * it kills the new process with SIGSEGV. Each mapping rule is a named, exported function.
 *
 * The loader works in two steps around the stack, as the kernel does: checkExec() judges the file
 * before the point of no return; the caller then maps the stack (setup_arg_pages), and mapSegments()
 * maps the PT_LOAD segments and checks the entry point. It also reports what the file relies on.
 */
import type { Assumption } from './run-result.js';
import type { KernelProfile } from './profile.js';
import { AddressSpace, PAGE_SIZE, Prot } from './memory.js';
import {
  ET_DYN,
  ET_EXEC,
  PF_R,
  PF_W,
  PF_X,
  PT_INTERP,
  PT_LOAD,
  interpRule,
  isIa32Machine,
  magicRule,
  parseHeader,
  parseProgramHeaders,
  readImpliesExecRule,
  stackRequestRule,
  typeRule,
  type ElfHeader,
  type ProgramHeader,
} from './elf.js';
import { IA32, mmapBaseFor, processProfile, STACK_GUARD_GAP as STACK_GUARD_GAP_BYTES, X86_64, type Personality } from './personality.js';
import type { Random } from './random.js';

export { STACK_GUARD_GAP } from './personality.js';

const TWO32 = 0x1_0000_0000;

export const pageStart = (a: number): number => a - (((a % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE);
export const pageAlign = (a: number): number => pageStart(a + PAGE_SIZE - 1);
const pageOffset = (a: number): number => ((a % PAGE_SIZE) + PAGE_SIZE) % PAGE_SIZE;

/** The file as the kernel accepted it before the point of no return. */
export interface ExecutableFile {
  file: Uint8Array;
  header: ElfHeader;
  phdrs: ProgramHeader[];
  /** Which loader took the file: the process it starts (64-bit, or 32-bit under IA32 emulation). */
  personality: Personality;
  /** The stack mapping is executable (PT_GNU_STACK with PF_X, or READ_IMPLIES_EXEC). */
  stackExecutable: boolean;
  /** READ_IMPLIES_EXEC: a 32-bit file without PT_GNU_STACK; every readable mapping is executable. */
  readImpliesExec: boolean;
}

export type ExecCheck =
  | { kind: 'ok'; exe: ExecutableFile }
  | { kind: 'exec-failed'; errno: string; rule: string; why: string }
  | { kind: 'unsupported'; reason: string };

/**
 * Which loader judges the file. execve tries each registered binary format in turn; the 64-bit ELF
 * loader and the compat one run the same checks in the same order and differ first at e_machine,
 * which they accept disjointly (62, and 3 or 6). So a file is judged by the loader whose e_machine
 * it has, and a file neither takes fails at the magic, e_type or e_machine check of both alike.
 */
export function loaderFor(header: ElfHeader): Personality {
  return isIa32Machine(header) ? IA32 : X86_64;
}

/** Everything checked before the exec's point of no return, in the kernel's order. */
export function checkExec(file: Uint8Array, profile: KernelProfile): ExecCheck {
  // The magic and e_type sit at the same offsets in both layouts.
  const first = parseHeader(file);
  const personality = magicRule(first) === null && typeRule(first) === null ? loaderFor(first) : X86_64;
  const header = personality === X86_64 ? first : parseHeader(file, personality.layout);
  for (const rule of personality.headerRules) {
    const errno = rule.check(header, profile, file.length);
    if (errno) {
      const why = rule.name === 'e_machine' ? machineRefusal(header, profile) : rule.why;
      return { kind: 'exec-failed', errno, rule: personality === IA32 && rule.name !== 'e_machine' ? `32-bit ${rule.name}` : rule.name, why };
    }
  }
  const phdrs = parseProgramHeaders(file, header, personality.layout);
  const interp = phdrs.find((ph) => ph.type === PT_INTERP);
  if (interp) {
    const verdict = interpRule(interp, file);
    if ('errno' in verdict) return { kind: 'exec-failed', errno: verdict.errno, rule: `PT_INTERP[${interp.index}]`, why: 'the interpreter path cannot be read from the file' };
    return { kind: 'unsupported', reason: `PT_INTERP: loading interpreter "${verdict.path}" is not modelled` };
  }
  const stack = stackRequestRule(phdrs);
  const readImpliesExec = readImpliesExecRule(personality === IA32, stack);
  return { kind: 'ok', exe: { file, header, phdrs, personality, stackExecutable: stack === 'enable-x' || readImpliesExec, readImpliesExec } };
}

/** Why no loader took the file at its e_machine check. */
function machineRefusal(h: ElfHeader, profile: KernelProfile): string {
  if (isIa32Machine(h) && !profile.elf32Executables) return `e_machine is ${h.machine} (i386): a 32-bit file, and this kernel has no IA32 emulation (ENOEXEC for every ELF32 file)`;
  return `e_machine is ${h.machine}: neither x86-64 (62) nor i386 (3 or 6)`;
}

// ---- Rules after the point of no return: each returns a reason (the process gets SIGSEGV) or null.

/** p_offset and p_vaddr must be congruent modulo the page size (mmap needs a page-aligned offset). */
export function offsetCongruenceRule(ph: ProgramHeader): string | null {
  return ph.offsetPageOffset === ph.vaddrPageOffset ? null : 'p_offset and p_vaddr differ modulo 4096';
}

/** p_filesz <= p_memsz, p_vaddr < TASK_SIZE and p_vaddr + p_memsz <= TASK_SIZE (checked on the unrelocated p_vaddr). */
export function segmentBoundsRule(ph: Pick<ProgramHeader, 'vaddr' | 'filesz' | 'memsz'>, profile: Pick<KernelProfile, 'taskSize'>): string | null {
  if (ph.vaddr >= profile.taskSize) return 'p_vaddr is not below TASK_SIZE';
  if (ph.filesz > ph.memsz) return 'p_filesz > p_memsz';
  if (ph.memsz > profile.taskSize || profile.taskSize - ph.memsz < ph.vaddr) return 'p_vaddr + p_memsz is above TASK_SIZE';
  return null;
}

/**
 * A fixed mapping of [start, start+length) (get_unmapped_area + security_mmap_addr): it must lie
 * below TASK_SIZE, start page aligned (always here) and not below vm.mmap_min_addr unless root.
 */
export function mappingRangeRule(start: number, length: number, profile: Pick<KernelProfile, 'taskSize' | 'mmapMinAddr'>): string | null {
  if (length > profile.taskSize || start < 0 || start > profile.taskSize - length) return `mapping at 0x${start.toString(16)} (+0x${length.toString(16)}) is not below TASK_SIZE`;
  if (start < lowestFixedMapping(profile)) return `mapping at 0x${start.toString(16)} is below vm.mmap_min_addr (0x${lowestFixedMapping(profile).toString(16)})`;
  return null;
}

/** The lowest address a fixed mapping may start at (security_mmap_addr: vm.mmap_min_addr; 0 models root). */
export function lowestFixedMapping(profile: Pick<KernelProfile, 'mmapMinAddr'>): number {
  return profile.mmapMinAddr;
}

/** A file mapping's offset + length must stay within the largest file size (2^63 - 1). */
export function fileOffsetRule(offset: number, length: number): string | null {
  return offset + length < 2 ** 63 ? null : 'file offset + length overflows the largest file size';
}

/**
 * Heuristic overcommit (vm.overcommit_memory = 0, __vm_enough_memory) charges each accountable
 * mapping (private writable or anonymous) on its own and refuses one larger than RAM + swap: the
 * figure that decides is the largest single charge, not a sum.
 */
export function commitRule(length: number, profile: Pick<KernelProfile, 'commitLimitBytes'>): string | null {
  return length <= profile.commitLimitBytes ? null : `mapping of ${formatCommitCharge(length)} exceeds the memory-commit limit (${formatBytes(profile.commitLimitBytes)})`;
}

/** A commit charge as golf states it everywhere (refusals, assumptions, tables): rounded and exact. */
export function formatCommitCharge(bytes: number): string {
  return `${formatBytes(bytes)} (${bytes} bytes)`;
}

/** The exact byte count in a text written with formatCommitCharge, or null. */
export function commitChargeIn(text: string): number | null {
  const m = /\((\d+) bytes\)/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The exact commit charge stated by an "overcommit" assumption, or null. */
export function overcommitBytes(assumptions: readonly Assumption[]): number | null {
  const a = assumptions.find((x) => x.id === 'overcommit');
  return a ? commitChargeIn(a.text) : null;
}

/** The first PT_LOAD of an ET_EXEC file is mapped with MAP_FIXED_NOREPLACE: it may not overlap an existing mapping (the stack). */
export function noReplaceRule(start: number, length: number, mem: AddressSpace): string | null {
  return mem.overlaps(start, length) ? `first PT_LOAD at 0x${start.toString(16)} overlaps an existing mapping` : null;
}

/** The entry point (plus load bias) must be below TASK_SIZE. */
export function entryRule(entry: number, profile: KernelProfile): string | null {
  return entry >= 0 && entry < profile.taskSize ? null : 'e_entry is not below TASK_SIZE';
}

/**
 * Page protections from p_flags (R=4, W=2, X=1). On x86 without PKU every mapped page with any
 * access is readable. Under READ_IMPLIES_EXEC, do_mmap adds PROT_EXEC to every PROT_READ request
 * (PF_R; a PF_W-only segment asks for PROT_WRITE alone and stays non-executable).
 */
export function segmentProtection(flags: number, profile: KernelProfile, readImpliesExec = false): number {
  let prot = 0;
  if (flags & PF_R) prot |= Prot.read | (readImpliesExec ? Prot.exec : 0);
  if (flags & PF_W) prot |= Prot.write | Prot.read;
  if (flags & PF_X) {
    prot |= Prot.exec;
    // mmap(PROT_EXEC) alone gets the execute-only protection key when the CPU has PKU.
    const execOnly = (flags & (PF_R | PF_W)) === 0;
    if (!(execOnly && profile.execOnlyUnreadable)) prot |= Prot.read;
  }
  return prot;
}

/**
 * Whether the anonymous pages after a segment's file part are executable: vm_brk_flags keeps only
 * VM_EXEC; they are always read/write, and executable too under READ_IMPLIES_EXEC (do_brk_flags adds
 * VM_DATA_DEFAULT_FLAGS, which then include VM_EXEC).
 */
export function bssProtection(flags: number, readImpliesExec = false): number {
  return Prot.read | Prot.write | (flags & PF_X || readImpliesExec ? Prot.exec : 0);
}

/**
 * Zeroing the rest of the last file page when p_memsz > p_filesz (padzero). The write fails if the
 * page is not writable or lies wholly past EOF. 6.7+: a failure kills the exec only for a writable
 * segment; up to 6.6 any failure of the final zeroing kills it.
 */
export function tailZeroingRule(failed: boolean, writable: boolean, profile: KernelProfile): string | null {
  if (!failed) return null;
  if (profile.zeroingRule === 'pre-6.7' || writable) return 'zeroing the end of the last file page failed';
  return null;
}

export function formatBytes(n: number): string {
  if (n === Infinity) return 'unlimited';
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${v.toFixed(1)} ${units[i]}`;
}

/** Mappings at least this large are reported as depending on the memory-commit policy. */
export const LARGE_MAPPING_BYTES = 64 * 1024 * 1024;

/** The overcommit assumption: the figure is the largest single charge, as commitRule judges it. */
export function overcommitText(c: CommitCharge): string {
  return `the memory-commit rule charges ${formatCommitCharge(c.bytes)} for one mapping (${c.what}): needs a commit limit (RAM + swap under heuristic overcommit) of at least that, or vm.overcommit_memory = 1`;
}
/** What every file the compat loader takes relies on (golf check probes the host for it). */
export const ELF32_ASSUMPTION: Assumption = {
  id: 'elf32',
  text: 'a 32-bit (ELF32, EM_386) file: runs only where the kernel has IA32 emulation compiled in and enabled',
};

/** The mmap_min_addr distributions ship: mappings below it are reported. */
export const DISTRIBUTION_MMAP_MIN_ADDR = 65536;

export interface Loaded {
  kind: 'loaded';
  entry: number;
  /** AT_PHDR: where the program headers are in memory (0 + bias if no segment maps them). */
  phdrAddr: number;
  bias: number;
  /** What the file relies on (loader facts). */
  assumptions: Assumption[];
  /** The largest single mapping the commit rule charged (see commitRule), or null if none was accountable. */
  commitCharge: CommitCharge | null;
}

export interface CommitCharge {
  bytes: number;
  /** Which mapping: "PT_LOAD[0]: ..." */
  what: string;
}

export type MapResult = Loaded | { kind: 'killed'; rule: string };

/** Where the kernel's top-down mmap allocator starts (mmap_base) for this run. */
export interface Placement {
  /** mmap_base: the highest address a kernel-placed mapping (ET_DYN without interpreter) may end at. */
  mmapBase: number;
  /** The lowest address of the stack's mapping (nothing is placed within the guard gap below it). */
  stackLow: number;
  /** The stack top (end of its mapping). */
  stackTop: number;
}

/** mmap_base for 64-bit processes (see mmapBaseFor in personality.ts for both kinds). */
export function chooseMmapBase(profile: KernelProfile, random: Random): number {
  return mmapBaseFor(X86_64, profile, random);
}

/** Where a kernel-placed mapping of `length` bytes lands: top-down below mmap_base, else bottom-up. */
export function kernelPlacedAddress(length: number, placement: Placement, profile: KernelProfile): number | null {
  const top = pageStart(placement.mmapBase - length);
  // the kernel places nothing on page 0, nor below mmap_min_addr
  const low = Math.max(lowestFixedMapping(profile), PAGE_SIZE);
  if (length <= placement.mmapBase && top >= low) return top;
  if (low + length <= placement.stackLow - STACK_GUARD_GAP_BYTES) return low;
  return null;
}

/**
 * Total extent of the PT_LOAD segments (ET_DYN lays them out as one block). The kernel computes it
 * in elf_addr_t, so for an ELF32 file (wordSize 4) p_vaddr + p_memsz and the difference wrap modulo
 * 2^32.
 */
export function totalMappingSize(loads: readonly ProgramHeader[], wordSize: 4 | 8 = 8): number {
  let min = Infinity;
  let max = 0;
  for (const ph of loads) {
    min = Math.min(min, pageStart(ph.vaddr));
    max = Math.max(max, wordSize === 4 ? (ph.vaddr + ph.memsz) % TWO32 : ph.vaddr + ph.memsz);
  }
  if (loads.length === 0) return 0;
  return wordSize === 4 ? (((max - min) % TWO32) + TWO32) % TWO32 : max - min;
}

/** Largest power-of-two p_align among the PT_LOADs, at least one page. */
export function maximumAlignment(loads: readonly ProgramHeader[]): number {
  let alignment = 0;
  for (const ph of loads) {
    const a = ph.align;
    if (a > 0 && Number.isInteger(Math.log2(a))) alignment = Math.max(alignment, a);
  }
  return pageAlign(alignment);
}

/** Records one accountable mapping (and applies the commit rule to it). */
type Charge = (where: string, length: number, what: string) => void;

class Killed {
  constructor(readonly rule: string) {}
}

function check(reason: string | null, where: string): void {
  if (reason) throw new Killed(`${where}: ${reason}`);
}

/** Maps the PT_LOAD segments as elf_load does and checks the entry point. */
export function mapSegments(exe: ExecutableFile, mem: AddressSpace, kernel: KernelProfile, placement: Placement): MapResult {
  // TASK_SIZE is the process's: IA32_TASK_SIZE for a 32-bit one.
  const profile = processProfile(kernel, exe.personality);
  const assumptions = new Map<string, Assumption>();
  const note = (id: string, text: string): void => {
    if (!assumptions.has(id)) assumptions.set(id, { id, text });
  };
  const { header, phdrs, file } = exe;
  const loads = phdrs.filter((ph) => ph.type === PT_LOAD);
  const isDyn = header.type === ET_DYN;
  let bias = 0;
  let phdrAddr = 0;
  /** [start, end) of every segment mapping, to detect one laid over the stack. */
  const mapped: [number, number][] = [];

  let commitCharge: CommitCharge | null = null;
  /** An accountable mapping: the commit rule judges it alone, and the largest one is what the file needs. */
  const charge: Charge = (where, length, what) => {
    check(commitRule(length, profile), where);
    if (!commitCharge || length > commitCharge.bytes) commitCharge = { bytes: length, what: `${where}: ${what}` };
  };

  /** A fixed mapping with the range, mmap_min_addr and commit checks, reporting what it relies on. */
  const fixedMapping = (where: string, start: number, length: number, accountable: false | string): void => {
    check(mappingRangeRule(start, length, profile), where);
    mapped.push([start, start + length]);
    if (accountable) charge(where, length, accountable);
    if (start < DISTRIBUTION_MMAP_MIN_ADDR) note('mmap-min-addr', `maps address 0x${start.toString(16)} (needs vm.mmap_min_addr <= 0x${start.toString(16)}, or root)`);
  };

  if (exe.personality === IA32) note(ELF32_ASSUMPTION.id, ELF32_ASSUMPTION.text);
  try {
    for (let i = 0; i < loads.length; i++) {
      const ph = loads[i]!;
      const where = `PT_LOAD[${ph.index}]`;
      const prot = segmentProtection(ph.flags, profile, exe.readImpliesExec);
      const writable = (ph.flags & PF_W) !== 0;
      if ((ph.flags & 7) === PF_X) note('exec-only-readable', `${where} is execute-only: its bytes are readable only on CPUs without protection keys (PKU)`);
      let addr: number;
      if (i === 0 && isDyn) {
        addr = placeFirstDynSegment(ph, loads, profile, placement, where, charge, exe.personality.wordSize);
        bias = addr - ph.vaddr;
      } else {
        addr = bias + ph.vaddr;
      }
      // elf_load: the file part.
      let mapStart: number;
      let zeroStart: number;
      if (ph.filesz > 0) {
        const size = pageAlign(ph.filesz + ph.vaddrPageOffset);
        mapStart = pageStart(addr);
        check(offsetCongruenceRule(ph), where);
        check(fileOffsetRule(ph.offset - ph.vaddrPageOffset, size), where);
        fixedMapping(where, mapStart, size, writable && 'the file part, private and writable');
        if (i === 0 && !isDyn) check(noReplaceRule(mapStart, size, mem), where);
        mem.mapFile(mapStart, size, prot, file, ph.offset - ph.vaddrPageOffset);
        zeroStart = addr + ph.filesz;
        if (ph.memsz > ph.filesz && zeroStart % PAGE_SIZE !== 0) {
          const failed = !zeroTail(mem, zeroStart);
          if (failed && !writable && profile.zeroingRule === '6.7+') {
            note('kernel>=6.7', `${where}: zeroing the bss start of a read-only segment fails; kernels up to 6.6 kill the exec`);
          }
          check(tailZeroingRule(failed, writable, profile), where);
        }
      } else {
        mapStart = pageStart(addr);
        zeroStart = mapStart;
      }
      // elf_load: anonymous pages up to p_memsz (vm_brk_flags replaces whatever is there).
      if (ph.memsz > ph.filesz) {
        const bssStart = pageAlign(zeroStart);
        const bssEnd = pageAlign(ph.filesz > 0 ? addr + ph.memsz : mapStart + ph.vaddrPageOffset + ph.memsz);
        if (bssEnd > bssStart) {
          fixedMapping(where, bssStart, bssEnd - bssStart, 'the anonymous pages up to p_memsz');
          mem.map(bssStart, bssEnd - bssStart, bssProtection(ph.flags, exe.readImpliesExec));
        }
      }
      if (ph.offset <= header.phoff && header.phoff < ph.offset + ph.filesz) phdrAddr = header.phoff - ph.offset + ph.vaddr;
      check(segmentBoundsRule(ph, profile), where);
    }
    if (isDyn && loads.length === 0) throw new Killed('ET_DYN file without PT_LOAD');
    const entry = relocatedEntry(header, bias);
    check(entryRule(entry, profile), 'e_entry');
    // A later segment mapped over the stack would destroy the argument strings before the kernel
    // writes argv/auxv there; golf does not model what survives and treats it as a failed exec.
    for (const [start, end] of mapped) {
      if (start < placement.stackTop && end > placement.stackLow) throw new Killed('a PT_LOAD segment was mapped over the stack');
    }
    const largest = commitCharge as CommitCharge | null;
    if (largest && largest.bytes >= LARGE_MAPPING_BYTES) note('overcommit', overcommitText(largest));
    return { kind: 'loaded', entry, phdrAddr: phdrAddr + bias, bias, assumptions: [...assumptions.values()], commitCharge: largest };
  } catch (err) {
    if (err instanceof Killed) return { kind: 'killed', rule: err.rule };
    throw err;
  }
}

/** padzero: clear from `address` to the end of its page as the process would; false if that write faults. */
function zeroTail(mem: AddressSpace, address: number): boolean {
  const length = PAGE_SIZE - (address % PAGE_SIZE);
  const page = mem.getPage(Math.floor(address / PAGE_SIZE));
  if (!page || (page.prot & Prot.write) === 0 || page.pastEof) return false;
  page.data.fill(0, address % PAGE_SIZE, address % PAGE_SIZE + length);
  return true;
}

/** e_entry + load bias modulo 2^64, exact (an ET_DYN entry may wrap around). */
function relocatedEntry(h: ElfHeader, bias: number): number {
  if (bias === 0) return h.entry;
  // Split the bias into 32-bit halves and add with carry, modulo 2^64.
  const b = ((bias % 2 ** 64) + 2 ** 64) % 2 ** 64;
  const bHi = Math.floor(b / 2 ** 32);
  const bLo = b - bHi * 2 ** 32;
  const lo = h.entryLo + bLo;
  const hi = (h.entryHi + bHi + (lo >= 2 ** 32 ? 1 : 0)) % 2 ** 32;
  return hi * 2 ** 32 + (lo % 2 ** 32);
}

/**
 * ET_DYN without interpreter: the kernel places the first PT_LOAD itself (load_bias 0, the
 * address only a hint) and the others follow at the same bias. Returns the address p_vaddr of
 * the first segment lands at.
 */
function placeFirstDynSegment(
  ph: ProgramHeader,
  loads: readonly ProgramHeader[],
  profile: KernelProfile,
  placement: Placement,
  where: string,
  charge: Charge,
  wordSize: 4 | 8,
): number {
  const total = totalMappingSize(loads, wordSize);
  if (total <= 0) throw new Killed(`${where}: the PT_LOAD segments span no memory`);
  const alignment = maximumAlignment(loads);
  const writable = (ph.flags & PF_W) !== 0;
  // The kernel's first mmap covers the whole image; its size limits apply to `total`.
  const kernelPlaced = (length: number): number => {
    check(length > profile.taskSize ? 'the image is larger than TASK_SIZE' : null, where);
    if (writable) charge(where, length, 'the whole ET_DYN image, mapped at once before the part past p_filesz is unmapped');
    const at = kernelPlacedAddress(length, placement, profile);
    if (at === null) throw new Killed(`${where}: no room for a ${formatBytes(length)} image`);
    return at;
  };
  if (alignment > PAGE_SIZE) {
    // Probe mapping at a kernel-chosen address, then aligned down to p_align: the segment's page
    // lands at that base (one page lower if p_vaddr is not page aligned).
    let probe = 0;
    if (ph.filesz > 0) probe = kernelPlaced(pageAlign(total));
    else if (ph.memsz > 0) check(mappingRangeRule(0, pageAlign(ph.memsz), profile), where);
    const base = alignment > 2 ** 52 ? 0 : probe - (probe % alignment);
    const start = ph.vaddrPageOffset === 0 ? base : base - PAGE_SIZE;
    if (start < 0) throw new Killed(`${where}: aligned load address underflows`);
    return start + ph.vaddrPageOffset;
  }
  if (ph.filesz > 0) return kernelPlaced(pageAlign(total)) + ph.vaddrPageOffset;
  // No file part: the "hint" is the first page only if p_vaddr is page aligned (else an address
  // above TASK_SIZE, which kills the exec); the bss then goes to address 0.
  if (ph.vaddrPageOffset !== 0) throw new Killed(`${where}: ET_DYN first segment without file bytes at an unaligned p_vaddr`);
  return 0;
}
