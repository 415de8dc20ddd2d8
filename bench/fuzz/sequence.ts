/**
 * Random instruction sequences in a small ELF file, shared by the two instruction fuzzers: the
 * 64-bit one (the host kernel and CPU are the oracle, instructions.ts) and the 32-bit one (qemu-i386
 * is the oracle, i386.ts). A FuzzMachine says what differs between them: the CPU mode, the
 * registers, the ELF class and where things are mapped.
 *
 * Each case is a small ELF file: code in an R+X segment at `base`, data in an RW segment at `data`
 * (so a jump into random data faults instead of executing it):
 *   prologue  sp = scratch stack; flags = random (via push/popf); every general register = random
 *             values, some of them pointers into a random-filled data area (so memory operands,
 *             string instructions and push/pop mostly hit mapped memory);
 *   body      1-6 random instructions from the instruction table, encoded with encodeAll (a random
 *             one of their encodings); branches go forward to a later instruction or the epilogue;
 *   epilogue  stores every register, then the flags (pushf), to a dump area with absolute
 *             addressing (no flag changes), writes the dump and the data area to stdout, exits 0.
 * Outcomes (exit, signal) and stdout are compared, with flags that the manual leaves undefined
 * after some instruction (and not redefined later) masked out. Instructions that read such flags
 * are not generated after them, so everything compared is architecturally defined.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runEmulated } from '../../src/linux/emulate.js';
import type { KernelProfile } from '../../src/linux/profile.js';
import { encodeAll } from '../../src/x86/encoder.js';
import type { AsmInstruction, AsmOperand, Encoding } from '../../src/x86/encoder.js';
import type { Form } from '../../src/x86/table.js';
import { codesOfForm } from '../../src/x86/codes.js';
import { flagsDefinedBy, flagsReadBy, flagsUndefinedBy } from '../../src/x86/flag-effects.js';
import { AC, DF, STATUS } from '../../src/x86/rflags.js';
import { Reg } from '../../src/x86/decoded.js';
import { Sem } from '../../src/x86/sem.js';
import type { RunResult } from '../../src/linux/run-result.js';
import type { FuzzOptions, FuzzReport } from './report.js';

/** What one fuzzer's files look like. */
export interface FuzzMachine {
  readonly mode: 64 | 32;
  /** General registers (16 in 64-bit mode, 8 in 32-bit mode). */
  readonly regCount: number;
  /** Bytes of each register in the dump. */
  readonly wordSize: 4 | 8;
  /** Where the code segment (file offset 0) and the data segment are mapped. */
  readonly base: number;
  readonly data: number;
  readonly dataSize: number;
  /** The initial stack pointer (inside the random data: pops read random values). */
  readonly stack: number;
  /** Forms that may appear in a case. */
  readonly forms: readonly Form[];
  /** RIP-relative memory operands exist (64-bit mode). */
  readonly ripRelative: boolean;
  /** Initial flags may have AC set (qemu-user does not raise #AC, so the 32-bit fuzzer never sets it). */
  readonly alignmentChecks: boolean;
  /**
   * Where data accesses meant to fault go: null for anywhere (random base, index and displacement),
   * else absolute addresses unmapped both in golf's process and in the oracle's (qemu-user maps its
   * own guest stack and reservations elsewhere than Linux does). lea still computes random addresses.
   */
  readonly faultAddresses: readonly number[] | null;
  /** The machine code that sets flags and registers, and the one that dumps them and exits. */
  prologue(flags: number, regs: bigint[]): number[];
  epilogue(): number[];
  /** Bytes of headers before the code. */
  readonly headers: number;
  /** The whole file around the code, with the data segment's bytes. */
  elf(code: number[], data: Uint8Array): Uint8Array;
}

/** Deterministic stream of random 32-bit numbers drawn from fast-check (so --seed reproduces). */
export class Entropy {
  private i = 0;
  constructor(private readonly words: number[]) {}
  next(): number { const w = this.words[this.i++ % this.words.length]!; return w >>> 0; }
  below(n: number): number { return this.next() % n; }
  chance(p: number): boolean { return this.next() / 4294967296 < p; }
  pick<T>(xs: readonly T[]): T { return xs[this.below(xs.length)]!; }
  big64(): bigint { return (BigInt(this.next()) << 32n) | BigInt(this.next()); }
}

export interface Case {
  flags: number;
  regs: bigint[];
  data: Uint8Array;
  body: { ins: AsmInstruction; enc: Encoding; text: string }[];
  /** Flags whose final value is undefined. */
  undefinedFlags: number;
}

const SIZE_NAMES: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword' };

