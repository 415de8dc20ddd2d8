// The compat (ELF32) loader model, rule by rule, and the 32-bit process it starts: the checks read
// through the ELF32 layout, READ_IMPLIES_EXEC, a 32-bit process's TASK_SIZE, its stack, auxv and
// registers. The kernel facts behind each expectation are in src/linux/elf.ts, loader.ts and
// personality.ts; corpus/programs/elf32-* run the same rules end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ELF32, EM_386, EM_486, ia32MachineRule, parseHeader, parseProgramHeaders, phdrTableReadableRule, phentsizeRule, phnumRule,
  readImpliesExecRule, stackRequestRule, PT_GNU_STACK, type ProgramHeader,
} from '../../src/linux/elf.js';
import { checkExec, loaderFor, segmentProtection, bssProtection, totalMappingSize } from '../../src/linux/loader.js';
import { Prot } from '../../src/linux/memory.js';
import { IA32, IA32_TASK_SIZE, mmapBaseFor, stackTopFor, X86_64 } from '../../src/linux/personality.js';
import { DEFAULT_PROFILE, PROFILES } from '../../src/linux/profile.js';
import { Random } from '../../src/linux/random.js';
import { Emulator, startProcess } from '../../src/linux/emulate.js';
import { AddressSpace } from '../../src/linux/memory.js';
import { processCpu } from '../../src/linux/process-cpu.js';

/** Raiter's 45-byte exit(42) as his tutorial's listing assembles: the file ends inside e_phnum. */
const TINY45 = new Uint8Array(Buffer.from('7f454c46010000000000000000000100020003002000010020000100040000' + '00b32a31c040cd8000340020' + '0001', 'hex'));

/** An ELF32 file: header fields, one PT_LOAD (R+X at 0x8048000 unless changed), then `code`. */
function elf32(fields: { machine?: number; phentsize?: number; phnum?: number; type?: number; flags?: number; entry?: number; vaddr?: number; extra?: number[][] } = {}, code: number[] = [0xb3, 0x2a, 0x31, 0xc0, 0x40, 0xcd, 0x80]): Uint8Array {
  const phnum = fields.phnum ?? 1 + (fields.extra?.length ?? 0);
  const headers = 52 + 32 * phnum;
  const file = new Uint8Array(headers + code.length);
  const v = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  const vaddr = fields.vaddr ?? 0x8048000;
  v.setUint16(16, fields.type ?? 2, true);
  v.setUint16(18, fields.machine ?? EM_386, true);
  v.setUint32(24, fields.entry ?? vaddr + headers, true);
  v.setUint32(28, 52, true);
  v.setUint16(42, fields.phentsize ?? 32, true);
  v.setUint16(44, phnum, true);
  const ph = [1, 0, vaddr, vaddr, file.length, file.length, fields.flags ?? 5, 0x1000];
  ph.forEach((w, i) => v.setUint32(52 + 4 * i, w, true));
  (fields.extra ?? []).forEach((e, k) => e.forEach((w, i) => v.setUint32(84 + 32 * k + 4 * i, w, true)));
  file.set(code, headers);
  return file;
}

const gnuStack = (flags: number): number[] => [PT_GNU_STACK, 0, 0, 0, 0, 0, flags, 16];
const ph = (fields: Partial<ProgramHeader>): ProgramHeader => ({
  index: 0, type: 1, flags: 5, offset: 0, offsetPageOffset: 0, vaddr: 0x8048000, vaddrPageOffset: 0, filesz: 100, memsz: 100, align: 0x1000, ...fields,
});

