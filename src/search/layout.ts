/**
 * Layouts: where the program header sits (phoff P, overlapping the ELF header or not), EXEC or DYN,
 * and the values of the fields the loader reads, solved so that the file loads; then, for every byte,
 * the set of values that keeps the loader's verdict (probed against the loader model, so the
 * loader's rules stay written once, in the Linux layer).
 *
 * Solving works on a "board": one slot per file byte, unknown (-1) or pinned to a value. Fields that
 * share bytes (e.g. P=24: e_entry = p_type | p_flags << 32) are coupled simply because they write the
 * same slots; any disagreement rejects the choice.
 */
import { EM_386, phdrTableReadableRule } from '../linux/elf.js';
import { commitRule, lowestFixedMapping, mappingRangeRule, segmentBoundsRule } from '../linux/loader.js';
import { PAGE_SIZE, Prot } from '../linux/memory.js';
import { IA32, X86_64, type Personality } from '../linux/personality.js';
import { ELF_MAGIC, EM_X86_64, ET_DYN, ET_EXEC, PF_R, PF_X, PT_LOAD, placedFields, type FieldRule, type PlacedField } from './elf-fields.js';
import { placedFields32 } from './elf32-fields.js';

/**
 * What differs between the 64-bit and the compat (ELF32) layouts, all read from the Linux layer:
 * field places (elf.ts through elf-fields.ts / elf32-fields.ts), structure sizes, the word size of
 * the address fields, and the e_machine the loader takes.
 */
interface ElfFormat {
  readonly personality: Personality;
  readonly machine: number;
  readonly ehdrSize: number;
  readonly phdrSize: number;
  /** Bytes of e_entry, e_phoff and the program header's address and size fields. */
  readonly word: 4 | 8;
  readonly fields: (phoff: number, type: number) => PlacedField[];
}

function formatOf(personality: Personality): ElfFormat {
  const l = personality.layout;
  return {
    personality,
    machine: personality === IA32 ? EM_386 : EM_X86_64,
    ehdrSize: l.ehdrSize,
    phdrSize: l.phentsize,
    word: personality.wordSize,
    fields: personality === IA32 ? placedFields32 : placedFields,
  };
}

/** What the solver needs to know about the kernel (a subset of KernelProfile). */
export interface LayoutLimits {
  mmapMinAddr: number;
  taskSize: number;
  commitLimitBytes: number;
}

export type SizeClass = 'fit' | 'page-end';

/** Loader verdict of a whole file as a short string; equal strings mean "the loader treats these alike". */
export type LoaderVerdict = (file: Uint8Array) => string;

export interface Layout {
  /** e_phoff: where the program-header table starts. */
  readonly phoff: number;
  readonly type: typeof ET_EXEC | typeof ET_DYN;
  /** The file size this layout was solved for (bytes at or past it read as 0). */
  readonly size: number;
  /** File offset where execution starts. */
  readonly entryOffset: number;
  /** Virtual address of file offset 0 (the nominal one for DYN: the kernel may place it elsewhere). */
  readonly base: number;
  readonly pOffset: number;
  readonly pFlags: number;
  readonly fileSize: number;
  readonly memSize: number;
  /** Which p_filesz/p_memsz class the representative belongs to (see segmentSizes). */
  readonly sizeClass: SizeClass;
  /** The solved file image (length `size`); bytes nobody reads are 0. */
  readonly image: Uint8Array;
  /**
   * Allowed values per byte: null = any value (the byte is free), else the accepted values, the
   * solution's value first. Indexed by file offset, length `size`.
   */
  readonly allowed: readonly (Uint8Array | null)[];
  /** Header fields each byte belongs to (for reports and `golf explain`). */
  readonly roles: readonly string[][];
  /**
   * Bytes the loader reads that the layout leaves open (more than one allowed value): their
   * values are probed one byte at a time, so a combination the walk assigns may still be refused
   * (walk.ts checks the loader's verdict once all of them are assigned).
   */
  readonly loaderRead: readonly number[];
  /**
   * An ELF32 ET_EXEC layout whose load address is open (openBaseLayouts): where its bytes lie,
   * and the links that keep p_vaddr, e_entry and p_offset agreeing. Absent: the base is `base`.
   */
  readonly openBase?: OpenBase;
}

