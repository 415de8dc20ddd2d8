/**
 * ELF header and program-header parsing, and the checks the kernel makes before the exec's point
 * of no return (fs/binfmt_elf.c, load_elf_binary and load_elf_phdrs). Each check is one named,
 * exported function over parsed fields, returning the errno the exec fails with or null, so the
 * search engine can ask "which values of this field pass?" rule by rule.
 *
 * An x86-64 kernel has two ELF loaders built from the same source: the native one (ELF64 structures,
 * EM_X86_64) and, with IA32 emulation, the compat one (fs/compat_binfmt_elf.c includes binfmt_elf.c
 * with the ELF32 structures and the ia32 architecture checks). So the rules below are written once
 * and read their structures through an ElfLayout: ELF64 or ELF32. Neither loader reads
 * e_ident[EI_CLASS]: e_machine alone decides which one takes a file.
 *
 * 64-bit fields are plain numbers: exact below 2^53, and every value at or above 2^53 is far above
 * TASK_SIZE, which is all the loader needs to know about it. Where the exact low bits matter (page
 * offsets, the entry point of a relocated ET_DYN file) they are kept separately.
 */
import type { KernelProfile } from './profile.js';

export const ET_EXEC = 2;
export const ET_DYN = 3;
export const EM_X86_64 = 62;
export const EM_386 = 3;
/** elf_check_arch_ia32 accepts EM_486 as well as EM_386. */
export const EM_486 = 6;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
/** sizeof(struct elf64_phdr): the only e_phentsize the 64-bit loader accepts. */
export const PHDR64_SIZE = 56;
/** sizeof(struct elf32_phdr): the only e_phentsize the compat loader accepts. */
export const PHDR32_SIZE = 32;
/** The exec code reads this many leading bytes of the file into a zero-filled buffer. */
export const BINPRM_BUF_SIZE = 256;
/** The kernel never reads a program-header table larger than 64 KiB. */
export const PHDR_TABLE_HARD_LIMIT = 65536;
/** PATH_MAX: the longest PT_INTERP string the kernel reads. */
export const PATH_MAX = 4096;

export type ExecErrno = 'ENOEXEC' | 'EIO' | 'EINVAL';

/** Offset and size in bytes of one field of an ELF structure (little-endian). */
export interface FieldPlace {
  readonly offset: number;
  readonly size: number;
}

/**
 * The ELF64 header (struct elf64_hdr), written once: the parser below reads through it and the
 * search engine lays out files with it. e_ident's 16 bytes are split into the 4 magic bytes the
 * loader compares and the 12 it never reads.
 */
export const EHDR64 = {
  e_magic: { offset: 0, size: 4 },
  e_ident_rest: { offset: 4, size: 12 },
  e_type: { offset: 16, size: 2 },
  e_machine: { offset: 18, size: 2 },
  e_version: { offset: 20, size: 4 },
  e_entry: { offset: 24, size: 8 },
  e_phoff: { offset: 32, size: 8 },
  e_shoff: { offset: 40, size: 8 },
  e_flags: { offset: 48, size: 4 },
  e_ehsize: { offset: 52, size: 2 },
  e_phentsize: { offset: 54, size: 2 },
  e_phnum: { offset: 56, size: 2 },
  e_shentsize: { offset: 58, size: 2 },
  e_shnum: { offset: 60, size: 2 },
  e_shstrndx: { offset: 62, size: 2 },
} as const satisfies Record<string, FieldPlace>;

/** sizeof(struct elf64_hdr). */
export const EHDR64_SIZE = 64;

/** One program header (struct elf64_phdr), offsets within the entry. */
export const PHDR64 = {
  p_type: { offset: 0, size: 4 },
  p_flags: { offset: 4, size: 4 },
  p_offset: { offset: 8, size: 8 },
  p_vaddr: { offset: 16, size: 8 },
  p_paddr: { offset: 24, size: 8 },
  p_filesz: { offset: 32, size: 8 },
  p_memsz: { offset: 40, size: 8 },
  p_align: { offset: 48, size: 8 },
} as const satisfies Record<string, FieldPlace>;

