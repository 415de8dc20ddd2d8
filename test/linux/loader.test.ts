// Unit tests of the loader's rules (each a named function over parsed fields), the address space's
// lazy mappings and the pipe write model.
import { describe, expect, it } from 'vitest';
import {
  machineRule, magicRule, parseHeader, phdrTableReadableRule, phentsizeRule, phnumRule, stackExecutableRule, typeRule,
  PT_GNU_STACK, type ElfHeader, type ProgramHeader,
} from '../../src/linux/elf.js';
import {
  checkExec, commitRule, entryRule, mappingRangeRule, maximumAlignment, offsetCongruenceRule, segmentBoundsRule,
  segmentProtection, tailZeroingRule, totalMappingSize,
} from '../../src/linux/loader.js';
import { AddressSpace, MemoryFault, Prot, TASK_SIZE } from '../../src/linux/memory.js';
import { DEFAULT_PROFILE, PROFILES } from '../../src/linux/profile.js';
import { Emulator } from '../../src/linux/emulate.js';
import { ProcessIo } from '../../src/linux/syscalls.js';
import { readFileSync } from 'node:fs';

const header = (fields: Partial<ElfHeader>): ElfHeader => ({
  magicOk: true, type: 2, machine: 62, entry: 0x400078, entryHi: 0, entryLo: 0x400078, phoff: 64, phentsize: 56, phnum: 1, ...fields,
});
const phdr = (fields: Partial<ProgramHeader>): ProgramHeader => ({
  index: 0, type: 1, flags: 5, offset: 0, offsetPageOffset: 0, vaddr: 0x400000, vaddrPageOffset: 0, filesz: 100, memsz: 100, align: 0x1000, ...fields,
});