/**
 * How two bytes of an open load address must agree (OpenBase below; walk/board.ts keeps them so):
 * `full`, the same value; `low`, b is a's low nibble (p_offset's second byte under p_vaddr's);
 * `high`, b is a's high nibble plus `add` (e_entry's second byte: the base's nibble plus the entry
 * offset's high bits).
 */
export interface ByteLink {
  readonly a: number;
  readonly b: number;
  readonly kind: 'full' | 'low' | 'high';
  readonly add: number;
}

/**
 * The load address left to the code: B (page aligned) is p_vaddr's bytes 1-3 (byte 1's high
 * nibble), p_vaddr = B + o with o = p_offset < 4096 (file offset 0 mapped at B), e_entry = B + e.
 */
export interface OpenBase {
  readonly vaddrAt: number;
  readonly entryAt: number;
  readonly offsetAt: number;
  readonly links: readonly ByteLink[];
  /** The base the layout's image was solved at: the walk starts there and moves once B is chosen. */
  readonly initialBase: number;
  /** Bytes of the image's mappings above initialBase (a new base inside them needs no new page). */
  readonly extent: number;
}

/** A board slot per byte: -1 unknown, else the pinned value. */
type Board = Int16Array;

function put(board: Board, at: number, size: number, value: bigint): boolean {
  for (let i = 0; i < size; i++) {
    const b = Number((value >> BigInt(8 * i)) & 0xffn);
    const pos = at + i;
    if (pos >= board.length) {
      if (b !== 0) return false; // past EOF every byte reads as 0
      continue;
    }
    const cur = board[pos]!;
    if (cur === -1) board[pos] = b;
    else if (cur !== b) return false;
  }
  return true;
}

function get(board: Board, at: number): number {
  return at < board.length ? board[at]! : 0;
}

/**
 * Smallest value >= atLeast whose bytes agree with the pinned bytes of an 8-byte field, or null.
 * Tries the free bytes from the top down: a digit-by-digit search over 8 bytes.
 */
export function smallestCompatible(board: Board, at: number, atLeast: bigint, width: 4 | 8 = 8): bigint | null {
  const pinned: number[] = [];
  for (let i = 0; i < width; i++) pinned.push(get(board, at + i));
  // best(i, tight): smallest completion of bytes i..0 (from the top) given the prefix equals atLeast's (tight)
  const want = (i: number): number => Number((atLeast >> BigInt(8 * i)) & 0xffn);
  const solve = (i: number, tight: boolean): bigint | null => {
    if (i < 0) return 0n;
    const lo = tight ? want(i) : 0;
    const choices = pinned[i]! >= 0 ? [pinned[i]!] : tight ? [lo, lo + 1] : [0];
    for (const c of choices) {
      if (c > 255 || c < lo) continue;
      const rest = solve(i - 1, tight && c === lo);
      if (rest !== null) return (BigInt(c) << BigInt(8 * i)) | rest;
    }
    return null;
  };
  if (atLeast >= 1n << BigInt(8 * width)) return null;
  return solve(width - 1, true);
}

/**
 * Largest value <= atMost whose bytes agree with the pinned bytes of an 8-byte field, or null
 * (the mirror of smallestCompatible: free bytes as large as the bound allows).
 */
export function largestCompatible(board: Board, at: number, atMost: bigint, width: 4 | 8 = 8): bigint | null {
  if (atMost < 0n) return null;
  const top = 1n << BigInt(8 * width);
  const bound = atMost >= top ? top - 1n : atMost;
  const pinned: number[] = [];
  for (let i = 0; i < width; i++) pinned.push(get(board, at + i));
  const want = (i: number): number => Number((bound >> BigInt(8 * i)) & 0xffn);
  const solve = (i: number, tight: boolean): bigint | null => {
    if (i < 0) return 0n;
    const hi = tight ? want(i) : 255;
    const choices = pinned[i]! >= 0 ? [pinned[i]!] : tight ? [hi, hi - 1] : [255];
    for (const c of choices) {
      if (c < 0 || c > hi) continue;
      const rest = solve(i - 1, tight && c === hi);
      if (rest !== null) return (BigInt(c) << BigInt(8 * i)) | rest;
    }
    return null;
  };
  return solve(width - 1, true);
}

