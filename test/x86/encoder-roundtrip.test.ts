/**
 * Property: every encoding encodeAll lists decodes (with golf's decoder) back to the same
 * instruction: same form, operands, immediate, memory operand and branch target, and decode()
 * reports exactly its length.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeAll, type AsmInstruction, type AsmOperand } from '../../src/x86/encoder.js';
import { codesOfForm, immWidth } from '../../src/x86/codes.js';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus, OpKind, Reg } from '../../src/x86/decoded.js';
import { FORMS, type Form, type OperandSpec } from '../../src/x86/table.js';

const ADDRESS = 0x401000;

/** The form's operation sizes in the mode (0 for a size-less form): one per code. */
function sizesFor(form: Form, mode: 64 | 32): number[] {
  return codesOfForm(form, mode).codes.map((c) => c.opsize);
}

const regArb = (mode: 64 | 32, size: number): fc.Arbitrary<AsmOperand> =>
  fc.integer({ min: 0, max: mode === 64 ? 15 : 7 }).map((reg) => ({ kind: 'reg', reg, size }));

const memArb = (mode: 64 | 32, size: number): fc.Arbitrary<AsmOperand> =>
  fc.record({
    base: fc.integer({ min: -1, max: mode === 64 ? 15 : 7 }),
    index: fc.integer({ min: -1, max: mode === 64 ? 15 : 7 }).filter((i) => i !== 4),
    scale: fc.constantFrom(1, 2, 4, 8),
    disp: fc.oneof(fc.constant(0), fc.integer({ min: -128, max: 127 }), fc.integer({ min: -0x80000000, max: 0x7fffffff })),
    segment: fc.constantFrom(0, 0, 0x64),
  }).map((m) => ({ kind: 'mem', size, ...m, scale: m.index < 0 ? 1 : m.scale }));

function operandArb(spec: OperandSpec, size: number, mode: 64 | 32): fc.Arbitrary<AsmOperand> {
  const immRange = (spec: OperandSpec): fc.Arbitrary<AsmOperand> => {
    const bits = 8 * immWidth(spec, size);
    const lo = spec === 'imm8s' ? -128 : -(2 ** (bits - 1));
    const hi = spec === 'imm8s' ? 127 : 2 ** (bits - 1) - 1;
    return fc.bigInt({ min: BigInt(lo), max: BigInt(hi) }).map((value) => ({ kind: 'imm', value }));
  };
  switch (spec) {
    case 'rm': return fc.oneof(regArb(mode, size), memArb(mode, size));
    case 'rm8': return fc.oneof(regArb(mode, 1), memArb(mode, 1));
    case 'rm16': return fc.oneof(regArb(mode, 2), memArb(mode, 2));
    case 'rm32': return fc.oneof(regArb(mode, 4), memArb(mode, 4));
    case 'mem': return memArb(mode, 0);
    case 'reg':
    case 'opreg': return regArb(mode, size);
    case 'acc': return fc.constant({ kind: 'reg', reg: Reg.rax, size });
    case 'cl': return fc.constant({ kind: 'reg', reg: Reg.rcx, size: 1 });
    case 'one': return fc.constant({ kind: 'imm', value: 1n });
    case 'rel8': return fc.integer({ min: -100, max: 100 }).map((d) => ({ kind: 'imm', value: BigInt(ADDRESS + d) }));
    case 'rel': return fc.integer({ min: -0x100000, max: 0x100000 }).map((d) => ({ kind: 'imm', value: BigInt(ADDRESS + d) }));
    case 'moffs': return fc.integer({ min: 0, max: 0x7fffffff }).map((disp) => ({ kind: 'mem', size, base: -1, index: -1, scale: 1, disp, segment: 0 }));
    default: return immRange(spec);
  }
}

