/**
 * Fuzz category "instructions": random instruction sequences over every supported 64-bit form,
 * run natively (the host kernel and CPU are the oracle) and under golf's emulator, comparing all
 * defined final state.
 *
 * Each case is a small ELF64 file: code in an R+X segment at 0x400000, data in an RW segment at
 * 0x401000 (so a jump into random data faults instead of executing it):
 *   prologue  rsp = scratch stack; rflags = random (via push/popfq); all 16 registers = random
 *             values, some of them pointers into a random-filled data area (so memory operands,
 *             string instructions and push/pop mostly hit mapped memory);
 *   body      1-6 random instructions from the instruction table, encoded with encodeAll (a random
 *             one of their encodings); branches go forward to a later instruction or the epilogue;
 *   epilogue  stores all 16 registers, then rflags (pushfq), to a dump area with absolute
 *             addressing (no flag changes), writes the dump and the data area to stdout, exits 0.
 * Outcomes (exit, signal) and stdout are compared, with flags that the manual leaves undefined
 * after some instruction (and not redefined later) masked out. Instructions that read such flags
 * are not generated after them, so everything compared is architecturally defined.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeAll } from '../../src/x86/encoder.js';
import type { AsmInstruction, AsmOperand, Encoding } from '../../src/x86/encoder.js';
import { FORMS } from '../../src/x86/table.js';
import type { Form } from '../../src/x86/table.js';
import { Reg } from '../../src/x86/decoded.js';
import { Sem } from '../../src/x86/sem.js';
import { runNative, nativeSupported } from '../../src/linux/native.js';
import { runEmulated } from '../../src/linux/emulate.js';
import type { RunResult } from '../../src/linux/run-result.js';
import type { FuzzOptions, FuzzReport } from './report.js';

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

const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
const STATUS = CF | PF | AF | ZF | SF | OF;
const DF = 0x400, AC = 0x40000;

/** Flags each condition code reads (o no b ae e ne be a s ns p np l ge le g). */
const CC_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, SF | ZF | OF, SF | ZF | OF];

/** Deterministic stream of random 32-bit numbers drawn from fast-check (so --seed reproduces). */
class Entropy {
  private i = 0;
  constructor(private readonly words: number[]) {}
  next(): number { const w = this.words[this.i++ % this.words.length]!; return w >>> 0; }
  below(n: number): number { return this.next() % n; }
  chance(p: number): boolean { return this.next() / 4294967296 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]!; }
  big64(): bigint { return (BigInt(this.next()) << 32n) | BigInt(this.next()); }
}

/** Forms the fuzz runs: valid in 64-bit mode, with comparable results (no syscall/cpuid/rdtsc). */
const FUZZ_FORMS: readonly Form[] = FORMS.filter((f) => f.mode64 && f.sem !== Sem.syscall && f.sem !== Sem.cpuid && f.sem !== Sem.rdtsc);

interface Case {
  flags: number;
  regs: bigint[];
  data: Uint8Array;
  body: { ins: AsmInstruction; enc: Encoding; text: string }[];
  /** Flags whose final value is undefined. */
  undefinedFlags: number;
}

/** Flags an instruction leaves undefined (conservatively: for counts only known at run time, all candidates). */
function undefinedFlagsOf(form: Form, countIsOne: boolean): number {
  switch (form.sem) {
    case Sem.and: case Sem.or: case Sem.xor: case Sem.test: return AF;
    case Sem.mul: case Sem.imul1: case Sem.imul2: case Sem.imul3: return SF | ZF | AF | PF;
    case Sem.div: case Sem.idiv: return STATUS;
    case Sem.shl: case Sem.shr: case Sem.sar: return (countIsOne ? 0 : OF | CF) | AF;
    case Sem.rol: case Sem.ror: case Sem.rcl: case Sem.rcr: return countIsOne ? 0 : OF;
    case Sem.shld: case Sem.shrd: return OF | AF | CF;
    case Sem.bt: case Sem.bts: case Sem.btr: case Sem.btc: return OF | SF | AF | PF | ZF;
    case Sem.bsf: case Sem.bsr: return CF | OF | SF | AF | PF;
    default: return 0;
  }
}

