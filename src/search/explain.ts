/**
 * `golf explain`: what every byte of a file does. Header roles come from the ELF field table at the
 * file's own e_phoff/e_type/e_phnum; instruction roles from running the file with the Linux layer's
 * loader and the real Cpu, one step at a time; output roles from the buffers the write calls read.
 * The NASM source it prints assembles back to the identical bytes (checked with golf's assembler).
 */
import { assemble } from '../asm/assembler.js';
import { Stop } from '../emu/cpu.js';
import type { KernelProfile } from '../linux/profile.js';
import { decode } from '../x86/decoder.js';
import { DecodeStatus } from '../x86/decoded.js';
import { disassemble } from '../x86/disasm.js';
import { SYSCALL_64, INT80_32, type SyscallAbi } from './abi.js';
import { EHDR_FIELDS, phdrFields, PHDR_SIZE } from './elf-fields.js';
import { startProcess } from './process.js';

const TWO32 = 0x1_0000_0000;

export interface ExecutedInstruction {
  offset: number;
  length: number;
  text: string;
}

export interface Explanation {
  size: number;
  /** Virtual address of file offset 0 (null when the file does not load). */
  loadBase: number | null;
  /** Roles of each byte, by file offset. */
  roles: string[][];
  /** Instructions on the executed path, in first-execution order, each once. */
  executed: ExecutedInstruction[];
  /** How the traced run ended: "exit N", a signal, or why tracing stopped. */
  ending: string;
  source: string;
}

function u16(f: Uint8Array, at: number): number {
  return at + 1 < f.length ? f[at]! | (f[at + 1]! << 8) : 0;
}

function u64(f: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 7; i >= 0; i--) v = v * 256 + (at + i < f.length ? f[at + i]! : 0);
  return v;
}

function headerRoles(file: Uint8Array, roles: string[][]): void {
  const add = (at: number, size: number, name: string): void => {
    for (let i = 0; i < size; i++) if (at + i < file.length) roles[at + i]!.push(name);
  };
  for (const f of EHDR_FIELDS) add(f.offset, f.size, f.name);
  const phoff = u64(file, 32);
  const phnum = u16(file, 56);
  const type = u16(file, 16);
  for (let i = 0; i < Math.min(phnum, 8); i++) {
    const at = phoff + i * PHDR_SIZE;
    if (at >= file.length) break;
    for (const f of phdrFields(type)) add(at + f.offset, f.size, phnum > 1 ? `${f.name}[${i}]` : f.name);
  }
}

/** Runs the file step by step, marking instruction and output bytes; write/exit as in kernel-facts section 5. */
function trace(file: Uint8Array, profile: KernelProfile, roles: string[][], executed: ExecutedInstruction[]): { loadBase: number | null; ending: string } {
  const proc = startProcess(file, profile);
  if (!proc) return { loadBase: null, ending: 'the loader refuses the file' };
  const { cpu, loadBase } = proc;
  const seen = new Set<number>();
  const window = new Uint8Array(15);
  let out = 0;
  let err = 0;
  for (let step = 0; step < 100_000; step++) {
    const off = cpu.rip - loadBase;
    if (off >= 0 && off < file.length && !seen.has(off)) {
      seen.add(off);
      for (let i = 0; i < 15; i++) window[i] = off + i < file.length ? file[off + i]! : 0;
      const d = decode(window, 0, 64, cpu.rip);
      if (d.status === DecodeStatus.ok) {
        const text = disassemble(window.subarray(0, d.length), 64, 0, cpu.rip)[0]?.text ?? d.mnemonic;
        executed.push({ offset: off, length: d.length, text });
        for (let i = 0; i < d.length && off + i < file.length; i++) roles[off + i]!.push(i === 0 ? `code: ${text}` : 'code (cont.)');
      }
    }
    const stop = cpu.run(1);
    if (stop === Stop.stepLimit) continue;
    if (stop === Stop.signal) return { loadBase, ending: `killed by ${cpu.signal}` };
    if (stop === Stop.unsupported) return { loadBase, ending: `unsupported: ${cpu.unsupported}` };
    const abi: SyscallAbi = stop === Stop.syscall ? SYSCALL_64 : INT80_32;
    const reg = (r: number): number => (abi.width === 4 ? cpu.regLo[r]! : cpu.regHi[r]! * TWO32 + cpu.regLo[r]!);
    const nr = cpu.regLo[abi.numberReg]!; // the kernel reads the number from the low 32 bits under both conventions
    if (abi.exit.includes(nr)) return { loadBase, ending: `exit ${reg(abi.args[0]!) & 0xff} (${abi.name})` };
    if (nr !== abi.write) return { loadBase, ending: `system call ${nr} (${abi.name}): tracing stops` };
    const fd = reg(abi.args[0]!);
    const buf = reg(abi.args[1]!);
    const len = reg(abi.args[2]!);
    for (let i = 0; i < len; i++) {
      const o = buf - loadBase + i;
      if (o >= 0 && o < file.length) roles[o]!.push(`${fd === 1 ? 'stdout' : fd === 2 ? 'stderr' : `fd ${fd}`}[${(fd === 2 ? err : out) + i}]`);
    }
    if (fd === 1) out += len;
    else if (fd === 2) err += len;
    cpu.regLo[0] = len;
    cpu.regHi[0] = 0;
  }
  return { loadBase, ending: 'still running after 100000 steps' };
}

