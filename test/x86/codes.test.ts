// The expanded codes (src/x86/codes.ts): one per form, operation size and mode, and the one
// first-match rule the decoder and the encoder share.
import { describe, expect, it } from 'vitest';
import { codesForOpcode, codesOfForm, firstCode, SIZE_KEY_O16, SIZE_KEY_W } from '../../src/x86/codes.js';
import { decode } from '../../src/x86/decoder.js';
import { encodeAll } from '../../src/x86/encoder.js';
import { DecodeStatus, Reg } from '../../src/x86/decoded.js';
import { FORMS } from '../../src/x86/table.js';

const MODES = [64, 32] as const;
const keysOf = (mode: 64 | 32): number[] => (mode === 64 ? [0, 1, 2, 3] : [0, 2]);

describe('codes', () => {
  it('every form has a code in each mode it exists in, and none in the others', () => {
    for (const mode of MODES) {
      for (const form of FORMS) {
        const { codes, byDefault } = codesOfForm(form, mode);
        const valid = mode === 64 ? form.mode64 : form.mode32;
        expect(codes.length > 0, `${form.mnemonic} ${mode}`).toBe(valid);
        expect(byDefault !== null, `${form.mnemonic} ${mode}`).toBe(valid);
        for (const c of codes) expect(c.form === form && c.mode === mode).toBe(true);
      }
    }
  });

  it('each size-prefix key selects at most one code of a form, and the encoder\'s key selects its own code', () => {
    for (const mode of MODES) {
      for (const form of FORMS) {
        const { codes, sized } = codesOfForm(form, mode);
        for (const key of keysOf(mode)) {
          const selecting = codes.filter((c) => c.decodedOpsize[key] !== 0);
          expect(selecting.length, `${form.mnemonic} ${mode} key ${key}`).toBeLessThanOrEqual(1);
          if (!sized) expect(selecting.length).toBe(codes.length);
        }
        for (const c of codes) {
          const key = (c.o16 ? SIZE_KEY_O16 : 0) | (c.rexW ? SIZE_KEY_W : 0);
          if (sized) expect(c.decodedOpsize[key], `${form.mnemonic} ${mode} ${c.opsize}`).toBe(c.opsize);
          if (mode === 32) expect(c.rexW).toBe(false);
        }
      }
    }
  });

  it('the operation sizes of the classic rules', () => {
    const sizes = (mnemonic: string, opcode: number, mode: 64 | 32): number[] =>
      codesOfForm(FORMS.find((f) => f.mnemonic === mnemonic && f.opcode === opcode)!, mode).codes.map((c) => c.opsize);
    expect(sizes('add', 0x01, 64)).toEqual([2, 4, 8]);
    expect(sizes('add', 0x01, 32)).toEqual([2, 4]);
    expect(sizes('push', 0x50, 64)).toEqual([2, 8]);
    expect(sizes('push', 0x50, 32)).toEqual([2, 4]);
    expect(sizes('jmp', 0xe9, 64)).toEqual([8]);
    expect(sizes('jmp', 0xe9, 32)).toEqual([2, 4]);
    expect(sizes('add', 0x00, 64)).toEqual([1]);
    expect(sizes('syscall', 0x05, 64)).toEqual([0]);
    // rel16 is decoded but never assembled.
    const jmp32 = codesOfForm(FORMS.find((f) => f.mnemonic === 'jmp' && f.opcode === 0xe9)!, 32).codes;
    expect(jmp32.map((c) => [c.opsize, c.widths[0], c.assemble])).toEqual([[2, 2, false], [4, 4, true]]);
    // mov r64, imm64 carries the whole operation size; mov r/m64, imm32 sign-extends four bytes.
    expect(codesOfForm(FORMS.find((f) => f.opcode === 0xb8)!, 64).codes.map((c) => c.immBytes)).toEqual([2, 4, 8]);
    expect(codesOfForm(FORMS.find((f) => f.opcode === 0xc7)!, 64).codes.map((c) => c.immBytes)).toEqual([2, 4, 4]);
  });

  it('first match wins once: 90 is nop, 41 90 xchg r8d, eax, f3 90 pause, for the decoder and the encoder alike', () => {
    const at = (key: number, rexB: boolean, rep: number) => firstCode(codesForOpcode(64, false, 0x90), rep, key, rexB, 0, true, 8)!.form.mnemonic;
    expect(at(0, false, 0)).toBe('nop');
    expect(at(1, false, 0)).toBe('nop');
    expect(at(0, true, 0)).toBe('xchg');
    expect(at(0, false, 0xf3)).toBe('pause');
    expect(decode(Uint8Array.of(0x41, 0x90), 0, 64, 0).mnemonic).toBe('xchg');
    const xchg = (reg: number) => encodeAll({ mnemonic: 'xchg', operands: [{ kind: 'reg', reg: Reg.rax, size: 4 }, { kind: 'reg', reg, size: 4 }] }, 64, 0)
      .map((e) => Buffer.from(e.bytes).toString('hex'));
    // xchg eax, eax is not 90 (that is nop): only the ModRM form remains.
    expect(xchg(Reg.rax).every((h) => !h.endsWith('90'))).toBe(true);
    expect(xchg(Reg.r8)).toContain('4190');
    for (const e of encodeAll({ mnemonic: 'xchg', operands: [{ kind: 'reg', reg: Reg.rax, size: 4 }, { kind: 'reg', reg: Reg.rcx, size: 4 }] }, 64, 0)) {
      const d = decode(e.bytes, 0, 64, 0);
      expect(d.status).toBe(DecodeStatus.ok);
      expect(d.form).toBe(e.code.form);
      expect(d.opsize).toBe(e.code.opsize);
    }
  });
});