/** Flags an instruction defines (clearing earlier undefinedness), when it certainly writes them. */
function definedFlagsOf(form: Form, countKnownNonZero: boolean, rep: number): number {
  // A rep-prefixed scas/cmps with rcx = 0 compares nothing and leaves the flags alone.
  if (rep !== 0 && (form.sem === Sem.scas || form.sem === Sem.cmps)) return 0;
  switch (form.sem) {
    case Sem.add: case Sem.adc: case Sem.sub: case Sem.sbb: case Sem.cmp: case Sem.neg:
    case Sem.and: case Sem.or: case Sem.xor: case Sem.test: case Sem.scas: case Sem.cmps:
      return STATUS;
    case Sem.inc: case Sem.dec: return STATUS & ~CF;
    case Sem.mul: case Sem.imul1: case Sem.imul2: case Sem.imul3: return CF | OF;
    case Sem.shl: case Sem.shr: case Sem.sar: return countKnownNonZero ? SF | ZF | PF : 0;
    case Sem.bsf: case Sem.bsr: return ZF;
    case Sem.bt: case Sem.bts: case Sem.btr: case Sem.btc: return CF;
    case Sem.sahf: return STATUS & ~OF;
    case Sem.popf: return STATUS;
    case Sem.clc: case Sem.stc: return CF;
    default: return 0;
  }
}

/** Flags an instruction reads (as inputs to its result or control flow). */
function flagsReadBy(form: Form): number {
  switch (form.sem) {
    case Sem.adc: case Sem.sbb: case Sem.rcl: case Sem.rcr: case Sem.cmc: return CF;
    case Sem.jcc: case Sem.setcc: case Sem.cmovcc: return CC_READS[form.cc]!;
    case Sem.loope: case Sem.loopne: return ZF;
    case Sem.lahf: return STATUS & ~OF;
    case Sem.pushf: return STATUS;
    default: return 0; // repe/repne scas/cmps test the ZF they have just set
  }
}

const SIZE_NAMES: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

function regOperand(e: Entropy, size: number): AsmOperand {
  if (size === 1 && e.chance(0.2)) return { kind: 'reg', reg: Reg.ah + e.below(4), size };
  return { kind: 'reg', reg: e.below(16), size };
}

function immValue(e: Entropy, bytes: number, signed: boolean): bigint {
  const bits = BigInt(bytes * 8);
  let v = e.chance(0.3) ? BigInt(e.pick([0, 1, 2, 7, 31, 32, 63, 64, -1, -2, 0x7f, 0x80])) : e.big64();
  v = BigInt.asUintN(Number(bits), v);
  return signed ? BigInt.asIntN(Number(bits), v) : v;
}

/** Operation size for a form (what the operands must say). */
function chooseSize(e: Entropy, form: Form): number {
  if (form.size === 'none') return 0;
  if (form.size === 'byte') return 1;
  let sizes = form.sizes.filter((s) => !((form.size === 'd64' || form.size === 'f64') && s === 4));
  if (form.size === 'f64') sizes = [8];
  return e.pick(sizes);
}

interface Chosen {
  ins: AsmInstruction; encs: Encoding[]; pick: number; branch: boolean; targetIndex: number;
  form: Form; defined: number; undef: number;
}

/**
 * Undefined flags reaching the epilogue over all control-flow paths (forward branches, calls, and
 * conservatively: ret or an indirect jump/call may resume after any call). Null when some
 * reachable instruction could read an undefined flag (the case is then rebuilt).
 */
function undefinedAlongAllPaths(chosen: Chosen[]): number | null {
  const n = chosen.length;
  const returnSites: number[] = [];
  chosen.forEach((c, i) => { if (c.form.sem === Sem.call) returnSites.push(i + 1); });
  const taintIn = new Array<number>(n + 1).fill(0);
  for (let round = 0; round < n + 2; round++) {
    const next = new Array<number>(n + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const c = chosen[i]!;
      const out = (taintIn[i]! & ~c.defined) | c.undef;
      const sem = c.form.sem;
      const indirect = sem === Sem.ret || ((sem === Sem.jmp || sem === Sem.call) && !c.branch);
      const unconditional = sem === Sem.jmp || sem === Sem.call || sem === Sem.ret;
      if (!unconditional) next[i + 1]! |= out;
      if (c.branch) next[Math.min(c.targetIndex, n)]! |= out;
      if (indirect) for (const r of returnSites) next[r]! |= out;
    }
    for (let i = 1; i <= n; i++) next[i] = next[i]! | taintIn[i]!;
    taintIn.splice(0, n + 1, ...next.map((v, i) => (i === 0 ? 0 : v)));
  }
  for (let i = 0; i < n; i++) if ((flagsReadBy(chosen[i]!.form) & taintIn[i]!) !== 0) return null;
  return taintIn[n]!;
}

