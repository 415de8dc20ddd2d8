/**
 * The preprocessor and directive cases named in issue 11, each with nasm 2.16.01's output for the
 * same source (recorded by running nasm on it), and the errors golf gives where it refuses.
 */
import { describe, expect, it } from 'vitest';
import { assemble, type AssembleOptions } from '../../src/asm/assembler.js';
import { AsmError } from '../../src/asm/errors.js';
import { memorySources } from '../../src/asm/sources.js';

const hex = (source: string, options: AssembleOptions = {}): string => Buffer.from(assemble(source, 't.asm', options)).toString('hex');

function errorOf(source: string, options: AssembleOptions = {}): string {
  try {
    assemble(source, 't.asm', options);
  } catch (err) {
    expect(err).toBeInstanceOf(AsmError);
    return (err as Error).message;
  }
  throw new Error('expected an assembly error');
}

const files = memorySources({
  'x.inc': 'db "cwd"\n',
  'inc/x.inc': 'db "inc"\n',
  'inc/y.inc': 'db "inc-only"\n',
  'inc/blob.bin': new Uint8Array([1, 2, 3, 4, 5]),
  'inc/guarded.inc': '%ifndef GUARD\n%define GUARD\ndb 0x61\n%endif\n',
  'inc/bad.inc': 'db 1\nmov eax, bl\n',
}, ['inc/']);

