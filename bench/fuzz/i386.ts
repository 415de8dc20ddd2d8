/**
 * Fuzz category "i386": random instruction sequences over every supported 32-bit form, run under
 * qemu-i386 (Debian's qemu-user: its CPU emulation is the oracle for 32-bit instruction semantics,
 * because this machine's kernel refuses ELF32 files) and under golf's emulator, comparing all
 * defined final state (sequence.ts builds and compares the cases).
 *
 * The files are ordinary ELF32 executables (ELFCLASS32, EM_386, two PT_LOADs at 0x8048000 and
 * 0x8049000, a non-executable PT_GNU_STACK), because qemu's own loader is stricter than Linux's: qemu judges instruction
 * semantics here, never loader rules. Some pointer registers carry a large offset that their
 * memory operands' displacement undoes modulo 2^32, so effective addresses wrap around 4 GiB.
 *
 * Not fuzzed against qemu: popf (qemu-user raises no #AC alignment fault and popf may set AC; popf
 * is fuzzed natively in 64-bit mode), sysenter (CPU-vendor dependent), cpuid/rdtsc (machine
 * dependent), int 0x80 (a random system call) and test's F6/F7 /1 alias (see qemuMisdecodes).
 * Faulting data accesses go to pages unmapped under both (FAULT_ADDRESSES).
 */
import { existsSync } from 'node:fs';
import { runNative, nativeSupported } from '../../src/linux/native.js';
import { DEFAULT_PROFILE } from '../../src/linux/profile.js';
import type { RunResult } from '../../src/linux/run-result.js';
import { Sem } from '../../src/x86/sem.js';
import { FORMS, type Form } from '../../src/x86/table.js';
import type { FuzzOptions, FuzzReport } from './report.js';
import { le32, runSequenceFuzz, type FuzzMachine } from './sequence.js';

const BASE = 0x8048000;
const HEADERS = 52 + 3 * 32;
const DATA = 0x8049000;
const DATA_SIZE = 512;
const FILE_SIZE = DATA - BASE + DATA_SIZE;
/** End of the data segment, relative to BASE. */
const MEM_SIZE = 0x3000;
const STACK = DATA + 0x100; // inside the random data: pops read random values
const EPILOGUE_STACK = BASE + 0x2e00;
const DUMP = BASE + 0x2f00;
const DUMP_SIZE = 9 * 4;
const ESP = 4;

/** Where Debian's qemu-user package installs the 32-bit user-mode emulator. */
export const QEMU_I386 = '/usr/bin/qemu-i386';

/**
 * Pages unmapped in golf's 32-bit process and under qemu-i386 alike (qemu puts its guest stack at
 * 0x40000000 and reserves the brk area after the data; Linux's stack is near 0xffffe000, below which
 * golf also maps the stack's growth region): the null page, low memory, 0x20000000, 0x7ffff000,
 * 0xc0000000, and the top page above TASK_SIZE.
 */
const FAULT_ADDRESSES = [0x0, 0x1000, 0x20000000, 0x7ffff000, 0xc0000000, 0xfffff000];

/** Forms fuzzed against qemu: valid in 32-bit mode, comparable (see the module comment). */
const FUZZ_FORMS_32: readonly Form[] = FORMS.filter(
  (f) => f.mode32 && f.sem !== Sem.cpuid && f.sem !== Sem.rdtsc && f.sem !== Sem.sysenter && f.sem !== Sem.popf && !qemuMisdecodes(f),
);

/**
 * Encodings qemu-i386 (7.2, Debian 12) gets wrong, so they cannot be judged by it: it raises SIGILL
 * for F6/F7 /1, the undocumented alias of test that Intel and AMD CPUs execute as test (the 64-bit
 * fuzz checks that form natively).
 */
function qemuMisdecodes(f: Form): boolean {
  return f.sem === Sem.test && f.alias && (f.opcode === 0xf6 || f.opcode === 0xf7) && f.digit === 1;
}

function prologue(flags: number, regs: bigint[]): number[] {
  const out: number[] = [];
  out.push(0xbc, ...le32(EPILOGUE_STACK)); // mov esp, EPILOGUE_STACK
  out.push(0x68, ...le32(flags), 0x9d); //     push flags; popfd
  for (let r = 0; r < 8; r++) if (r !== ESP) out.push(0xb8 + r, ...le32(Number(regs[r]!))); // mov r32, imm32
  out.push(0xbc, ...le32(Number(regs[ESP]!))); // mov esp, value (last: the pushes above used the scratch stack)
  return out;
}

