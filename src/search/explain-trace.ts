/**
 * golf explain's view of one run: the emulator (src/linux/emulate.ts, the same kernel model every
 * judgement uses) runs the file with a trace, and this module records the executed path in order
 * (every pass of every loop), each instruction's register and memory effects, the system calls,
 * and where the output bytes came from (explain-provenance.ts).
 */
import type { Cpu } from '../emu/cpu.js';
import { formatCall, type SyscallRecord } from '../linux/call-facts.js';
import { ET_DYN, PT_LOAD } from '../linux/elf.js';
import { Emulator, type EmulatedRun } from '../linux/emulate.js';
import type { AddressSpace } from '../linux/memory.js';
import { pageStart } from '../linux/loader.js';
import type { KernelProfile } from '../linux/profile.js';
import { loadVerdictOf, type LoadVerdict } from '../verify/check.js';
import { decode } from '../x86/decoder.js';
import { DecodeStatus, type Decoded } from '../x86/decoded.js';
import { formatInstruction } from '../x86/format.js';
import { Sem } from '../x86/sem.js';
import { peek, Provenance, type FileWindow, type Tag } from './explain-provenance.js';

const TWO32 = 0x1_0000_0000;
const REG_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
/** A 32-bit process has eight registers of 32 bits. */
const REG_NAMES_32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
/** The run golf explain makes: fixed, so the explanation is reproducible. */
export const EXPLAIN_RUN = { argv: ['./a.out'], env: [] as string[], seed: 1, maxSteps: 100_000 } as const;
/** Steps kept for the path listing (a long loop is summarized after that). */
export const MAX_PATH_STEPS = 5000;
/** How far down from the stack top addresses count as "stack" (the stack rlimit). */
const STACK_SPAN = 8 * 1024 * 1024;

export interface PathStep {
  /** File offset of the instruction, or null when it runs from memory that is not the file's bytes. */
  offset: number | null;
  address: number;
  length: number;
  /** The instruction as people read it (branch targets inside the file as file offsets). */
  text: string;
  /** The instruction as NASM source at its own address (what golf asm assembles back). */
  asm: string;
  /** On the first instruction of a pass through a loop: the loop's head (file offset or address) and the pass number. */
  loopPass: { head: number; pass: number } | null;
  /** What the instruction did that matters: registers set, memory written, the system call. */
  effects: string[];
}

/** One byte a write(2) put out, and the file byte it was copied from (if any). */
export interface OutputByte {
  stream: 'stdout' | 'stderr' | 'fd 0';
  index: number;
  value: number;
  /** Where the buffer was: its own file mapping (read in place) or other memory (a copy). */
  address: number;
  source: Tag | null;
}

export interface Trace {
  load: LoadVerdict;
  /** Address of file offset 0 in this run (null when the file does not load). */
  loadBase: number | null;
  entry: number | null;
  /** ET_DYN: the base is where this run's kernel placed the file (randomized on a real machine). */
  baseIsSample: boolean;
  path: PathStep[];
  /** Instructions executed in all (the path keeps the first MAX_PATH_STEPS). */
  totalSteps: number;
  calls: SyscallRecord[];
  outputs: OutputByte[];
  /** Loop heads and how many passes each got. */
  loops: { head: number; passes: number }[];
  ending: string;
  run: EmulatedRun;
}

function windowsOf(file: Uint8Array, phdrs: readonly { type: number; offset: number; vaddr: number; filesz: number }[], bias: number): FileWindow[] {
  const windows: FileWindow[] = [];
  for (const ph of phdrs) {
    if (ph.type !== PT_LOAD || ph.filesz === 0) continue;
    const pageOffset = ph.vaddr - pageStart(ph.vaddr);
    const start = bias + ph.vaddr - pageOffset;
    const fileOffset = ph.offset - pageOffset;
    // The whole last page maps file bytes (those past EOF read as 0 and carry no tag).
    const end = start + Math.min(pageStart(ph.filesz + pageOffset + 4095), file.length - fileOffset);
    if (fileOffset >= 0 && end > start) windows.push({ start, end, fileOffset });
  }
  return windows;
}