interface BuildState { pointers: number[]; instructionIndex: number; count: number }

/** Random operands for a form; branch targets are filled in later (placeholder 0). */
function operandsFor(e: Entropy, form: Form, size: number, st: BuildState): AsmOperand[] | null {
  const ops: AsmOperand[] = [];
  let immBytesSize = size;
  for (const spec of form.operands) {
    switch (spec) {
      case 'rm': case 'rm8': case 'rm16': case 'rm32': case 'mem': {
        const s = spec === 'rm8' ? 1 : spec === 'rm16' ? 2 : spec === 'rm32' ? 4 : size;
        if (spec !== 'mem' && e.chance(0.5)) { ops.push(regOperand(e, s)); break; }
        if (spec === 'mem' || e.chance(0.1)) {
          // any address: lea computes it, a load from it mostly faults (compared as signals)
          ops.push({ kind: 'mem', size: s, base: e.chance(0.8) ? e.below(16) : -1, index: e.chance(0.5) ? e.pick([0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) : -1, scale: e.pick([1, 2, 4, 8]), disp: Number(immValue(e, e.pick([1, 4]), true)), segment: 0 });
        } else if (e.chance(0.2)) {
          ops.push({ kind: 'mem', size: s, base: Reg.rip, index: -1, scale: 1, disp: DATA + e.below(DATA_SIZE - 8), segment: 0 });
        } else {
          ops.push({ kind: 'mem', size: s, base: e.pick(st.pointers), index: -1, scale: 1, disp: e.below(256) - 128, segment: 0 });
        }
        break;
      }
      case 'reg': case 'opreg': ops.push(regOperand(e, size)); break;
      case 'acc': ops.push({ kind: 'reg', reg: Reg.rax, size }); break;
      case 'cl': ops.push({ kind: 'reg', reg: Reg.rcx, size: 1 }); break;
      case 'one': ops.push({ kind: 'imm', value: 1n }); break;
      case 'imm': ops.push({ kind: 'imm', value: immValue(e, Math.min(immBytesSize, 4), true) }); break;
      case 'imm8s': ops.push({ kind: 'imm', value: immValue(e, 1, true) }); break;
      case 'imm8': {
        let v = immValue(e, 1, false);
        // int 0x80 would make a random system call: never generated.
        if (form.sem === Sem.int && (v === 0x80n || (v === 3n && e.chance(0.9)))) v = 0x21n;
        if ((form.sem === Sem.shld || form.sem === Sem.shrd) && size === 2) v %= 17n; // 16-bit counts above 16: undefined result
        ops.push({ kind: 'imm', value: v });
        break;
      }
      case 'imm16': ops.push({ kind: 'imm', value: immValue(e, 2, false) }); break;
      case 'imm64': ops.push({ kind: 'imm', value: immValue(e, size, size < 8) }); break;
      case 'rel8': case 'rel': ops.push({ kind: 'imm', value: 0n }); break;
      case 'moffs':
        ops.push({ kind: 'mem', size, base: -1, index: -1, scale: 1, disp: DATA + e.below(DATA_SIZE - 8), segment: 0, disp64: true });
        break;
    }
    immBytesSize = size;
  }
  // 16-bit shld/shrd by CL may exceed 16 (undefined result): not generated.
  if ((form.sem === Sem.shld || form.sem === Sem.shrd) && size === 2 && form.operands[2] === 'cl') return null;
  return ops;
}

function isBranch(form: Form): boolean {
  return form.operands.some((s) => s === 'rel8' || s === 'rel');
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function describeOperand(op: AsmOperand): string {
  if (op.kind === 'reg') return `r${op.reg}/${op.size}`;
  if (op.kind === 'imm') return `0x${op.value.toString(16)}`;
  const parts = [op.base === Reg.rip ? 'rip' : op.base >= 0 ? `r${op.base}` : '', op.index >= 0 ? `r${op.index}*${op.scale}` : '', `0x${op.disp.toString(16)}`].filter(Boolean);
  return `${SIZE_NAMES[op.size] ?? ''}[${parts.join('+')}]`;
}

/** Builds one random case; returns null when the random choices do not make a valid sequence. */
function buildCase(e: Entropy): Case | null {
  const flags = 0x202 | (e.next() & (STATUS | DF)) | (e.chance(0.05) ? AC : 0);
  const regs: bigint[] = [];
  const pointers = [Reg.rbx, Reg.rsi, Reg.rdi, Reg.rbp, 8 + e.below(8)].filter(() => e.chance(0.7));
  if (pointers.length === 0) pointers.push(Reg.rbx);
  for (let r = 0; r < 16; r++) {
    if (r === Reg.rsp) regs.push(BigInt(STACK - 8 * e.below(16)));
    else if (pointers.includes(r)) regs.push(BigInt(DATA + e.below(DATA_SIZE)));
    else if (r === Reg.rcx && e.chance(0.6)) regs.push(BigInt(e.below(12)));
    else regs.push(e.chance(0.2) ? BigInt(e.pick([0, 1, 2, 0x80, 0xff, 0x7fffffff, 0x80000000])) : e.big64());
  }
  const data = new Uint8Array(DATA_SIZE);
  for (let i = 0; i < DATA_SIZE; i += 4) { const w = e.next(); data[i] = w; data[i + 1] = w >>> 8; data[i + 2] = w >>> 16; data[i + 3] = w >>> 24; }

  const count = 1 + e.below(6);
  const st: BuildState = { pointers, instructionIndex: 0, count };
  const chosen: Chosen[] = [];
  let undefinedFlags = 0;
  for (let i = 0; i < count; i++) {
    let done = false;
    for (let attempt = 0; attempt < 20 && !done; attempt++) {
      const form = e.pick(FUZZ_FORMS);
      const rep = form.rep !== 'none' && e.chance(0.6) ? (form.rep === 'repcc' ? e.pick([0xf3, 0xf2]) : 0xf3) : 0;
      if ((flagsReadBy(form) & undefinedFlags) !== 0) continue; // would read an undefined flag
      const size = chooseSize(e, form);
      const ops = operandsFor(e, form, size, st);
      if (!ops) continue;
      const ins: AsmInstruction = { mnemonic: form.mnemonic, operands: ops, rep, opsize: size || undefined };
      const encs = encodeAll(ins, 64, BASE).filter((x) => x.form.sem === form.sem);
      if (encs.length === 0) continue;
      const countIsOne = form.operands.includes('one') || (form.operands.includes('imm8') && (ops[ops.length - 1] as { value: bigint }).value % 32n === 1n);
      const countKnownNonZero = form.operands.includes('one') || (form.operands.includes('imm8') && (ops[ops.length - 1] as { value: bigint }).value % 32n !== 0n);
      const defined = definedFlagsOf(form, countKnownNonZero, rep);
      const undef = undefinedFlagsOf(form, countIsOne);
      undefinedFlags = (undefinedFlags & ~defined) | undef;
      chosen.push({ ins, encs, pick: e.below(encs.length), branch: isBranch(form), targetIndex: i + 1 + e.below(count - i), form, defined, undef });
      done = true;
    }
  }
  if (chosen.length === 0) return null;
  // The straight-line tracking above ignores branches: redo it over every control-flow path.
  const finalUndefined = undefinedAlongAllPaths(chosen);
  if (finalUndefined === null) return null;
  undefinedFlags = finalUndefined;
  // Lay out: non-branch lengths are address-independent (RIP-relative uses disp32); branches keep
  // the length of the encoding picked first.
  const codeStart = BASE + HEADERS + prologue(flags, regs).length;
  const lengths = chosen.map((c) => c.encs[c.pick]!.bytes.length);
  const addresses: number[] = [];
  let a = codeStart;
  for (const l of lengths) { addresses.push(a); a += l; }
  addresses.push(a); // the epilogue
  const body: Case['body'] = [];
  for (let i = 0; i < chosen.length; i++) {
    const c = chosen[i]!;
    if (c.branch) {
      const target = addresses[Math.min(c.targetIndex, chosen.length)]!;
      c.ins.operands = c.ins.operands.map((op) => (op.kind === 'imm' ? { kind: 'imm', value: BigInt(target) } : op));
    }
    const encs = encodeAll(c.ins, 64, addresses[i]!).filter((x) => x.form.sem === c.encs[c.pick]!.form.sem && x.bytes.length === lengths[i]);
    if (encs.length === 0) return null;
    const enc = encs[c.pick % encs.length]!;
    body.push({ ins: c.ins, enc, text: `${c.ins.rep ? (c.ins.rep === 0xf2 ? 'repne ' : 'rep ') : ''}${c.ins.mnemonic} ${c.ins.operands.map(describeOperand).join(', ')}` });
  }
  return { flags, regs, data, body, undefinedFlags };
}

function le32(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]; }
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
function elfOf(c: Case): Uint8Array {
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
  const code = [...prologue(c.flags, c.regs)];
  for (const b of c.body) code.push(...b.enc.bytes);
  code.push(...epilogue());
  if (HEADERS + code.length > DATA - BASE) throw new Error('fuzz case code too long');
  file.set(code, HEADERS);
  file.set(c.data, DATA - BASE);
  return file;
}

/** Compares two results; returns null when they agree on all defined state, else a description. */
function compare(native: RunResult, emulated: RunResult, undefinedFlags: number): string | null {
  if (native.outcome !== emulated.outcome || native.signal !== emulated.signal || native.exitCode !== emulated.exitCode) {
    return `native ${native.outcome}/${native.signal ?? native.exitCode} vs emulated ${emulated.outcome}/${emulated.signal ?? emulated.exitCode}${emulated.unsupported ? ` (${emulated.unsupported})` : ''}`;
  }
  const a = native.stdout, b = emulated.stdout;
  if (a.length !== b.length) return `stdout length ${a.length} vs ${b.length}`;
  if (a.length < DUMP_SIZE) return null;
  const diffs: string[] = [];
  const q = (buf: Uint8Array, i: number): bigint => new DataView(buf.buffer, buf.byteOffset).getBigUint64(i * 8, true);
  for (let r = 0; r < 16; r++) if (q(a, r) !== q(b, r)) diffs.push(`r${r} 0x${q(a, r).toString(16)} vs 0x${q(b, r).toString(16)}`);
  const mask = ~BigInt(undefinedFlags) & 0xffffffffn;
  if ((q(a, 16) & mask) !== (q(b, 16) & mask)) diffs.push(`rflags 0x${q(a, 16).toString(16)} vs 0x${q(b, 16).toString(16)} (undefined mask 0x${undefinedFlags.toString(16)})`);
  for (let i = DUMP_SIZE; i < a.length; i++) if (a[i] !== b[i]) { diffs.push(`data[+0x${(i - DUMP_SIZE).toString(16)}] ${a[i]} vs ${b[i]}`); break; }
  return diffs.length ? diffs.join('; ') : null;
}

export async function run(opts: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { category: 'instructions', cases: 0, agree: 0, disagreements: [] };
  if (!nativeSupported()) {
    opts.log('skipped: native execution needs a Linux x86-64 host');
    return report;
  }
  const dir = mkdtempSync(join(tmpdir(), 'golf-fuzz-instructions-'));
  const keepDir = join(tmpdir(), `golf-fuzz-instructions-failures-${opts.seed}`);
  const words = fc.array(fc.integer(), { minLength: 512, maxLength: 512 });
  const covered = new Set<Form>();
  const started = Date.now();
  try {
    for (let i = 0; i < opts.cases; i++) {
      // Case i draws its randomness from fast-check with seed + i, so any case can be replayed alone.
      let c: Case | null = null;
      for (let attempt = 0; c === null; attempt++) {
        c = buildCase(new Entropy(fc.sample(words, { seed: opts.seed + i * 7919 + attempt, numRuns: 1 })[0]!));
        if (attempt > 20) throw new Error('cannot build a fuzz case');
      }
      for (const b of c.body) covered.add(b.enc.form);
      const file = elfOf(c);
      const path = join(dir, `case-${i}`);
      writeFileSync(path, file, { mode: 0o755 });
      const native = await runNative(path, { timeoutMs: 5000 });
      const emulated = runEmulated(file, { argv: [path], maxSteps: 1_000_000, seed: opts.seed + i });
      report.cases++;
      const diff = compare(native, emulated, c.undefinedFlags);
      if (diff === null) report.agree++;
      else {
        const { mkdirSync } = await import('node:fs');
        mkdirSync(keepDir, { recursive: true });
        const kept = join(keepDir, `case-${i}.elf`);
        writeFileSync(kept, file, { mode: 0o755 });
        report.disagreements.push(`case ${i} (seed ${opts.seed}, file ${kept}): ${c.body.map((b) => `[${hex(b.enc.bytes)}] ${b.text}`).join(' ; ')} | initial rflags 0x${c.flags.toString(16)} | ${diff}`);
      }
      if ((i + 1) % 500 === 0) opts.log(`${i + 1}/${opts.cases} cases, ${report.agree} agree (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  opts.log(`forms covered: ${covered.size} of ${FUZZ_FORMS.length} fuzzable 64-bit forms`);
  return report;
}