function hex(b: number): string {
  return '0x' + b.toString(16).padStart(2, '0');
}

/** Header fields the loader reads: an instruction overlapping one is written as db. */
const READ_FIELDS = /^(e_ident\.magic|e_type|e_machine|e_entry|e_phoff|e_phentsize|e_phnum|p_type|p_flags|p_offset|p_vaddr|p_filesz|p_memsz|p_align)/;

function sourceOf(file: Uint8Array, loadBase: number | null, roles: string[][], executed: readonly ExecutedInstruction[], name: string): string {
  const base = loadBase ?? 0;
  const header = [`; ${name}: ${file.length} bytes, explained by golf`, 'bits 64', `org 0x${base.toString(16)}`, ''];
  const starts = new Map(executed.map((e) => [e.offset, e]));
  const body: string[] = [];
  for (let off = 0; off < file.length; ) {
    const e = starts.get(off);
    if (e && off + e.length <= file.length) {
      const bytes = file.subarray(off, off + e.length);
      const clean = roles.slice(off, off + e.length).every((r) => r.every((x) => !READ_FIELDS.test(x) && !x.startsWith('stdout') && !x.startsWith('stderr')));
      let same = false;
      if (clean) {
        try {
          const a = assemble(`bits 64\norg 0x${(base + off).toString(16)}\n${e.text}\n`);
          same = a.length === bytes.length && a.every((b, i) => b === bytes[i]);
        } catch {
          same = false;
        }
      }
      if (same) {
        const extra = [...new Set(roles.slice(off, off + e.length).flat().filter((r) => !r.startsWith('code')))];
        body.push(`    ${e.text.padEnd(34)}; ${off.toString().padStart(3)}${extra.length ? `  (${extra.join(', ')})` : ''}`);
        off += e.length;
        continue;
      }
    }
    body.push(`    db ${hex(file[off]!)}${' '.repeat(27)}; ${off.toString().padStart(3)}  ${roles[off]!.join(' | ') || 'free'}`);
    off++;
  }
  return [...header, ...body, ''].join('\n');
}

export function explainFile(file: Uint8Array, profile: KernelProfile, name = 'file'): Explanation {
  const roles: string[][] = Array.from({ length: file.length }, () => []);
  headerRoles(file, roles);
  const executed: ExecutedInstruction[] = [];
  const { loadBase, ending } = trace(file, profile, roles, executed);
  let source = sourceOf(file, loadBase, roles, executed, name);
  // The source must give back the file; if golf's assembler disagrees anywhere, fall back to db only.
  let back: Uint8Array | null = null;
  try {
    back = assemble(source);
  } catch {
    back = null;
  }
  if (!back || back.length !== file.length || back.some((b, i) => b !== file[i])) source = sourceOf(file, loadBase, roles, [], name);
  return { size: file.length, loadBase, roles, executed, ending, source };
}
