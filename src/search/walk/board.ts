/**
 * The board: the file being built, one slot per byte. A slot is either assigned (a value the walk
 * chose or the layout fixes) or open (any value of its allowed set may still go there). Every
 * change goes through an undo log, and a Zobrist hash of the assignments is kept up to date so a
 * search state can be keyed without building strings.
 *
 * Besides the hash of the assignments, the board keeps a hash of its *shape* (which bytes are
 * open) and records which walk-assigned bytes were looked at (`touch`) into the current frame of
 * a stack of bit masks: the walk uses both to recognise two states whose futures cannot differ
 * (visited.ts).
 *
 * The board knows nothing about instructions or the process; whoever maps the file is told of
 * every change through `onChange` (the walk pokes the byte into the mapped page and drops stale
 * decoded instructions).
 */
import { PAGE_SIZE } from '../../linux/memory.js';
import type { ByteLink, Layout } from '../layout.js';

/** One xorshift32 step: a fixed-seed generator for the Zobrist tables (same hash in every run). */
function xorshift(x: number): number {
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return x >>> 0;
}

const OPEN = -1;

export class Board {
  readonly size: number;
  /** End of the last mapped file page: bytes in [size, pageEnd) read as 0. */
  readonly pageEnd: number;
  /** Assigned value per byte, or -1 while open. */
  readonly det: Int16Array;
  /** The layout's value of each byte: what an open byte reads as until it is assigned. */
  readonly image: Uint8Array;
  /** Allowed values per byte as 256-bit masks (8 words); `free[i]` is 1 when every value is allowed. */
  private readonly mask: Uint32Array;
  private readonly free: Uint8Array;
  /** 1 where a walk-placed instruction starts (jump targets for loops). */
  readonly start: Uint8Array;
  /** For each byte of a walk-placed instruction, the offset where that instruction starts, else -1. */
  readonly owner: Int16Array;
  /** Open bytes left. */
  open = 0;
  /** Zobrist hash of the assignments (offset, value). */
  hashLo = 0;
  hashHi = 0;
  /** Zobrist hash of the set of open offsets. */
  shapeLo = 0;
  shapeHi = 0;
  private readonly zLo: Int32Array;
  private readonly zHi: Int32Array;
  /** 1 for bytes the layout fixes (one allowed value): they are the same on every path. */
  private readonly fixed: Uint8Array;
  /** Words per touch mask (one bit per file byte). */
  readonly maskWords: number;
  /** Touch masks, one frame after another; `frame` is the one touches go to. */
  readonly masks: Uint32Array;
  frame = 0;
  /** Undo log: offset + 1 for an assignment; an instruction mark is its length followed by -(offset + 1). */
  private readonly log: Int32Array;
  private top = 0;
  onChange: (off: number, value: number) => void = () => {};

  constructor(layout: Layout) {
    const n = layout.size;
    this.size = n;
    this.pageEnd = Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
    this.det = new Int16Array(n);
    this.image = layout.image.slice();
    this.mask = new Uint32Array(n * 8);
    this.free = new Uint8Array(n);
    this.start = new Uint8Array(n);
    this.owner = new Int16Array(n).fill(-1);
    this.log = new Int32Array(4 * n + 16);
    this.zLo = new Int32Array(n * 257);
    this.zHi = new Int32Array(n * 257);
    this.fixed = new Uint8Array(n);
    this.maskWords = Math.ceil(n / 32);
    this.masks = new Uint32Array(this.maskWords * (2 * n + 16));
    let seed = 0x9e3779b9;
    for (let i = 0; i < n * 257; i++) {
      seed = xorshift(seed);
      this.zLo[i] = seed | 0;
      seed = xorshift(seed);
      this.zHi[i] = seed | 0;
    }
    for (let i = 0; i < n; i++) {
      const allowed = layout.allowed[i];
      if (allowed === null || allowed === undefined) {
        this.free[i] = 1;
        this.opened(i);
        continue;
      }
      for (const v of allowed) this.mask[i * 8 + (v >>> 5)]! |= 1 << (v & 31);
      if (allowed.length === 1) {
        this.det[i] = allowed[0]!;
        this.fixed[i] = 1;
      } else this.opened(i);
    }
  }

  private opened(off: number): void {
    this.det[off] = OPEN;
    this.open++;
    this.shapeLo ^= this.zLo[this.size * 256 + off]!;
    this.shapeHi ^= this.zHi[this.size * 256 + off]!;
  }

  private closed(off: number): void {
    this.open--;
    this.shapeLo ^= this.zLo[this.size * 256 + off]!;
    this.shapeHi ^= this.zHi[this.size * 256 + off]!;
  }

