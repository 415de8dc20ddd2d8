/**
 * The ELF64 header and program-header fields as the layout search reads them: places (offset,
 * size) come from the Linux layer's definition (src/linux/elf.ts); this module only adds each
 * field's role in a layout, which decides how the layout solver (layout.ts) and golf explain treat
 * its bytes:
 * - "fixed": one accepted value (given by the loader or by the layout); its bytes are pinned;
 * - "address": a number the solver computes exactly (the entry point, the segment's address and
 *   offset), pinned because the code walked there relies on it;
 * - "value": a number the solver chooses a representative of; each of its bytes keeps every value
 *   the loader's verdict treats alike (probed against the loader model);
 * - "ignored": never read by the loader; its bytes are free.
 */

export type FieldRule = 'fixed' | 'address' | 'value' | 'ignored';

export interface ElfField {
  readonly name: string;
  /** Offset inside its structure (the ELF header, or one program header). */
  readonly offset: number;
  readonly size: number;
  readonly rule: FieldRule;
}

export { EHDR64_SIZE as ELF_HEADER_SIZE, ELF_MAGIC, PHDR64_SIZE as PHDR_SIZE } from '../linux/elf.js';
export { EM_X86_64, ET_DYN, ET_EXEC, PF_R, PF_W, PF_X, PT_LOAD } from '../linux/elf.js';
import { EHDR64, ET_DYN, PHDR64, type FieldPlace } from '../linux/elf.js';

/** Names as the ELF specification spells them; e_ident is split into the magic and the rest. */
export const EHDR_NAMES: Record<keyof typeof EHDR64, string> = {
  e_magic: 'e_ident.magic', e_ident_rest: 'e_ident.rest', e_type: 'e_type', e_machine: 'e_machine',
  e_version: 'e_version', e_entry: 'e_entry', e_phoff: 'e_phoff', e_shoff: 'e_shoff', e_flags: 'e_flags',
  e_ehsize: 'e_ehsize', e_phentsize: 'e_phentsize', e_phnum: 'e_phnum', e_shentsize: 'e_shentsize',
  e_shnum: 'e_shnum', e_shstrndx: 'e_shstrndx',
};

/**
 * How the layout search treats each ELF header field (places come from src/linux/elf.ts). Which
 * values pass is never decided here: the solver probes the loader model for that.
 */
export const EHDR_RULES: Record<keyof typeof EHDR64, FieldRule> = {
  e_magic: 'fixed', e_ident_rest: 'ignored', e_type: 'fixed', e_machine: 'fixed', e_version: 'ignored',
  e_entry: 'address', e_phoff: 'fixed', e_shoff: 'ignored', e_flags: 'ignored', e_ehsize: 'ignored',
  e_phentsize: 'fixed', e_phnum: 'fixed', e_shentsize: 'ignored', e_shnum: 'ignored', e_shstrndx: 'ignored',
};

export function fieldsOf<K extends string>(places: Record<K, FieldPlace>, rules: Record<K, FieldRule>, names?: Record<K, string>): ElfField[] {
  return (Object.keys(places) as K[]).map((k) => ({ name: names ? names[k] : k, offset: places[k].offset, size: places[k].size, rule: rules[k] }));
}

export const EHDR_FIELDS: readonly ElfField[] = fieldsOf(EHDR64, EHDR_RULES, EHDR_NAMES);

/** How the layout search treats each program-header field; p_align is only read for ET_DYN. */
export function phdrRules(type: number): Record<keyof typeof PHDR64, FieldRule> {
  return {
    p_type: 'fixed', p_flags: 'value', p_offset: 'address', p_vaddr: 'address', p_paddr: 'ignored',
    p_filesz: 'value', p_memsz: 'value', p_align: type === ET_DYN ? 'value' : 'ignored',
  };
}

/** p_align is only read for ET_DYN (EXEC ignores it); `phdrFields` resolves that. */
export function phdrFields(type: number): readonly ElfField[] {
  return fieldsOf(PHDR64, phdrRules(type));
}

/**
 * Names of the fields the loader reads in some one-PT_LOAD file (p_align: in an ET_DYN file), for
 * golf explain's NASM source (an instruction on such bytes is written as db).
 */
export const LOADER_READ_FIELDS: ReadonlySet<string> = new Set(
  [...EHDR_FIELDS, ...phdrFields(ET_DYN)].filter((f) => f.rule !== 'ignored').map((f) => f.name),
);

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
