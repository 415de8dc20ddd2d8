/**
 * golf's own straightforward layout for any target, the baseline every result is compared with:
 * a 64-byte ELF header, one 56-byte PT_LOAD program header right after it, the code, then the
 * output bytes. No field overlaps another and nothing relies on entry state beyond what any
 * kernel provides, so it runs everywhere. It is written as NASM source and assembled by golf's
 * assembler (the same source assembles with `nasm -f bin`).
 */
import { straightforwardElf32Source, straightforwardElfSource } from '../linux/elf-source.js';
import type { Target } from '../targets/target.js';

export type Assemble = (source: string, fileName?: string) => Uint8Array;

/** NASM `db` lines for arbitrary bytes: printable runs as strings, everything else as numbers. */
export function dbLines(bytes: Uint8Array, indent: string): string[] {
  const items: string[] = [];
  let run = '';
  const flush = (): void => {
    if (run) items.push(`"${run}"`);
    run = '';
  };
  for (const b of bytes) {
    // A double-quoted NASM string has no escapes, so only '"' itself must be written as a number.
    if (b >= 0x20 && b < 0x7f && b !== 0x22) run += String.fromCharCode(b);
    else {
      flush();
      items.push(String(b));
    }
  }
  flush();
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += 12) lines.push(`${indent}db ${items.slice(i, i + 12).join(', ')}`);
  return lines;
}

function writeCall(fd: number, label: string, stream: string): string[] {
  return [
    `        mov eax, 1              ; write(${fd}, ${label}, ${label}_len): ${stream}`,
    `        mov edi, ${fd}`,
    `        mov esi, ${label}           ; the file is mapped below 4 GiB, so a 32-bit address suffices`,
    `        mov edx, ${label}_len`,
    '        syscall',
  ];
}

/** The output strings of a baseline, labelled out/err with their lengths (both word sizes use them). */
function baselineData(target: Target): string[] {
  const data: string[] = [];
  if (target.stdout.length > 0) data.push('out:', ...dbLines(target.stdout, '        '), 'out_len equ $ - out');
  if (target.stderr.length > 0) data.push('err:', ...dbLines(target.stderr, '        '), 'err_len equ $ - err');
  return data;
}

export function baselineSource(target: Target): string {
  const code: string[] = [];
  if (target.stdout.length > 0) code.push(...writeCall(1, 'out', 'stdout'));
  if (target.stderr.length > 0) code.push(...writeCall(2, 'err', 'stderr'));
  code.push(
    '        mov eax, 60             ; exit(status)',
    `        mov edi, ${target.exitCode}`,
    '        syscall',
  );
  const data = baselineData(target);
  return straightforwardElfSource(`golf baseline for target "${target.name}": the straightforward layout with no overlapping fields.`, code, data);
}

export function buildBaseline(target: Target, assemble: Assemble): Uint8Array {
  return assemble(baselineSource(target), `baseline-${target.name}.asm`);
}

function writeCall32(fd: number, label: string, stream: string): string[] {
  return [
    `        mov eax, 4              ; write(${fd}, ${label}, ${label}_len): ${stream}`,
    `        mov ebx, ${fd}`,
    `        mov ecx, ${label}`,
    `        mov edx, ${label}_len`,
    '        int 0x80',
  ];
}

/** golf's 32-bit baseline: the straightforward ELF32 layout, system calls through int 0x80. */
export function baselineSource32(target: Target): string {
  const code: string[] = [];
  if (target.stdout.length > 0) code.push(...writeCall32(1, 'out', 'stdout'));
  if (target.stderr.length > 0) code.push(...writeCall32(2, 'err', 'stderr'));
  code.push(
    '        mov eax, 1              ; exit(status)',
    `        mov ebx, ${target.exitCode}`,
    '        int 0x80',
  );
  const data = baselineData(target);
  return straightforwardElf32Source(`golf 32-bit baseline for target "${target.name}": the straightforward ELF32 layout with no overlapping fields.`, code, data);
}

export function buildBaseline32(target: Target, assemble: Assemble): Uint8Array {
  return assemble(baselineSource32(target), `baseline32-${target.name}.asm`);
}