  /** The value byte `off` of the file reads as now (open bytes read as the layout's value; past EOF 0). Touches it. */
  byte(off: number): number {
    if (off < 0 || off >= this.size) return 0;
    const d = this.det[off]!;
    if (d < 0) return this.image[off]!;
    if (this.fixed[off] === 0) this.touch(off);
    return d;
  }

  /** The value byte `off` reads as now, without recording a touch (the caller touches what it uses). */
  peek(off: number): number {
    if (off < 0 || off >= this.size) return 0;
    const d = this.det[off]!;
    return d >= 0 ? d : this.image[off]!;
  }

  /** The layout fixes this byte (one allowed value). */
  isFixed(off: number): boolean {
    return off >= 0 && off < this.size && this.fixed[off] === 1;
  }

  /**
   * Whether the byte can hold data value v without reading code the walk placed: open and
   * allowed, fixed by the layout to v, or past EOF (0) inside the last page. Depends only on the
   * board's shape, never on walk-assigned values.
   */
  canHoldData(off: number, v: number): boolean {
    if (off < 0) return false;
    if (off >= this.size) return v === 0 && off < this.pageEnd;
    if (this.det[off]! < 0) return this.allows(off, v);
    return this.fixed[off] === 1 && this.det[off] === v;
  }

  /** The byte was assigned by the walk (not fixed by the layout, not open). */
  walkAssigned(off: number): boolean {
    return off >= 0 && off < this.size && this.det[off]! >= 0 && this.fixed[off] === 0;
  }

  /** Records that the current search frame looked at walk-assigned byte `off` (its value matters below). */
  touch(off: number): void {
    if (off < 0 || off >= this.size || this.fixed[off] === 1 || this.det[off]! < 0) return;
    this.masks[this.frame * this.maskWords + (off >>> 5)]! |= 1 << (off & 31);
  }

  /** Hash of the values of the bytes in mask `m` (a frame index), two halves into out. */
  valuesUnder(maskAt: Uint32Array, base: number, out: Int32Array): void {
    let lo = 0;
    let hi = 0;
    for (let w = 0; w < this.maskWords; w++) {
      let bits = maskAt[base + w]!;
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits);
        bits &= ~(1 << b);
        const off = w * 32 + b;
        const v = this.det[off]!;
        // an open byte under the mask cannot match a stored assigned value: hash its openness apart
        const z = v >= 0 ? off * 256 + v : this.size * 256 + off;
        lo ^= this.zLo[z]!;
        hi ^= this.zHi[z]!;
      }
    }
    out[0] = lo;
    out[1] = hi;
  }

  isOpen(off: number): boolean {
    return off >= 0 && off < this.size && this.det[off] === OPEN;
  }

  /** The layout allows value v at an in-file offset. */
  allows(off: number, v: number): boolean {
    return this.free[off] === 1 || (this.mask[off * 8 + (v >>> 5)]! & (1 << (v & 31))) !== 0;
  }

  /** Whether byte `off` can be (or already is) v: past EOF only 0 fits, and only inside the last page. */
  canTake(off: number, v: number): boolean {
    if (off < 0) return false;
    if (off >= this.size) return v === 0 && off < this.pageEnd;
    const d = this.det[off]!;
    if (d < 0) return this.allows(off, v);
    if (this.fixed[off] === 0) this.touch(off);
    return d === v;
  }

  /** Every value is allowed at this open byte. */
  isFree(off: number): boolean {
    return this.free[off] === 1;
  }

  /** Assigns v to an open in-file byte (the caller checked canTake). */
  set(off: number, v: number): void {
    this.det[off] = v;
    this.closed(off);
    this.hashLo ^= this.zLo[off * 256 + v]!;
    this.hashHi ^= this.zHi[off * 256 + v]!;
    this.log[this.top++] = off + 1;
    this.onChange(off, v);
  }

  /**
   * Places `length` bytes of `bytes` at `off` (assigning the open ones); false, with nothing
   * changed, when one of them does not fit.
   */
  place(off: number, bytes: Uint8Array, length: number): boolean {
    for (let i = 0; i < length; i++) if (!this.canTake(off + i, bytes[i]!)) return false;
    for (let i = 0; i < length; i++) {
      const o = off + i;
      if (o < this.size && this.det[o] === OPEN) this.set(o, bytes[i]!);
    }
    return true;
  }

  /** Records that a walk-placed instruction of `length` bytes starts at `off`. */
  markInstruction(off: number, length: number): void {
    if (off < 0 || off >= this.size) return;
    this.start[off] = 1;
    for (let i = 0; i < length && off + i < this.size; i++) if (this.owner[off + i] === -1) this.owner[off + i] = off;
    this.log[this.top++] = length;
    this.log[this.top++] = -(off + 1);
  }

  /** Undo-log position to return to with undo(). */
  mark(): number {
    return this.top;
  }

  undo(to: number): void {
    while (this.top > to) {
      const e = this.log[--this.top]!;
      if (e > 0) {
        const off = e - 1;
        const v = this.det[off]!;
        this.hashLo ^= this.zLo[off * 256 + v]!;
        this.hashHi ^= this.zHi[off * 256 + v]!;
        this.opened(off);
        this.onChange(off, this.image[off]!);
      } else {
        // an instruction mark is two entries: its length, then -(off + 1) (read first here)
        const off = -e - 1;
        const length = this.log[--this.top]!;
        this.start[off] = 0;
        for (let i = 0; i < length && off + i < this.size; i++) if (this.owner[off + i] === off) this.owner[off + i] = -1;
      }
    }
  }

  /** The file as assigned so far (open bytes take the layout's value). */
  snapshot(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.byte(i);
    return out;
  }
}