/**
 * Smallest value >= atLeast of an 8-byte field that agrees with its pinned bytes and ends the
 * segment on a page boundary: (offset + value) % 4096 = 0, so no bss zeroing touches the last file
 * page. The low 12 bits are then fixed; the high nibble of byte 1 and the bytes above stay free.
 */
export function smallestPageEnding(board: Board, at: number, atLeast: bigint, offset: number, width: 4 | 8 = 8): bigint | null {
  const low12 = (PAGE_SIZE - (offset % PAGE_SIZE)) % PAGE_SIZE;
  let best: bigint | null = null;
  for (let nibble = 0; nibble < 16; nibble++) {
    const b = board.slice();
    if (!put(b, at, 1, BigInt(low12 & 0xff)) || !put(b, at + 1, 1, BigInt((nibble << 4) | (low12 >> 8)))) continue;
    const v = smallestCompatible(b, at, atLeast, width);
    if (v !== null && (best === null || v < best)) best = v;
  }
  return best;
}

/** The fixed fields of a layout, or null when two of them disagree (the phoff is impossible). */
export function fixedBoard(phoff: number, type: number, size: number, personality: Personality = X86_64): Board | null {
  const format = formatOf(personality);
  const fields = format.fields(phoff, type);
  const field = (name: string): PlacedField => fields.find((f) => f.name === name)!;
  const pin = (name: string, value: bigint): boolean => put(board, field(name).at, field(name).size, value);
  const board: Board = new Int16Array(size).fill(-1);
  const ok =
    pin('e_ident.magic', BigInt(ELF_MAGIC[0] | (ELF_MAGIC[1] << 8) | (ELF_MAGIC[2] << 16)) | (BigInt(ELF_MAGIC[3]) << 24n)) &&
    pin('e_type', BigInt(type)) &&
    pin('e_machine', BigInt(format.machine)) &&
    pin('e_phoff', BigInt(phoff)) &&
    pin('e_phentsize', BigInt(format.phdrSize)) &&
    pin('e_phnum', 1n) &&
    pin('p_type', BigInt(PT_LOAD));
  return ok ? board : null;
}

function rolesOf(fields: readonly PlacedField[], size: number): string[][] {
  const roles: string[][] = Array.from({ length: size }, () => []);
  for (const f of fields) for (let i = 0; i < f.size; i++) if (f.at + i < size) roles[f.at + i]!.push(f.name);
  return roles;
}

/** Candidate p_offset values: pinned bytes decide when they can; otherwise 0 and phoff (o = P lines p_vaddr up with it). */
function offsetCandidates(board: Board, at: number, phoff: number, width: 4 | 8): number[] {
  const out: number[] = [];
  for (const o of new Set([0, phoff, get(board, at) >= 0 ? get(board, at) : 0, get(board, at) >= 0 && get(board, at + 1) >= 0 ? get(board, at) | (get(board, at + 1) << 8) : -1])) {
    if (o < 0 || o >= PAGE_SIZE) continue;
    const b = board.slice();
    if (put(b, at, width, BigInt(o))) out.push(o);
  }
  return out;
}

/**
 * The page-aligned base B (virtual address of file offset 0) implied by the pinned bytes of
 * p_vaddr (= B + o) and e_entry (= B + E); free bytes of B are chosen as small as the limits allow.
 */
