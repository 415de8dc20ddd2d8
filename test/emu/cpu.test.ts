// Per-instruction facts of the Cpu that only the emulator shows, on hand-assembled bytes (encodings
// checked with nasm 2.16): how a run stops (Stop kinds, rip at the stop), step counts, the fault
// address and what a faulting instruction leaves, cpuid/rdtsc, the harness's fixed stack.
// Programs end with `int 0x80` (cd 80), which stops the run without touching registers, or with
// `syscall` (0f 05) where that is what is tested.
//
// The instruction semantics that a program shows, on the emulator as on the host kernel, are NASM
// sources instead (issue 12): test/cpu/*.asm, programs of checks (register values, flags, memory;
// asm-checks.test.ts), and test/cpu/faults/*.asm, one program per case for the signal an
// instruction raises (asm-faults.test.ts). The tests converted there are gone from here; a test
// below that keeps a fact converted too says so.
import { describe, expect, it } from 'vitest';
import { CODE, DATA, machine, reg, run, setReg, STACK_TOP, Stop } from './harness.js';
import { TF } from '../../src/emu/flags.js';

const SYSCALL = [0x0f, 0x05];
const END = [0xcd, 0x80];
const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RDI = 7;

// register writes: test/cpu/arith.asm (32-bit writes zero-extend, 8/16-bit ones merge, ah versus
// spl) and control.asm (syscall's rcx and r11)
describe('syscall', () => {
  it('syscall stops the Cpu with rip past it, and counts as a step', () => {
    const m = run([0xf9, ...SYSCALL]); // stc; syscall
    expect(m.stop).toBe(Stop.syscall);
    expect(m.cpu.rip).toBe(CODE + 3);
    expect(m.cpu.steps).toBe(2);
  });
});

// arithmetic: test/cpu/arith.asm (add, mul, imul, div, idiv, cqo/cdqe/cwde/cbw/cwd), bits.asm (a
// shift by cl = 0), faults/faults.asm (division's SIGFPE)
describe('arithmetic', () => {
  it('a zero divisor faults at the div (SIGFPE, also in faults.asm)', () => {
    const zero = run([0x48, 0xf7, 0xf3, ...END]); // div rbx
    expect([zero.stop, zero.signal, zero.cpu.faultAddress]).toEqual([Stop.exception, 'SIGFPE', CODE]);
  });
});

describe('movsxd (63 /r) by operation size, as measured natively on the reference CPU (AMD)', () => {
  const CAFE = 0xdeadbeefcafe8001n;
  const withRcx = (c: import('../../src/emu/cpu.js').Cpu): void => { setReg(c, RAX, 0x1122334455667788n); setReg(c, RCX, CAFE); };
  it('without REX.W a 32-bit move (zero-extends), with 66 a 16-bit move into the low word, REX.W sign-extends and wins over 66', () => {
    const ran = (code: number[]): bigint => reg(run([...code, ...END], { setup: withRcx }).cpu, RAX);
    expect(ran([0x63, 0xc1])).toBe(0xcafe8001n); //                    movsxd eax, ecx
    expect(ran([0x66, 0x63, 0xc1])).toBe(0x1122334455668001n); //      movsxd ax, ecx
    expect(ran([0x48, 0x63, 0xc1])).toBe(0xffffffffcafe8001n); //      movsxd rax, ecx
    expect(ran([0x66, 0x48, 0x63, 0xc1])).toBe(0xffffffffcafe8001n); // o16 movsxd rax, ecx
  });
  it('with 66 the memory source is still a dword: 2 bytes before an unmapped page it faults, 4 bytes before it merges the low word', () => {
    const at = (address: number) => (c: import('../../src/emu/cpu.js').Cpu, mem: import('../../src/linux/memory.js').AddressSpace): void => {
      setReg(c, RAX, 0x1122334455667788n); setReg(c, RBX, BigInt(address));
      mem.poke(DATA + 0xffc, Uint8Array.of(0x01, 0x80, 0xfe, 0xca));
    };
    const MOVSXD_AX_MEM = [0x66, 0x63, 0x03]; //                         movsxd ax, [rbx]
    const end = run([...MOVSXD_AX_MEM, ...END], { setup: at(DATA + 0xffe) });
    expect([end.stop, end.signal, end.cpu.faultAddress, reg(end.cpu, RAX)]).toEqual([Stop.exception, 'SIGSEGV', DATA + 0x1000, 0x1122334455667788n]);
    expect(run([0x66, 0x8b, 0x03, ...END], { setup: at(DATA + 0xffe) }).stop).toBe(Stop.int80); // mov ax, [rbx]: a word is readable there
    const inside = run([...MOVSXD_AX_MEM, ...END], { setup: at(DATA + 0xffc) });
    expect([inside.stop, reg(inside.cpu, RAX)]).toEqual([Stop.int80, 0x1122334455668001n]);
    expect(reg(run([0x48, 0x63, 0x03, ...END], { setup: at(DATA + 0xffc) }).cpu, RAX)).toBe(0xffffffffcafe8001n); // movsxd rax, [rbx]
  });
});

