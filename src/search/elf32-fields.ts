/**
 * The ELF32 header and program-header fields as golf's 32-bit layouts and golf explain read them:
 * places come from the Linux layer (src/linux/elf.ts, EHDR32/PHDR32), roles are the ELF64 ones
 * (elf-fields.ts): the compat loader runs the same checks on the same fields.
 */
import { EHDR32, PHDR32 } from '../linux/elf.js';
import { EHDR_NAMES, EHDR_RULES, fieldsOf, phdrRules, type ElfField, type PlacedField } from './elf-fields.js';

export const EHDR32_FIELDS: readonly ElfField[] = fieldsOf(EHDR32, EHDR_RULES, EHDR_NAMES);

/** The fields of one ELF32 program header (p_flags is at +24 here, after p_memsz). */
export function phdr32Fields(type: number): readonly ElfField[] {
  return fieldsOf(PHDR32, phdrRules(type));
}

/** Every field of a one-program-header ELF32 file whose header table starts at `phoff`. */
export function placedFields32(phoff: number, type: number): PlacedField[] {
  return [...EHDR32_FIELDS.map((f) => ({ ...f, at: f.offset })), ...phdr32Fields(type).map((f) => ({ ...f, at: phoff + f.offset }))];
}