function solveBase(board: Board, vaddrAt: number, o: number, entryAt: number, e: number, type: number, limits: LayoutLimits, width: 4 | 8): bigint | null {
  const bytes: number[] = new Array(width).fill(-1);
  bytes[0] = 0;
  const low = (x: number, k: number): number => (k === 0 ? x & 0xff : k === 1 ? (x >> 8) & 0x0f : 0);
  for (const [at, off] of [[vaddrAt, o], [entryAt, e]] as const) {
    for (let k = 0; k < width; k++) {
      const v = get(board, at + k);
      if (v < 0) continue;
      let bk: number;
      if (k === 0) { if (v !== low(off, 0)) return null; continue; }
      if (k === 1) { if ((v & 0x0f) !== low(off, 1)) return null; bk = v & 0xf0; } else bk = v;
      if (bytes[k] !== -1 && bytes[k] !== bk) return null;
      bytes[k] = bk;
    }
  }
  const value = (): bigint => bytes.reduce((acc, b, k) => acc | (BigInt(Math.max(b, 0)) << BigInt(8 * k)), 0n);
  // EXEC segments are mapped exactly there: respect the loader's lowest fixed mapping
  // (mmap_min_addr) by raising the lowest free byte. Page 0 is never chosen: for ET_DYN B is only
  // relative (the load bias moves it), and golf does not map the null page even where root may.
  const min = BigInt(type === ET_EXEC ? Math.max(lowestFixedMapping(limits), PAGE_SIZE) : PAGE_SIZE);
  if (value() < min) {
    for (let k = 2; k < Math.min(6, width) && value() < min; k++) {
      if (bytes[k] !== -1) continue;
      for (let c = 1; c < 256; c++) {
        bytes[k] = c;
        if (value() >= min) break;
      }
    }
  }
  const b = value();
  if (b < min) return null;
  // The loader's own rules decide the rest: an ET_EXEC base is a fixed mapping of (at least) its
  // first page; an ET_DYN base is the unrelocated p_vaddr of offset 0, checked against TASK_SIZE.
  // (Number(b) may round above 2^53, but such a b is far above TASK_SIZE either way.)
  const refused = type === ET_EXEC ? mappingRangeRule(Number(b), PAGE_SIZE, limits) : segmentBoundsRule({ vaddr: Number(b), filesz: 0, memsz: 0 }, limits);
  return refused === null ? b : null;
}

export interface SolveOptions {
  /** The limits of the process the file runs as (TASK_SIZE is a 32-bit process's for ELF32). */
  limits: LayoutLimits;
  /** Which loader the layouts are for: the 64-bit one (default) or the compat one (ELF32, i386). */
  personality?: Personality;
  /** The loader's verdict, used to reject unloadable solutions and to derive per-byte freedom. */
  verdict: LoaderVerdict;
}


/**
 * All solutions for one (phoff, type, size): one per entry offset, each with its per-byte freedom.
 * Entries are tried at every file offset; the walk decides which ones lead anywhere.
 */
