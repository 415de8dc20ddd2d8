/**
 * The ELF64 header and program-header fields as the kernel's loader sees them (kernel-facts.md
 * sections 2 and 3), written once for the layout search: offset, size and what the loader does
 * with each field. "fixed" fields have one accepted value (given here or by the layout), "value"
 * fields carry a number the layout solver chooses, "ignored" fields are never read.
 */

export type FieldRule = 'fixed' | 'value' | 'ignored';

export interface ElfField {
  readonly name: string;
  /** Offset inside its structure (the ELF header, or one program header). */
  readonly offset: number;
  readonly size: number;
  readonly rule: FieldRule;
}

export const ELF_HEADER_SIZE = 64;
export { PHDR64_SIZE as PHDR_SIZE } from '../linux/elf.js';

import { ET_DYN } from '../linux/elf.js';
export { EM_X86_64, ET_DYN, ET_EXEC, PF_R, PF_W, PF_X, PT_LOAD } from '../linux/elf.js';
export const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const;

export const EHDR_FIELDS: readonly ElfField[] = [
  { name: 'e_ident.magic', offset: 0, size: 4, rule: 'fixed' },
  { name: 'e_ident.rest', offset: 4, size: 12, rule: 'ignored' },
  { name: 'e_type', offset: 16, size: 2, rule: 'fixed' },
  { name: 'e_machine', offset: 18, size: 2, rule: 'fixed' },
  { name: 'e_version', offset: 20, size: 4, rule: 'ignored' },
  { name: 'e_entry', offset: 24, size: 8, rule: 'value' },
  { name: 'e_phoff', offset: 32, size: 8, rule: 'fixed' },
  { name: 'e_shoff', offset: 40, size: 8, rule: 'ignored' },
  { name: 'e_flags', offset: 48, size: 4, rule: 'ignored' },
  { name: 'e_ehsize', offset: 52, size: 2, rule: 'ignored' },
  { name: 'e_phentsize', offset: 54, size: 2, rule: 'fixed' },
  { name: 'e_phnum', offset: 56, size: 2, rule: 'fixed' },
  { name: 'e_shentsize', offset: 58, size: 2, rule: 'ignored' },
  { name: 'e_shnum', offset: 60, size: 2, rule: 'ignored' },
  { name: 'e_shstrndx', offset: 62, size: 2, rule: 'ignored' },
];

/** p_align is only read for ET_DYN (EXEC ignores it); `phdrFields` resolves that. */
export function phdrFields(type: number): readonly ElfField[] {
  return [
    { name: 'p_type', offset: 0, size: 4, rule: 'fixed' },
    { name: 'p_flags', offset: 4, size: 4, rule: 'value' },
    { name: 'p_offset', offset: 8, size: 8, rule: 'value' },
    { name: 'p_vaddr', offset: 16, size: 8, rule: 'value' },
    { name: 'p_paddr', offset: 24, size: 8, rule: 'ignored' },
    { name: 'p_filesz', offset: 32, size: 8, rule: 'value' },
    { name: 'p_memsz', offset: 40, size: 8, rule: 'value' },
    { name: 'p_align', offset: 48, size: 8, rule: type === ET_DYN ? 'value' : 'ignored' },
  ];
}

/** A field placed in the file: absolute offset. */
export interface PlacedField extends ElfField {
  readonly at: number;
}

/** Every field of a one-program-header file whose header table starts at `phoff`. */
export function placedFields(phoff: number, type: number): PlacedField[] {
  return [
    ...EHDR_FIELDS.map((f) => ({ ...f, at: f.offset })),
    ...phdrFields(type).map((f) => ({ ...f, at: phoff + f.offset })),
  ];
}
