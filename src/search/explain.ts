/**
 * `golf explain`: what every byte of a file does. Header roles come from the ELF field table at the
 * file's own e_phoff/e_type/e_phnum, with each field's decoded value and whether the kernel reads
 * it; instruction roles, the executed path (every loop pass) and the output's origins come from
 * one traced run of the emulator (explain-trace.ts), so explain follows the same kernel model as
 * every judgement. The NASM source it prints assembles back to the identical bytes (checked with
 * golf's assembler).
 */
import { assemble } from '../asm/assembler.js';
import type { SyscallRecord } from '../linux/call-facts.js';
import { EM_386, EM_486, ET_DYN, ET_EXEC, EM_X86_64, parseHeader, PT_GNU_STACK, PT_INTERP, PT_LOAD } from '../linux/elf.js';
import { checkExec, formatBytes, loaderFor } from '../linux/loader.js';
import type { Personality } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import type { LoadVerdict } from '../verify/check.js';
import { EHDR_FIELDS, LOADER_READ_FIELDS, phdrFields } from './elf-fields.js';
import { EHDR32_FIELDS, phdr32Fields } from './elf32-fields.js';
import { traceRun, type OutputByte, type PathStep } from './explain-trace.js';

export interface ExecutedInstruction {
  offset: number;
  length: number;
  text: string;
}

/** One header field as the byte map groups it. */
export interface FieldView {
  /** "ELF header" or "program header N". */
  structure: string;
  name: string;
  start: number;
  size: number;
  /** The field's bytes in the file, as hex (bytes past EOF read as 0 and are not shown). */
  hex: string;
  /** The value as the kernel reads it, decoded ("3 (ET_DYN)", "0x15905ff4 (345.4 MiB)"). */
  value: string;
  /** The kernel reads this field (false: ignored, free for other uses). */
  checked: boolean;
  /** What else its bytes are: executed instructions and output bytes. */
  reusedAs: string[];
}

export interface Explanation {
  size: number;
  /** Virtual address of file offset 0 (null when the file does not load). */
  loadBase: number | null;
  /** ET_DYN: loadBase is this run's sample (the kernel picks a random base every run). */
  baseIsSample: boolean;
  /** File offset of the entry point, or null when it is outside the file (or the file does not load). */
  entryOffset: number | null;
  load: LoadVerdict;
  /** Roles of each byte, by file offset. */
  roles: string[][];
  fields: FieldView[];
  /** Instructions on the executed path, in first-execution order, each once. */
  executed: ExecutedInstruction[];
  /** The whole path in order, every pass of every loop (the first MAX_PATH_STEPS steps). */
  path: PathStep[];
  totalSteps: number;
  loops: { head: number; passes: number }[];
  calls: SyscallRecord[];
  outputs: OutputByte[];
  /** How the traced run ended: "exit N (syscall)", a signal, the loader's refusal ... */
  ending: string;
  source: string;
}

/** A byte string for people: printable ASCII as is, the rest escaped. */
export function quoteBytes(bytes: readonly number[]): string {
  return `"${bytes.map((b) => (b === 10 ? '\\n' : b === 0x22 ? '\\"' : b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('')}"`;
}

function u16(f: Uint8Array, at: number): number {
  return (at < f.length ? f[at]! : 0) | ((at + 1 < f.length ? f[at + 1]! : 0) << 8);
}

/** A field's value, exactly (as unsigned little-endian), read as the kernel's 256-byte buffer gives it. */
function fieldValue(f: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(at + i < f.length ? f[at + i]! : 0);
  return v;
}

const TYPE_NAMES: Record<number, string> = { [ET_EXEC]: 'ET_EXEC', [ET_DYN]: 'ET_DYN' };
const PTYPE_NAMES: Record<number, string> = { [PT_LOAD]: 'PT_LOAD', [PT_INTERP]: 'PT_INTERP', [PT_GNU_STACK]: 'PT_GNU_STACK', 0: 'PT_NULL', 2: 'PT_DYNAMIC', 4: 'PT_NOTE', 6: 'PT_PHDR' };

const MACHINE_NAMES: Record<number, string> = { [EM_X86_64]: 'x86-64', [EM_386]: 'i386', [EM_486]: 'i486, taken as i386' };

