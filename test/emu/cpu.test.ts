// Per-instruction semantics of the Cpu on hand-assembled bytes (encodings checked with nasm 2.16).
// Programs end with `int 0x80` (cd 80), which stops the run without touching registers, or with
// `syscall` (0f 05) where that is what is tested.
import { describe, expect, it } from 'vitest';
import { CODE, DATA, machine, reg, run, setReg, STACK_TOP, Stop } from './harness.js';
import { CF, DF, OF, SF, TF, ZF } from '../../src/emu/flags.js';

const SYSCALL = [0x0f, 0x05];
const END = [0xcd, 0x80];
const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RSI = 6, RDI = 7;

describe('register writes', () => {
  it('32-bit writes zero-extend, 8/16-bit writes merge, AH versus SPL', () => {
    const m = run([
      0x48, 0xc7, 0xc0, 0xff, 0xff, 0xff, 0xff, // mov rax, -1
      0x66, 0xb8, 0x88, 0x77, //                    mov ax, 0x7788
      0xb0, 0x12, //                                mov al, 0x12
      0xb4, 0x34, //                                mov ah, 0x34
      0x48, 0xc7, 0xc3, 0xff, 0xff, 0xff, 0xff, // mov rbx, -1
      0x89, 0xdb, //                                mov ebx, ebx (zero-extends)
      0x40, 0xb4, 0x56, //                          mov spl, 0x56
      ...END,
    ]);
    expect(m.stop).toBe(Stop.int80);
    expect(reg(m.cpu, RAX)).toBe(0xffffffffffff3412n);
    expect(reg(m.cpu, RBX)).toBe(0xffffffffn);
    expect(reg(m.cpu, RSP)).toBe(BigInt(STACK_TOP + 0x56)); // STACK_TOP has a zero low byte
  });
  it('syscall sets rcx to the next rip and r11 to rflags, and counts as a step', () => {
    const m = run([0xf9, ...SYSCALL]); // stc; syscall
    expect(m.stop).toBe(Stop.syscall);
    expect(m.cpu.rip).toBe(CODE + 3);
    expect(reg(m.cpu, RCX)).toBe(BigInt(CODE + 3));
    expect(reg(m.cpu, 11)).toBe(0x203n);
    expect(m.cpu.steps).toBe(2);
  });
});