const caseArb = fc
  .tuple(fc.constantFrom(64 as const, 32 as const), fc.constantFrom(...FORMS))
  .filter(([mode, form]) => (mode === 64 ? form.mode64 : form.mode32) && sizesFor(form, mode).length > 0)
  .chain(([mode, form]) =>
    fc.constantFrom(...sizesFor(form, mode)).chain((size) =>
      fc.tuple(...form.operands.map((s) => operandArb(s, size, mode))).map((operands) => ({
        mode, form, ins: { mnemonic: form.mnemonic, operands, opsize: size === 0 ? undefined : size } as AsmInstruction,
      })),
    ),
  );

describe('encoder round trip through the decoder', () => {
  it('every listed encoding decodes to the same instruction with the same length', () => {
    let encodings = 0;
    fc.assert(
      fc.property(caseArb, ({ mode, ins }) => {
        for (const enc of encodeAll(ins, mode, ADDRESS)) {
          encodings++;
          const d = decode(enc.bytes, 0, mode, ADDRESS);
          const where = `${ins.mnemonic} ${Buffer.from(enc.bytes).toString('hex')}`;
          expect(d.status, where).toBe(DecodeStatus.ok);
          expect(d.length, where).toBe(enc.bytes.length);
          expect(d.form, where).toBe(enc.form);
          ins.operands.forEach((op, i) => {
            const got = d.ops[i]!;
            if (op.kind === 'reg') expect([got.kind, got.reg], where).toEqual([OpKind.reg, op.reg]);
            else if (op.kind === 'mem') {
              expect(got.kind, where).toBe(OpKind.mem);
              if (enc.form.operands[i] !== 'moffs') {
                expect([d.memBase, d.memIndex], where).toEqual([op.base, op.index]);
                if (op.index >= 0) expect(d.memScale, where).toBe(op.scale);
              }
              expect(d.memDisp, where).toBe(op.disp);
            } else if (got.kind === OpKind.rel) expect(d.target, where).toBe(Number(op.value));
            else if (got.kind === OpKind.imm) {
              // The bytes carry the immediate's own width; compare the low bits of that width (imm is the low 32).
              const spec = enc.form.operands[i]!;
              const bits = spec === 'one' ? 1 : Math.min(8 * immWidth(spec, enc.opsize), 32);
              expect(BigInt.asUintN(bits, BigInt(d.imm)), where).toBe(BigInt.asUintN(bits, op.value));
              if (spec === 'imm64' && enc.opsize === 8) expect(BigInt(d.immHi), where).toBe(BigInt.asIntN(32, op.value >> 32n));
            }
          });
        }
      }),
      { numRuns: 3000, seed: 42 },
    );
    expect(encodings).toBeGreaterThan(3000);
  });
});

describe('RIP-relative operands far from address 0', () => {
  // The displacement is target - next rip: a high absolute target must still encode when it is near
  // the instruction (the search places code at addresses such as 0x500000000).
  it('encodes lea rsi, [rel target] at a high address and decodes back to the target', () => {
    const at = 0x500000004;
    const target = 0x500000052;
    const ins: AsmInstruction = {
      mnemonic: 'lea',
      operands: [
        { kind: 'reg', reg: Reg.rsi, size: 8 },
        { kind: 'mem', size: 0, base: Reg.rip, index: -1, scale: 1, disp: target, segment: 0 },
      ],
    };
    const encodings = encodeAll(ins, 64, at);
    expect(encodings.length).toBeGreaterThan(0);
    for (const e of encodings) {
      const d = decode(e.bytes, 0, 64, at);
      expect(d.status).toBe(DecodeStatus.ok);
      expect(d.memBase).toBe(Reg.rip);
      expect(d.memDisp).toBe(target);
    }
  });

  it('refuses a RIP-relative target more than 2 GiB away', () => {
    const ins: AsmInstruction = {
      mnemonic: 'lea',
      operands: [
        { kind: 'reg', reg: Reg.rsi, size: 8 },
        { kind: 'mem', size: 0, base: Reg.rip, index: -1, scale: 1, disp: 0x500000000 + 0x90000000, segment: 0 },
      ],
    };
    expect(encodeAll(ins, 64, 0x500000000)).toEqual([]);
  });
});
