/**
 * golf explain follows the whole run (every call, every loop pass) with the emulator's own kernel
 * model, and shows which file bytes reach the output through memory. The main case is lm978's
 * 81-byte hello: a loop that runs twice, its string pushed onto the stack from two header holes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import { straightforwardElfSource } from '../../src/linux/elf-source.js';
import { explainFile } from '../../src/search/explain.js';
import { outputGroups } from '../../src/search/explain-report.js';
import { programsDir, publishedDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';

const lm81Path = join(publishedDir(), 'lm978-hello-world-81');
const lm81 = new Uint8Array(readFileSync(lm81Path));
const e = explainFile(lm81, DEFAULT_PROFILE, 'lm81');

describe('golf explain on lm978\'s 81-byte hello', () => {
  it('follows the run through the read, both loop passes and the exit', () => {
    expect(e.ending).toBe('exit 0 (syscall)');
    expect(e.loops).toEqual([{ head: 0x28, passes: 2 }]);
    const passes = e.path.filter((s) => s.loopPass).map((s) => [s.offset, s.loopPass!.pass]);
    expect(passes).toEqual([[0x28, 1], [0x28, 2]]);
    const calls = e.path.filter((s) => s.offset === 0x47).map((s) => s.effects[0]);
    expect(calls[0]).toBe('read(0, NULL, 0) = 0');
    expect(calls[1]).toMatch(/^write\(1, 0x7[0-9a-f]+, 14\) = 14$/);
    expect(calls[2]).toBe('exit_group(0)');
    expect(e.totalSteps).toBe(32);
    // The register effects that matter: rcx points into the file after the first syscall, rsi at the joined string.
    expect(e.path[1]!.effects).toContain(`rcx = 0x${(e.loadBase! + 0x49).toString(16)} (file +0x49)`);
    expect(e.path.find((s) => s.text === 'pop rsi')!.effects[0]).toMatch(/^rsi = 0x7[0-9a-f]+ \(stack: "Hello, world!\\n"\)$/);
  });

  it('shows the string built on the stack from e_ident and the tail of the file', () => {
    const groups = outputGroups(e);
    expect(groups.map((g) => [g.stream, g.first, g.last, g.fileStart, g.via])).toEqual([
      ['stdout', 0, 7, 0x04, 0x3f],
      ['stdout', 8, 13, 0x4b, 0x3c],
    ]);
    expect(e.roles[0x04]).toContain('stdout[0] via the stack (copied by the instruction at 0x3f)');
    expect(e.roles[0x50]).toEqual(['stdout[13] via the stack (copied by the instruction at 0x3c)']);
    expect(e.fields.find((f) => f.name === 'e_ident.rest')!.reusedAs).toEqual(['data: stdout[0..7]']);
  });

  it('groups the bytes by field with decoded values, checked or ignored, and what golf reused them as', () => {
    const field = (name: string) => e.fields.find((f) => f.name === name)!;
    expect(field('e_type')).toMatchObject({ start: 0x10, checked: true, value: '3 (ET_DYN)' });
    expect(field('p_filesz')).toMatchObject({ start: 0x2c, checked: true, value: '0x15905ff4 (345.0 MiB)' });
    expect(field('p_filesz').reusedAs).toContain('code: adc eax,0 (0x2f-0x33)');
    expect(field('e_shoff')).toMatchObject({ checked: false });
    expect(field('e_shoff').reusedAs[0]).toBe('code: xchg ebx,eax (0x28)');
    expect(field('p_paddr').checked).toBe(false);
    expect(field('p_align').value).toBe('0x5e54bb71ff0271ff (not a power of two: no alignment)');
    expect(e).toMatchObject({ entryOffset: 0, baseIsSample: true });
    expect(field('e_entry').value).toBe(`0xc00000000 (+ the load bias: 0x${e.loadBase!.toString(16)} in this run)`);
  });

  it('prints it all: golf explain FILE', async () => {
    const r = await golf(['explain', lm81Path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^.*lm978-hello-world-81: 81 bytes, ET_DYN, loaded at 0x[0-9a-f]+ \(a sample: the kernel picks a random base/);
    expect(r.stdout).toContain('Executed path (32 instructions; the loop at 0x28 runs 2 passes):');
    expect(r.stdout).toMatch(/\n {2}> 0x00 +jg short 0x47 +entry point\n/);
    expect(r.stdout).toContain('  loop at 0x28, pass 2:');
    expect(r.stdout).toContain('stdout[0..7] "Hello, w"  from file 0x04-0x0b, copied by push qword [rcx-45h] at 0x3f');
    expect(r.stdout).toContain('stdout[8..13] "orld!\\n"  from file 0x4b-0x50, copied by push qword [rcx+2] at 0x3c');
    expect(r.stdout).toMatch(/0x2c-0x33 +program header 0 p_filesz +checked += 0x15905ff4/);
  });
});

describe('golf explain elsewhere', () => {
  it('an output written straight from the file mapping is marked in place', () => {
    const hello86 = explainFile(new Uint8Array(readFileSync(join(publishedDir(), 'lm978-hello-world-86'))), DEFAULT_PROFILE);
    expect(outputGroups(hello86).map((g) => [g.first, g.last, g.fileStart, g.via])).toEqual([[0, 13, 0x48, null]]);
    expect(hello86.roles[0x48]).toContain('stdout[0]');
    expect(hello86).toMatchObject({ baseIsSample: true, entryOffset: 1 });
  });

  it('follows bytes of an immediate, and a computed value loses its file origin', () => {
    const build = (extra: string[]) =>
      assemble(
        straightforwardElfSource('test', [
          '        mov eax, 0x0a216948     ; "Hi!\\n" as an immediate',
          '        push rax',
          ...extra,
          '        mov rsi, rsp',
          '        mov edi, 1',
          '        mov edx, 4',
          '        mov eax, 1',
          '        syscall',
          '        mov eax, 60',
          '        xor edi, edi',
          '        syscall',
        ], []),
        't.asm',
      );
    const copied = build([]);
    const ex = explainFile(copied, DEFAULT_PROFILE);
    const imm = copied.indexOf(0x48); // 'H', the immediate's first byte
    expect(outputGroups(ex).map((g) => [g.fileStart, g.last])).toEqual([[imm, 3]]);
    const computed = explainFile(build(['        add qword [rsp], 0']), DEFAULT_PROFILE);
    expect(outputGroups(computed).map((g) => g.fileStart)).toEqual([null]);
  });

  it('a file that does not load gets the loader\'s reason and a non-zero exit; golf says what it does not model', async () => {
    const bad = join(programsDir(), 'bad-magic');
    const ex = explainFile(new Uint8Array(readFileSync(bad)), DEFAULT_PROFILE);
    expect(ex.load).toMatchObject({ loads: false, notModelled: false });
    expect(ex.ending).toMatch(/^exec fails with ENOEXEC: magic: the file does not start with 7f 45 4c 46/);
    const r = await golf(['explain', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^golf: .*bad-magic does not load: exec fails with ENOEXEC: magic/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toContain('e_ident.magic');

    // A 32-bit ELF file (EM_386) loads through the compat loader; its far jump is refused by name.
    const elf32 = new Uint8Array(91);
    elf32.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    elf32.set([2, 0, 3, 0, 1, 0, 0, 0, 84, 0, 0, 8, 52, 0, 0, 0], 16);
    elf32.set([52, 0, 32, 0, 1, 0], 40);
    elf32.set([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8, 91, 0, 0, 0, 91, 0, 0, 0, 5], 52);
    elf32.set([0xea, 0, 0, 0, 0, 0x23, 0], 84); // jmp far 0x23:0
    const ia32 = explainFile(elf32, DEFAULT_PROFILE);
    expect(ia32.load).toMatchObject({ loads: true, notModelled: false });
    expect(ia32.fields.find((f) => f.name === 'e_machine')?.value).toBe('3 (i386)');
    expect(ia32.ending).toMatch(/^not modelled by golf: instruction ea 00 00 00 00 23 00 at 0x8000054 is refused: far jump/);
  });
});