/** The ELF32 header (struct elf32_hdr): the same fields as EHDR64, addresses and offsets 4 bytes wide. */
export const EHDR32 = {
  e_magic: { offset: 0, size: 4 },
  e_ident_rest: { offset: 4, size: 12 },
  e_type: { offset: 16, size: 2 },
  e_machine: { offset: 18, size: 2 },
  e_version: { offset: 20, size: 4 },
  e_entry: { offset: 24, size: 4 },
  e_phoff: { offset: 28, size: 4 },
  e_shoff: { offset: 32, size: 4 },
  e_flags: { offset: 36, size: 4 },
  e_ehsize: { offset: 40, size: 2 },
  e_phentsize: { offset: 42, size: 2 },
  e_phnum: { offset: 44, size: 2 },
  e_shentsize: { offset: 46, size: 2 },
  e_shnum: { offset: 48, size: 2 },
  e_shstrndx: { offset: 50, size: 2 },
} as const satisfies Record<keyof typeof EHDR64, FieldPlace>;

/** sizeof(struct elf32_hdr). */
export const EHDR32_SIZE = 52;

/** One program header (struct elf32_phdr): note that p_flags comes after p_memsz here. */
export const PHDR32 = {
  p_type: { offset: 0, size: 4 },
  p_offset: { offset: 4, size: 4 },
  p_vaddr: { offset: 8, size: 4 },
  p_paddr: { offset: 12, size: 4 },
  p_filesz: { offset: 16, size: 4 },
  p_memsz: { offset: 20, size: 4 },
  p_flags: { offset: 24, size: 4 },
  p_align: { offset: 28, size: 4 },
} as const satisfies Record<keyof typeof PHDR64, FieldPlace>;

/** The structures one ELF loader reads: the 64-bit one's or the compat (32-bit) one's. */
export interface ElfLayout {
  readonly name: 'ELF64' | 'ELF32';
  readonly ehdr: Readonly<Record<keyof typeof EHDR64, FieldPlace>>;
  readonly ehdrSize: number;
  readonly phdr: Readonly<Record<keyof typeof PHDR64, FieldPlace>>;
  /** sizeof(struct elf_phdr): e_phentsize must equal it, and the table is e_phnum entries of it. */
  readonly phentsize: number;
}

export const ELF64: ElfLayout = { name: 'ELF64', ehdr: EHDR64, ehdrSize: EHDR64_SIZE, phdr: PHDR64, phentsize: PHDR64_SIZE };
export const ELF32: ElfLayout = { name: 'ELF32', ehdr: EHDR32, ehdrSize: EHDR32_SIZE, phdr: PHDR32, phentsize: PHDR32_SIZE };

/** The ELF magic, e_ident[0..3]. */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export interface ElfHeader {
  /** e_ident[0..3] === 7f 'E' 'L' 'F'. */
  magicOk: boolean;
  type: number;
  machine: number;
  entry: number;
  /** e_entry as two unsigned 32-bit halves, for exact relocation of ET_DYN entry points (entryHi 0 for ELF32). */
  entryHi: number;
  entryLo: number;
  phoff: number;
  phentsize: number;
  phnum: number;
}

export interface ProgramHeader {
  /** Position in the table (0-based). */
  index: number;
  type: number;
  flags: number;
  offset: number;
  /** p_offset modulo 4096, exact even when p_offset is above 2^53. */
  offsetPageOffset: number;
  vaddr: number;
  /** p_vaddr modulo 4096, exact. */
  vaddrPageOffset: number;
  filesz: number;
  memsz: number;
  align: number;
}

const TWO32 = 0x1_0000_0000;

/** An unsigned field of 1, 2, 4 or 8 bytes (8-byte values as a number, see the module comment). */
function readField(view: DataView, at: number, place: FieldPlace): number {
  const a = at + place.offset;
  switch (place.size) {
    case 1: return view.getUint8(a);
    case 2: return view.getUint16(a, true);
    case 4: return view.getUint32(a, true);
    default: return view.getUint32(a + 4, true) * TWO32 + view.getUint32(a, true);
  }
}

/** The first 256 bytes as the kernel sees them: the file's bytes, zeros past its end. */
export function headerBuffer(file: Uint8Array): Uint8Array {
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(file.subarray(0, BINPRM_BUF_SIZE));
  return buf;
}