describe('compat loader: checks before the point of no return', () => {
  it('reads the ELF32 header from the zero-filled buffer: a file may end inside e_phnum', () => {
    const h = parseHeader(TINY45, ELF32);
    expect(h).toMatchObject({ magicOk: true, type: 2, machine: EM_386, entry: 0x10020, entryHi: 0, phoff: 4, phentsize: 32, phnum: 1 });
    expect(parseProgramHeaders(TINY45, h, ELF32)[0]).toMatchObject({ type: 1, offset: 0, vaddr: 0x10000, filesz: 0x10020, memsz: 0x10020, flags: 4 });
  });
  it('picks the loader by e_machine: EM_386 and EM_486 go to the compat loader', () => {
    expect([3, 6, 62, 0].map((machine) => loaderFor(parseHeader(elf32({ machine }), ELF32)).name)).toEqual(['i386', 'i386', 'x86-64', 'x86-64']);
    expect(ia32MachineRule(parseHeader(elf32({ machine: EM_486 }), ELF32), DEFAULT_PROFILE)).toBeNull();
    expect(ia32MachineRule(parseHeader(elf32(), ELF32), PROFILES['no-ia32']!)).toBe('ENOEXEC');
  });
  it('needs e_phentsize 32 and caps the table at 64 KiB, or one page (128 entries) up to 6.16', () => {
    const at = (phnum: number, profile = DEFAULT_PROFILE) => phnumRule({ ...parseHeader(elf32(), ELF32), phnum }, profile, ELF32);
    expect([0, 1, 128, 129, 2048, 2049].map((n) => at(n))).toEqual(['ENOEXEC', null, null, null, null, 'ENOEXEC']);
    expect([128, 129].map((n) => at(n, PROFILES['linux-6.16']))).toEqual([null, 'ENOEXEC']);
    expect([32, 56].map((phentsize) => phentsizeRule({ ...parseHeader(elf32(), ELF32), phentsize }, ELF32))).toEqual([null, 'ENOEXEC']);
    expect(phdrTableReadableRule(parseHeader(TINY45, ELF32), 36, ELF32)).toBeNull();
    expect(phdrTableReadableRule(parseHeader(TINY45, ELF32), 35, ELF32)).toBe('ENOEXEC');
  });
  it('refuses every ELF32 file without IA32 emulation, naming why', () => {
    for (const profile of [PROFILES['no-ia32']!, PROFILES.portable!]) {
      const r = checkExec(TINY45, profile);
      expect(r).toMatchObject({ kind: 'exec-failed', errno: 'ENOEXEC', rule: 'e_machine' });
      expect(r.kind === 'exec-failed' && r.why).toMatch(/no IA32 emulation/);
    }
    expect(checkExec(elf32({ phentsize: 56 }), DEFAULT_PROFILE)).toMatchObject({ kind: 'exec-failed', rule: '32-bit e_phentsize' });
  });
  it('gives READ_IMPLIES_EXEC to a 32-bit file without PT_GNU_STACK only', () => {
    expect(readImpliesExecRule(true, 'default')).toBe(true);
    expect(readImpliesExecRule(true, 'enable-x')).toBe(false);
    expect(readImpliesExecRule(true, 'disable-x')).toBe(false);
    expect(readImpliesExecRule(false, 'default')).toBe(false);
    expect(stackRequestRule([ph({ type: PT_GNU_STACK, flags: 7 }), ph({ type: PT_GNU_STACK, flags: 6 })])).toBe('disable-x');
    const plain = checkExec(elf32(), DEFAULT_PROFILE);
    expect(plain.kind === 'ok' && [plain.exe.personality.name, plain.exe.readImpliesExec, plain.exe.stackExecutable]).toEqual(['i386', true, true]);
    const nx = checkExec(elf32({ extra: [gnuStack(6)] }), DEFAULT_PROFILE);
    expect(nx.kind === 'ok' && [nx.exe.readImpliesExec, nx.exe.stackExecutable]).toEqual([false, false]);
    const xstack = checkExec(elf32({ extra: [gnuStack(7)] }), DEFAULT_PROFILE);
    expect(xstack.kind === 'ok' && [xstack.exe.readImpliesExec, xstack.exe.stackExecutable]).toEqual([false, true]);
  });
});

describe('compat loader: mappings', () => {
  it('makes PROT_READ mappings executable under READ_IMPLIES_EXEC, a write-only one not', () => {
    expect(segmentProtection(4, DEFAULT_PROFILE, true)).toBe(Prot.read | Prot.exec);
    expect(segmentProtection(4, DEFAULT_PROFILE, false)).toBe(Prot.read);
    expect(segmentProtection(2, DEFAULT_PROFILE, true)).toBe(Prot.read | Prot.write);
    expect(segmentProtection(1, PROFILES.portable!, true)).toBe(Prot.exec);
    expect(bssProtection(6, true)).toBe(Prot.read | Prot.write | Prot.exec);
    expect(bssProtection(6, false)).toBe(Prot.read | Prot.write);
  });
  it('computes the ET_DYN image size in 32-bit arithmetic', () => {
    expect(totalMappingSize([ph({ vaddr: 0x1000, memsz: 0x2000 })], 4)).toBe(0x2000);
    // p_vaddr + p_memsz wraps past 2^32: elf_addr_t arithmetic gives a small extent, not 4 GiB.
    expect(totalMappingSize([ph({ vaddr: 0xfffff000, memsz: 0x2000 })], 4)).toBe(0x2000);
    expect(totalMappingSize([ph({ vaddr: 0xfffff000, memsz: 0x2000 })], 8)).toBe(0x2000);
  });
  it('uses a 32-bit process\'s TASK_SIZE (0xffffe000) for entry and segments', () => {
    const run = (file: Uint8Array) => new Emulator(DEFAULT_PROFILE).run(file, { seed: 1 });
    expect(run(elf32({ entry: 0xffffe000 }))).toMatchObject({ outcome: 'killed', signal: 'SIGSEGV' });
    expect(run(elf32({ entry: 0xffffe000 })).reason).toMatch(/TASK_SIZE/);
    expect(run(elf32({ vaddr: 0xfffff000 })).reason).toMatch(/TASK_SIZE/);
    expect(run(elf32())).toMatchObject({ outcome: 'exited', exitCode: 42 });
  });
});