function regOperand(e: Entropy, m: FuzzMachine, size: number): AsmOperand {
  if (size === 1 && e.chance(0.2)) return { kind: 'reg', reg: Reg.ah + e.below(4), size };
  // In 32-bit mode there is no REX: byte registers 4-7 are ah..bh, so only 0-3 name al..bl.
  if (size === 1 && m.mode === 32) return { kind: 'reg', reg: e.below(4), size };
  return { kind: 'reg', reg: e.below(m.regCount), size };
}

function immValue(e: Entropy, bytes: number, signed: boolean): bigint {
  const bits = BigInt(bytes * 8);
  let v = e.chance(0.3) ? BigInt(e.pick([0, 1, 2, 7, 31, 32, 63, 64, -1, -2, 0x7f, 0x80])) : e.big64();
  v = BigInt.asUintN(Number(bits), v);
  return signed ? BigInt.asIntN(Number(bits), v) : v;
}

/** Operation size for a form (what the operands must say): one of its codes' sizes; branches (f64) at their default size. */
function chooseSize(e: Entropy, m: FuzzMachine, form: Form): number {
  const group = codesOfForm(form, m.mode);
  if (!group.sized) return group.codes[0]!.opsize;
  return e.pick(form.size === 'f64' ? [group.byDefault!.opsize] : group.codes.map((c) => c.opsize));
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

interface BuildState { pointers: number[]; instructionIndex: number; count: number; wrapped: Map<number, number> }

/** A memory operand through a pointer register: [ptr + disp], the disp undoing a wrap-around offset when the pointer carries one. */
function pointerOperand(e: Entropy, st: BuildState, size: number): AsmOperand {
  const base = e.pick(st.pointers);
  const shift = st.wrapped.get(base) ?? 0;
  const disp = ((shift + e.below(256) - 128) | 0);
  return { kind: 'mem', size, base, index: -1, scale: 1, disp, segment: 0 };
}

/** Random operands for a form; branch targets are filled in later (placeholder 0). */
function operandsFor(e: Entropy, m: FuzzMachine, form: Form, size: number, st: BuildState): AsmOperand[] | null {
  const ops: AsmOperand[] = [];
  let immBytesSize = size;
  const indexRegs = Array.from({ length: m.regCount }, (_, r) => r).filter((r) => r !== Reg.rsp);
  for (const spec of form.operands) {
    switch (spec) {
      case 'rm': case 'rm8': case 'rm16': case 'rm32': case 'mem': {
        const s = spec === 'rm8' ? 1 : spec === 'rm16' ? 2 : spec === 'rm32' ? 4 : size;
        if (spec !== 'mem' && e.chance(0.5)) { ops.push(regOperand(e, m, s)); break; }
        if (spec !== 'mem' && m.faultAddresses !== null && e.chance(0.1)) {
          ops.push({ kind: 'mem', size: s, base: -1, index: -1, scale: 1, disp: e.pick(m.faultAddresses) + e.below(4096), segment: 0 });
        } else if (spec === 'mem' || (m.faultAddresses === null && e.chance(0.1))) {
          // any address: lea computes it, a load from it mostly faults (compared as signals)
          ops.push({ kind: 'mem', size: s, base: e.chance(0.8) ? e.below(m.regCount) : -1, index: e.chance(0.5) ? e.pick(indexRegs) : -1, scale: e.pick([1, 2, 4, 8]), disp: Number(immValue(e, e.pick([1, 4]), true)), segment: 0 });
        } else if (m.ripRelative && e.chance(0.2)) {
          ops.push({ kind: 'mem', size: s, base: Reg.rip, index: -1, scale: 1, disp: m.data + e.below(m.dataSize - 8), segment: 0 });
        } else {
          ops.push(pointerOperand(e, st, s));
        }
        break;
      }
      case 'reg': case 'opreg': ops.push(regOperand(e, m, size)); break;
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
        ops.push({ kind: 'mem', size, base: -1, index: -1, scale: 1, disp: m.data + e.below(m.dataSize - 8), segment: 0, disp64: m.mode === 64 });
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

export function hex(bytes: Uint8Array | readonly number[]): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function describeOperand(op: AsmOperand): string {
  if (op.kind === 'reg') return `r${op.reg}/${op.size}`;
  if (op.kind === 'imm') return `0x${op.value.toString(16)}`;
  const parts = [op.base === Reg.rip ? 'rip' : op.base >= 0 ? `r${op.base}` : '', op.index >= 0 ? `r${op.index}*${op.scale}` : '', `0x${op.disp.toString(16)}`].filter(Boolean);
  return `${SIZE_NAMES[op.size] ?? ''}[${parts.join('+')}]`;
}

/** Builds one random case; returns null when the random choices do not make a valid sequence. */
export function buildCase(e: Entropy, m: FuzzMachine): Case | null {
  const flags = 0x202 | (e.next() & (STATUS | DF)) | (m.alignmentChecks && e.chance(0.05) ? AC : 0);
  const regs: bigint[] = [];
  const extra = m.regCount > 8 ? [8 + e.below(8)] : [];
  const pointers = [Reg.rbx, Reg.rsi, Reg.rdi, Reg.rbp, ...extra].filter(() => e.chance(0.7));
  if (pointers.length === 0) pointers.push(Reg.rbx);
  // In 32-bit mode some pointers are offset by a large amount that their memory operands' disp
  // undoes modulo 2^32: the effective address wraps around the top of the address space.
  const wrapped = new Map<number, number>();
  for (let r = 0; r < m.regCount; r++) {
    if (r === Reg.rsp) regs.push(BigInt(m.stack - m.wordSize * e.below(16)));
    else if (pointers.includes(r)) {
      let v = m.data + e.below(m.dataSize);
      if (m.mode === 32 && e.chance(0.3)) {
        const shift = (0x40000000 + e.below(0x40000000)) * (e.chance(0.5) ? 1 : -1);
        wrapped.set(r, shift);
        v = ((v - shift) % 2 ** 32 + 2 ** 32) % 2 ** 32;
      }
      regs.push(BigInt(v));
    } else if (r === Reg.rcx && e.chance(0.6)) regs.push(BigInt(e.below(12)));
    else regs.push(e.chance(0.2) ? BigInt(e.pick([0, 1, 2, 0x80, 0xff, 0x7fffffff, 0x80000000])) : e.big64());
  }
  if (m.mode === 32) for (let r = 0; r < regs.length; r++) regs[r] = BigInt.asUintN(32, regs[r]!);
  const data = new Uint8Array(m.dataSize);
  for (let i = 0; i < m.dataSize; i += 4) { const w = e.next(); data[i] = w; data[i + 1] = w >>> 8; data[i + 2] = w >>> 16; data[i + 3] = w >>> 24; }

  const allowed = new Set(m.forms);
  const count = 1 + e.below(6);
  const st: BuildState = { pointers, instructionIndex: 0, count, wrapped };
  const chosen: Chosen[] = [];
  let undefinedFlags = 0;
  for (let i = 0; i < count; i++) {
    let done = false;
    for (let attempt = 0; attempt < 20 && !done; attempt++) {
      const form = e.pick(m.forms);
      const rep = form.rep !== 'none' && e.chance(0.6) ? (form.rep === 'repcc' ? e.pick([0xf3, 0xf2]) : 0xf3) : 0;
      if ((flagsReadBy(form) & undefinedFlags) !== 0) continue; // would read an undefined flag
      const size = chooseSize(e, m, form);
      const ops = operandsFor(e, m, form, size, st);
      if (!ops) continue;
      const ins: AsmInstruction = { mnemonic: form.mnemonic, operands: ops, rep, opsize: size || undefined };
      // Only encodings of the machine's forms (an alias the oracle cannot judge is not one).
      const encs = encodeAll(ins, m.mode, m.base).filter((x) => x.form.sem === form.sem && allowed.has(x.form));
      if (encs.length === 0) continue;
      const countIsOne = form.operands.includes('one') || (form.operands.includes('imm8') && (ops[ops.length - 1] as { value: bigint }).value % 32n === 1n);
      const countKnownNonZero = form.operands.includes('one') || (form.operands.includes('imm8') && (ops[ops.length - 1] as { value: bigint }).value % 32n !== 0n);
      const defined = flagsDefinedBy(form, countKnownNonZero, rep);
      const undef = flagsUndefinedBy(form, countIsOne);
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
  const codeStart = m.base + m.headers + m.prologue(flags, regs).length;
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
    const encs = encodeAll(c.ins, m.mode, addresses[i]!).filter((x) => x.form.sem === c.encs[c.pick]!.form.sem && x.bytes.length === lengths[i] && allowed.has(x.form));
    if (encs.length === 0) return null;
    const enc = encs[c.pick % encs.length]!;
    body.push({ ins: c.ins, enc, text: `${c.ins.rep ? (c.ins.rep === 0xf2 ? 'repne ' : 'rep ') : ''}${c.ins.mnemonic} ${c.ins.operands.map(describeOperand).join(', ')}` });
  }
  return { flags, regs, data, body, undefinedFlags };
}

/** Case i of a seeded run: its randomness comes from fast-check with seed + i, so any case can be replayed alone. */
export function caseFor(m: FuzzMachine, seed: number, i: number): Case {
  const words = fc.array(fc.integer(), { minLength: 512, maxLength: 512 });
  for (let attempt = 0; ; attempt++) {
    const c = buildCase(new Entropy(fc.sample(words, { seed: seed + i * 7919 + attempt, numRuns: 1 })[0]!), m);
    if (c) return c;
    if (attempt > 20) throw new Error('cannot build a fuzz case');
  }
}

/** The whole ELF file of a case. */
export function elfOf(m: FuzzMachine, c: Case): Uint8Array {
  const code = [...m.prologue(c.flags, c.regs)];
  for (const b of c.body) code.push(...b.enc.bytes);
  code.push(...m.epilogue());
  if (m.headers + code.length > m.data - m.base) throw new Error('fuzz case code too long');
  return m.elf(code, c.data);
}

export function le32(v: number): number[] { return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]; }

/** Bytes of the register-and-flags dump at the start of stdout. */
export function dumpSize(m: FuzzMachine): number {
  return (m.regCount + 1) * m.wordSize;
}

/** Compares two results; returns null when they agree on all defined state, else a description. */
export function compareRuns(m: FuzzMachine, oracle: RunResult, emulated: RunResult, undefinedFlags: number, oracleName: string): string | null {
  if (oracle.outcome !== emulated.outcome || oracle.signal !== emulated.signal || oracle.exitCode !== emulated.exitCode) {
    return `${oracleName} ${oracle.outcome}/${oracle.signal ?? oracle.exitCode} vs emulated ${emulated.outcome}/${emulated.signal ?? emulated.exitCode}${emulated.unsupported ? ` (${emulated.unsupported})` : ''}`;
  }
  const a = oracle.stdout, b = emulated.stdout;
  if (a.length !== b.length) return `stdout length ${a.length} vs ${b.length}`;
  const size = dumpSize(m);
  if (a.length < size) return null;
  const diffs: string[] = [];
  const word = (buf: Uint8Array, i: number): bigint => {
    const v = new DataView(buf.buffer, buf.byteOffset);
    return m.wordSize === 8 ? v.getBigUint64(i * 8, true) : BigInt(v.getUint32(i * 4, true));
  };
  for (let r = 0; r < m.regCount; r++) if (word(a, r) !== word(b, r)) diffs.push(`r${r} 0x${word(a, r).toString(16)} vs 0x${word(b, r).toString(16)}`);
  const mask = ~BigInt(undefinedFlags) & 0xffffffffn;
  const flagsA = word(a, m.regCount), flagsB = word(b, m.regCount);
  if ((flagsA & mask) !== (flagsB & mask)) diffs.push(`rflags 0x${flagsA.toString(16)} vs 0x${flagsB.toString(16)} (undefined mask 0x${undefinedFlags.toString(16)})`);
  for (let i = size; i < a.length; i++) if (a[i] !== b[i]) { diffs.push(`data[+0x${(i - size).toString(16)}] ${a[i]} vs ${b[i]}`); break; }
  return diffs.length ? diffs.join('; ') : null;
}

/** One line describing a case's body, for disagreement reports. */
export function describeCase(c: Case): string {
  return `${c.body.map((b) => `[${hex(b.enc.bytes)}] ${b.text}`).join(' ; ')} | initial rflags 0x${c.flags.toString(16)}`;
}

/**
 * Runs `opts.cases` cases on the oracle and under golf's emulator (under `profile`) and compares
 * them; a disagreeing case's file is kept in a directory named in the report.
 */
export async function runSequenceFuzz(
  m: FuzzMachine, opts: FuzzOptions, category: string, oracleName: string, oracle: (path: string) => Promise<RunResult>, profile?: KernelProfile,
): Promise<FuzzReport> {
  const report: FuzzReport = { category, cases: 0, agree: 0, disagreements: [] };
  const dir = mkdtempSync(join(tmpdir(), `golf-fuzz-${category}-`));
  const keepDir = join(tmpdir(), `golf-fuzz-${category}-failures-${opts.seed}`);
  const covered = new Set<Form>();
  const started = Date.now();
  try {
    for (let i = 0; i < opts.cases; i++) {
      const c = caseFor(m, opts.seed, i);
      for (const b of c.body) covered.add(b.enc.form);
      const file = elfOf(m, c);
      const path = join(dir, `case-${i}`);
      writeFileSync(path, file, { mode: 0o755 });
      const expected = await oracle(path);
      const emulated = runEmulated(file, { argv: [path], maxSteps: 1_000_000, seed: opts.seed + i }, profile);
      report.cases++;
      const diff = compareRuns(m, expected, emulated, c.undefinedFlags, oracleName);
      if (diff === null) report.agree++;
      else {
        mkdirSync(keepDir, { recursive: true });
        const kept = join(keepDir, `case-${i}.elf`);
        writeFileSync(kept, file, { mode: 0o755 });
        report.disagreements.push(`case ${i} (seed ${opts.seed}, file ${kept}): ${describeCase(c)} | ${diff}`);
      }
      if ((i + 1) % 500 === 0) opts.log(`${i + 1}/${opts.cases} cases, ${report.agree} agree (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  opts.log(`forms covered: ${covered.size} of ${m.forms.length} fuzzable ${m.mode}-bit forms`);
  return report;
}