describe('header rules (ENOEXEC before the point of no return)', () => {
  it('reads the header from a zero-filled 256-byte buffer', () => {
    const h = parseHeader(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
    expect(h).toMatchObject({ magicOk: true, type: 0, machine: 0, phnum: 0 });
  });
  it('checks magic, e_type, e_machine and e_phentsize', () => {
    expect(magicRule(header({ magicOk: false }))).toBe('ENOEXEC');
    expect([1, 2, 3, 4].map((type) => typeRule(header({ type })))).toEqual(['ENOEXEC', null, null, 'ENOEXEC']);
    expect([3, 62].map((machine) => machineRule(header({ machine })))).toEqual(['ENOEXEC', null]);
    expect([32, 56, 64].map((phentsize) => phentsizeRule(header({ phentsize })))).toEqual(['ENOEXEC', null, 'ENOEXEC']);
  });
  it('caps e_phnum at 64 KiB of headers, and at one page before 6.17', () => {
    const at = (phnum: number, profile = DEFAULT_PROFILE) => phnumRule(header({ phnum }), profile);
    expect([0, 1, 73, 74, 1170, 1171].map((n) => at(n))).toEqual(['ENOEXEC', null, null, null, null, 'ENOEXEC']);
    expect([73, 74].map((n) => at(n, PROFILES['linux-6.16']))).toEqual([null, 'ENOEXEC']);
  });
  it('needs the whole program-header table inside the file', () => {
    expect(phdrTableReadableRule(header({ phoff: 64, phnum: 1 }), 120)).toBeNull();
    expect(phdrTableReadableRule(header({ phoff: 64, phnum: 1 }), 119)).toBe('ENOEXEC');
    expect(phdrTableReadableRule(header({ phoff: 2 ** 63, phnum: 1 }), 120)).toBe('ENOEXEC');
  });
  it('takes the stack permission from the last PT_GNU_STACK', () => {
    expect(stackExecutableRule([])).toBe(false);
    expect(stackExecutableRule([phdr({ type: PT_GNU_STACK, flags: 7 })])).toBe(true);
    expect(stackExecutableRule([phdr({ type: PT_GNU_STACK, flags: 7 }), phdr({ type: PT_GNU_STACK, flags: 6 })])).toBe(false);
  });
  it('refuses empty and garbage files, and 32-bit files by the compat loader\'s rules', () => {
    expect(checkExec(new Uint8Array(0), DEFAULT_PROFILE)).toMatchObject({ kind: 'exec-failed', errno: 'ENOEXEC', rule: 'magic' });
    const ia32 = new Uint8Array(256);
    ia32.set([0x7f, 0x45, 0x4c, 0x46]);
    ia32[16] = 2;
    ia32[18] = 3;
    expect(checkExec(ia32, DEFAULT_PROFILE)).toMatchObject({ kind: 'exec-failed', rule: '32-bit e_phentsize' });
    expect(checkExec(ia32, PROFILES['no-ia32']!)).toMatchObject({ kind: 'exec-failed', rule: 'e_machine' });
  });
});

describe('segment rules (SIGSEGV after the point of no return)', () => {
  it('needs p_offset congruent to p_vaddr modulo 4096', () => {
    expect(offsetCongruenceRule(phdr({ offsetPageOffset: 0x78, vaddrPageOffset: 0x78 }))).toBeNull();
    expect(offsetCongruenceRule(phdr({ offsetPageOffset: 0, vaddrPageOffset: 0x10 }))).toMatch(/modulo 4096/);
  });
  it('bounds p_filesz, p_memsz and p_vaddr by TASK_SIZE', () => {
    expect(segmentBoundsRule(phdr({ filesz: 101 }), DEFAULT_PROFILE)).toMatch(/p_filesz > p_memsz/);
    expect(segmentBoundsRule(phdr({ vaddr: TASK_SIZE }), DEFAULT_PROFILE)).toMatch(/TASK_SIZE/);
    expect(segmentBoundsRule(phdr({ vaddr: TASK_SIZE - 100, memsz: 100 }), DEFAULT_PROFILE)).toBeNull();
    expect(segmentBoundsRule(phdr({ vaddr: TASK_SIZE - 100, memsz: 101 }), DEFAULT_PROFILE)).toMatch(/TASK_SIZE/);
  });
  it('refuses mappings below vm.mmap_min_addr unless root, and above TASK_SIZE', () => {
    expect(mappingRangeRule(0x1000, 0x1000, DEFAULT_PROFILE)).toMatch(/mmap_min_addr/);
    expect(mappingRangeRule(0x10000, 0x1000, DEFAULT_PROFILE)).toBeNull();
    expect(mappingRangeRule(0x1000, 0x1000, PROFILES.root!)).toBeNull();
    expect(mappingRangeRule(TASK_SIZE - 0x1000, 0x2000, DEFAULT_PROFILE)).toMatch(/TASK_SIZE/);
  });
  it('applies the commit limit and the entry bound', () => {
    expect(commitRule(DEFAULT_PROFILE.commitLimitBytes, DEFAULT_PROFILE)).toBeNull();
    expect(commitRule(DEFAULT_PROFILE.commitLimitBytes + 4096, DEFAULT_PROFILE)).toMatch(/commit limit/);
    expect(entryRule(TASK_SIZE - 1, DEFAULT_PROFILE)).toBeNull();
    expect(entryRule(TASK_SIZE, DEFAULT_PROFILE)).toMatch(/TASK_SIZE/);
  });
  it('maps p_flags to page protections, execute-only only with PKU', () => {
    expect(segmentProtection(5, DEFAULT_PROFILE)).toBe(Prot.read | Prot.exec);
    expect(segmentProtection(2, DEFAULT_PROFILE)).toBe(Prot.read | Prot.write);
    expect(segmentProtection(1, DEFAULT_PROFILE)).toBe(Prot.read | Prot.exec);
    expect(segmentProtection(1, PROFILES.portable!)).toBe(Prot.exec);
    expect(segmentProtection(0, DEFAULT_PROFILE)).toBe(Prot.none);
  });
  it('kills on a failed bss zeroing only for writable segments since 6.7, always before', () => {
    expect(tailZeroingRule(true, false, DEFAULT_PROFILE)).toBeNull();
    expect(tailZeroingRule(true, true, DEFAULT_PROFILE)).not.toBeNull();
    expect(tailZeroingRule(true, false, PROFILES['linux-6.6']!)).not.toBeNull();
    expect(tailZeroingRule(false, true, PROFILES['linux-6.6']!)).toBeNull();
  });
  it('sizes and aligns an ET_DYN image as the kernel does', () => {
    expect(totalMappingSize([phdr({ vaddr: 0x78, memsz: 0x100 }), phdr({ vaddr: 0x3000, memsz: 0x10 })])).toBe(0x3010);
    expect(maximumAlignment([phdr({ align: 0x200000 }), phdr({ align: 0x3000 })])).toBe(0x200000);
    expect(maximumAlignment([phdr({ align: 0 })])).toBe(0);
  });
});

describe('process model', () => {
  it('loads ET_DYN files at a different address per seed', () => {
    // dyn-absolute writes from its link-time address: EFAULT wherever the kernel put it.
    const file = new Uint8Array(readFileSync('corpus/programs/dyn-absolute'));
    const emulator = new Emulator();
    for (const seed of [1, 2, 3]) expect(emulator.run(file, { seed }).exitCode).toBe(14);
  });
  it('maps huge bss lazily and reports the overcommit assumption', () => {
    const run = new Emulator().run(new Uint8Array(readFileSync('corpus/programs/big-bss')), { seed: 1 });
    expect(run.outcome).toBe('exited');
    expect(run.assumptions.map((a) => a.id)).toContain('overcommit');
  });
});

describe('address space and syscalls', () => {
  it('raises SIGBUS on file pages wholly past EOF', () => {
    const mem = new AddressSpace();
    mem.mapFile(0x400000, 0x2000, Prot.read, new Uint8Array(10).fill(7), 0);
    expect(mem.read8(0x400009)).toBe(7);
    expect(mem.read8(0x40000a)).toBe(0);
    expect(() => mem.read8(0x401000)).toThrow(MemoryFault);
    try {
      mem.read8(0x401000);
    } catch (e) {
      expect((e as MemoryFault).signal).toBe('SIGBUS');
    }
  });
  it('gives SIGBUS before the exec check for a fetch from a non-executable page past EOF', () => {
    const signalOf = (f: () => unknown): string | null => {
      try {
        f();
        return null;
      } catch (e) {
        return (e as MemoryFault).signal;
      }
    };
    const mem = new AddressSpace();
    mem.mapFile(0x400000, 0x2000, Prot.read, new Uint8Array(10).fill(7), 0);
    // Past EOF: not present, the fetch is judged as a read of an accessible mapping -> SIGBUS.
    expect(signalOf(() => mem.fetch8(0x401000))).toBe('SIGBUS');
    // A write needs a writable mapping even there.
    expect(signalOf(() => mem.write8(0x401000, 1))).toBe('SIGSEGV');
    // Inside the file the page is present and NX -> SIGSEGV.
    expect(signalOf(() => mem.fetch8(0x400000))).toBe('SIGSEGV');
  });
  it('writes whole pipe pages of a partly readable buffer and reports EFAULT when the first is unreadable', () => {
    const mem = new AddressSpace();
    mem.map(0x400000, 0xa000, Prot.read);
    const io = new ProcessIo();
    io.reset(new Uint8Array(0), 1);
    expect(io.write(mem, 1, 0x400000, 0x100000)).toBe(0xa000);
    expect(io.write(mem, 1, 0x409ff0, 100)).toBe(-14);
    expect(io.write(mem, 3, 0x400000, 1)).toBe(-9);
    expect(io.write(mem, 1, 0x400000, 2 ** 47)).toBe(-14);
    expect(io.stdoutBytes.length).toBe(0xa000);
  });
});
