/**
 * Where the bytes a program writes out came from, for golf explain: every byte of a register or of
 * memory carries the file offset it was copied from (or none). The tags start on the file's own
 * mapping and follow the copying instructions (mov, movzx/movsx, xchg, push, pop, lods, stos, movs,
 * cmov, immediates, which are file bytes too); any other write leaves a computed value, so the
 * written bytes lose their tag. When a write(2) reads a buffer, its bytes' tags say which file
 * bytes reached the output, and through which copies (a string pushed onto the stack from two
 * header holes).
 *
 * This only annotates a run the emulator makes (src/linux/emulate.ts with a trace): values always
 * come from the real CPU, the tags only say where they came from. Not a hot path.
 */
import type { Cpu } from '../emu/cpu.js';
import { conditionHolds } from '../emu/flags.js';
import { PAGE_SIZE, type AddressSpace } from '../linux/memory.js';
import type { Decoded } from '../x86/decoded.js';
import { OpKind, Reg } from '../x86/decoded.js';
import { Sem } from '../x86/sem.js';

/** A byte's origin: a file offset, and the file offset of the instruction that last copied it (or -1). */
export interface Tag {
  readonly offset: number;
  readonly via: number;
}

const TWO32 = 0x1_0000_0000;

/** A file-backed part of the address space: [start, end) holds file bytes from `fileOffset`. */
export interface FileWindow {
  start: number;
  end: number;
  fileOffset: number;
}

/** Reads bytes the process could see, without faults (unmapped or past-EOF bytes are null). */
export function peek(mem: AddressSpace, address: number): number | null {
  if (address < 0 || !Number.isSafeInteger(address)) return null;
  const page = mem.getPage(Math.floor(address / PAGE_SIZE));
  if (!page || page.pastEof) return null;
  return page.data[address % PAGE_SIZE]!;
}

export class Provenance {
  /** Tags of the 16 general registers, 8 bytes each (null: no file origin). */
  private readonly regs: (Tag | null)[] = new Array<Tag | null>(16 * 8).fill(null);
  /** Memory bytes written during the run (null: computed or not from the file). */
  private readonly written = new Map<number, Tag | null>();

  constructor(
    private readonly file: Uint8Array,
    private readonly windows: readonly FileWindow[],
    private readonly mem: AddressSpace,
  ) {}

  /** The tag of the byte at `address`: what was copied there, or the file byte mapped there. */
  memTag(address: number): Tag | null {
    if (this.written.has(address)) return this.written.get(address)!;
    for (const w of this.windows) {
      if (address < w.start || address >= w.end) continue;
      const offset = w.fileOffset + (address - w.start);
      // A byte the loader zeroed (the bss start of a writable segment) no longer holds the file byte.
      if (offset < this.file.length && peek(this.mem, address) === this.file[offset]) return { offset, via: -1 };
    }
    return null;
  }

  private setMem(address: number, tags: readonly (Tag | null)[]): void {
    for (let i = 0; i < tags.length; i++) this.written.set(address + i, tags[i]!);
  }

  clearMem(address: number, length: number): void {
    for (let i = 0; i < length; i++) this.written.set(address + i, null);
  }

  regTags(reg: number, size: number): (Tag | null)[] {
    const [index, shift] = reg >= Reg.ah && reg <= Reg.bh ? [reg - Reg.ah, 1] : [reg, 0];
    return Array.from({ length: size }, (_, i) => this.regs[index * 8 + shift + i]!);
  }

  /** Writes a register as the CPU does: a 32-bit write clears the upper half, 8/16-bit writes keep the rest. */
  private setReg(reg: number, tags: readonly (Tag | null)[]): void {
    const [index, shift] = reg >= Reg.ah && reg <= Reg.bh ? [reg - Reg.ah, 1] : [reg, 0];
    for (let i = 0; i < tags.length; i++) this.regs[index * 8 + shift + i] = tags[i]!;
    if (tags.length === 4) for (let i = 4; i < 8; i++) this.regs[index * 8 + i] = null;
  }

  clearReg(reg: number): void {
    for (let i = 0; i < 8; i++) this.regs[reg * 8 + i] = null;
  }

