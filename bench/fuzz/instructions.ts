/**
 * Fuzz category "instructions": random instruction sequences over every supported 64-bit form,
 * run natively (the host kernel and CPU are the oracle) and under golf's emulator, comparing all
 * defined final state. The cases are sequence.ts's: an ELF64 file with code in an R+X segment at
 * 0x400000 and data in an RW segment at 0x401000; the prologue and epilogue set and dump all 16
 * registers and rflags.
 */
import { FORMS } from '../../src/x86/table.js';
import type { Form } from '../../src/x86/table.js';
import { Sem } from '../../src/x86/sem.js';
import { runNative, nativeSupported } from '../../src/linux/native.js';
import type { FuzzOptions, FuzzReport } from './report.js';
import { le32, runSequenceFuzz, type FuzzMachine } from './sequence.js';

const BASE = 0x400000;
const HEADERS = 64 + 2 * 56;
const DATA = 0x401000;
const DATA_SIZE = 512;
const FILE_SIZE = DATA - BASE + DATA_SIZE;
/** End of the data segment, relative to BASE. */
const MEM_SIZE = 0x3000;
const STACK = 0x401100; // inside the random data: pops read random values
const EPILOGUE_STACK = 0x402e00;
const DUMP = 0x402f00;
const DUMP_SIZE = 17 * 8;

/** Forms the fuzz runs: valid in 64-bit mode, with comparable results (no syscall/cpuid/rdtsc). */
const FUZZ_FORMS: readonly Form[] = FORMS.filter((f) => f.mode64 && f.sem !== Sem.syscall && f.sem !== Sem.cpuid && f.sem !== Sem.rdtsc);

function le64(v: bigint): number[] { const out: number[] = []; for (let i = 0n; i < 64n; i += 8n) out.push(Number((v >> i) & 0xffn)); return out; }

function prologue(flags: number, regs: bigint[]): number[] {
  const out: number[] = [];
  out.push(0x48, 0xc7, 0xc4, ...le32(EPILOGUE_STACK)); // mov rsp, EPILOGUE_STACK
  out.push(0x48, 0xb8, ...le64(BigInt(flags))); //         mov rax, flags
  out.push(0x50, 0x9d); //                                 push rax; popfq
  for (let r = 0; r < 16; r++) {
    out.push(0x48 | (r >= 8 ? 1 : 0), 0xb8 + (r & 7), ...le64(regs[r]!)); // mov r64, imm64
  }
  return out;
}

function epilogue(): number[] {
  const out: number[] = [];
  for (let r = 0; r < 16; r++) {
    out.push(0x48 | (r >= 8 ? 4 : 0), 0x89, 0x04 | ((r & 7) << 3), 0x25, ...le32(DUMP + 8 * r)); // mov [abs DUMP+8r], r64
  }
  out.push(0x48, 0xc7, 0xc4, ...le32(EPILOGUE_STACK)); // mov rsp, EPILOGUE_STACK
  out.push(0x9c, 0x58); //                                pushfq; pop rax
  out.push(0x48, 0x89, 0x04, 0x25, ...le32(DUMP + 128)); // mov [abs DUMP+128], rax
  const write = (addr: number, len: number): number[] => [0xb8, ...le32(1), 0xbf, ...le32(1), 0xbe, ...le32(addr), 0xba, ...le32(len), 0x0f, 0x05];
  out.push(...write(DUMP, DUMP_SIZE), ...write(DATA, DATA_SIZE));
  out.push(0xb8, ...le32(60), 0x31, 0xff, 0x0f, 0x05); // exit(0)
  return out;
}

/** The whole ELF file of a case. */
function elf64(code: number[], data: Uint8Array): Uint8Array {
  const file = new Uint8Array(FILE_SIZE);
  const dv = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  dv.setUint16(16, 2, true); dv.setUint16(18, 62, true); dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt(BASE + HEADERS), true); // entry
  dv.setBigUint64(32, 64n, true); // phoff
  dv.setUint16(52, 64, true); dv.setUint16(54, 56, true); dv.setUint16(56, 2, true);
  const segment = (at: number, flags: number, offset: number, vaddr: number, filesz: number, memsz: number): void => {
    dv.setUint32(at, 1, true); dv.setUint32(at + 4, flags, true); // PT_LOAD
    dv.setBigUint64(at + 8, BigInt(offset), true); dv.setBigUint64(at + 16, BigInt(vaddr), true); dv.setBigUint64(at + 24, BigInt(vaddr), true);
    dv.setBigUint64(at + 32, BigInt(filesz), true); dv.setBigUint64(at + 40, BigInt(memsz), true); dv.setBigUint64(at + 48, 0x1000n, true);
  };
  segment(64, 5, 0, BASE, DATA - BASE, DATA - BASE); // R+X code
  segment(120, 6, DATA - BASE, DATA, DATA_SIZE, MEM_SIZE - (DATA - BASE)); // RW data, scratch stack, dump area
  file.set(code, HEADERS);
  file.set(data, DATA - BASE);
  return file;
}

export const MACHINE_64: FuzzMachine = {
  mode: 64, regCount: 16, wordSize: 8, base: BASE, data: DATA, dataSize: DATA_SIZE, stack: STACK, forms: FUZZ_FORMS,
  ripRelative: true, alignmentChecks: true, faultAddresses: null, prologue, epilogue, headers: HEADERS, elf: elf64,
};

export async function run(opts: FuzzOptions): Promise<FuzzReport> {
  if (!nativeSupported()) {
    opts.log('skipped: native execution needs a Linux x86-64 host');
    return { category: 'instructions', cases: 0, agree: 0, disagreements: [] };
  }
  return runSequenceFuzz(MACHINE_64, opts, 'instructions', 'native', (path) => runNative(path, { timeoutMs: 5000 }));
}