export function solveLayouts(phoff: number, type: typeof ET_EXEC | typeof ET_DYN, size: number, options: SolveOptions): Layout[] {
  const format = formatOf(options.personality ?? X86_64);
  const w = format.word;
  // The loader reads the program header table from the file (a short read fails), but the ELF
  // header into a zero-filled buffer: a file may end inside the ELF header, never inside the table.
  if (!tableFits(phoff, size, format)) return [];
  const fixed = fixedBoard(phoff, type, size, format.personality);
  if (!fixed) return [];
  const fields = format.fields(phoff, type);
  const at = (name: string): number => fields.find((f) => f.name === name)!.at;
  const roles = rolesOf(fields, size);
  const ruleOf = new Map(fields.map((f) => [f.name, f.rule]));
  // p_flags: only bits 0-2 are read; code needs an executable entry page (PF_X, or PF_R where the
  // loader applies READ_IMPLIES_EXEC: the verdict's entry protection says). Pin the low byte only.
  const flagsAt = at('p_flags');
  const flagChoices = get(fixed, flagsAt) >= 0 ? [get(fixed, flagsAt)] : [PF_R | PF_X];
  const out: Layout[] = [];
  const probed = new Map<string, (Uint8Array | null)[]>();
  for (const flags of flagChoices) {
    if ((flags & (PF_X | PF_R)) === 0) continue;
    const withFlags = fixed.slice();
    if (!put(withFlags, flagsAt, 1, BigInt(flags))) continue;
    for (const o of offsetCandidates(withFlags, at('p_offset'), phoff, w)) {
      const withOffset = withFlags.slice();
      put(withOffset, at('p_offset'), w, BigInt(o));
      for (let e = 0; e < size; e++) {
        const board = withOffset.slice();
        const base = solveBase(board, at('p_vaddr'), o, at('e_entry'), e, type, options.limits, w);
        if (base === null) continue;
        if (!put(board, at('p_vaddr'), w, base + BigInt(o)) || !put(board, at('e_entry'), w, base + BigInt(e))) continue;
        for (const sizes of segmentSizes(board, at('p_filesz'), at('p_memsz'), size, o, base, options.limits, w)) {
          const b = board.slice();
          if (!put(b, at('p_filesz'), w, sizes.filesz) || !put(b, at('p_memsz'), w, sizes.memsz)) continue;
          const image = new Uint8Array(size);
          for (let i = 0; i < size; i++) image[i] = Math.max(0, b[i]!);
          const baseline = options.verdict(image);
          if (!baseline.startsWith('ok') || !entryExecutable(baseline)) continue;
          // Per-byte freedom: entry/address bytes stay pinned (the walk depends on them); bytes of the
          // probed fields keep every value the loader treats like the solution; ignored bytes are free.
          const key = `${flags}/${o}/${base}/${sizes.filesz}/${sizes.memsz}`;
          let allowed = probed.get(key);
          if (!allowed) {
            allowed = probeFreedom(image, b, roles, ruleOf, baseline, options.verdict);
            probed.set(key, allowed);
          }
          allowed = allowed.slice();
          for (let k = 0; k < w; k++) if (at('e_entry') + k < size) allowed[at('e_entry') + k] = Uint8Array.of(image[at('e_entry') + k]!);
          if (out.some((l) => l.entryOffset === e && sameAllowed(l.allowed, allowed!))) continue;
          const loaderRead: number[] = [];
          for (let i = 0; i < size; i++) {
            const values = allowed[i];
            if ((values === null || values.length > 1) && roles[i]!.some((name) => ruleOf.get(name) !== 'ignored')) loaderRead.push(i);
          }
          out.push({
            phoff, type, size, entryOffset: e, base: Number(base), pOffset: o, pFlags: flags,
            fileSize: Number(sizes.filesz), memSize: Number(sizes.memsz), sizeClass: sizes.sizeClass, image, allowed, roles, loaderRead,
          });
        }
      }
    }
  }
  return out;
}

/**
 * The p_filesz/p_memsz classes a layout is solved in, each as a representative pair around which
 * the bytes are then probed one at a time (so coupled fields are chosen together, and each byte's
 * freedom is the loader's):
 * - 'fit': the smallest values that map the whole file (p_filesz >= size - offset, p_memsz >= p_filesz);
 * - 'page-end': p_filesz ending the segment on a page boundary (no bss zeroing of the last file page,
 *   so p_filesz may be far larger than the file) and p_memsz as large as the address-space and
 *   commit limits let it be, so p_filesz's upper bytes are free below it.
 */
function segmentSizes(board: Board, fileszAt: number, memszAt: number, size: number, o: number, base: bigint, limits: LayoutLimits, w: 4 | 8): { filesz: bigint; memsz: bigint; sizeClass: SizeClass }[] {
  const out: { filesz: bigint; memsz: bigint; sizeClass: SizeClass }[] = [];
  const need = BigInt(Math.max(1, size - o));
  const filesz = smallestCompatible(board, fileszAt, need, w);
  if (filesz !== null) {
    const b = board.slice();
    put(b, fileszAt, w, filesz);
    const memsz = smallestCompatible(b, memszAt, filesz, w);
    if (memsz !== null && fitsLimits(filesz, memsz, base, o, limits)) out.push({ filesz, memsz, sizeClass: 'fit' });
  }
  const paged = smallestPageEnding(board, fileszAt, need, o, w);
  if (paged !== null) {
    const b = board.slice();
    put(b, fileszAt, w, paged);
    const room = BigInt(limits.taskSize) - base - BigInt(o);
    const cap = Number.isFinite(limits.commitLimitBytes) ? BigInt(Math.floor(limits.commitLimitBytes)) : room;
    const memsz = largestCompatible(b, memszAt, cap < room ? cap : room, w);
    if (memsz !== null && memsz > paged && fitsLimits(paged, memsz, base, o, limits)) out.push({ filesz: paged, memsz, sizeClass: 'page-end' });
  }
  return out;
}