// bits (bts with a negative register offset, bsf/bsr, bswap): test/cpu/bits.asm

// stack and control flow (call/ret, loop/jrcxz, pushfq/popfq/lahf/sahf): test/cpu/control.asm;
// popf setting TF: faults/faults.asm
describe('stack and control flow', () => {
  it('loop $ with rcx = 5 takes a step per round (5, and 1 for the end)', () => {
    const m = run([0xe2, 0xfe, ...END], { setup: (c) => setReg(c, RCX, 5n) }); // loop $
    expect(m.cpu.steps).toBe(6);
  });
  it('popf setting TF traps after the following instruction (SIGTRAP also in faults.asm)', () => {
    const m = run([0x9d, 0x90, 0x90, ...END], { setup: (c, mem) => { setReg(c, RSP, BigInt(STACK_TOP - 8)); mem.poke(STACK_TOP - 8, Uint8Array.of(0x02, TF >> 8, 0, 0)); } });
    expect([m.stop, m.signal, m.cpu.steps]).toEqual([Stop.exception, 'SIGTRAP', 2]);
  });
});

// alignment check: faults/faults.asm (SIGBUS), test/cpu/addressing.asm (what runs with AC)

// string instructions (rep stosb, std; rep movsb, repne scasb): test/cpu/strings.asm
describe('string instructions', () => {
  it('rep stosb counts one step per element', () => {
    const m = run([0xf3, 0xaa, ...END], { setup: (c) => { setReg(c, RDI, BigInt(DATA)); setReg(c, RCX, 5n); setReg(c, RAX, 0x41n); } });
    expect(m.cpu.steps).toBe(6);
  });
  it('a step limit stops rep stosb half-way with consistent registers', () => {
    const m = run([0xf3, 0xaa, ...END], { maxSteps: 3, setup: (c) => { setReg(c, RDI, BigInt(DATA)); setReg(c, RCX, 10n); } });
    expect([m.stop, reg(m.cpu, RCX), m.cpu.rip]).toEqual([Stop.stepLimit, 7n, CODE]);
  });
});

// memory operands (base + index*scale + disp, absolute, negative displacements, wrapping):
// test/cpu/addressing.asm; their faults (AC, non-canonical addresses, page protections):
// faults/faults.asm
describe('memory operands', () => {
  it('a store to a read-only page faults at that address (SIGSEGV also in faults.asm)', () => {
    const m = run([0x48, 0x89, 0x07, ...END], { setup: (c) => setReg(c, RDI, BigInt(CODE + 0x100)) });
    expect([m.stop, m.signal, m.cpu.faultAddress]).toEqual([Stop.exception, 'SIGSEGV', CODE + 0x100]);
  });
  it('a store crossing into an unmapped page changes nothing (SIGSEGV also in faults.asm)', () => {
    const m = run([0x48, 0x89, 0x07, ...END], { setup: (c) => { setReg(c, RDI, BigInt(DATA + 0xffc)); setReg(c, RAX, -1n); } });
    expect(m.signal).toBe('SIGSEGV');
    expect(m.cpu.mem.read32(DATA + 0xffc)).toBe(0);
  });
  it('a push below the stack mapping faults without moving rsp', () => {
    // the harness's stack is one fixed page; a process's stack grows instead
    const m = run([0x50, ...END], { setup: (c) => setReg(c, RSP, BigInt(STACK_TOP - 0x1000)) });
    expect(m.signal).toBe('SIGSEGV');
    expect(reg(m.cpu, RSP)).toBe(BigInt(STACK_TOP - 0x1000));
  });
});

