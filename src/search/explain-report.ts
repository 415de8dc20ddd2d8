/**
 * golf explain's text report: the header fields with their decoded values, the executed path with
 * its effects and loop passes, the output and where its bytes came from, the byte map and the NASM
 * source. The HTML page (explain-html.ts) shows the same content as a coloured grid.
 */
import { EHDR64, ET_DYN } from '../linux/elf.js';
import { EXPLAIN_RUN, type PathStep } from './explain-trace.js';
import { quoteBytes, type Explanation } from './explain.js';

const hex = (n: number, width = 2): string => `0x${n.toString(16).padStart(width, '0')}`;
const range = (start: number, size: number): string => (size <= 1 ? hex(start) : `${hex(start)}-${hex(start + size - 1)}`);

/** Consecutive output bytes copied from consecutive file bytes by the same instruction. */
export interface OutputGroup {
  stream: string;
  first: number;
  last: number;
  bytes: number[];
  /** The file bytes they came from (null: computed, or from outside the file). */
  fileStart: number | null;
  /** The instruction (file offset) that copied them into other memory, or null when written in place. */
  via: number | null;
}

export function outputGroups(e: Explanation): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (const o of e.outputs) {
    const fileOffset = o.source && o.source.offset < e.size ? o.source.offset : null;
    const via = o.source && o.source.via >= 0 ? o.source.via : null;
    const last = groups.at(-1);
    const continues =
      last && last.stream === o.stream && last.last + 1 === o.index && last.via === via &&
      (last.fileStart === null ? fileOffset === null : fileOffset === last.fileStart + (o.index - last.first));
    if (continues) {
      last.last = o.index;
      last.bytes.push(o.value);
    } else groups.push({ stream: o.stream, first: o.index, last: o.index, bytes: [o.value], fileStart: fileOffset, via });
  }
  return groups;
}

/** The instruction text at a file offset (for "copied by push qword [rcx+2] at 0x3c"). */
function instructionAt(e: Explanation, offset: number): string {
  return e.path.find((s) => s.offset === offset)?.text ?? 'an instruction';
}

export function describeGroup(e: Explanation, g: OutputGroup): string {
  const where = g.fileStart === null ? 'not copied from the file (computed or from elsewhere)' : `from file ${range(g.fileStart, g.bytes.length)}`;
  const how = g.fileStart === null ? '' : g.via === null ? ', written straight from the file mapping' : `, copied by ${instructionAt(e, g.via)} at ${hex(g.via)}`;
  return `${g.stream}[${g.first === g.last ? g.first : `${g.first}..${g.last}`}] ${quoteBytes(g.bytes)}  ${where}${how}`;
}

/** The first line: size, type, where it was loaded (a sample for ET_DYN), the entry. */
export function summaryLine(e: Explanation, name: string, file: Uint8Array): string {
  const at = EHDR64.e_type.offset; // the same place in an ELF32 header
  const type = file.length > at + 1 ? file[at]! | (file[at + 1]! << 8) : 0;
  if (!e.load.loads) return `${name}: ${e.size} bytes; does not load: ${e.load.reason}`;
  const base = e.loadBase === null ? 'not loaded' : hex(e.loadBase);
  const sample = type === ET_DYN ? ' (a sample: the kernel picks a random base for an ET_DYN file every run)' : '';
  const entry = e.entryOffset === null ? 'entry outside the file' : `entry at offset ${hex(e.entryOffset)}`;
  return `${name}: ${e.size} bytes, ${type === ET_DYN ? 'ET_DYN' : 'ET_EXEC'}, loaded at ${base}${sample}; ${entry}`;
}

export function runLine(e: Explanation, profile: string): string {
  return `traced run: golf's emulator, profile ${profile}, argv ${JSON.stringify(EXPLAIN_RUN.argv)}, empty environment, stdin /dev/null read-only, stack seed ${EXPLAIN_RUN.seed}; ends: ${e.ending} after ${e.totalSteps} instructions`;
}

function loopSummary(e: Explanation): string {
  if (e.loops.length === 0) return '';
  return `; ${e.loops.map((l) => `the loop at ${hex(l.head)} runs ${l.passes} pass${l.passes === 1 ? '' : 'es'}`).join(', ')}`;
}

function pathLines(e: Explanation): string[] {
  const lines: string[] = [];
  const width = Math.min(34, Math.max(16, ...e.path.map((s) => s.text.length)));
  e.path.forEach((s: PathStep, i) => {
    if (s.loopPass) lines.push(`  loop at ${hex(s.loopPass.head)}, pass ${s.loopPass.pass}:`);
    const mark = i === 0 ? '>' : ' ';
    const at = s.offset === null ? `[${hex(s.address)}]` : hex(s.offset);
    const effects = [...(i === 0 ? ['entry point'] : []), ...s.effects].join('; ');
    lines.push(`  ${mark} ${at.padEnd(6)}  ${s.text.padEnd(width)}  ${effects}`.trimEnd());
  });
  if (e.totalSteps > e.path.length) lines.push(`  ... ${e.totalSteps - e.path.length} more instructions`);
  return lines;
}

export function formatExplanation(e: Explanation, name: string, file: Uint8Array, profile: string): string {
  const lines: string[] = [summaryLine(e, name, file)];
  if (e.load.loads) lines.push(runLine(e, profile));
  lines.push('', "Header fields (checked: the kernel reads it; ignored: never read, so free for other uses):");
  const fieldWidth = Math.max(...e.fields.map((f) => f.name.length), 10);
  for (const f of e.fields) {
    const reused = f.reusedAs.length > 0 ? `  also ${f.reusedAs.join('; ')}` : '';
    lines.push(`  ${range(f.start, f.size).padEnd(11)} ${f.structure.padEnd(16)} ${f.name.padEnd(fieldWidth)} ${(f.checked ? 'checked' : 'ignored').padEnd(8)} = ${f.value}${reused}`);
  }
  if (e.load.loads) {
    lines.push('', `Executed path (${e.totalSteps} instructions${loopSummary(e)}):`, ...pathLines(e));
    const groups = outputGroups(e);
    lines.push('', 'Output, and where its bytes come from:');
    if (groups.length === 0) lines.push('  (no output)');
    for (const g of groups) lines.push(`  ${describeGroup(e, g)}`);
  }
  lines.push('', 'Byte map:', 'offset  byte  roles');
  e.roles.forEach((roles, off) => {
    const entry = off === e.entryOffset ? 'entry point | ' : '';
    lines.push(`${off.toString().padStart(6)}  ${file[off]!.toString(16).padStart(2, '0')}    ${entry}${roles.join(' | ') || 'free (read by nobody)'}`);
  });
  lines.push('', 'NASM source (golf asm and nasm -f bin give back the identical file):', '', e.source);
  return lines.join('\n');
}