/** The loader's own segment rules: bounds below TASK_SIZE (on the unrelocated p_vaddr) and the commit limit. */
function fitsLimits(filesz: bigint, memsz: bigint, base: bigint, o: number, limits: LayoutLimits): boolean {
  const ph = { vaddr: Number(base) + o, filesz: Number(filesz), memsz: Number(memsz) };
  return segmentBoundsRule(ph, limits) === null && commitRule(ph.memsz, limits) === null;
}

/** The loader's rule that the one-entry program-header table at phoff lies wholly inside a file of `size` bytes. */
function tableFits(phoff: number, size: number, format: ElfFormat): boolean {
  return phdrTableReadableRule({ phoff, phnum: 1 }, size, format.personality.layout) === null;
}

function sameAllowed(a: readonly (Uint8Array | null)[], b: readonly (Uint8Array | null)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) {
      if (x !== y) return false;
      continue;
    }
    if (x.length !== y.length || x.some((v, k) => y[k] !== v)) return false;
  }
  return true;
}

/**
 * Per-byte freedom by the fields' rules (elf-fields.ts): bytes only of ignored fields are free,
 * bytes of "value" fields (and no fixed or address field) keep every value the loader treats like
 * the solution, all others keep the solution's value.
 */
function probeFreedom(image: Uint8Array, board: Board, roles: readonly string[][], ruleOf: ReadonlyMap<string, FieldRule>, baseline: string, verdict: LoaderVerdict): (Uint8Array | null)[] {
  const allowed: (Uint8Array | null)[] = [];
  const trial = image.slice();
  const isReadField = (name: string): boolean => ruleOf.get(name) !== 'ignored';
  const isProbed = (name: string): boolean => ruleOf.get(name) === 'value';
  for (let i = 0; i < image.length; i++) {
    const r = roles[i]!;
    const onlyIgnored = r.every((name) => !isReadField(name));
    if (board[i] === -1 && onlyIgnored) { allowed.push(null); continue; }
    if (!r.some(isProbed) || r.some((name) => !isProbed(name) && isReadField(name))) {
      allowed.push(Uint8Array.of(image[i]!));
      continue;
    }
    const values = [image[i]!];
    for (let v = 0; v < 256; v++) {
      if (v === image[i]) continue;
      trial[i] = v;
      if (verdict(trial) === baseline) values.push(v);
    }
    trial[i] = image[i]!;
    allowed.push(values.length === 256 ? null : Uint8Array.from(values));
  }
  return allowed;
}

/**
 * ELF32 ET_EXEC layouts with an open load address, one per entry offset: the bytes of p_vaddr
 * (B + o), e_entry (B + e) and p_offset (o) are left to the walk, linked so that they name one
 * base B and one o < 4096 (the mapping of file offset 0 at B; a larger p_offset maps pages past
 * EOF). Which B the loader takes (mmap_min_addr, TASK_SIZE, p_filesz <= p_memsz, the bss and
 * the stack, the commit limit) is its own verdict on the whole file: p_filesz and p_memsz are
 * open to every value, and the walk asks the loader once the bytes it reads are all placed.
 * Only where these fields share no byte with a fixed field or with each other, and e < 256.
 */