function decodeValue(name: string, v: bigint, type: number, entry: number | null, personality: Personality, readImpliesExec: boolean): string {
  const n = Number(v);
  const hexv = `0x${v.toString(16)}`;
  const size = (): string => (v >= 1024n ? `${hexv} (${formatBytes(n)})` : `${hexv} (${n} bytes)`);
  switch (name) {
    case 'e_ident.magic':
      return v === 0x464c457fn ? '"\\x7fELF" (the ELF magic)' : `${hexv}: not the ELF magic`;
    case 'e_type':
      return `${n} (${TYPE_NAMES[n] ?? 'neither ET_EXEC nor ET_DYN'})`;
    case 'e_machine':
      return `${n} (${MACHINE_NAMES[n] ?? 'neither x86-64 nor i386'})`;
    case 'e_entry':
      return type === ET_DYN && entry !== null ? `${hexv} (+ the load bias: 0x${entry.toString(16)} in this run)` : hexv;
    case 'e_phoff':
    case 'p_offset':
      return `${hexv} (file offset ${n})`;
    case 'e_phentsize': {
      const size = personality.layout.phentsize;
      return `${n}${n === size ? '' : ` (must be ${size})`}`;
    }
    case 'e_phnum':
      return String(n);
    case 'p_type':
      return `${hexv} (${PTYPE_NAMES[n] ?? 'ignored type'})`;
    case 'p_flags': {
      const bits = [n & 4 ? 'R' : '', n & 2 ? 'W' : '', n & 1 ? 'X' : ''].filter(Boolean).join('+') || 'none';
      const rie = readImpliesExec && (n & 4) !== 0 && (n & 1) === 0 ? '; executable anyway: a 32-bit file without PT_GNU_STACK gets READ_IMPLIES_EXEC' : '';
      return `${hexv} (${bits}; only bits 0-2 are used${rie})`;
    }
    case 'p_filesz':
    case 'p_memsz':
      return size();
    case 'p_align':
      return v !== 0n && (v & (v - 1n)) === 0n ? hexv : `${hexv} (not a power of two: no alignment)`;
    default:
      return hexv;
  }
}

/** Whether the kernel reads a program-header field of a header of this p_type. */
function phdrFieldChecked(field: string, rule: string, ptype: number): boolean {
  if (field === 'p_type') return true;
  if (ptype === PT_LOAD) return rule !== 'ignored';
  if (ptype === PT_GNU_STACK) return field === 'p_flags';
  if (ptype === PT_INTERP) return field === 'p_offset' || field === 'p_filesz';
  return false;
}

/**
 * Every header field in the file, in the order the bytes come (ELF header, then each program
 * header), in the structures of the loader that takes the file (ELF32 for an i386 file).
 */
function headerFields(file: Uint8Array, entry: number | null, personality: Personality, readImpliesExec: boolean): FieldView[] {
  const type = u16(file, personality.layout.ehdr.e_type.offset);
  const elf32 = personality.layout.name === 'ELF32';
  const fields: FieldView[] = [];
  const add = (structure: string, name: string, start: number, size: number, checked: boolean): void => {
    const shown = Math.max(0, Math.min(size, file.length - start));
    fields.push({
      structure, name, start, size, checked, reusedAs: [],
      hex: Array.from(file.subarray(start, start + shown), (b) => b.toString(16).padStart(2, '0')).join(' '),
      // e_ident's 12 free bytes read best as text (golf and people put strings there).
      value: size > 8 ? quoteBytes(Array.from(file.subarray(start, start + shown))) : decodeValue(name, fieldValue(file, start, size), type, entry, personality, readImpliesExec),
    });
  };
  for (const f of elf32 ? EHDR32_FIELDS : EHDR_FIELDS) add('ELF header', f.name, f.offset, f.size, f.rule !== 'ignored');
  const header = parseHeader(file, personality.layout);
  const phnum = header.phnum;
  for (let i = 0; i < Math.min(phnum, 8); i++) {
    const at = header.phoff + i * personality.layout.phentsize;
    if (at >= file.length) break;
    const ptype = Number(fieldValue(file, at, 4));
    for (const f of elf32 ? phdr32Fields(type) : phdrFields(type)) add(`program header ${i}`, phnum > 1 ? `${f.name}[${i}]` : f.name, at + f.offset, f.size, phdrFieldChecked(f.name, f.rule, ptype));
  }
  return fields;
}

/** What an output byte is, as a role of the file byte it came from. */
function outputRole(o: OutputByte, loadBase: number | null, size: number): string {
  const inPlace = loadBase !== null && o.source !== null && o.source.via === -1;
  if (inPlace) return `${o.stream}[${o.index}]`;
  const where = loadBase !== null && o.address >= loadBase && o.address < loadBase + size ? 'memory' : 'the stack';
  return `${o.stream}[${o.index}] via ${where} (copied by the instruction at 0x${o.source!.via.toString(16)})`;
}

function hex(b: number): string {
  return '0x' + b.toString(16).padStart(2, '0');
}

/** A role naming a header field the loader reads (`p_filesz[1]` for the second program header): an instruction overlapping one is written as db. */
const isReadField = (role: string): boolean => LOADER_READ_FIELDS.has(role.replace(/\[\d+\]$/, ''));

