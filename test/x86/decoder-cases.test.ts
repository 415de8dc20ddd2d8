// Specific decoder cases: prefixes, REX placement, limits, operands of supported forms.
import { describe, expect, it } from 'vitest';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus, OpKind, Reg } from '../../src/x86/decoded.js';
import { Sem } from '../../src/x86/sem.js';
import { formatInstruction } from '../../src/x86/format.js';
import { formatIced } from '../../src/x86/disasm.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const d64 = (s: string, ip = 0x1000) => decode(hex(s), 0, 64, ip);
const d32 = (s: string, ip = 0x1000) => decode(hex(s), 0, 32, ip);

describe('decoder: lengths and statuses', () => {
  it('prefix soup before a supported instruction', () => {
    const d = d64('2e 3e 26 64 66 f2 f3 48 01 c0');
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.length).toBe(10);
    expect(d.opsize).toBe(8); // REX.W beats 66
    expect(d.segment).toBe(0x64);
    expect(d.rep).toBe(0xf3);
  });
  it('a REX followed by a legacy prefix is ignored', () => {
    const d = d64('48 66 01 c0');
    expect(d.status).toBe(DecodeStatus.ok);
    expect(d.rex).toBe(0);
    expect(d.opsize).toBe(2);
  });
  it('only the last of several REX prefixes counts', () => {
    const d = d64('48 41 01 c0');
    expect(d.rex).toBe(0x41);
    expect(d.opsize).toBe(4);
    expect(d.ops[0].reg).toBe(Reg.r8);
  });
  it('15 bytes are allowed, 16 are too long; a short buffer is truncated', () => {
    expect(d64('66'.repeat(12) + '05 01').status).toBe(DecodeStatus.truncated);
    expect(d64('66'.repeat(12) + '05 01 00').length).toBe(15);
    const ok = d64('66'.repeat(11) + '05 01 00');
    expect(ok.status).toBe(DecodeStatus.ok);
    expect(ok.length).toBe(14);
    expect(d64('66'.repeat(13) + '05 01 00 00 00').status).toBe(DecodeStatus.tooLong);
    expect(d64('66'.repeat(14) + '90').length).toBe(15);
    expect(d64('66'.repeat(15) + '90').status).toBe(DecodeStatus.tooLong);
    expect(d64('b8 01 02').status).toBe(DecodeStatus.truncated);
  });
  it('#UD opcodes of 64-bit mode are invalid, valid in 32-bit mode', () => {
    for (const op of ['06', '1f', '27', '60', 'ce', 'd6']) expect(d64(op + ' 00').status).toBe(DecodeStatus.invalid);
    // push es / pop ds stay outside the table (segment registers); the others are 32-bit forms.
    for (const op of ['06', '1f']) expect(d32(op + ' 00').status).toBe(DecodeStatus.unsupported);
    expect(['27', '2f', '37', '3f', '60', '61', 'ce', 'd6'].map((op) => d32(op + ' 00').mnemonic)).toEqual(['daa', 'das', 'aaa', 'aas', 'pushad', 'popad', 'into', 'salc']);
    expect(d32('66 60').mnemonic).toBe('pushaw');
    expect(d32('d4 0a')).toMatchObject({ mnemonic: 'aam', imm: 10, length: 2 });
    expect(d32('d5 07')).toMatchObject({ mnemonic: 'aad', imm: 7, length: 2 });
  });
  it('sysenter is a form in both modes', () => {
    expect(d64('0f 34').sem).toBe(Sem.sysenter);
    expect(d32('0f 34').sem).toBe(Sem.sysenter);
  });
  it('ud2 is a supported form, not invalid', () => {
    expect(d64('0f 0b').sem).toBe(Sem.ud2);
  });
  it('lock on a register destination or a non-lockable instruction is invalid', () => {
    expect(d64('f0 01 c0').status).toBe(DecodeStatus.invalid);
    expect(d64('f0 01 00').status).toBe(DecodeStatus.ok);
    expect(d64('f0 90').status).toBe(DecodeStatus.invalid);
  });
  it('VEX/EVEX in 64-bit mode; LES/LDS/BOUND in 32-bit mode unless mod=3', () => {
    expect(d64('c5 f8 77').status).toBe(DecodeStatus.unsupported);
    expect(d64('c5 f8 77').length).toBe(3);
    expect(d32('c4 00').status).toBe(DecodeStatus.unsupported); // les eax, [eax]
    expect(d32('c4 00').length).toBe(2);
    expect(d32('c5 f8 77').length).toBe(3);
    expect(d64('62 f1 7c 48 58 c1').length).toBe(6); // vaddps zmm0, zmm0, zmm1
  });
  it('x87 and SSE are unsupported with exact lengths', () => {
    expect(d64('d9 e8').length).toBe(2);
    expect(d64('0f 10 44 24 08').length).toBe(5);
    expect(d64('66 0f 3a 0f c1 08').length).toBe(6);
  });
});