export function openBaseLayouts(phoff: number, type: typeof ET_EXEC | typeof ET_DYN, size: number, options: SolveOptions): Layout[] {
  const personality = options.personality ?? X86_64;
  if (personality !== IA32 || type !== ET_EXEC || size > 256) return [];
  const format = formatOf(personality);
  const fixed = fixedBoard(phoff, type, size, personality);
  if (!fixed) return [];
  const fields = format.fields(phoff, type);
  const at = (name: string): number => fields.find((f) => f.name === name)!.at;
  const vaddrAt = at('p_vaddr');
  const entryAt = at('e_entry');
  const offsetAt = at('p_offset');
  const opened = new Set<number>();
  for (const [a, n] of [[vaddrAt, 4], [entryAt + 1, 3], [offsetAt, 2]] as const) {
    for (let k = 0; k < n; k++) {
      const off = a + k;
      if (off >= size || get(fixed, off) >= 0 || opened.has(off)) return [];
      opened.add(off);
    }
  }
  if (offsetAt + 3 >= size || get(fixed, offsetAt + 2) > 0 || get(fixed, offsetAt + 3) > 0) return [];
  const sizeFields = new Set<number>();
  for (const name of ['p_filesz', 'p_memsz']) for (let k = 0; k < 4; k++) if (at(name) + k < size) sizeFields.add(at(name) + k);
  const out: Layout[] = [];
  const seen = new Set<number>();
  for (const l of solveLayouts(phoff, type, size, options)) {
    const e = l.entryOffset;
    if (seen.has(e) || l.sizeClass !== 'fit') continue;
    // e_entry's low byte is the entry offset's: it must not be one of the opened bytes
    if (opened.has(entryAt)) continue;
    seen.add(e);
    const allowed = l.allowed.slice();
    for (const off of opened) allowed[off] = null;
    // p_filesz and p_memsz: every value (the loader judges them with the base); bytes they share
    // with an address field stay that field's
    for (const off of sizeFields) if (!opened.has(off) && get(fixed, off) < 0 && !l.roles[off]!.some((n) => ruleOfName(fields, n) === 'address')) allowed[off] = null;
    allowed[offsetAt + 1] = Uint8Array.from({ length: 16 }, (_, v) => (v + l.image[offsetAt + 1]!) % 16);
    const add = e >> 8;
    allowed[entryAt + 1] = Uint8Array.from({ length: 16 }, (_, k) => ((((l.image[entryAt + 1]! >> 4) + k) % 16) << 4) + add);
    const links: ByteLink[] = [
      { a: vaddrAt, b: offsetAt, kind: 'full', add: 0 },
      { a: vaddrAt + 1, b: offsetAt + 1, kind: 'low', add: 0 },
      { a: vaddrAt + 1, b: entryAt + 1, kind: 'high', add },
      { a: vaddrAt + 2, b: entryAt + 2, kind: 'full', add: 0 },
      { a: vaddrAt + 3, b: entryAt + 3, kind: 'full', add: 0 },
    ];
    const ruleOf = new Map(fields.map((f) => [f.name, f.rule]));
    const loaderRead: number[] = [];
    for (let i = 0; i < size; i++) {
      const values = allowed[i];
      if ((values === null || values === undefined || values.length > 1) && l.roles[i]!.some((name) => ruleOf.get(name) !== 'ignored')) loaderRead.push(i);
    }
    const extent = pageAlignUp(l.pOffset + l.memSize);
    out.push({ ...l, allowed, loaderRead, openBase: { vaddrAt, entryAt, offsetAt, links, initialBase: l.base, extent } });
  }
  return out;
}

function ruleOfName(fields: readonly PlacedField[], name: string): FieldRule | undefined {
  return fields.find((f) => f.name === name)?.rule;
}

function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** Every (phoff, type) pair worth solving for files up to maxSize, in a fixed order (shard order). */
export function layoutSpace(maxSize: number, personality: Personality = X86_64): { phoff: number; type: typeof ET_EXEC | typeof ET_DYN }[] {
  const format = formatOf(personality);
  const out: { phoff: number; type: typeof ET_EXEC | typeof ET_DYN }[] = [];
  for (let p = 0; tableFits(p, maxSize, format); p++) {
    for (const type of [ET_EXEC, ET_DYN] as const) if (fixedBoard(p, type, Math.max(maxSize, format.ehdrSize), personality)) out.push({ phoff: p, type });
  }
  return out;
}

/** The smallest file size whose program header table at `phoff` is whole (the loader reads it from the file). */
export function minFileSize(phoff: number, personality: Personality = X86_64): number {
  return phoff + formatOf(personality).phdrSize;
}

/** Whether a loader verdict (process.ts: "ok ... prot=N") maps the entry page executable. */
function entryExecutable(verdict: string): boolean {
  const m = / prot=(-?\d+)/.exec(verdict);
  return m !== null && Number(m[1]) >= 0 && (Number(m[1]) & Prot.exec) !== 0;
}