function linkAgrees(l: ByteLink, a: number, b: number): boolean {
  if (l.kind === 'full') return a === b;
  if (l.kind === 'low') return (a & 0x0f) === b;
  return (a & 0xf0) + l.add === b;
}

/**
 * A board whose linked bytes stay consistent (an ELF32 layout with an open load address: the
 * same address bytes sit in p_vaddr, e_entry and p_offset). Assigning the `a` byte of a link
 * assigns its `b` byte (derived exactly); a `full` link works both ways; a `b` byte of a nibble
 * link assigned first only constrains its `a` byte, which snapshot() completes with the layout's
 * value for the other half. Only built for such layouts, so the ordinary board stays monomorphic.
 */
export class LinkedBoard extends Board {
  /** Links by byte: each byte's links (as a or as b). */
  private readonly linksOf: ByteLink[][];

  constructor(layout: Layout, links: readonly ByteLink[]) {
    super(layout);
    this.linksOf = Array.from({ length: layout.size }, () => []);
    for (const l of links) {
      if (l.a < layout.size) this.linksOf[l.a]!.push(l);
      if (l.b < layout.size && l.b !== l.a) this.linksOf[l.b]!.push(l);
    }
  }

  /** Whether v at off agrees with every assigned partner. */
  private agrees(off: number, v: number): boolean {
    const ls = this.linksOf[off];
    if (!ls) return true;
    for (const l of ls) {
      const other = l.a === off ? l.b : l.a;
      const d = this.det[other]!;
      if (d < 0) continue;
      if (!(l.a === off ? linkAgrees(l, v, d) : linkAgrees(l, d, v))) return false;
    }
    return true;
  }

  override allows(off: number, v: number): boolean {
    return super.allows(off, v) && this.agrees(off, v);
  }

  override set(off: number, v: number): void {
    super.set(off, v);
    const ls = this.linksOf[off];
    if (!ls) return;
    for (const l of ls) {
      const other = l.a === off ? l.b : l.a;
      if (this.det[other]! >= 0) continue;
      let value = -1;
      if (l.a === off) value = l.kind === 'full' ? v : l.kind === 'low' ? v & 0x0f : (v & 0xf0) + l.add;
      else if (l.kind === 'full') value = v;
      if (value >= 0 && this.allows(other, value)) this.set(other, value);
    }
  }

  override place(off: number, bytes: Uint8Array, length: number): boolean {
    const mark = this.mark();
    if (!super.place(off, bytes, length)) return false;
    // two linked bytes inside one instruction: the second was checked before the first assigned it
    for (let i = 0; i < length; i++) {
      const o = off + i;
      if (o < this.size && this.det[o] !== bytes[i]) {
        this.undo(mark);
        return false;
      }
    }
    return true;
  }

  /** The value byte `off` takes in a file built now: an open `a` byte agrees with its assigned partners. */
  private completed(off: number): number {
    const d = this.det[off]!;
    if (d >= 0) return d;
    let v = this.image[off]!;
    for (const l of this.linksOf[off] ?? []) {
      if (l.a !== off) continue;
      const b = this.det[l.b]!;
      if (b < 0) continue;
      if (l.kind === 'full') v = b;
      else if (l.kind === 'low') v = (v & 0xf0) | b;
      else v = ((b - l.add) & 0xf0) | (v & 0x0f);
    }
    for (const l of this.linksOf[off] ?? []) {
      if (l.b !== off || this.det[l.a]! >= 0 || l.kind !== 'full') continue;
      v = this.image[l.a]!;
    }
    return v;
  }

  override snapshot(): Uint8Array {
    const out = super.snapshot();
    for (let i = 0; i < this.size; i++) if (this.linksOf[i]!.length > 0 && this.det[i]! < 0) out[i] = this.completed(i);
    return out;
  }
}