function epilogue(): number[] {
  const out: number[] = [];
  for (let r = 0; r < 8; r++) out.push(0x89, 0x05 | (r << 3), ...le32(DUMP + 4 * r)); // mov [abs DUMP+4r], r32
  out.push(0xbc, ...le32(EPILOGUE_STACK)); // mov esp, EPILOGUE_STACK
  out.push(0x9c, 0x58); //                    pushfd; pop eax
  out.push(0x89, 0x05, ...le32(DUMP + 32)); // mov [abs DUMP+32], eax
  const write = (addr: number, len: number): number[] => [0xb8, ...le32(4), 0xbb, ...le32(1), 0xb9, ...le32(addr), 0xba, ...le32(len), 0xcd, 0x80];
  out.push(...write(DUMP, DUMP_SIZE), ...write(DATA, DATA_SIZE));
  out.push(0xb8, ...le32(1), 0x31, 0xdb, 0xcd, 0x80); // exit(0)
  return out;
}

/** A standard ELF32 file: R+X code at BASE, RW data (with the scratch stack and the dump area) at DATA, PT_GNU_STACK. */
function elf32(code: number[], data: Uint8Array): Uint8Array {
  const file = new Uint8Array(FILE_SIZE);
  const dv = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  dv.setUint16(16, 2, true); dv.setUint16(18, 3, true); dv.setUint32(20, 1, true);
  dv.setUint32(24, BASE + HEADERS, true); // e_entry
  dv.setUint32(28, 52, true); // e_phoff
  dv.setUint16(40, 52, true); dv.setUint16(42, 32, true); dv.setUint16(44, 3, true);
  const segment = (at: number, flags: number, offset: number, vaddr: number, filesz: number, memsz: number): void => {
    dv.setUint32(at, 1, true); dv.setUint32(at + 4, offset, true); dv.setUint32(at + 8, vaddr, true); dv.setUint32(at + 12, vaddr, true);
    dv.setUint32(at + 16, filesz, true); dv.setUint32(at + 20, memsz, true); dv.setUint32(at + 24, flags, true); dv.setUint32(at + 28, 0x1000, true);
  };
  segment(52, 5, 0, BASE, DATA - BASE, DATA - BASE); // R+X code
  segment(84, 6, DATA - BASE, DATA, DATA_SIZE, MEM_SIZE - (DATA - BASE)); // RW data, scratch stack, dump area
  // PT_GNU_STACK without PF_X: no READ_IMPLIES_EXEC, so the data is not executable under Linux either
  // (qemu-user does not model that personality; a jump into the data must fault under both).
  dv.setUint32(116, 0x6474e551, true); dv.setUint32(116 + 24, 6, true);
  file.set(code, HEADERS);
  file.set(data, DATA - BASE);
  return file;
}

export const MACHINE_32: FuzzMachine = {
  mode: 32, regCount: 8, wordSize: 4, base: BASE, data: DATA, dataSize: DATA_SIZE, stack: STACK, forms: FUZZ_FORMS_32,
  ripRelative: false, alignmentChecks: false, faultAddresses: FAULT_ADDRESSES, prologue, epilogue, headers: HEADERS, elf: elf32,
};

/**
 * Runs a 32-bit file under qemu-i386 (through golf's exec helper, like a native run). qemu maps its
 * guest stack at 0x40000000; `-s 65536` keeps it to 64 KiB, so that random pointer arithmetic in a
 * case rarely lands in memory that only qemu has mapped.
 */
export function runQemu(path: string): Promise<RunResult> {
  return runNative(QEMU_I386, { argv: [QEMU_I386, '-s', '65536', path], timeoutMs: 10_000 });
}

export function qemuAvailable(): boolean {
  return nativeSupported() && existsSync(QEMU_I386);
}

export async function run(opts: FuzzOptions): Promise<FuzzReport> {
  if (!qemuAvailable()) {
    opts.log(`skipped: needs ${QEMU_I386} (apt-get install qemu-user) on a Linux x86-64 host`);
    return { category: 'i386', cases: 0, agree: 0, disagreements: [] };
  }
  // The default profile: IA32 emulation on, as on a distribution kernel (qemu runs the file anyway).
  return runSequenceFuzz(MACHINE_32, opts, 'i386', 'qemu-i386', runQemu, DEFAULT_PROFILE);
}