function sourceOf(file: Uint8Array, loadBase: number | null, roles: string[][], executed: readonly ExecutedInstruction[], name: string, mode: 64 | 32): string {
  const base = loadBase ?? 0;
  const header = [`; ${name}: ${file.length} bytes, explained by golf`, `bits ${mode}`, `org 0x${base.toString(16)}`, ''];
  const starts = new Map(executed.map((e) => [e.offset, e]));
  const body: string[] = [];
  for (let off = 0; off < file.length; ) {
    const e = starts.get(off);
    if (e && off + e.length <= file.length) {
      const bytes = file.subarray(off, off + e.length);
      const clean = roles.slice(off, off + e.length).every((r) => r.every((x) => !isReadField(x) && !x.startsWith('stdout') && !x.startsWith('stderr')));
      let same = false;
      if (clean) {
        try {
          const a = assemble(`bits ${mode}\norg 0x${(base + off).toString(16)}\n${e.text}\n`);
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
  const trace = traceRun(file, profile);
  // The loader whose structures the header is read in: e_machine decides (src/linux/loader.ts).
  const personality = loaderFor(parseHeader(file));
  const checked = checkExec(file, profile);
  const fields = headerFields(file, trace.entry, personality, checked.kind === 'ok' && checked.exe.readImpliesExec);
  const roles: string[][] = Array.from({ length: file.length }, () => []);
  for (const f of fields) for (let i = 0; i < f.size && f.start + i < file.length; i++) roles[f.start + i]!.push(f.name);
  // Each instruction once, in first-execution order (the path holds every pass).
  const executed: ExecutedInstruction[] = [];
  const seen = new Set<number>();
  const shown = new Map<number, string>();
  for (const step of trace.path) {
    if (step.offset === null || seen.has(step.offset)) continue;
    seen.add(step.offset);
    executed.push({ offset: step.offset, length: step.length, text: step.asm });
    for (let i = 0; i < step.length && step.offset + i < file.length; i++) roles[step.offset + i]!.push(i === 0 ? `code: ${step.text}` : 'code (cont.)');
    shown.set(step.offset, step.text);
  }
  for (const o of trace.outputs) {
    if (o.source === null || o.source.offset >= file.length) continue;
    roles[o.source.offset]!.push(outputRole(o, trace.loadBase, file.length));
  }
  for (const f of fields) {
    const end = f.start + f.size;
    for (const e of executed) {
      const lo = Math.max(f.start, e.offset);
      const hi = Math.min(end, e.offset + e.length);
      if (lo < hi) f.reusedAs.push(`code: ${shown.get(e.offset)} (0x${lo.toString(16)}${hi - lo > 1 ? `-0x${(hi - 1).toString(16)}` : ''})`);
    }
    const outs = trace.outputs.filter((o) => o.source !== null && o.source.offset >= f.start && o.source.offset < end);
    if (outs.length > 0) f.reusedAs.push(`data: ${summarizeOutputs(outs)}`);
  }
  const entryOffset = trace.entry !== null && trace.loadBase !== null && trace.entry - trace.loadBase >= 0 && trace.entry - trace.loadBase < file.length ? trace.entry - trace.loadBase : null;
  const loadBase = trace.load.loads ? trace.loadBase : null;
  let source = sourceOf(file, loadBase, roles, executed, name, personality.mode);
  // The source must give back the file; if golf's assembler disagrees anywhere, fall back to db only.
  let back: Uint8Array | null = null;
  try {
    back = assemble(source);
  } catch {
    back = null;
  }
  if (!back || back.length !== file.length || back.some((b, i) => b !== file[i])) source = sourceOf(file, loadBase, roles, [], name, personality.mode);
  return {
    size: file.length, loadBase, baseIsSample: trace.baseIsSample, entryOffset, load: trace.load, roles, fields, executed,
    path: trace.path, totalSteps: trace.totalSteps, loops: trace.loops, calls: trace.calls, outputs: trace.outputs, ending: trace.ending, source,
  };
}

/** "stdout[0..7]" for consecutive output bytes of one stream. */
export function summarizeOutputs(outs: readonly OutputByte[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < outs.length) {
    let j = i;
    while (j + 1 < outs.length && outs[j + 1]!.stream === outs[i]!.stream && outs[j + 1]!.index === outs[j]!.index + 1) j++;
    parts.push(i === j ? `${outs[i]!.stream}[${outs[i]!.index}]` : `${outs[i]!.stream}[${outs[i]!.index}..${outs[j]!.index}]`);
    i = j + 1;
  }
  return parts.join(', ');
}