describe('decoder: supported forms and operands', () => {
  it('moffs with 67 uses a 4-byte offset in 64-bit mode, 8 bytes otherwise', () => {
    const a = d64('a1 88 77 66 55 44 33 22 11');
    expect(a.length).toBe(9);
    expect(a.memDisp).toBe(0x55667788);
    expect(a.memDispHi).toBe(0x11223344);
    const b = d64('67 a1 88 77 66 55');
    expect(b.length).toBe(6);
    expect(b.memDisp).toBe(0x55667788);
    expect(d32('67 a1 88 77').length).toBe(4);
  });
  it('mov r64, imm64', () => {
    const d = d64('48 b8 08 07 06 05 04 03 02 81');
    expect(d.length).toBe(10);
    expect(d.imm).toBe(0x05060708);
    expect(d.immHi).toBe(0x81020304 | 0);
    expect(d.ops[0]).toEqual({ kind: OpKind.reg, reg: Reg.rax, size: 8 });
  });
  it('AH without REX, SPL with REX', () => {
    // 88 e0: mov al, ah (ModRM.reg = 4 is the source)
    expect(d64('88 e0').ops[1].reg).toBe(Reg.ah);
    expect(d64('40 88 e0').ops[1].reg).toBe(Reg.rsp);
    expect(d64('40 88 e0').ops[1].size).toBe(1);
  });
  it('nop forms, pause, xchg r8', () => {
    expect(d64('90').mnemonic).toBe('nop');
    expect(d64('f3 90').mnemonic).toBe('pause');
    expect(d64('41 90').mnemonic).toBe('xchg');
    const n = d64('66 0f 1f 84 00 00 00 00 00');
    expect(n.sem).toBe(Sem.nop);
    expect(n.length).toBe(9);
    expect(d64('0f 1f 00').length).toBe(3);
  });
  it('ret imm16, jcc rel32, call targets', () => {
    const r = d64('c2 08 00');
    expect(r.sem).toBe(Sem.ret);
    expect(r.imm).toBe(8);
    const j = d64('0f 85 10 00 00 00', 0x401000);
    expect(j.mnemonic).toBe('jne');
    expect(j.cc).toBe(5);
    expect(j.target).toBe(0x401016);
    expect(d64('e8 fb ff ff ff', 0x401000).target).toBe(0x401000);
  });
  it('jrcxz / jecxz by address size', () => {
    expect(d64('e3 00').mnemonic).toBe('jrcxz');
    expect(d64('67 e3 00').mnemonic).toBe('jecxz');
    expect(d32('e3 00').mnemonic).toBe('jecxz');
    expect(d32('67 e3 00').mnemonic).toBe('jcxz');
  });
  it('RIP-relative memory operands carry the absolute address', () => {
    const d = d64('48 8d 05 10 00 00 00', 0x400000);
    expect(d.memBase).toBe(Reg.rip);
    expect(d.memDisp).toBe(0x400017);
  });
  it('SIB with index and scale; r12 needs a SIB, r13 a displacement', () => {
    const d = d64('4a 8b 44 a5 08');
    expect(d.memBase).toBe(Reg.rbp);
    expect(d.memIndex).toBe(Reg.r12);
    expect(d.memScale).toBe(4);
    expect(d.memDisp).toBe(8);
  });
  it('string instructions by size with rep', () => {
    expect(d64('f3 48 ab').mnemonic).toBe('stosq');
    expect(d64('f3 48 ab').rep).toBe(0xf3);
    expect(d64('66 a5').mnemonic).toBe('movsw');
    expect(d64('ac').mnemonic).toBe('lodsb');
  });
  it('push/pop default to 64 bits; cdqe/cqo by REX.W; int 0x80; syscall only in 64-bit mode', () => {
    expect(d64('50').opsize).toBe(8);
    expect(d64('66 50').opsize).toBe(2);
    expect(d64('48 98').mnemonic).toBe('cdqe');
    expect(d64('48 99').mnemonic).toBe('cqo');
    expect(d64('cd 80').imm).toBe(0x80);
    expect(d32('0f 05').status).toBe(DecodeStatus.unsupported);
    expect(d64('6a ff').imm).toBe(-1);
  });
  it('bsf vs tzcnt, bswap r16 unsupported', () => {
    expect(d64('0f bc c0').mnemonic).toBe('bsf');
    expect(d64('f3 0f bc c0').status).toBe(DecodeStatus.unsupported);
    expect(d64('66 0f c8').status).toBe(DecodeStatus.unsupported);
    expect(d64('0f c8').mnemonic).toBe('bswap');
  });
  // Measured natively on the reference CPU (AMD EPYC, family 26) and in qemu-x86_64: 66 63 reads a
  // dword (it faults 2 bytes before an unmapped page, corpus/programs/movsxd-o16-page-end) and
  // writes the low word; 63 without REX.W is a 32-bit move; REX.W sign-extends and wins over 66.
  // Intel's SDM lists 66 63 as movsxd r16, r/m16, which iced follows (movsxd ax,bx).
  it('movsxd: the source is r/m32 at every operation size; 66 gives a 16-bit destination, REX.W wins over 66', () => {
    const cases: [string, number, number, string][] = [
      // bytes, operation size, length, golf's NASM text
      ['66 63 03', 2, 3, 'movsxd ax,[rbx]'],
      ['63 c3', 4, 2, 'movsxd eax,ebx'],
      ['48 63 c3', 8, 3, 'movsxd rax,ebx'],
      ['66 48 63 c3', 8, 4, 'movsxd rax,ebx'],
    ];
    for (const [bytes, opsize, length, text] of cases) {
      const d = d64(bytes);
      expect([bytes, d.status, d.sem, d.opsize, d.length, d.ops[0]!.size, d.ops[1]!.size]).toEqual([bytes, DecodeStatus.ok, Sem.movsxd, opsize, length, opsize, 4]);
      expect(formatInstruction(d, 64)).toBe(text);
      expect(formatIced(hex(bytes), 64, 0x1000)).toBe(text);
    }
    const mem = d64('66 63 03');
    expect([mem.ops[0]!.kind, mem.ops[0]!.reg, mem.ops[1]!.kind, mem.memBase]).toEqual([OpKind.reg, Reg.rax, OpKind.mem, Reg.rbx]);
    // With a register source golf names the dword register it reads; iced (Intel's r/m16) the word one.
    expect(formatInstruction(d64('66 63 c3'), 64)).toBe('movsxd ax,ebx');
    expect(formatIced(hex('66 63 c3'), 64, 0x1000)).toBe('movsxd ax,bx');
    // In 32-bit mode 63 is arpl, outside the table.
    expect(d32('63 c3').status).toBe(DecodeStatus.unsupported);
  });
});

