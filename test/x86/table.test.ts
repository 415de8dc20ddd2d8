// Table self-checks: every form is well-formed, decodes to itself, and agrees with the opcode-space data.
import { describe, expect, it } from 'vitest';
import { FORMS } from '../../src/x86/table.js';
import type { Form } from '../../src/x86/table.js';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus } from '../../src/x86/decoded.js';
import { SEM_COUNT } from '../../src/x86/sem.js';
import { compareWithIced } from '../../bench/fuzz/decoder.js';

/** A canonical encoding of a form: prefix, REX.W/66 for the first size it accepts, ModRM with its /digit. */
function sampleEncoding(f: Form, mode: 64 | 32): Uint8Array {
  const bytes: number[] = [];
  const size = f.size === 'none' || f.size === 'byte' ? 0 : f.sizes[0];
  if (f.addressSize !== 0 && f.addressSize !== (mode === 64 ? 8 : 4)) bytes.push(0x67);
  if (size === 2) bytes.push(0x66);
  if (f.prefix) bytes.push(f.prefix);
  if (size === 8 && f.size === 'v') bytes.push(0x48);
  if (f.map === '0f') bytes.push(0x0f);
  bytes.push(f.plusR ? f.opcode + 1 : f.opcode);
  if (f.modrm) bytes.push(((f.operands.includes('mem') ? 0 : 3) << 6) | (Math.max(f.digit, 0) << 3) | 1);
  for (let i = 0; i < 10; i++) bytes.push(0);
  return Uint8Array.from(bytes);
}

describe('instruction table', () => {
  it('every form has a known semantics id, a mnemonic and consistent fields', () => {
    for (const f of FORMS) {
      expect(f.sem).toBeGreaterThanOrEqual(0);
      expect(f.sem).toBeLessThan(SEM_COUNT);
      expect(f.mnemonic).toMatch(/^[a-z0-9]+$/);
      expect(f.digit < 0 || f.modrm).toBe(true);
      expect(f.mode64 || f.mode32).toBe(true);
      if (f.plusR) expect(f.opcode & 7).toBe(0);
      if (f.cc >= 0) expect(f.mnemonic).not.toBe('');
    }
  });
  it('every semantics id is used by some form', () => {
    const used = new Set(FORMS.map((f) => f.sem));
    for (let s = 0; s < SEM_COUNT; s++) expect(used.has(s as never)).toBe(true);
  });
  for (const mode of [64, 32] as const) {
    it(`every form decodes back to itself in ${mode}-bit mode, with iced-x86's length`, () => {
      for (const f of FORMS) {
        if (mode === 64 ? !f.mode64 : !f.mode32) continue;
        const bytes = sampleEncoding(f, mode);
        const d = decode(bytes, 0, mode, 0);
        expect({ form: f.mnemonic, op: f.opcode, status: d.status }).toEqual({ form: f.mnemonic, op: f.opcode, status: DecodeStatus.ok });
        expect(d.form?.sem).toBe(f.sem);
        expect(compareWithIced(bytes, mode)).toBeNull();
      }
    });
  }
});