describe('the 32-bit process', () => {
  it('puts the stack within 8 MiB below 0xffffe000 and mmap_base 128 MiB below that, randomized', () => {
    for (let seed = 0; seed < 50; seed++) {
      const top = stackTopFor(IA32, DEFAULT_PROFILE, new Random(seed));
      expect(top).toBeLessThanOrEqual(IA32_TASK_SIZE);
      expect(top).toBeGreaterThanOrEqual(IA32_TASK_SIZE - 0x7ff000);
      expect(top % 4096).toBe(0);
      const base = mmapBaseFor(IA32, DEFAULT_PROFILE, new Random(seed));
      expect(base).toBeLessThanOrEqual(IA32_TASK_SIZE - 128 * 1024 * 1024);
      expect(base).toBeGreaterThanOrEqual(IA32_TASK_SIZE - 128 * 1024 * 1024 - 255 * 4096);
    }
    // The 64-bit personality keeps its 28 random bits of pages below a 16 GiB + 9 MiB gap.
    expect(mmapBaseFor(X86_64, DEFAULT_PROFILE, new Random(3))).toBeLessThan(DEFAULT_PROFILE.taskSize - 0x400000000);
  });
  it('starts with zero registers, eflags 0x202, esp 16-byte aligned at argc and 4-byte argv, envp and auxv', () => {
    const checked = checkExec(elf32(), DEFAULT_PROFILE);
    if (checked.kind !== 'ok') throw new Error('does not load');
    const mem = new AddressSpace();
    const cpu = processCpu(mem, 32);
    const started = startProcess(checked.exe, mem, cpu, DEFAULT_PROFILE, new Random(9), { argv: ['./a.out', 'x'], env: ['A=1'], execPath: './a.out' });
    if (started.kind !== 'started') throw new Error('killed');
    const esp = started.rsp;
    expect(esp % 16).toBe(0);
    expect(cpu.regLo[4]).toBe(esp);
    expect([0, 1, 2, 3, 5, 6, 7].map((r) => cpu.regLo[r])).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(cpu.regHi)).toEqual(new Array(16).fill(0));
    expect(cpu.rflags).toBe(0x202);
    expect(cpu.rip).toBe(0x8048000 + 52 + 32);
    const word = (i: number) => mem.read32(esp + 4 * i);
    expect(word(0)).toBe(2);
    const cString = (a: number) => { let s = ''; for (let c = mem.read8(a); c !== 0; c = mem.read8(++a)) s += String.fromCharCode(c); return s; };
    expect([cString(word(1)), cString(word(2)), word(3), cString(word(4)), word(5)]).toEqual(['./a.out', 'x', 0, 'A=1', 0]);
    const auxv = new Map<number, number>();
    const keys: number[] = [];
    for (let i = 6; ; i += 2) {
      keys.push(word(i));
      auxv.set(word(i), word(i + 1));
      if (word(i) === 0) break;
    }
    expect(keys).toEqual([32, 33, 51, 16, 6, 17, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 23, 25, 26, 31, 15, 27, 28, 0]);
    expect(cString(auxv.get(15)!)).toBe('i686');
    expect(auxv.get(4)).toBe(32); // AT_PHENT
    expect(auxv.get(9)).toBe(0x8048000 + 84); // AT_ENTRY
    expect(auxv.get(3)).toBe(0x8048000 + 52); // AT_PHDR: the table is in the mapped file
    expect(cString(auxv.get(31)!)).toBe('./a.out');
  });
  it('a 32-bit CPU is needed to start an ELF32 process', () => {
    const checked = checkExec(elf32(), DEFAULT_PROFILE);
    if (checked.kind !== 'ok') throw new Error('does not load');
    const mem = new AddressSpace();
    expect(() => startProcess(checked.exe, mem, processCpu(mem, 64), DEFAULT_PROFILE, new Random(1), { argv: ['a'], env: [], execPath: 'a' })).toThrow(/32-bit CPU/);
  });
  it('runs Raiter\'s 45-byte exit(42) and states that it is a 32-bit file', () => {
    const r = new Emulator(DEFAULT_PROFILE).run(TINY45, { seed: 1 });
    expect(r).toMatchObject({ outcome: 'exited', exitCode: 42, steps: 4 });
    expect(r.assumptions.map((a) => a.id)).toEqual(['elf32']);
    expect(r.calls).toEqual([{ convention: 'int 0x80', nr: 1, name: 'exit', args: [42], result: null }]);
  });
  it('one Emulator runs 64-bit and 32-bit files in turn', () => {
    const e = new Emulator(DEFAULT_PROFILE);
    const hello64 = new Uint8Array(readFileSync('corpus/programs/hello64'));
    expect(e.run(TINY45, { seed: 1 }).exitCode).toBe(42);
    expect(e.run(hello64, { seed: 1 })).toMatchObject({ outcome: 'exited', exitCode: 0 });
    expect(e.run(elf32({}, [0xb3, 0x07, 0x31, 0xc0, 0x40, 0xcd, 0x80]), { seed: 2 }).exitCode).toBe(7);
  });
});