export function traceRun(file: Uint8Array, profile: KernelProfile): Trace {
  const path: PathStep[] = [];
  const outputs: OutputByte[] = [];
  const loopPasses = new Map<number, number>();
  let prov: Provenance | null = null;
  let windows: FileWindow[] = [];
  let loadBase: number | null = null;
  let entry: number | null = null;
  let baseIsSample = false;
  let stackTop = 0;
  let totalSteps = 0;
  const counts = { out: 0, err: 0, fd0: 0 };
  /** The instruction executing now, finished (its effects read) at the next step or the end. */
  let pending: { step: PathStep | null; d: Decoded | null; before: number[]; copied: Set<number>; memWrite: { address: number; size: number } | null; rip: number } | null = null;
  let nextLoopHead = false;

  const fileOffsetOf = (address: number): number | null => {
    for (const w of windows) if (address >= w.start && address < w.end) return w.fileOffset + (address - w.start);
    return null;
  };
  const describe = (value: number, mem: AddressSpace): string => {
    const off = fileOffsetOf(value);
    const where = off !== null ? `file +0x${off.toString(16)}` : value < stackTop && value >= stackTop - STACK_SPAN ? 'stack' : null;
    if (!where) return '';
    let text = '';
    for (let i = 0; i < 24; i++) {
      const b = peek(mem, value + i);
      if (b === null || b < 0x20 && b !== 10 || b > 0x7e) break;
      text += b === 10 ? '\\n' : String.fromCharCode(b);
    }
    return text.length >= 4 ? ` (${where}: "${text}")` : ` (${where})`;
  };
  const reg64 = (cpu: Cpu, r: number): number => cpu.regHi[r]! * TWO32 + cpu.regLo[r]!;
  const snapshot = (cpu: Cpu): number[] => Array.from({ length: 16 }, (_, r) => reg64(cpu, r));

  /** Reads what the pending instruction did, now that it has run. */
  const finish = (cpu: Cpu, mem: AddressSpace): void => {
    if (!pending) return;
    const { step, before, copied, memWrite, d, rip } = pending;
    for (let r = 0; r < 16; r++) {
      const now = reg64(cpu, r);
      if (now === before[r]) continue;
      if (!copied.has(r)) prov!.clearReg(r);
      if (step && r !== 4) step.effects.push(`${(cpu.mode === 32 ? REG_NAMES_32 : REG_NAMES)[r]} = 0x${now.toString(16)}${describe(now, mem)}`);
    }
    if (step && memWrite) {
      const bytes = Array.from({ length: memWrite.size }, (_, k) => peek(mem, memWrite.address + k) ?? 0);
      const printable = bytes.map((b) => (b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : b === 10 ? '\\n' : '.')).join('');
      step.effects.push(`[0x${memWrite.address.toString(16)}${describe(memWrite.address, mem).replace(/: ".*"\)$/, ')')}] = ${bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ')} "${printable}"`);
    }
    // A taken branch backwards starts a pass of the loop at its target.
    if (d && BRANCHES.has(d.sem) && cpu.rip <= rip && cpu.rip !== rip + d.length) nextLoopHead = true;
    pending = null;
  };

  const run = new Emulator(profile).run(file, {
    ...EXPLAIN_RUN,
    argv: [...EXPLAIN_RUN.argv],
    env: [...EXPLAIN_RUN.env],
    trace: {
      started({ exe, loaded, stackTop: top }, _cpu, mem) {
        windows = windowsOf(file, exe.phdrs, loaded.bias);
        const first = exe.phdrs.find((ph) => ph.type === PT_LOAD);
        loadBase = first ? loaded.bias + first.vaddr - first.offset : loaded.bias;
        entry = loaded.entry;
        baseIsSample = exe.header.type === ET_DYN;
        stackTop = top;
        prov = new Provenance(file, windows, mem);
      },
      step(cpu, mem) {
        finish(cpu, mem);
        totalSteps++;
        const window = new Uint8Array(15);
        for (let i = 0; i < 15; i++) window[i] = peek(mem, cpu.rip + i) ?? 0;
        const d = decode(window, 0, cpu.mode, cpu.rip);
        const ok = d.status === DecodeStatus.ok;
        const asm = ok ? formatInstruction(d, cpu.mode, cpu.rip) : '(not an instruction golf decodes)';
        // Absolute addresses inside the file read better as file offsets ("jg short 0x47"): the text
        // shows RIP-relative operands by their absolute target too, not from $ as the source does.
        const text = (ok ? formatInstruction(d, cpu.mode) : asm).replace(/\b([0-9A-F]{5,16})h\b/g, (literal, digits: string) => {
          const off = fileOffsetOf(Number.parseInt(digits, 16));
          return off === null ? literal : `0x${off.toString(16)}`;
        });
        const offset = fileOffsetOf(cpu.rip);
        let loopPass: PathStep['loopPass'] = null;
        if (nextLoopHead) {
          const head = offset ?? cpu.rip;
          const pass = (loopPasses.get(head) ?? 0) + 1;
          loopPasses.set(head, pass);
          loopPass = { head, pass };
          nextLoopHead = false;
        }
        const step: PathStep | null = path.length < MAX_PATH_STEPS ? { offset, address: cpu.rip, length: ok ? d.length : 1, text, asm, loopPass, effects: [] } : null;
        if (step) path.push(step);
        const before = snapshot(cpu);
        const applied = ok ? prov!.step(d, cpu, offset ?? -1) : { copied: new Set<number>(), memWrite: null };
        pending = { step, d: ok ? d : null, before, copied: applied.copied, memWrite: applied.memWrite, rip: cpu.rip };
      },
      syscall(call, _cpu, mem) {
        const step = pending?.step;
        if (step) step.effects.push(formatCall(call));
        if (call.name === 'read' && call.result !== null && call.result > 0) prov!.clearMem(call.args[1]!, call.result);
        if (call.name === 'write' && call.result !== null && call.result > 0 && call.args[0]! <= 2) {
          const fd = call.args[0]!;
          const stream = fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : 'fd 0';
          const key = fd === 1 ? 'out' : fd === 2 ? 'err' : 'fd0';
          for (let i = 0; i < call.result; i++) {
            const address = call.args[1]! + i;
            outputs.push({ stream, index: counts[key] + i, value: peek(mem, address) ?? 0, address, source: prov!.memTag(address) });
          }
          counts[key] += call.result;
        }
      },
    },
  });
  // The last instruction (an exit call, or the one that faulted) has no next step to finish it.
  const cpuless = pending as { step: PathStep | null } | null;
  if (cpuless?.step && run.outcome !== 'exited') cpuless.step.effects.push(run.outcome === 'killed' ? `killed by ${run.signal}` : run.reason ?? run.outcome);

  const load = loadVerdictOf(run);
  const exitCall = run.calls.find((c) => c.name === 'exit' || c.name === 'exit_group');
  const ending = !load.loads
    ? load.reason!
    : run.outcome === 'exited'
      ? `exit ${run.exitCode} (${exitCall?.convention ?? 'syscall'})`
      : run.outcome === 'killed'
        ? `killed by ${run.signal}${run.reason ? ` (${run.reason})` : ''}`
        : run.outcome === 'step-limit'
          ? run.reason ?? `still running after ${run.steps} steps`
          : `not modelled by golf: ${run.unsupported}`;
  return {
    load, loadBase, entry, baseIsSample, path, totalSteps, calls: run.calls, outputs,
    loops: [...loopPasses].map(([head, passes]) => ({ head, passes })), ending, run,
  };
}

const BRANCHES: ReadonlySet<number> = new Set([Sem.jmp, Sem.jcc, Sem.loop, Sem.loope, Sem.loopne, Sem.jrcxz, Sem.call, Sem.ret]);
