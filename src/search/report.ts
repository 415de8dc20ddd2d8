/**
 * What a search (or a merge of shard results) says about itself: the completeness statement and
 * the scope of "this space", shared by `golf search` and `golf merge`.
 */
import { OPEN_BASE_NODE_FACTOR, spacePersonality, unitsNoun, type Found, type SearchSpace, type UnitResult } from './engine.js';
import { EHDR32_SIZE } from '../linux/elf.js';
import { minFileSize } from './layout.js';

/**
 * What "this space" means in the completeness sentence, so no reader takes it for more. It names
 * every part of search v2 (src/search/walk/, loop-plans.ts) and its limits: the layouts the loader
 * rules give, where output bytes may come from, the two code families, and the prunings. The byte
 * bound and the node limit are what make the walk affordable; the bound is not proven admissible
 * (test/search/bound.test.ts shows where it overestimates), so it is called a heuristic unless the
 * search ran without it (--exact), and a layout cut by the node limit makes no claim at all.
 */
export function spaceScope(space: SearchSpace): string {
  const writes = space.splitWrites === true
    ? 'each output stream written by one or more write calls, each writing a prefix of what is left'
    : 'each output stream written whole by one write call';
  if (space.arch === 'i386') return i386Scope(space, writes);
  const loops = (space.loopCost ?? 0) > 0
    ? `; loop family: one system call instruction run once per call, its loop's pass-to-pass state machines those of least cost found by a search over code of up to ${space.loopCost} bytes (two passes side by side; costlier machines for the same calls are not tried)`
    : '; no loop family';
  return (
    `one PT_LOAD program header at every offset, ET_EXEC and ET_DYN, p_filesz fitting the file or reaching its page end, files up to ${space.maxSize} bytes; ` +
    `${writes}, then exit; output bytes from the file (a hole, header bytes the loader ignores, or fields whose value they are) ` +
    'or from two or three 8-byte pieces of the file pushed onto the stack and joined into one buffer' +
    `; straight family: code run once in path order, up to ${space.maxPathSteps} instructions from golf's move alphabet (register set-ups, moves, exchanges, pushes and pops, lea, memory pushes, flag setters, short jumps, calls)` +
    loops +
    `; ${codePruning(space)}`
  );
}

/** How the code enumeration is pruned: by state, by the byte-cost bound unless --exact, by the node limit. */
function codePruning(space: SearchSpace): string {
  const bound = space.exact === true
    ? 'no cost bound (--exact: every program of the space that fits the open bytes is walked)'
    : 'pruned by a per-call byte-cost bound (a heuristic: it can overestimate, so "exhausted" sizes may hold a file; --exact searches without it)';
  return `code enumerated by free bytes used, equal machine states visited once, ${bound}, ${nodeLimitText(space)}`;
}

function nodeLimitText(space: SearchSpace): string {
  return space.nodeLimit > 0 ? `at most ${space.nodeLimit} nodes per layout` : 'no node limit';
}