/** Parses the ELF header fields a loader reads (from the zero-filled 256-byte buffer), by its layout. */
export function parseHeader(file: Uint8Array, layout: ElfLayout = ELF64): ElfHeader {
  const buf = headerBuffer(file);
  const v = new DataView(buf.buffer);
  const E = layout.ehdr;
  const entry = readField(v, 0, E.e_entry);
  return {
    magicOk: ELF_MAGIC.every((byte, i) => buf[E.e_magic.offset + i] === byte),
    type: readField(v, 0, E.e_type),
    machine: readField(v, 0, E.e_machine),
    entry,
    entryHi: E.e_entry.size === 8 ? v.getUint32(E.e_entry.offset + 4, true) : 0,
    entryLo: v.getUint32(E.e_entry.offset, true),
    phoff: readField(v, 0, E.e_phoff),
    phentsize: readField(v, 0, E.e_phentsize),
    phnum: readField(v, 0, E.e_phnum),
  };
}

/** Parses the program-header table (call only after phdrTableReadableRule passed). */
export function parseProgramHeaders(file: Uint8Array, header: ElfHeader, layout: ElfLayout = ELF64): ProgramHeader[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const P = layout.phdr;
  const out: ProgramHeader[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = header.phoff + i * layout.phentsize;
    out.push({
      index: i,
      type: readField(v, at, P.p_type),
      flags: readField(v, at, P.p_flags),
      offset: readField(v, at, P.p_offset),
      offsetPageOffset: v.getUint32(at + P.p_offset.offset, true) & 0xfff,
      vaddr: readField(v, at, P.p_vaddr),
      vaddrPageOffset: v.getUint32(at + P.p_vaddr.offset, true) & 0xfff,
      filesz: readField(v, at, P.p_filesz),
      memsz: readField(v, at, P.p_memsz),
      align: readField(v, at, P.p_align),
    });
  }
  return out;
}

// ---- Checks before the point of no return: each returns the exec's errno, or null if it passes.

/** e_ident must start with 7f 'E' 'L' 'F'; the other 12 e_ident bytes are never read. */
export function magicRule(h: ElfHeader): ExecErrno | null {
  return h.magicOk ? null : 'ENOEXEC';
}

/** e_type must be ET_EXEC (2) or ET_DYN (3). */
export function typeRule(h: ElfHeader): ExecErrno | null {
  return h.type === ET_EXEC || h.type === ET_DYN ? null : 'ENOEXEC';
}

/** e_machine must be EM_X86_64 (62) for the 64-bit loader (elf_check_arch). */
export function machineRule(h: ElfHeader): ExecErrno | null {
  return h.machine === EM_X86_64 ? null : 'ENOEXEC';
}

/** e_machine names a 32-bit x86 file: EM_386 or EM_486 (elf_check_arch_ia32). */
export function isIa32Machine(h: ElfHeader): boolean {
  return h.machine === EM_386 || h.machine === EM_486;
}

/**
 * The compat loader's e_machine check (compat_elf_check_arch): EM_386 or EM_486, and only while
 * IA32 emulation is compiled in and enabled (6.7+ also asks ia32_enabled(): ia32_emulation=off at
 * boot refuses every such file). x32 files (EM_X86_64 read as ELF32, CONFIG_X86_X32_ABI) are not
 * modelled: the profiles are of kernels built without x32.
 */
export function ia32MachineRule(h: ElfHeader, profile: KernelProfile): ExecErrno | null {
  return isIa32Machine(h) && profile.elf32Executables ? null : 'ENOEXEC';
}

/** e_phentsize must equal sizeof(struct elf_phdr) of the loader's layout: 56, or 32 for ELF32. */
export function phentsizeRule(h: ElfHeader, layout: ElfLayout = ELF64): ExecErrno | null {
  return h.phentsize === layout.phentsize ? null : 'ENOEXEC';
}

/**
 * The table (e_phnum entries of the layout's size) must be > 0 and <= 64 KiB; kernels up to 6.16
 * also cap it at one page (4096 bytes, the profile's maxPhdrTableBytes): 73 ELF64 entries, 128 ELF32.
 */
export function phnumRule(h: ElfHeader, profile: KernelProfile, layout: ElfLayout = ELF64): ExecErrno | null {
  const size = h.phnum * layout.phentsize;
  return size > 0 && size <= PHDR_TABLE_HARD_LIMIT && size <= profile.maxPhdrTableBytes ? null : 'ENOEXEC';
}

/** The whole program-header table must be readable at e_phoff (no alignment needed); a short read refuses the exec. */
export function phdrTableReadableRule(h: Pick<ElfHeader, 'phoff' | 'phnum'>, fileSize: number, layout: ElfLayout = ELF64): ExecErrno | null {
  return h.phoff + h.phnum * layout.phentsize <= fileSize ? null : 'ENOEXEC';
}

