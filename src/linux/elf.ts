/**
 * ELF64 header and program-header parsing, and the checks the kernel makes before the exec's point
 * of no return (fs/binfmt_elf.c, load_elf_binary and load_elf_phdrs). Each check is one named,
 * exported function over parsed fields, returning the errno the exec fails with or null, so the
 * search engine can ask "which values of this field pass?" rule by rule.
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
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_GNU_STACK = 0x6474e551;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
/** sizeof(struct elf64_phdr): the only e_phentsize the 64-bit loader accepts. */
export const PHDR64_SIZE = 56;
/** The exec code reads this many leading bytes of the file into a zero-filled buffer. */
export const BINPRM_BUF_SIZE = 256;
/** The kernel never reads a program-header table larger than 64 KiB. */
export const PHDR_TABLE_HARD_LIMIT = 65536;
/** PATH_MAX: the longest PT_INTERP string the kernel reads. */
export const PATH_MAX = 4096;

export type ExecErrno = 'ENOEXEC' | 'EIO' | 'EINVAL';

/** Offset and size in bytes of one field of an ELF64 structure (little-endian). */
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

/** The ELF magic, e_ident[0..3]. */
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export interface ElfHeader {
  /** e_ident[0..3] === 7f 'E' 'L' 'F'. */
  magicOk: boolean;
  type: number;
  machine: number;
  entry: number;
  /** e_entry as two unsigned 32-bit halves, for exact relocation of ET_DYN entry points. */
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

function u64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * TWO32 + view.getUint32(at, true);
}

/** The first 256 bytes as the kernel sees them: the file's bytes, zeros past its end. */
export function headerBuffer(file: Uint8Array): Uint8Array {
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(file.subarray(0, BINPRM_BUF_SIZE));
  return buf;
}

/** Parses the ELF64 header fields the loader reads (from the zero-filled 256-byte buffer). */
export function parseHeader(file: Uint8Array): ElfHeader {
  const buf = headerBuffer(file);
  const v = new DataView(buf.buffer);
  const E = EHDR64;
  return {
    magicOk: ELF_MAGIC.every((byte, i) => buf[E.e_magic.offset + i] === byte),
    type: v.getUint16(E.e_type.offset, true),
    machine: v.getUint16(E.e_machine.offset, true),
    entry: u64(v, E.e_entry.offset),
    entryHi: v.getUint32(E.e_entry.offset + 4, true),
    entryLo: v.getUint32(E.e_entry.offset, true),
    phoff: u64(v, E.e_phoff.offset),
    phentsize: v.getUint16(E.e_phentsize.offset, true),
    phnum: v.getUint16(E.e_phnum.offset, true),
  };
}

/** Parses the program-header table (call only after phdrTableReadable passed). */
export function parseProgramHeaders(file: Uint8Array, header: ElfHeader): ProgramHeader[] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const P = PHDR64;
  const out: ProgramHeader[] = [];
  for (let i = 0; i < header.phnum; i++) {
    const at = header.phoff + i * PHDR64_SIZE;
    out.push({
      index: i,
      type: v.getUint32(at + P.p_type.offset, true),
      flags: v.getUint32(at + P.p_flags.offset, true),
      offset: u64(v, at + P.p_offset.offset),
      offsetPageOffset: v.getUint32(at + P.p_offset.offset, true) & 0xfff,
      vaddr: u64(v, at + P.p_vaddr.offset),
      vaddrPageOffset: v.getUint32(at + P.p_vaddr.offset, true) & 0xfff,
      filesz: u64(v, at + P.p_filesz.offset),
      memsz: u64(v, at + P.p_memsz.offset),
      align: u64(v, at + P.p_align.offset),
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

/**
 * e_machine must be EM_X86_64 (62) for the 64-bit loader. (EM_386 files go to the 32-bit compat
 * loader when IA32 emulation is on; golf does not model that loader, see machineIsIa32.)
 */
export function machineRule(h: ElfHeader): ExecErrno | null {
  return h.machine === EM_X86_64 ? null : 'ENOEXEC';
}

/** True when the 32-bit compat loader, not the 64-bit one, would judge the file. */
export function machineIsIa32(h: ElfHeader, profile: KernelProfile): boolean {
  return h.machine === EM_386 && profile.ia32Emulation;
}

/** e_phentsize must equal sizeof(struct elf64_phdr) = 56. */
export function phentsizeRule(h: ElfHeader): ExecErrno | null {
  return h.phentsize === PHDR64_SIZE ? null : 'ENOEXEC';
}

/**
 * 56 * e_phnum must be > 0 and <= 64 KiB; kernels up to 6.16 also cap it at one page (4096 bytes,
 * the profile's maxPhdrTableBytes).
 */
export function phnumRule(h: ElfHeader, profile: KernelProfile): ExecErrno | null {
  const size = h.phnum * PHDR64_SIZE;
  return size > 0 && size <= PHDR_TABLE_HARD_LIMIT && size <= profile.maxPhdrTableBytes ? null : 'ENOEXEC';
}

/** The whole program-header table must be readable at e_phoff (no alignment needed); a short read refuses the exec. */
export function phdrTableReadableRule(h: ElfHeader, fileSize: number): ExecErrno | null {
  return h.phoff + h.phnum * PHDR64_SIZE <= fileSize ? null : 'ENOEXEC';
}

/** The checks before the program headers are read, in the kernel's order. */
export const HEADER_RULES: readonly { name: string; why: string; check: (h: ElfHeader, profile: KernelProfile, fileSize: number) => ExecErrno | null }[] = [
  { name: 'magic', why: 'the file does not start with 7f 45 4c 46 ("\\x7fELF")', check: (h) => magicRule(h) },
  { name: 'e_type', why: 'e_type is neither ET_EXEC (2) nor ET_DYN (3)', check: (h) => typeRule(h) },
  { name: 'e_machine', why: 'e_machine is not x86-64 (62)', check: (h) => machineRule(h) },
  { name: 'e_phentsize', why: 'e_phentsize is not 56', check: (h) => phentsizeRule(h) },
  { name: 'e_phnum', why: 'e_phnum is 0 or the program-header table is larger than this kernel reads', check: (h, p) => phnumRule(h, p) },
  { name: 'program-header table inside the file', why: 'the program-header table is not wholly inside the file', check: (h, _p, size) => phdrTableReadableRule(h, size) },
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

/**
 * Stack permission from PT_GNU_STACK: the last such header decides; executable only if it has
 * PF_X. Without one, a 64-bit process's stack is not executable.
 */
export function stackExecutableRule(phdrs: readonly ProgramHeader[]): boolean {
  let executable = false;
  for (const ph of phdrs) if (ph.type === PT_GNU_STACK) executable = (ph.flags & PF_X) !== 0;
  return executable;
}

/**
 * For an EM_386 file under IA32 emulation: the 32-bit compat loader's header checks (e_phentsize
 * 32 at offset 42, 32 * e_phnum in (0, 64 KiB], the table inside the file at the 32-bit e_phoff).
 * A file that passes would be run as a 32-bit process, which golf does not model.
 */
export function ia32HeaderRule(file: Uint8Array, profile: KernelProfile): ExecErrno | null {
  const buf = headerBuffer(file);
  const v = new DataView(buf.buffer);
  const phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true);
  const phnum = v.getUint16(44, true);
  if (phentsize !== 32) return 'ENOEXEC';
  const size = phnum * 32;
  if (size === 0 || size > PHDR_TABLE_HARD_LIMIT || size > profile.maxPhdrTableBytes) return 'ENOEXEC';
  return phoff + size <= file.length ? null : 'ENOEXEC';
}
