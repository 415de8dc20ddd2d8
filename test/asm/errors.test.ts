/** Every error category names file:line and says what is wrong; nothing is silently mis-encoded. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { AsmError } from '../../src/asm/errors.js';

function errorOf(source: string): string {
  try {
    assemble(source, 'prog.asm');
  } catch (err) {
    expect(err).toBeInstanceOf(AsmError);
    return (err as Error).message;
  }
  throw new Error('expected an assembly error');
}

describe('assembly errors', () => {
  it.each([
    ['unknown mnemonic', 'BITS 64\nnop\nfrobnicate eax, 1\n', /^prog\.asm:3: unknown mnemonic 'frobnicate'/],
    ['misspelt mnemonic after a label', 'start: movv eax, 1\n', /^prog\.asm:1: unknown mnemonic or directive 'movv'/],
    ['bad operand combination', 'BITS 64\nmov eax, bl\n', /^prog\.asm:2: invalid combination of opcode and operands for 'mov'/],
    ['byte register with REX-only register', 'BITS 64\nmov ah, r8b\n', /^prog\.asm:2: invalid combination/],
    ['64-bit register in 32-bit mode', 'BITS 32\npush r8\n', /^prog\.asm:2: invalid combination/],
    // nasm accepts movsxd only with a 64-bit destination (golf decodes 63 /r without REX.W, but never writes it)
    ['movsxd to a 32-bit register', 'BITS 64\nmovsxd eax, ecx\n', /^prog\.asm:2: invalid combination of opcode and operands for 'movsxd'/],
    ['movsxd to a 16-bit register', 'BITS 64\nmovsxd ax, word [rbx]\n', /^prog\.asm:2: invalid combination/],
    // o16/o32/o64 only where nasm writes the same bytes as without them (nasm: o16 lodsb is 66 ac, o64 ret 48 c3, o16 mov eax, 1 66 b8 ...)
    ['o16 on a byte instruction', 'BITS 64\no16 lodsb\n', /^prog\.asm:2: 'o16 lodsb': the instruction is 8-bit here, where nasm would add a prefix/],
    ['o16 on a 32-bit instruction', 'BITS 64\no16 mov eax, 1\n', /^prog\.asm:2: 'o16 mov': the instruction is 32-bit here/],
    ['o64 on a size-less instruction', 'BITS 64\no64 syscall\n', /^prog\.asm:2: 'o64 syscall': the instruction has no operand size/],
    ['o64 on ret (64-bit by default)', 'BITS 64\no64 ret\n', /^prog\.asm:2: 'o64 ret': the instruction is 64-bit here/],
    ['o32 on a 16-bit string instruction', 'BITS 64\no32 lodsw\n', /^prog\.asm:2: /],
    ['o64 in 32-bit code', 'BITS 32\no64 nop\n', /^prog\.asm:2: 'o64' is not valid in 32-bit mode/],
    ['instruction not in this mode', 'BITS 32\nsyscall\n', /^prog\.asm:2: 'syscall' is not valid in 32-bit mode/],
    ['immediate out of range', 'BITS 64\nadd al, 300\n', /^prog\.asm:2: immediate 300 out of range for 'add'/],
    ['64-bit operation with a too-wide immediate', 'BITS 64\nadd rax, 0x100000000\n', /^prog\.asm:2: immediate 4294967296 out of range/],
    ['short jump out of reach', 'BITS 64\njmp short far\ntimes 200 nop\nfar:\n', /^prog\.asm:2: branch target 0x[0-9a-f]+ is out of range for a short jump/],
    ['undefined label', 'BITS 64\njmp nowhere\n', /^prog\.asm:2: undefined symbol 'nowhere'/],
    ['undefined symbol in data', 'db 1\ndd missing + 1\n', /^prog\.asm:2: undefined symbol 'missing'/],
    ['unterminated string', 'db "abc\n', /^prog\.asm:1: unterminated string/],
    ['data value out of range', 'db 256\n', /^prog\.asm:1: value 256 out of range for 1-byte data/],
    ['operation size not specified', 'BITS 64\ninc [rax]\n', /^prog\.asm:2: operation size not specified/],
    ['label defined twice', 'a: nop\na: nop\n', /^prog\.asm:2: symbol 'a' redefined with a different value \(first defined on line 1\)/],
    ['negative times count', 'times 2-5 db 0\n', /^prog\.asm:1: times count is negative/],
    ['second section', 'section .text\nnop\nsection .data\ndb 1\n', /^prog\.asm:3: a second section/],
    ['bad number', 'db 12zz\n', /^prog\.asm:1: bad number '12zz'/],
    ['unsupported preprocessor directive', 'nop\n%use altreg\n', /^prog\.asm:2: preprocessor directive '%use' is not supported by golf asm/],
    ['unknown preprocessor directive', '%frob x\n', /^prog\.asm:1: unknown preprocessor directive '%frob'/],
    ['bad effective address', 'BITS 64\nmov eax, [rax*3+rbx]\n', /^prog\.asm:2: invalid effective address/],
    ['rsp as index', 'BITS 64\nmov eax, [rax+rsp*2]\n', /^prog\.asm:2: invalid effective address/],
  ])('%s', (_name, source, pattern) => {
    expect(errorOf(source)).toMatch(pattern);
  });
});

describe('assembler features', () => {
  const hex = (s: string): string => Buffer.from(assemble(s, 't.asm')).toString('hex');
  it('resolves forward references, local labels, equ, %define and $/$$', () => {
    const src = [
      '%define FOUR 4', 'BITS 32', 'org 0x100',
      'main: jmp .end', '.mid: db FOUR, (.end - main) & 0xff', '.end: dw $ - $$, main.mid',
      'size equ $ - $$', 'dd size * 2 + (1 << 3) - 10 / 3 % 4 ^ 1 | 0x10',
    ].join('\n');
    // nasm 2.16 output for this source
    expect(hex(src)).toBe('eb0204040400020114000000');
  });
  it('makes a jump short only when it reaches', () => {
    expect(hex('BITS 64\njmp a\ntimes 127 nop\na:')).toMatch(/^eb7f/);
    expect(hex('BITS 64\njmp a\ntimes 128 nop\na:')).toMatch(/^e980000000/);
  });
  it('pads strings in dw/dd and repeats with times', () => {
    expect(hex('dw "abc"\ntimes 3 db 7')).toBe('61626300070707');
  });
  it('treats a file with only comments as empty output, like nasm', () => {
    expect(assemble('; nothing here\n', 'c.asm').length).toBe(0);
  });
});