describe('issue 11: sources people write', () => {
  it('tinyelf-style size checks: %assign over earlier labels and %if on the result', () => {
    const src = 'BITS 64\norg 0x500000000\neh:\ndb 0x7f, "ELF"\ntimes 12 db 0\neh_end:\n%assign size eh_end - eh\n%if size != 16\n%error e_ident is size bytes, should be 16\n%endif\ndb size\n';
    expect(hex(src)).toBe('7f454c4600000000000000000000000010');
    expect(errorOf(src.replace('times 12', 'times 11'))).toBe('t.asm:9: e_ident is 15 bytes, should be 16');
  });

  it('a label used in %assign before it is defined is an error, as in nasm', () => {
    expect(errorOf('%assign n end - start\nstart: db 1\nend:\n')).toMatch(/^t\.asm:1: symbol 'end' not defined before use/);
  });

  it('RIP-relative and branch displacements under org 0x500000000 and near the top of the address space', () => {
    expect(hex('bits 64\norg 0x500000000\nlea rsi,[rel msg]\njmp msg\ncall msg\nmsg: db 1\n')).toBe('488d3507000000eb05e80000000001');
    expect(hex('bits 64\norg 0xfffffffffffff000\nlea rsi,[rel msg]\njmp short msg\nmsg: db 1\ndq msg\n')).toBe('488d3502000000eb000109f0ffffffffffff');
    expect(hex('bits 64\norg 0x1234567890000\nstart: mov rax, start\nlea rdi, [rel start]\njz start\n')).toBe('48b80000896745230100488d3defffffff74ed');
  });

  it('an absolute address beyond 32 bits is refused where nasm would truncate it', () => {
    expect(errorOf('bits 64\nmov eax, [0x80000000]\n')).toMatch(/does not fit in a sign-extended 32-bit displacement/);
    expect(hex('bits 64\nmov eax, [qword 0x500000000]\n')).toBe('a10000000005000000');
  });

  it('%include and incbin search the current directory first, then -i directories', () => {
    expect(hex('%include "x.inc"\n%include "y.inc"\nincbin "blob.bin", 1, 3\nincbin "blob.bin", 4\n', { files, includeDirs: ['inc/'] })).toBe('637764696e632d6f6e6c7902030405');
    expect(hex('%include "guarded.inc"\n%include "guarded.inc"\n', { files, includeDirs: ['inc/'] })).toBe('61');
    expect(errorOf('%include "nope.inc"\n', { files })).toBe("t.asm:1: unable to open include file 'nope.inc'");
  });

  it('an error in an included file names that file and line', () => {
    expect(errorOf('nop\n%include "bad.inc"\n', { files, includeDirs: ['inc/'] })).toMatch(/^inc\/bad\.inc:2: invalid combination/);
  });

  it('an error inside a macro names the calling line and the macro body line', () => {
    expect(errorOf('%macro m 1\n db 1\n mov eax, bl\n db %1\n%endmacro\nnop\nm 5\n')).toBe("t.asm:7: invalid combination of opcode and operands for 'mov' (from macro 'm' at t.asm:3)");
    expect(errorOf('%macro m 1\n%error bad %1\n%endmacro\nnop\nm 5\n')).toBe("t.asm:5: bad 5 (from macro 'm' at t.asm:2)");
  });

  it('struc, istruc, at with .field and iend', () => {
    expect(hex('struc point\n.x: resd 1\n.y: resw 1\n.tag: resb 3\nendstruc\np: istruc point\nat .y, dw 7\nat point.tag, db "ab"\niend\ndb point_size, point.tag\n')).toBe('0000000007006162000906');
  });

  it('%warning is reported (file:line) and assembly goes on; %fatal stops', () => {
    const warnings: string[] = [];
    expect(hex('%warning careful %[1+2]\ndb 1\n', { onWarning: (w) => warnings.push(w) })).toBe('01');
    expect(warnings).toEqual(['t.asm:1: warning: careful 1+2']);
    expect(errorOf('%fatal stop here\ndb 1\n')).toBe('t.asm:1: stop here');
  });

  it('-D and -U definitions apply before the source', () => {
    expect(hex('%ifdef X\ndb X\n%endif\n%ifndef Y\ndb 2\n%endif\n', { defines: [['X', '7'], ['Y', '']], undefines: ['Y'] })).toBe('0702');
  });

  it.each([
    ['%rmacro', '%rmacro r 0\nnop\n%endmacro\n', /^t\.asm:1: %rmacro \(recursive macros\) is not supported by golf asm/],
    ['%use', '%use altreg\n', /^t\.asm:1: preprocessor directive '%use' is not supported by golf asm/],
    ['__?DATE?__', 'db __?DATE?__\n', /^t\.asm:1: __\?DATE\?__ is not supported by golf asm \(its value is the time of assembly\)/],
    ['__?PASS?__', '%if __?PASS?__ == 2\n%endif\n', /^t\.asm:1: __\?PASS\?__ is not supported/],
    ['section vstart=', 'section .text vstart=0x1000\ndb 1\n', /^t\.asm:1: section attribute 'vstart=' is not supported/],
    ['a second section', 'db 1\nsection .data\ndb 2\n', /^t\.asm:2: section '\.data' after code in the default section \.text/],
    ['%ifenv', '%ifenv HOME\n%endif\n', /^t\.asm:1: %ifenv \(environment variables\) is not supported/],
    ['16-bit code', 'bits 16\nnop\n', /^t\.asm:1: unsupported mode bits 16/],
    ['a misspelt directive', '%iff 1\n%endif\n', /^t\.asm:1: unknown preprocessor directive '%iff'/],
    ['an unclosed %if', '%if 1\ndb 1\n', /^t\.asm:1: %if without %endif/],
    ['an unclosed %macro', '%macro m 0\ndb 1\n', /^t\.asm:1: end of file while still defining macro 'm'/],
    ['%else twice', '%if 1\n%else\n%else\n%endif\n', /^t\.asm:3: %else after %else/],
    ['a wrong argument count', '%macro m 2\n%endmacro\nm 1\n', /^t\.asm:3: multi-line macro 'm' exists, but not taking 1 parameter/],
  ])('%s gets one clear error line', (_name, source, pattern) => {
    const message = errorOf(source);
    expect(message).toMatch(pattern);
    expect(message.split('\n')).toHaveLength(1);
  });
});