// Where a buffer ends inside an invalid instruction, "truncated" vs "invalid" depends on how far the
// instruction is fetched before it is rejected (expected values measured with iced-x86 1.21).
describe('decoder: how far invalid encodings are fetched', () => {
  const expectStatus = (d: ReturnType<typeof decode>, status: DecodeStatus, length?: number) => {
    expect(d.status).toBe(status);
    if (length !== undefined) expect(d.length).toBe(length);
  };
  it('mov to/from a segment register that does not exist: the memory operand is fetched first', () => {
    expectStatus(d64('8e bc 28 45'), DecodeStatus.truncated); // ModRM.reg = 7, SIB + disp32 follow
    expectStatus(d64('8e bc 28 45 00 00 00'), DecodeStatus.invalid, 7);
    expectStatus(d64('8c bd 10 00'), DecodeStatus.truncated);
    expectStatus(d32('8e 7d'), DecodeStatus.truncated);
  });
  it('register-only instructions with a memory ModRM: some fetch the memory operand and immediate, some stop', () => {
    expectStatus(d32('0f c5 4f'), DecodeStatus.truncated); // pextrw memory form: disp8 fetched
    expectStatus(d32('0f c5 4f 00'), DecodeStatus.invalid, 4);
    expectStatus(d64('0f 71 10'), DecodeStatus.truncated); // psrlw group memory form: no disp, but imm8
    expectStatus(d64('0f 71 10 00'), DecodeStatus.invalid, 4);
    expectStatus(d64('0f 71 c0 00'), DecodeStatus.invalid, 3); // undefined /0: stops after ModRM
    expectStatus(d64('db fc'), DecodeStatus.truncated);
    expectStatus(d64('db fc 00'), DecodeStatus.invalid, 3);
    expectStatus(d32('de dd'), DecodeStatus.truncated);
  });
  it('EVEX: a malformed header is rejected after the ModRM byte', () => {
    expectStatus(d64('62 f0 eb a9 68'), DecodeStatus.truncated);
    expectStatus(d64('62 f0 eb a9 68 05'), DecodeStatus.invalid, 6);
    expectStatus(d64('62 f1 78 48 58 05'), DecodeStatus.invalid, 6); // P1 bit 2 clear: no disp32 fetched
  });
  it('EVEX: zeroing without a mask register and V\' in 32-bit mode are rejected after the whole instruction', () => {
    expectStatus(d64('62 f1 7c c8 58 05'), DecodeStatus.truncated);
    expectStatus(d64('62 f1 7c c8 58 05 00 00 00 00'), DecodeStatus.invalid, 10);
    expectStatus(d32('62 c5 36 83 58'), DecodeStatus.truncated);
    expectStatus(d32('62 c5 36 83 58 24 c2'), DecodeStatus.invalid, 7);
  });
  it('VEX: unknown maps and opcodes stop at the opcode or ModRM byte, as measured per map', () => {
    expectStatus(d64('c4 e4 7c 10'), DecodeStatus.invalid, 4); // map 4: no ModRM fetched
    expectStatus(d64('c4 e0 7c 10'), DecodeStatus.truncated); // map 0: ModRM fetched
    expectStatus(d64('c4 e0 7c 10 00'), DecodeStatus.invalid, 5);
    expectStatus(d64('8f e8 7c 01'), DecodeStatus.truncated); // XOP map 8, undefined opcode
    expectStatus(d64('8f e8 7c 01 05'), DecodeStatus.invalid, 5);
    expectStatus(d64('c5 fd d7 05'), DecodeStatus.invalid, 4); // vpmovmskb memory form: no disp32 fetched
    expectStatus(d64('f0 67 c4 41 b1 98 8c'), DecodeStatus.invalid, 7);
  });
  it('VEX: a vvvv the instruction cannot use is rejected after the whole instruction', () => {
    expectStatus(d64('c5 b8 10 05'), DecodeStatus.truncated); // vmovups load with vvvv = 8
    expectStatus(d64('c5 b8 10 05 00 00 00 00'), DecodeStatus.invalid, 8);
  });
  it('VEX: register-extension rules differ between register and memory forms', () => {
    // vmovsd/vmovss register forms take a vvvv source (also 8-15), their memory forms do not.
    expectStatus(d64('c5 0f 11 e9'), DecodeStatus.unsupported, 4);
    expectStatus(d32('c5 ce 10 d2'), DecodeStatus.unsupported, 4);
    expectStatus(d64('c5 0f 11 29'), DecodeStatus.invalid, 4);
  });
});