// faults: the signal of int3, int 3, int 4, int 0x81, hlt, ud2, push es, a 16-byte instruction,
// running off the end of the code, an instruction cut by it, a jump to data: faults/faults.asm
describe('faults and stops', () => {
  it('int 0x80 stops with rip past it', () => {
    const m = run([0xcd, 0x80]);
    expect([m.stop, m.cpu.rip]).toEqual([Stop.int80, CODE + 2]);
  });
  it('an instruction outside the table stops as unsupported, naming its bytes', () => {
    const m = run([0x0f, 0x10, 0xc0, ...END]); // movups xmm0, xmm0
    expect(m.stop).toBe(Stop.unsupported);
    expect(m.cpu.unsupported).toContain('0f 10 c0');
  });
  it('running off the end of executable memory faults at the first unfetchable byte (SIGSEGV also in faults.asm)', () => {
    const m = run([], { setup: (c, mem) => { mem.poke(CODE + 0x2000 - 2, Uint8Array.of(0xeb, 0x00)); c.rip = CODE + 0x2000 - 2; } }); // jmp to CODE+0x2000
    expect(m.signal).toBe('SIGSEGV');
    expect(m.cpu.faultAddress).toBe(CODE + 0x2000);
  });
  it('an instruction cut by the end of executable memory faults at the first byte past it (also in faults.asm, with one that ends there and runs)', () => {
    const cut = machine([]);
    cut.mem.poke(CODE + 0x2000 - 1, Uint8Array.of(0x0f));
    cut.cpu.rip = CODE + 0x2000 - 1;
    expect(cut.cpu.run(10)).toBe(Stop.exception);
    expect(cut.cpu.faultAddress).toBe(CODE + 0x2000);
  });
  it('data pages are not executable: the fault is at the jump target (SIGSEGV also in faults.asm)', () => {
    const m = run([0xff, 0xe0], { setup: (c) => setReg(c, RAX, BigInt(DATA)) }); // jmp rax
    expect([m.signal, m.cpu.faultAddress]).toEqual(['SIGSEGV', DATA]);
  });
  it('an infinite loop ends at the step limit', () => {
    const m = run([0xeb, 0xfe], { maxSteps: 1000 });
    expect([m.stop, m.cpu.steps]).toEqual([Stop.stepLimit, 1000]);
  });
});

// self-modifying code: test/cpu/control.asm

describe('machine-dependent instructions', () => {
  it('cpuid answers fixed values and is reported', () => {
    const m = run([0x0f, 0xa2, ...END]);
    expect(m.cpu.usedCpuid).toBe(true);
    expect(Buffer.from(Uint32Array.of(m.cpu.regLo[RBX]!, m.cpu.regLo[RDX]!, m.cpu.regLo[RCX]!).buffer).toString()).toBe('GolfEmulator');
  });
  it('rdtsc returns the step count and is reported', () => {
    const m = run([0x90, 0x90, 0x0f, 0x31, ...END]);
    expect([m.cpu.usedRdtsc, reg(m.cpu, RAX), reg(m.cpu, RDX)]).toEqual([true, 2n, 0n]);
  });
});

// first touch of a page with a non-canonical rsp: faults/first-touch.asm, except the fact below,
// which the host does not show for the pages tried (see the end of first-touch.asm)
describe('first touch of a page with a non-canonical rsp', () => {
  it('kills with SIGSEGV at the second such first touch (emulator model only: on the host a second page whose tail the loader zeroed is served)', () => {
    const BSWAP_RSP = [0x48, 0x0f, 0xcc]; //              bswap rsp
    const TOUCH = [0x8b, 0x0b]; //                        mov ecx, [rbx]
    const TOUCH_CODE_PAGE_2 = [0x8b, 0x0c, 0x25, 0x00, 0x10, 0x40, 0x00]; // mov ecx, [0x401000]
    const m = run([0x9d, ...BSWAP_RSP, ...TOUCH, ...TOUCH_CODE_PAGE_2, ...END], { setup: (c, mem) => { // popfq (AC set)
      setReg(c, RSP, BigInt(STACK_TOP - 16)); setReg(c, RBX, BigInt(DATA));
      mem.poke(STACK_TOP - 16, Uint8Array.of(0x02, 0x02, 0x04, 0));
    } });
    expect([m.stop, m.signal]).toEqual([Stop.exception, 'SIGSEGV']);
  });
});
