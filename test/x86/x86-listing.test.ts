// The decoder's and the encoder's behaviour over every form, operation size and mode, against the
// digest taken from the code before the table was expanded into codes (scripts/x86-listing.ts says
// what is listed and how to print it for a diff). Regenerated on purpose since: the imm8/imm16
// encoder fix, and movsxd without REX.W no longer assembled (nasm refuses it; decodes unchanged).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listingDigest } from '../../scripts/x86-listing.js';

describe('x86 listing', () => {
  it('decodes and encodes every form, size and mode as before the codes', () => {
    const expected = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'x86-listing.json'), 'utf8'));
    expect(listingDigest()).toEqual(expected);
  }, 120_000);
});
