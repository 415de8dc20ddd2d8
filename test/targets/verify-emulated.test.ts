// verifyFile with golf's real emulator, on small programs built with golf's assembler that rely
// on argc = 1 or on an empty environment: the inference must find exactly that.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { DEFAULT_PROFILE, PROFILES } from '../../src/linux/profile.js';
import { straightforwardElfSource } from '../../src/linux/elf-source.js';
import { emulatorRunner } from '../../src/verify/machine.js';
import { programsDir } from '../../src/targets/paths.js';
import { loadShippedTarget } from '../../src/targets/resolve.js';
import { verifyFile, verifyOptionsFor } from '../../src/verify/verify.js';

const build = (code: string[], data: string[] = []) => assemble(straightforwardElfSource('test program', code, data), 'test.asm');
const exit = ['        mov eax, 60', '        syscall'];
const run = emulatorRunner(DEFAULT_PROFILE);
const hello = loadShippedTarget('hello');

describe('verifyFile with the emulator', () => {
  it('passes the seed article program for hello, relying on IA32 emulation only', () => {
    const seed = new Uint8Array(readFileSync(join(programsDir(), 'seed-hello')));
    const v = verifyFile(run, seed, hello);
    expect(v.pass).toBe(true);
    expect(v.assumptions.map((a) => a.id)).toEqual(['ia32-emulation']);
    expect(verifyFile(emulatorRunner(PROFILES['no-ia32']), seed, hello).pass).toBe(false);
  });

  it('finds that a program using argc as the stdout descriptor needs argc = 1', () => {
    const file = build(
      ['        pop rdi                 ; argc: 1 = stdout', '        mov eax, 1', '        mov esi, msg', '        mov edx, 14', '        syscall', '        xor edi, edi', ...exit],
      ['msg: db "Hello, World!", 10'],
    );
    const v = verifyFile(run, file, hello);
    expect(v.pass).toBe(true);
    expect(v.assumptions.map((a) => a.id)).toEqual(['argc-1']);

    // The portable profile forbids relying on argc: the same file fails there, saying why, while
    // a file that sets its descriptor itself passes with no argc assumption.
    const portable = PROFILES.portable!;
    const strict = verifyFile(emulatorRunner(portable), file, hello, verifyOptionsFor(portable));
    expect(strict.pass).toBe(false);
    expect(strict.problem).toMatch(/^stdout was \(nothing\).*\(argc = 2 .*works only when argc = 1 .*which this profile does not allow$/s);
    const honest = build(
      ['        mov edi, 1', '        mov eax, 1', '        mov esi, msg', '        mov edx, 14', '        syscall', '        xor edi, edi', ...exit],
      ['msg: db "Hello, World!", 10'],
    );
    const ok = verifyFile(emulatorRunner(portable), honest, hello, verifyOptionsFor(portable));
    expect(ok.pass).toBe(true);
    expect(ok.runs.some((r) => r.environment.varies === 'argc' && r.problem === null)).toBe(true);
    expect(ok.assumptions.map((a) => a.id)).not.toContain('argc-1');
  });

  it('fails a program that only works with an empty environment, and says so', () => {
    // envp[0] is at rsp + 24 when argc = 1: zero only when the environment is empty.
    const file = build(['        xor edi, edi', '        cmp qword [rsp + 24], 0', '        setne dil', ...exit]);
    const v = verifyFile(run, file, loadShippedTarget('true'));
    expect(v.pass).toBe(false);
    expect(v.assumptions.map((a) => a.id)).toEqual(['empty-environment']);
    expect(v.problem).toMatch(/^exit status 1, expected 0 \(large environment/);
  });

  it('really presents different stack positions in its required environments', () => {
    // Exit status = bits 4..11 of the initial rsp: differs when the stack top differs.
    const file = build(['        mov rdi, rsp', '        shr rdi, 4', ...exit]);
    const v = verifyFile(run, file, loadShippedTarget('true'));
    const statuses = v.runs.filter((r) => r.environment.role === 'required' && r.stdin === 'read-only').map((r) => r.result.exitCode);
    expect(statuses.length).toBe(4);
    expect(new Set(statuses).size).toBeGreaterThan(2);
  });
});
