// Flag effects in the table (src/x86/flag-effects.ts): one entry per Sem, read through the form.
import { describe, expect, it } from 'vitest';
import { FLAG_EFFECTS, flagsDefinedBy, flagsReadBy, flagsUndefinedBy } from '../../src/x86/flag-effects.js';
import { AF, CF, OF, PF, SF, STATUS, ZF } from '../../src/x86/rflags.js';
import { SEM_COUNT } from '../../src/x86/sem.js';
import { FORMS } from '../../src/x86/table.js';

const form = (mnemonic: string) => FORMS.find((f) => f.mnemonic === mnemonic)!;

describe('flag effects', () => {
  it('has an entry for every semantics id', () => {
    for (let sem = 0; sem < SEM_COUNT; sem++) expect(FLAG_EFFECTS[sem as keyof typeof FLAG_EFFECTS], `sem ${sem}`).toBeDefined();
  });

  it('reads: carry for adc, the condition code for jcc/setcc/cmovcc', () => {
    expect(flagsReadBy(form('adc'))).toBe(CF);
    expect(flagsReadBy(form('add'))).toBe(0);
    expect(flagsReadBy(form('jne'))).toBe(ZF);
    expect(flagsReadBy(form('setl'))).toBe(SF | OF);
    expect(flagsReadBy(form('cmovbe'))).toBe(CF | ZF);
  });

  it('defines and undefines: logic leaves AF undefined, shifts depend on the count, rep scas may compare nothing', () => {
    expect([flagsDefinedBy(form('xor'), false, 0), flagsUndefinedBy(form('xor'), false)]).toEqual([STATUS, AF]);
    expect(flagsDefinedBy(form('inc'), false, 0)).toBe(STATUS & ~CF);
    expect(flagsDefinedBy(form('shl'), true, 0)).toBe(SF | ZF | PF);
    expect(flagsDefinedBy(form('shl'), false, 0)).toBe(0);
    expect(flagsUndefinedBy(form('shl'), true)).toBe(AF);
    expect(flagsUndefinedBy(form('shl'), false)).toBe(OF | CF | AF);
    expect(flagsUndefinedBy(form('rol'), true)).toBe(0);
    expect(flagsDefinedBy(form('scasb'), false, 0)).toBe(STATUS);
    expect(flagsDefinedBy(form('scasb'), false, 0xf3)).toBe(0);
    expect(flagsUndefinedBy(form('div'), false)).toBe(STATUS);
  });
});