/** The i386 space: search v2's straight and loop families run on ELF32 files as a 32-bit process. */
function i386Scope(space: SearchSpace, writes: string): string {
  const loops = (space.loopCost ?? 0) > 0
    ? `; loop family: one int 0x80 run once per call, the write's buffer in the file, its loop's pass-to-pass state machines (a prelude run once, the body the loop jumps back to, code after the trap; made of inc, dec and xor of eax and ebx, xchg eax with ebx, ebp or esi, push and pop of eax, ebx, ebp and esi, push imm8, mov al/bl, imm8, stc, clc, cmc, cmp al and adc/sbb eax; the write's buffer and length set by the walk's ordinary moves) those of least cost found by a search over code of up to ${space.loopCost} bytes (two passes side by side; costlier machines for the same calls are not tried)`
    : '; no loop family';
  return (
    `i386: ELF32 files for the compat loader (IA32 emulation), one PT_LOAD program header at every offset (overlapping the ${EHDR32_SIZE}-byte ELF header; the file may end inside the ELF header, never inside the program header), ET_EXEC and ET_DYN, the load address the lowest the limits allow; for ET_EXEC also the load address left to the code at every entry offset (its bytes in p_vaddr, e_entry and p_offset linked to name one page-aligned base and p_offset < 4096, p_filesz and p_memsz open to every value, the loader's verdict asked once the bytes it reads are placed; code run before the base is chosen is position independent, a call there is not tried, and the first data access to the file fixes the base where it is; buffers whole in the file; the straight family only, with ${OPEN_BASE_NODE_FACTOR} times the node limit, and also and/or eax skippers and jecxz to a hole while ecx is 0), p_flags with PF_X or PF_R alone (READ_IMPLIES_EXEC), p_filesz fitting the file or reaching its page end, files up to ${space.maxSize} bytes; ` +
    `${writes}, then exit, all through int 0x80; output bytes from the file or from two or three 4-byte pieces pushed onto the stack` +
    `; straight family: code run once in path order, up to ${space.maxPathSteps} 32-bit instructions from golf's move alphabet encoded for 32-bit code (register set-ups, moves, exchanges, pushes and pops, lea, memory pushes, flag setters, short jumps, calls)` +
    loops +
    `; ${codePruning(space)}`
  );
}

export interface Completeness {
  /** No file smaller than this exists in the searched space (every unit was exhausted below it). */
  exhaustedBelow: number;
  /** Every unit of the space ran. */
  allUnitsRan: boolean;
  stoppedEarly: boolean;
  sentence: string;
}

/**
 * The honest summary: a unit proves "nothing below k" when its walks were never cut below k, or
 * when its smallest possible file (phoff + the program header's size) is already k or more. With a
 * bound known before the search (--bound, the record, a first pass), sizes above it were never
 * searched: a search that found nothing up to it says so instead of "searched only partly".
 */
export function completeness(results: readonly UnitResult[], unitsTotal: number, best: Found | null, space: SearchSpace, interrupted: boolean, bound?: { size: number; source: string } | null): Completeness {
  const personality = spacePersonality(space);
  const smallest = minFileSize(0, personality);
  let below = space.maxSize + 1;
  for (const r of results) below = Math.min(below, Math.max(r.exhaustedBelow, minFileSize(r.unit.phoff, personality)));
  const allUnitsRan = results.length === unitsTotal;
  if (!allUnitsRan) below = Math.min(below, smallest);
  const stoppedEarly = interrupted || results.some((r) => r.stoppedBy === 'stopped');
  const why = interrupted ? 'interrupted' : stoppedEarly ? 'stopped at the time limit' : 'finished';
  // Only a search without the heuristic cost bound may say that nothing exists (bound.ts).
  const exact = space.exact === true;
  const none = (what: string): string => exact ? `no ${what} exists in it`
    : `no ${what} was found in it (code was pruned by a heuristic cost bound, so one may still exist: --exact searches without it)`;
  let sentence: string;
  if (!best && below > space.maxSize && !stoppedEarly) {
    sentence = `exhausted all layouts and code up to ${space.maxSize} bytes (--max-size) in this space: ${none('file of that size or smaller')}`;
  } else if (best && below >= best.size) {
    sentence = `exhausted all layouts and code up to ${best.size - 1} bytes in this space: ${none('smaller file')} (${why})`;
  } else if (!best && bound && bound.size < space.maxSize && below > bound.size && !stoppedEarly) {
    sentence = `exhausted all layouts and code up to ${bound.size} bytes in this space: ${none('file of that size or smaller')}; ` +
      `larger files were not searched (bound ${bound.size} from ${bound.source}: search again with --bound none)`;
  } else if (below > smallest) {
    sentence = `exhausted all layouts and code up to ${below - 1} bytes in this space; larger sizes were searched only partly (${why}${space.nodeLimit > 0 ? `, per-layout node limit ${space.nodeLimit}` : ''})`;
  } else {
    sentence = `searched part of the space only (${why}${allUnitsRan ? '' : `, ${results.length} of ${unitsTotal} ${unitsNoun(space)} ran`})`;
  }
  return { exhaustedBelow: below, allUnitsRan, stoppedEarly, sentence };
}