describe('arithmetic', () => {
  it('64-bit add carries across the halves and sets CF/ZF', () => {
    const m = run([0x48, 0x01, 0xd8, ...END], { setup: (c) => { setReg(c, RAX, 0xffffffffffffffffn); setReg(c, RBX, 1n); } });
    expect(reg(m.cpu, RAX)).toBe(0n);
    expect(m.cpu.rflags & (CF | ZF | OF | SF)).toBe(CF | ZF);
  });
  it('mul rbx gives the 128-bit product in rdx:rax with CF=OF', () => {
    const m = run([0x48, 0xf7, 0xe3, ...END], { setup: (c) => { setReg(c, RAX, 0xfedcba9876543210n); setReg(c, RBX, 0x123456789abcdef1n); } });
    const p = 0xfedcba9876543210n * 0x123456789abcdef1n;
    expect(reg(m.cpu, RAX)).toBe(p & 0xffffffffffffffffn);
    expect(reg(m.cpu, RDX)).toBe(p >> 64n);
    expect(m.cpu.rflags & (CF | OF)).toBe(CF | OF);
  });
  it('imul r, r/m, imm8 sign-extends the immediate', () => {
    const m = run([0x48, 0x6b, 0xc3, 0xfd, ...END], { setup: (c) => setReg(c, RBX, 7n) });
    expect(reg(m.cpu, RAX)).toBe(BigInt.asUintN(64, -21n));
    expect(m.cpu.rflags & (CF | OF)).toBe(0);
  });
  it('div rbx divides rdx:rax; a zero divisor or a too-large quotient is SIGFPE', () => {
    const m = run([0x48, 0xf7, 0xf3, ...END], { setup: (c) => { setReg(c, RDX, 5n); setReg(c, RAX, 123n); setReg(c, RBX, 0x100000000n); } });
    const n = (5n << 64n) + 123n;
    expect(reg(m.cpu, RAX)).toBe(n / 0x100000000n);
    expect(reg(m.cpu, RDX)).toBe(n % 0x100000000n);
    const zero = run([0x48, 0xf7, 0xf3, ...END]);
    expect([zero.stop, zero.signal, zero.cpu.faultAddress]).toEqual([Stop.exception, 'SIGFPE', CODE]);
    const big = run([0x48, 0xf7, 0xf3, ...END], { setup: (c) => { setReg(c, RDX, 1n); setReg(c, RBX, 1n); } });
    expect(big.signal).toBe('SIGFPE');
  });
  it('idiv rbx truncates toward zero; INT64_MIN / -1 is SIGFPE', () => {
    const m = run([0x48, 0xf7, 0xfb, ...END], { setup: (c) => { setReg(c, RDX, -1n); setReg(c, RAX, -7n); setReg(c, RBX, 2n); } });
    expect(reg(m.cpu, RAX)).toBe(BigInt.asUintN(64, -3n));
    expect(reg(m.cpu, RDX)).toBe(BigInt.asUintN(64, -1n));
    const ovf = run([0x48, 0xf7, 0xfb, ...END], { setup: (c) => { setReg(c, RDX, -1n); setReg(c, RAX, -(1n << 63n)); setReg(c, RBX, -1n); } });
    expect(ovf.signal).toBe('SIGFPE');
  });
  it('a shift by CL = 0 keeps the flags but still zero-extends a 32-bit register (as measured natively)', () => {
    const m = run([0xf9, 0xd3, 0xe0, ...END], { setup: (c) => setReg(c, RAX, -1n) }); // stc; shl eax, cl
    expect(reg(m.cpu, RAX)).toBe(0xffffffffn);
    expect(m.cpu.rflags & CF).toBe(CF);
  });
  it('cqo, cdqe, cwde, cbw, cwd', () => {
    const m = run([0x48, 0x99, ...END], { setup: (c) => setReg(c, RAX, -5n) });
    expect(reg(m.cpu, RDX)).toBe(0xffffffffffffffffn);
    expect(reg(run([0x48, 0x98, ...END], { setup: (c) => setReg(c, RAX, 0x80000000n) }).cpu, RAX)).toBe(0xffffffff80000000n);
    expect(reg(run([0x98, ...END], { setup: (c) => setReg(c, RAX, 0x1234567800008000n) }).cpu, RAX)).toBe(0xffff8000n);
    expect(reg(run([0x66, 0x98, ...END], { setup: (c) => setReg(c, RAX, 0x1234567800000080n) }).cpu, RAX)).toBe(0x123456780000ff80n);
    expect(reg(run([0x66, 0x99, ...END], { setup: (c) => { setReg(c, RAX, 0x8000n); setReg(c, RDX, 0x1111111111111111n); } }).cpu, RDX)).toBe(0x111111111111ffffn);
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

describe('bits', () => {
  it('bt/bts with a register offset address memory relative to the operand (negative offsets too)', () => {
    const m = run([0x48, 0x0f, 0xab, 0x07, ...END], { setup: (c) => { setReg(c, RDI, BigInt(DATA + 16)); setReg(c, RAX, -63n); } });
    // bit -63 = bit 1 of the qword at rdi - 8
    expect(m.cpu.mem.read8(DATA + 8)).toBe(2);
    expect(m.cpu.rflags & CF).toBe(0);
  });
  it('bsf with a zero source sets ZF and leaves the destination (all 64 bits) alone', () => {
    const m = run([0x0f, 0xbc, 0xc3, ...END], { setup: (c) => setReg(c, RAX, -1n) });
    expect(reg(m.cpu, RAX)).toBe(0xffffffffffffffffn);
    expect(m.cpu.rflags & ZF).toBe(ZF);
    const n = run([0x48, 0x0f, 0xbd, 0xc3, ...END], { setup: (c) => setReg(c, RBX, 0x0000100000000010n) });
    expect(reg(n.cpu, RAX)).toBe(44n);
  });
  it('bswap rax and bswap eax', () => {
    expect(reg(run([0x48, 0x0f, 0xc8, ...END], { setup: (c) => setReg(c, RAX, 0x0102030405060708n) }).cpu, RAX)).toBe(0x0807060504030201n);
    expect(reg(run([0x0f, 0xc8, ...END], { setup: (c) => setReg(c, RAX, 0x0102030405060708n) }).cpu, RAX)).toBe(0x08070605n);
  });
});

describe('stack and control flow', () => {
  it('push/pop/call/ret move rsp by 8 and return to the next instruction', () => {
    const m = run([
      0xe8, 0x03, 0x00, 0x00, 0x00, // call +3
      0x5b, //                         pop rbx (reads the slot above the initial rsp)
      ...END,
      0x50, //                         push rax
      0x58, //                         pop rax
      0xc3, //                         ret
    ], { setup: (c, mem) => { setReg(c, RAX, 42n); setReg(c, RSP, BigInt(STACK_TOP - 0x100)); mem.poke(STACK_TOP - 0x100, Uint8Array.of(9)); } });
    expect(m.stop).toBe(Stop.int80);
    expect(reg(m.cpu, RAX)).toBe(42n);
    expect(reg(m.cpu, RBX)).toBe(9n);
    expect(m.cpu.mem.read32(STACK_TOP - 0x108)).toBe(CODE + 5); // the return address that ret consumed
    expect(reg(m.cpu, RSP)).toBe(BigInt(STACK_TOP - 0xf8));
  });
  it('loop counts rcx down to zero; jrcxz jumps when rcx is zero', () => {
    const m = run([0xe2, 0xfe, ...END], { setup: (c) => setReg(c, RCX, 5n) }); // loop $
    expect(reg(m.cpu, RCX)).toBe(0n);
    expect(m.cpu.steps).toBe(6);
    const j = run([0xe3, 0x02, 0x0f, 0x0b, ...END]); // jrcxz over ud2
    expect(j.stop).toBe(Stop.int80);
  });
  it('pushfq pushes rflags; popfq changes only user-modifiable flags; lahf/sahf', () => {
    const m = run([0x9c, 0x9d, 0x9f, ...END], { setup: (c, mem) => { c.rflags = 0x202 | CF | ZF; void mem; } });
    expect(m.cpu.mem.read32(STACK_TOP - 8)).toBe(0x202 | CF | ZF);
    expect((m.cpu.regLo[RAX]! >>> 8) & 0xff).toBe(0x02 | CF | ZF);
    // popf with IF clear and IOPL 3 in the image: IF and IOPL keep their values
    const p = run([0x9d, ...END], { setup: (c, mem) => { setReg(c, RSP, BigInt(STACK_TOP - 8)); mem.poke(STACK_TOP - 8, Uint8Array.of(0xd5, 0x30, 0, 0)); } });
    expect(p.cpu.rflags).toBe(0x202 | 0xd5);
  });
  it('popf setting TF traps after the following instruction', () => {
    const m = run([0x9d, 0x90, 0x90, ...END], { setup: (c, mem) => { setReg(c, RSP, BigInt(STACK_TOP - 8)); mem.poke(STACK_TOP - 8, Uint8Array.of(0x02, TF >> 8, 0, 0)); } });
    expect([m.stop, m.signal, m.cpu.steps]).toEqual([Stop.exception, 'SIGTRAP', 2]);
  });
});

describe('alignment check', () => {
  it('popf setting AC makes a misaligned load SIGBUS (Linux runs with CR0.AM); byte accesses are fine', () => {
    const code = [0x9d, 0x8b, 0x44, 0x24, 0x01, ...END]; // popfq; mov eax, [rsp+1]
    const setup = (ac: number) => (c: import('../../src/emu/cpu.js').Cpu, mem: import('../../src/linux/memory.js').AddressSpace): void => {
      setReg(c, RSP, BigInt(STACK_TOP - 16));
      mem.poke(STACK_TOP - 16, Uint8Array.of(0x02, 0x02, ac, 0));
    };
    expect(run(code, { setup: setup(0x04) }).signal).toBe('SIGBUS');
    expect(run(code, { setup: setup(0) }).stop).toBe(Stop.int80);
    expect(run([0x9d, 0x8a, 0x44, 0x24, 0x01, ...END], { setup: setup(0x04) }).stop).toBe(Stop.int80); // mov al, [rsp+1]
  });
});

describe('string instructions', () => {
  it('rep stosb fills rcx bytes upward and counts one step per element', () => {
    const m = run([0xf3, 0xaa, ...END], { setup: (c) => { setReg(c, RDI, BigInt(DATA)); setReg(c, RCX, 5n); setReg(c, RAX, 0x41n); } });
    expect(Array.from(m.cpu.mem.readAvailable(DATA, 6))).toEqual([0x41, 0x41, 0x41, 0x41, 0x41, 0]);
    expect(reg(m.cpu, RDI)).toBe(BigInt(DATA + 5));
    expect(m.cpu.steps).toBe(6);
  });
  it('std; rep movsb copies downward', () => {
    const m = run([0xfd, 0xf3, 0xa4, ...END], { setup: (c, mem) => {
      mem.poke(DATA, Uint8Array.of(1, 2, 3));
      setReg(c, RSI, BigInt(DATA + 2)); setReg(c, RDI, BigInt(DATA + 0x102)); setReg(c, RCX, 3n);
    } });
    expect(Array.from(m.cpu.mem.readAvailable(DATA + 0x100, 3))).toEqual([1, 2, 3]);
    expect(reg(m.cpu, RSI)).toBe(BigInt(DATA - 1));
    expect(m.cpu.rflags & DF).toBe(DF);
  });
  it('repne scasb stops at the matching byte', () => {
    const m = run([0xf2, 0xae, ...END], { setup: (c, mem) => {
      mem.poke(DATA, Uint8Array.of(5, 6, 7, 0, 9));
      setReg(c, RDI, BigInt(DATA)); setReg(c, RCX, 100n);
    } });
    expect(reg(m.cpu, RDI)).toBe(BigInt(DATA + 4));
    expect(reg(m.cpu, RCX)).toBe(96n);
    expect(m.cpu.rflags & ZF).toBe(ZF);
  });
  it('a step limit stops rep stosb half-way with consistent registers', () => {
    const m = run([0xf3, 0xaa, ...END], { maxSteps: 3, setup: (c) => { setReg(c, RDI, BigInt(DATA)); setReg(c, RCX, 10n); } });
    expect([m.stop, reg(m.cpu, RCX), m.cpu.rip]).toEqual([Stop.stepLimit, 7n, CODE]);
  });
});

describe('memory operands', () => {
  it('base + index*scale + disp, RIP-relative and absolute disp32', () => {
    const m = run([
      0x48, 0x8d, 0x44, 0x8b, 0x08, //           lea rax, [rbx+rcx*4+8]
      0x8a, 0x14, 0x25, 0x00, 0x00, 0x60, 0x00, // mov dl, [0x600000]
      ...END,
    ], { setup: (c, mem) => { setReg(c, RBX, 0x100n); setReg(c, RCX, -2n); mem.poke(DATA, Uint8Array.of(0x99)); } });
    expect(reg(m.cpu, RAX)).toBe(0x100n);
    expect(reg(m.cpu, RDX)).toBe(0x99n);
  });
  it('a negative displacement subtracts from the base (found by the native fuzz)', () => {
    const m = run([0xff, 0x77, 0x9f, 0x5b, ...END], { setup: (c, mem) => { // push qword [rdi-0x61]; pop rbx
      setReg(c, RDI, BigInt(DATA + 0x61)); mem.poke(DATA, Uint8Array.of(0x11, 0x22));
    } });
    expect([m.stop, reg(m.cpu, RBX)]).toEqual([Stop.int80, 0x2211n]);
  });
  it('with AC, a misaligned canonical address is SIGBUS even when unmapped; a non-canonical one is SIGSEGV', () => {
    const code = [0x9d, 0x8b, 0x00, ...END]; // popfq; mov eax, [rax]
    const setup = (address: bigint) => (c: import('../../src/emu/cpu.js').Cpu, mem: import('../../src/linux/memory.js').AddressSpace): void => {
      setReg(c, RSP, BigInt(STACK_TOP - 16)); setReg(c, RAX, address);
      mem.poke(STACK_TOP - 16, Uint8Array.of(0x02, 0x02, 0x04, 0));
    };
    expect(run(code, { setup: setup(0xffff800000000001n) }).signal).toBe('SIGBUS');
    expect(run(code, { setup: setup(0x1001n) }).signal).toBe('SIGBUS');
    expect(run(code, { setup: setup(0x8000000000000001n) }).signal).toBe('SIGSEGV');
  });
  it('a non-canonical address through rbp/rsp is SIGBUS (#SS), through other registers SIGSEGV (#GP)', () => {
    const big = (r: number) => (c: import('../../src/emu/cpu.js').Cpu): void => setReg(c, r, 0x8000000000000000n);
    expect(run([0x8b, 0x45, 0x00, ...END], { setup: big(5) }).signal).toBe('SIGBUS'); //        mov eax, [rbp]
    expect(run([0x3e, 0x8b, 0x45, 0x00, ...END], { setup: big(5) }).signal).toBe('SIGBUS'); // ds mov eax, [rbp]
    expect(run([0x64, 0x8b, 0x45, 0x00, ...END], { setup: big(5) }).signal).toBe('SIGSEGV'); // fs mov eax, [rbp]
    expect(run([0x8b, 0x03, ...END], { setup: big(RBX) }).signal).toBe('SIGSEGV'); //            mov eax, [rbx]
    expect(run([0x50, ...END], { setup: big(RSP) }).signal).toBe('SIGBUS'); //                   push rax
  });
  it('address arithmetic wraps modulo 2^64', () => {
    const m = run([0x48, 0x8b, 0x47, 0x10, ...END], { setup: (c, mem) => { // mov rax, [rdi+16]
      setReg(c, RDI, BigInt(DATA) - 16n + (1n << 64n)); mem.poke(DATA, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
    } });
    expect(reg(m.cpu, RAX)).toBe(0x0807060504030201n);
  });
  it('a store to a read-only page is SIGSEGV at that address', () => {
    const m = run([0x48, 0x89, 0x07, ...END], { setup: (c) => setReg(c, RDI, BigInt(CODE + 0x100)) });
    expect([m.stop, m.signal, m.cpu.faultAddress]).toEqual([Stop.exception, 'SIGSEGV', CODE + 0x100]);
  });
  it('a store crossing into an unmapped page changes nothing', () => {
    const m = run([0x48, 0x89, 0x07, ...END], { setup: (c) => { setReg(c, RDI, BigInt(DATA + 0xffc)); setReg(c, RAX, -1n); } });
    expect(m.signal).toBe('SIGSEGV');
    expect(m.cpu.mem.read32(DATA + 0xffc)).toBe(0);
  });
  it('a push below the stack mapping faults without moving rsp', () => {
    const m = run([0x50, ...END], { setup: (c) => setReg(c, RSP, BigInt(STACK_TOP - 0x1000)) });
    expect(m.signal).toBe('SIGSEGV');
    expect(reg(m.cpu, RSP)).toBe(BigInt(STACK_TOP - 0x1000));
  });
});

describe('faults and stops', () => {
  const cases: [string, number[], string][] = [
    ['int3', [0xcc], 'SIGTRAP'],
    ['int 3', [0xcd, 0x03], 'SIGTRAP'],
    ['int 4', [0xcd, 0x04], 'SIGSEGV'],
    ['int 0x81', [0xcd, 0x81], 'SIGSEGV'],
    ['hlt', [0xf4], 'SIGSEGV'],
    ['ud2', [0x0f, 0x0b], 'SIGILL'],
    ['push es (invalid in 64-bit mode)', [0x06], 'SIGILL'],
    ['16-byte instruction', [...Array(15).fill(0x66), 0x90], 'SIGSEGV'],
  ];
  for (const [name, code, signal] of cases) {
    it(`${name} -> ${signal}`, () => {
      const m = run([...code, ...END]);
      expect([m.stop, m.signal]).toEqual([Stop.exception, signal]);
    });
  }
  it('int 0x80 stops with rip past it', () => {
    const m = run([0xcd, 0x80]);
    expect([m.stop, m.cpu.rip]).toEqual([Stop.int80, CODE + 2]);
  });
  it('an instruction outside the table stops as unsupported, naming its bytes', () => {
    const m = run([0x0f, 0x10, 0xc0, ...END]); // movups xmm0, xmm0
    expect(m.stop).toBe(Stop.unsupported);
    expect(m.cpu.unsupported).toContain('0f 10 c0');
  });
  it('running off the end of executable memory is SIGSEGV at the first unfetchable byte', () => {
    const m = run([], { setup: (c, mem) => { mem.poke(CODE + 0x2000 - 2, Uint8Array.of(0xeb, 0x00)); c.rip = CODE + 0x2000 - 2; } }); // jmp to CODE+0x2000
    expect(m.signal).toBe('SIGSEGV');
    expect(m.cpu.faultAddress).toBe(CODE + 0x2000);
  });
  it('an instruction cut by the end of executable memory faults; a complete one just before it runs', () => {
    const ok = machine([]);
    ok.mem.poke(CODE + 0x2000 - 2, Uint8Array.of(0xcd, 0x80));
    ok.cpu.rip = CODE + 0x2000 - 2;
    expect(ok.cpu.run(10)).toBe(Stop.int80);
    const cut = machine([]);
    cut.mem.poke(CODE + 0x2000 - 1, Uint8Array.of(0x0f));
    cut.cpu.rip = CODE + 0x2000 - 1;
    expect(cut.cpu.run(10)).toBe(Stop.exception);
    expect(cut.cpu.faultAddress).toBe(CODE + 0x2000);
  });
  it('data pages are not executable', () => {
    const m = run([0xff, 0xe0], { setup: (c) => setReg(c, RAX, BigInt(DATA)) }); // jmp rax
    expect([m.signal, m.cpu.faultAddress]).toEqual(['SIGSEGV', DATA]);
  });
  it('an infinite loop ends at the step limit', () => {
    const m = run([0xeb, 0xfe], { maxSteps: 1000 });
    expect([m.stop, m.cpu.steps]).toEqual([Stop.stepLimit, 1000]);
  });
});

describe('self-modifying code', () => {
  it('a store into already-executed code is seen the next time it runs', () => {
    // loop body: mov al, imm8 (b0 xx) at CODE; then overwrite the immediate and run it again.
    const m = run([
      0xb0, 0x01, //                   0: mov al, 1
      0xfe, 0xc3, //                   2: inc bl
      0x80, 0xfb, 0x02, //             4: cmp bl, 2
      0x74, 0x09, //                   7: je 18 (end)
      0xc6, 0x05, 0xf1, 0xff, 0xff, 0xff, 0x07, // 9: mov byte [rel 1], 7  (next rip 16; 16 - 15 = 1)
      0xeb, 0xee, //                  16: jmp 0
      ...END, //                  18
    ], { writableCode: true });
    expect(m.stop).toBe(Stop.int80);
    expect(reg(m.cpu, RAX) & 0xffn).toBe(7n);
  });
});

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

describe('first touch of a page with a non-canonical rsp (measured on the reference host)', () => {
  const POPF = [0x9d]; //                               popfq (AC set by setup)
  const BSWAP_RSP = [0x48, 0x0f, 0xcc]; //              bswap rsp
  const TOUCH = [0x8b, 0x0b]; //                        mov ecx, [rbx]
  const MISALIGNED = [0x44, 0x63, 0x43, 0x01]; //       movsxd r8d, dword [rbx+1]
  const TOUCH_CODE_PAGE_2 = [0x8b, 0x0c, 0x25, 0x00, 0x10, 0x40, 0x00]; // mov ecx, [0x401000]
  const withAc = (c: import('../../src/emu/cpu.js').Cpu, mem: import('../../src/linux/memory.js').AddressSpace): void => {
    setReg(c, RSP, BigInt(STACK_TOP - 16)); setReg(c, RBX, BigInt(DATA));
    mem.poke(STACK_TOP - 16, Uint8Array.of(0x02, 0x02, 0x04, 0));
  };
  const outcome = (code: number[]): string => {
    const m = run([...POPF, ...code, ...END], { setup: withAc });
    return m.stop === Stop.exception ? m.signal : 'ran';
  };
  it('suspends #AC while rsp stays non-canonical (fuzz case 9945)', () => {
    expect(outcome([...BSWAP_RSP, ...TOUCH, ...MISALIGNED])).toBe('ran');
    expect(outcome([...BSWAP_RSP, ...TOUCH, 0x48, 0x83, 0xc4, 0x08, ...MISALIGNED])).toBe('ran'); // add rsp, 8
  });
  it('keeps #AC without the first touch, for a page touched before, or once rsp is canonical again', () => {
    expect(outcome([...BSWAP_RSP, ...MISALIGNED])).toBe('SIGBUS');
    expect(outcome([...TOUCH, ...BSWAP_RSP, ...TOUCH, ...MISALIGNED])).toBe('SIGBUS');
    expect(outcome([...BSWAP_RSP, ...TOUCH, ...BSWAP_RSP, ...MISALIGNED])).toBe('SIGBUS');
    expect(outcome([...BSWAP_RSP, ...TOUCH, ...BSWAP_RSP, ...BSWAP_RSP, ...MISALIGNED])).toBe('SIGBUS');
  });
  it('kills with SIGSEGV at the second such first touch', () => {
    expect(outcome([...BSWAP_RSP, ...TOUCH, ...TOUCH_CODE_PAGE_2])).toBe('SIGSEGV');
    expect(outcome([...TOUCH_CODE_PAGE_2, ...BSWAP_RSP, ...TOUCH, ...MISALIGNED])).toBe('ran'); // first one had a canonical rsp
  });
  it('tells rsp = 0xffff7fffffffffff (non-canonical) from 0xffff800000000000', () => {
    const movRsp = (v: bigint): number[] => [0x48, 0xbc, ...Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn))];
    expect(outcome([...movRsp(0xffff7fffffffffffn), ...TOUCH, ...MISALIGNED])).toBe('ran');
    expect(outcome([...movRsp(0xffff800000000000n), ...TOUCH, ...MISALIGNED])).toBe('SIGBUS');
  });
});
