import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { explainFile } from '../../src/search/explain.js';

// A 73-byte exit(42) as golf search writes it (P=12 ET_DYN: entry at offset 0, `jg` into the tail,
// a jump back into e_ident). Input only: the roles below are derived by explain, not stored.
const EXIT42 = new Uint8Array(Buffer.from(
  '7f454c46b03c40b72a0f05000100000003003e000c000000000000000c0000000c00000000000000000000003d0000000000000000003800010000000000000000000000000000ebbb',
  'hex',
));

describe('golf explain', () => {
  const e = explainFile(EXIT42, { ...DEFAULT_PROFILE, ia32Emulation: false }, 'exit42');

  it('traces the executed path to the exit', () => {
    expect(e.ending).toBe('exit 42 (syscall)');
    expect(e.executed.map((i) => i.offset)).toEqual([0, 71, 4, 6, 9]);
  });

  it('gives every byte its header and code roles', () => {
    expect(e.roles[0]).toContain('e_ident.magic');
    expect(e.roles[0]!.some((r) => r.startsWith('code: jg'))).toBe(true);
    expect(e.roles[16]).toEqual(['e_type', 'p_flags']);
    expect(e.roles[28]).toEqual(['e_entry', 'p_vaddr']);
    expect(e.roles[70]).toEqual([]);
  });

  it('prints a NASM source that assembles back to the identical bytes', () => {
    expect(Buffer.from(assemble(e.source)).equals(Buffer.from(EXIT42))).toBe(true);
    expect(e.source).toContain('syscall');
  });
});