  /**
   * Applies one instruction before the CPU executes it (register values are the ones it starts
   * with). Returns the registers whose new value it explains as a copy (the caller clears the tags
   * of every other register that changed) and the memory it writes, if known.
   */
  step(d: Decoded, cpu: Cpu, at: number): { copied: Set<number>; memWrite: { address: number; size: number } | null } {
    const copied = new Set<number>();
    const reg64 = (r: number): number => cpu.regHi[r]! * TWO32 + cpu.regLo[r]!;
    const ea = (): number => {
      // RIP-relative: memDisp is already the absolute address.
      let a = d.memDisp;
      if (d.memBase !== Reg.rip) {
        if (d.memBase >= 0) a += reg64(d.memBase);
        if (d.memIndex >= 0) a += reg64(d.memIndex) * d.memScale;
      }
      // Wrap modulo 2^64 only when needed: adding 2^64 to a user address would lose its low bits.
      if (a < 0) a += 2 ** 64;
      else if (a >= 2 ** 64) a -= 2 ** 64;
      return d.asize === 4 ? a % TWO32 : a;
    };
    /** The tags of operand i (a value of `size` bytes). */
    const source = (i: number, size: number): (Tag | null)[] => {
      const op = d.ops[i]!;
      if (op.kind === OpKind.reg) return this.regTags(op.reg, size);
      if (op.kind === OpKind.mem) {
        const a = ea();
        return Array.from({ length: size }, (_, k) => this.memTag(a + k));
      }
      if (op.kind === OpKind.imm) {
        const n = immediateBytes(d, i);
        const first = cpu.rip + d.length - n;
        return Array.from({ length: size }, (_, k) => (k < n ? this.memTag(first + k) : null));
      }
      return new Array<Tag | null>(size).fill(null);
    };
    let memWrite: { address: number; size: number } | null = null;
    const store = (i: number, copiedTags: (Tag | null)[]): void => {
      const tags = copiedTags.map((t) => this.retag(t, at));
      const op = d.ops[i]!;
      if (op.kind === OpKind.reg) {
        this.setReg(op.reg, tags);
        copied.add(op.reg >= Reg.ah && op.reg <= Reg.bh ? op.reg - Reg.ah : op.reg);
      } else if (op.kind === OpKind.mem) {
        const a = ea();
        this.setMem(a, tags);
        memWrite = { address: a, size: tags.length };
      }
    };
    const rsp = reg64(Reg.rsp);
    const size0 = d.ops[0]?.size ?? d.opsize;
    switch (d.sem) {
      case Sem.mov:
        store(0, source(1, size0));
        break;
      case Sem.movzx:
      case Sem.movsx:
      case Sem.movsxd: {
        const low = source(1, d.ops[1]!.size);
        store(0, [...low, ...new Array<Tag | null>(size0 - low.length).fill(null)]);
        break;
      }
      case Sem.cmovcc:
        // Moves only when the condition holds (a 32-bit cmov that does not move still clears the upper half).
        if (conditionHolds(d.cc, cpu.rflags)) store(0, source(1, size0));
        break;
      case Sem.xchg: {
        const a = source(0, size0);
        const b = source(1, size0);
        store(0, b);
        store(1, a);
        break;
      }
      case Sem.push: {
        const size = d.opsize;
        const tags = d.ops.length > 0 ? source(0, Math.min(size, d.ops[0]!.kind === OpKind.imm ? size : d.ops[0]!.size)) : [];
        while (tags.length < size) tags.push(null);
        this.setMem(rsp - size, tags.map((t) => this.retag(t, at)));
        memWrite = { address: rsp - size, size };
        break;
      }
      case Sem.pop: {
        const size = d.opsize;
        store(0, Array.from({ length: size }, (_, k) => this.memTag(rsp + k)));
        break;
      }
      case Sem.call:
        // The return address: 8 bytes in 64-bit mode, 4 in a 32-bit process.
        this.clearMem(rsp - d.opsize, d.opsize);
        memWrite = { address: rsp - d.opsize, size: d.opsize };
        break;
      case Sem.pusha:
        // Eight registers below esp; their values, not tracked through here, lose their tags.
        this.clearMem(rsp - 8 * d.opsize, 8 * d.opsize);
        memWrite = { address: rsp - 8 * d.opsize, size: 8 * d.opsize };
        break;
      case Sem.pushf:
        this.clearMem(rsp - d.opsize, d.opsize);
        memWrite = { address: rsp - d.opsize, size: d.opsize };
        break;
      case Sem.lods:
      case Sem.stos:
      case Sem.movs: {
        if (d.rep !== 0 && reg64(Reg.rcx) === 0) break;
        const size = d.opsize;
        const from = (a: number): (Tag | null)[] => Array.from({ length: size }, (_, k) => this.retag(this.memTag(a + k), at));
        if (d.sem === Sem.lods) {
          this.setReg(Reg.rax, from(reg64(Reg.rsi)));
          copied.add(Reg.rax);
        } else {
          const dest = reg64(Reg.rdi);
          this.setMem(dest, d.sem === Sem.stos ? this.regTags(Reg.rax, size).map((t) => this.retag(t, at)) : from(reg64(Reg.rsi)));
          memWrite = { address: dest, size };
        }
        break;
      }
      default: {
        // Anything else that writes a memory operand computes its value: those bytes lose their tag.
        if (d.ops[0]?.kind === OpKind.mem && WRITES_FIRST_OPERAND.has(d.sem)) {
          const a = ea();
          this.clearMem(a, size0);
          memWrite = { address: a, size: size0 };
        }
      }
    }
    return { copied, memWrite };
  }

  /** The same origin, copied by the instruction at file offset `at`. */
  private retag(t: Tag | null, at: number): Tag | null {
    return t && { offset: t.offset, via: at >= 0 ? at : t.via };
  }
}

/** Semantics whose first operand is a destination they compute (cmp, test and bt only read it). */
const WRITES_FIRST_OPERAND: ReadonlySet<number> = new Set([
  Sem.add, Sem.or, Sem.adc, Sem.sbb, Sem.and, Sem.sub, Sem.xor, Sem.inc, Sem.dec, Sem.neg, Sem.not,
  Sem.rol, Sem.ror, Sem.rcl, Sem.rcr, Sem.shl, Sem.shr, Sem.sar, Sem.shld, Sem.shrd, Sem.setcc,
  Sem.bts, Sem.btr, Sem.btc,
]);

/** Bytes of an immediate operand in the encoding (they end the instruction), from the decoded code. */
function immediateBytes(d: Decoded, index: number): number {
  const spec = d.form?.operands[index];
  const isImmediate = spec === 'imm' || spec === 'imm8' || spec === 'imm8s' || spec === 'imm16' || spec === 'imm64';
  return isImmediate && d.code !== null ? d.code.widths[index]! : 0;
}