export interface HeaderRule {
  name: string;
  why: string;
  check: (h: ElfHeader, profile: KernelProfile, fileSize: number) => ExecErrno | null;
}

/** The checks after e_machine, before the program headers are read, in the kernel's order. */
function tableRules(layout: ElfLayout): HeaderRule[] {
  return [
    { name: 'e_phentsize', why: `e_phentsize is not ${layout.phentsize}`, check: (h) => phentsizeRule(h, layout) },
    { name: 'e_phnum', why: 'e_phnum is 0 or the program-header table is larger than this kernel reads', check: (h, p) => phnumRule(h, p, layout) },
    { name: 'program-header table inside the file', why: 'the program-header table is not wholly inside the file', check: (h, _p, size) => phdrTableReadableRule(h, size, layout) },
  ];
}

const MAGIC_AND_TYPE: HeaderRule[] = [
  { name: 'magic', why: 'the file does not start with 7f 45 4c 46 ("\\x7fELF")', check: (h) => magicRule(h) },
  { name: 'e_type', why: 'e_type is neither ET_EXEC (2) nor ET_DYN (3)', check: (h) => typeRule(h) },
];

/** The 64-bit loader's checks before the program headers are read, in the kernel's order. */
export const HEADER_RULES: readonly HeaderRule[] = [
  ...MAGIC_AND_TYPE,
  { name: 'e_machine', why: 'e_machine is not x86-64 (62)', check: (h) => machineRule(h) },
  ...tableRules(ELF64),
];

/** The compat loader's checks (the same code over struct elf32_hdr), in the kernel's order. */
export const HEADER_RULES_32: readonly HeaderRule[] = [
  ...MAGIC_AND_TYPE,
  { name: 'e_machine', why: 'e_machine is not i386 (3 or 6), or IA32 emulation is off', check: (h, p) => ia32MachineRule(h, p) },
  ...tableRules(ELF32),
];

/** What the kernel does with a PT_INTERP header: fail the exec, or open the named interpreter. */
export type InterpVerdict = { errno: ExecErrno } | { path: string };

/**
 * PT_INTERP (only the first one counts): p_filesz must be 2..PATH_MAX, the string must be readable
 * whole from the file (a negative offset is EINVAL, a short read EIO) and end in a NUL byte.
 * A well-formed one makes the kernel open that interpreter: a file system lookup golf does not model.
 */
export function interpRule(ph: ProgramHeader, file: Uint8Array): InterpVerdict {
  if (ph.filesz > PATH_MAX || ph.filesz < 2) return { errno: 'ENOEXEC' };
  if (ph.offset >= 2 ** 63) return { errno: 'EINVAL' };
  if (ph.offset + ph.filesz > file.length) return { errno: 'EIO' };
  if (file[ph.offset + ph.filesz - 1] !== 0) return { errno: 'ENOEXEC' };
  const bytes = file.subarray(ph.offset, ph.offset + ph.filesz);
  const end = bytes.indexOf(0);
  return { path: new TextDecoder('latin1').decode(bytes.subarray(0, end)) };
}

/** The stack request of the file (EXSTACK_*): no PT_GNU_STACK, or the last one's PF_X. */
export type StackRequest = 'default' | 'enable-x' | 'disable-x';

/** PT_GNU_STACK: the last such header decides (the kernel's loop does not stop at the first). */
export function stackRequestRule(phdrs: readonly ProgramHeader[]): StackRequest {
  let request: StackRequest = 'default';
  for (const ph of phdrs) if (ph.type === PT_GNU_STACK) request = (ph.flags & PF_X) !== 0 ? 'enable-x' : 'disable-x';
  return request;
}

/**
 * Stack permission of a 64-bit process: executable only with a PT_GNU_STACK that has PF_X (for
 * 32-bit processes see readImpliesExecRule, which makes a default stack executable too).
 */
export function stackExecutableRule(phdrs: readonly ProgramHeader[]): boolean {
  return stackRequestRule(phdrs) === 'enable-x';
}

/**
 * elf_read_implies_exec on x86 (since Linux 5.8): a 32-bit process without PT_GNU_STACK gets the
 * READ_IMPLIES_EXEC personality, so every PROT_READ mapping (its segments, the bss, the stack) is
 * executable. 64-bit processes never get it.
 */
export function readImpliesExecRule(ia32: boolean, stack: StackRequest): boolean {
  return ia32 && stack === 'default';
}
