/**
 * The move alphabet: which instructions the walk tries where execution reaches open bytes. Every
 * move is an ordinary x86-64 instruction encoded by golf's encoder (templates.ts); the alphabet
 * only decides which are worth trying in the current state:
 *
 * - trap: `syscall` / `int 0x80` when the registers form the next effect, an allowed no-op call
 *   (read of 0 bytes from stdin, write of 0 bytes) or the final exit;
 * - need: an instruction that gives an argument register of the next call a value it needs (mov,
 *   xor, inc/dec, pop of the stack top, xchg/mov from a register holding it, adc/sbb/add/sub with
 *   the carry, lea from a pointer register or rip);
 * - data: a push that builds the next write's bytes on the stack (`push qword [reg+d8]` from the
 *   file, whose open bytes travel as provenance; `push imm`; `push reg`);
 * - pointer: `call rel32`, which leaves a pointer into the file on the stack;
 * - prep: values later calls need, parked in a spare register or pushed for a later pop (the
 *   set-up a loop's next pass uses), and `xchg eax, r` (its effect may only show on a later pass);
 * - flags and skippers: stc/clc/cmc, cmp/test whose immediate swallows fixed header bytes;
 * - jumps: `jmp rel8` to the start of any open run of bytes, or back to an instruction already
 *   placed (loops);
 * - filler: `nop`, to line an instruction up with fixed bytes ahead.
 *
 * Whether a move is right is decided only by running it: the alphabet never predicts effects
 * beyond choosing immediates.
 */
import { binary, out as aluOut } from '../../emu/alu.js';
import type { SyscallAbi } from '../abi.js';
import { imm, mem, mustEncode as encode64, patch, reg, Reg, template as template64, type CodeMode, type Template } from './encodings.js';
import { MoveKind, MoveList, MAX_MOVE } from './moves.js';
import { meets, type CallNeeds } from './needs.js';

const TWO32 = 0x1_0000_0000;
/** Registers the walk uses: the eight with one-byte push/pop and no REX prefix (r8-r15 cost a byte more). */
export const WALK_REGS = [Reg.rax, Reg.rcx, Reg.rdx, Reg.rbx, Reg.rsp, Reg.rbp, Reg.rsi, Reg.rdi] as const;
/**
 * A jump (2 bytes) is placed where at most this many open bytes are left in the run: with the
 * data reserved first, a longer rest of a run would only be wasted by jumping away earlier (an
 * instruction placed first does the same, and the jump follows it). A call (5 bytes) likewise.
 */
const JUMP_AT_RUN = 3;
const CALL_AT_RUN = 6;
/** ALU ops with an accumulator-immediate short form, by their /digit: add or adc sbb and sub xor cmp. */
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'] as const;

/** What the alphabet reads of the walk's state. */
export interface WalkView {
  readonly regLo: Uint32Array;
  readonly regHi: Uint32Array;
  readonly rflags: number;
  readonly loadBase: number;
  readonly size: number;
  /** Assigned byte value or -1 (open); past EOF -2. */
  slot(off: number): number;
  /**
   * The value a skipping immediate should give byte `off`: its assigned value, 0 past EOF, the
   * layout's representative value for an open byte with few allowed values (a field byte), or -1
   * for a free byte.
   */
  fieldValue(off: number): number;
  canTake(off: number, v: number): boolean;
  /** An open byte whose predecessor is not open (where a jump or call may land). */
  holeStart(off: number): boolean;
  /** A walk-placed instruction starts here. */
  placedStart(off: number): boolean;
  /** Effects (bytes written) since the instruction at off was placed. */
  effectsSincePlaced(off: number): number;
  /** The address lies in the file's mapped image. */
  pointsIntoFile(address: number): boolean;
  /** Needs of the next call in each convention (empty when the goal is met). */
  needs(): readonly CallNeeds[];
  /** Values the calls after the next one need (for prep moves). */
  laterValues(): readonly number[];
  /** The 64-bit word at rsp as a number, or -1 when it is not a plain value (tagged or unreadable). */
  stackTop(): number;
  /**
   * Whether pushing 8 bytes (values, and tags: 0 or file offset + 1) makes the next write's stack
   * string grow; `source` is the address they come from when they are file bytes.
   */
  pushExtends(values: Uint8Array, tags: Int16Array, source?: number): boolean;
  /**
   * Whether the open file bytes of [address, address + n) start at the start of an open run or end
   * at its end (or there are none): data placed elsewhere inside a run only splits it, and the
   * flush placements reach every arrangement of the run's other bytes.
   */
  flushSource(address: number, n: number): boolean;
  /** Addresses of the stack pieces the data plan reserved for pending streams, or null without a plan. */
  stackPieceAddresses(): readonly number[] | null;
  /** The value and tag of the byte at an address if it is in the file image or the stack window; false otherwise. */
  sourceByte(address: number, out: Int32Array): boolean;
  /** Registers that may be relied on as starting values (argc at rsp counts only if the profile allows it). */
  readonly argcAssumable: boolean;
  /** Loop set-up moves (parking values, no-op exchanges) are offered. */
  readonly broad: boolean;
  /** Noop calls still allowed on this path. */
  readonly noopsLeft: number;
  /**
   * The layout's load address is open (layout.ts openBaseLayouts): also `and`/`or eax, imm32`
   * skippers (the base's top byte may be their opcode) and `jecxz` to a hole while ecx is 0.
   */
  readonly wideMoves: boolean;
}

export class Alphabet {
  /**
   * movImm8[r]: mov r8, imm (al..bl in two bytes; spl..dil need a REX prefix, three bytes, so only
   * in 64-bit code: without REX those codes are ah..bh); movImm32[r]: mov r32, imm. Templates for
   * any immediate.
   */
  private readonly movImm8: (Template | null)[] = [];
  private readonly movImm32: Template[] = [];
  private readonly xorSelf: Uint8Array[] = [];
  private readonly inc: Uint8Array[] = [];
  private readonly dec: Uint8Array[] = [];
  private readonly popR: Uint8Array[] = [];
  private readonly pushR: Uint8Array[] = [];
  /** xchgEax[r]: xchg eax, r32 (one byte). */
  private readonly xchgEax: Uint8Array[] = [];
  /** mov32[dst][src], mov64[dst][src]. */
  private readonly mov32: Uint8Array[][] = [];
  private readonly mov64: Uint8Array[][] = [];
  private readonly cdq: Uint8Array;
  private readonly nop: Uint8Array;
  private readonly flagOps: Uint8Array[];
  private readonly traps: { abi: SyscallAbi; bytes: Uint8Array }[];
  private readonly pushImm8: Template;
  private readonly pushImm32: Template;
  /** aluAl[op] (op, al, imm8) and aluEax[op] (op, eax, imm32). */
  private readonly aluAl: Template[];
  private readonly aluEax: Template[];
  private readonly testAl: Template;
  /** pushMem[r]: push qword [r + d8]. */
  private readonly pushMem: Template[] = [];
  /** leaMem64[dst][src]: lea dst, [src + d8]. */
  private readonly leaMem64: Template[][] = [];
  /** leaRip[dst]: lea dst, [rip + d32]. */
  private readonly leaRip: Template[] = [];
  private readonly jmp8: Template;
  private readonly jecxz8: Template | null;
  private readonly call32: Template;
  private readonly scratch = new Uint8Array(MAX_MOVE);
  private readonly pushed: Uint8Array;
  private readonly pushedTags: Int16Array;
  private readonly src = new Int32Array(2);
  /** Bytes of a push or pop: 8 in 64-bit code, 4 in 32-bit code. */
  private readonly word: 4 | 8;

  /**
   * The moves for code of `mode` (64-bit by default): the same instructions, encoded for that
   * mode, with stack words of its width; 32-bit code has no rip-relative lea and no 64-bit mov.
   */
  constructor(abis: readonly SyscallAbi[], mode: CodeMode = 64) {
    const W = mode === 64 ? 8 : 4;
    this.word = W;
    this.pushed = new Uint8Array(W);
    this.pushedTags = new Int16Array(W);
    const mustEncode = (ins: Parameters<typeof encode64>[0]): Uint8Array => encode64(ins, 0, mode);
    const template = (width: 1 | 4, make: Parameters<typeof template64>[1], field: Parameters<typeof template64>[2]): Template => template64(width, make, field, mode);
    for (let r = 0; r < 8; r++) {
      this.movImm8.push(r < 4 || mode === 64 ? template(1, (v) => ({ mnemonic: 'mov', operands: [reg(r, 1), imm(v & 0xff)] }), 'imm') : null);
      this.movImm32.push(template(4, (v) => ({ mnemonic: 'mov', operands: [reg(r, 4), imm(v >>> 0)] }), 'imm'));
      this.xorSelf.push(mustEncode({ mnemonic: 'xor', operands: [reg(r, 4), reg(r, 4)] }));
      this.inc.push(mustEncode({ mnemonic: 'inc', operands: [reg(r, 4)] }));
      this.dec.push(mustEncode({ mnemonic: 'dec', operands: [reg(r, 4)] }));
      this.popR.push(mustEncode({ mnemonic: 'pop', operands: [reg(r, W)] }));
      this.pushR.push(mustEncode({ mnemonic: 'push', operands: [reg(r, W)] }));
      this.xchgEax.push(r === 0 ? new Uint8Array(0) : mustEncode({ mnemonic: 'xchg', operands: [reg(Reg.rax, 4), reg(r, 4)] }));
      this.mov32.push([]);
      this.mov64.push([]);
      this.leaMem64.push([]);
      for (let s = 0; s < 8; s++) {
        this.mov32[r]!.push(mustEncode({ mnemonic: 'mov', operands: [reg(r, 4), reg(s, 4)] }));
        // (32-bit code: registers hold 32 bits, so the 32-bit mov is the whole copy)
        this.mov64[r]!.push(W === 8 ? mustEncode({ mnemonic: 'mov', operands: [reg(r, 8), reg(s, 8)] }) : this.mov32[r]![s]!);
        this.leaMem64[r]!.push(template(1, (d) => ({ mnemonic: 'lea', operands: [reg(r, W), mem(s, (d << 24) >> 24, 0)] }), 'disp'));
      }
      this.pushMem.push(template(1, (d) => ({ mnemonic: 'push', operands: [mem(r, (d << 24) >> 24, W)] }), 'disp'));
      if (mode === 64) this.leaRip.push(template(4, (d) => ({ mnemonic: 'lea', operands: [reg(r, 8), mem(Reg.rip, d + 7, 0)] }), 'rip'));
    }
    this.cdq = mustEncode({ mnemonic: 'cdq', operands: [] });
    this.nop = mustEncode({ mnemonic: 'nop', operands: [] });
    this.flagOps = ['stc', 'clc', 'cmc'].map((m) => mustEncode({ mnemonic: m, operands: [] }));
    this.traps = abis.map((abi) => ({ abi, bytes: Uint8Array.from(abi.trap) }));
    this.pushImm8 = template(1, (v) => ({ mnemonic: 'push', operands: [imm((v << 24) >> 24)], opsize: W }), 'imm');
    this.pushImm32 = template(4, (v) => ({ mnemonic: 'push', operands: [imm(v | 0)], opsize: W }), 'imm');
    this.aluAl = ALU.map((m) => template(1, (v) => ({ mnemonic: m, operands: [reg(Reg.rax, 1), imm(v & 0xff)] }), 'imm'));
    this.aluEax = ALU.map((m) => template(4, (v) => ({ mnemonic: m, operands: [reg(Reg.rax, 4), imm(v >>> 0)] }), 'imm'));
    this.testAl = template(1, (v) => ({ mnemonic: 'test', operands: [reg(Reg.rax, 1), imm(v & 0xff)] }), 'imm');
    this.jmp8 = template(1, (rel) => ({ mnemonic: 'jmp', operands: [imm(2 + ((rel << 24) >> 24))] }), 'target');
    this.call32 = template(4, (rel) => ({ mnemonic: 'call', operands: [imm(5 + (rel | 0))] }), 'target');
    this.jecxz8 = mode === 32 ? template(1, (rel) => ({ mnemonic: 'jecxz', operands: [imm(2 + ((rel << 24) >> 24))] }), 'target') : null;
  }

  private addMov(t: Template, v: number, list: MoveList, kind: MoveKind): void {
    patch(t, v, this.scratch);
    list.add(this.scratch, t.bytes.length, kind);
  }

  /** Fills `list` with the moves worth trying at file offset `off` (address `address`). */
  generate(w: WalkView, off: number, address: number, list: MoveList): void {
    list.clear();
    const needs = w.needs();
    const ready = needs.some((c) => c.regs.every((n) => meets(n, w.regLo[n.reg]!, n.width === 4 ? 0 : w.regHi[n.reg]!)));
    // Data on the stack needs pushes, and a pointer into the file for them (a no-op call's rcx, or
    // a call's return address); with every stream planned in the file, none of that is offered.
    const pieces = w.stackPieceAddresses();
    const stacked = pieces === null || pieces.length > 0;
    this.trapMoves(w, needs, list, 'effect');
    for (const call of needs) this.needMoves(w, call, address, list);
    list.currentReg = -1;
    if (stacked) {
      this.dataMoves(w, list);
      this.trapMoves(w, needs, list, 'noop');
    }
    // Values for later calls are parked once the next call is ready (right before its trap, where
    // a loop's later passes pick them up); earlier they would only be overwritten or in the way.
    if (w.broad) {
      if (ready) this.prepMoves(w, needs, list);
      this.polymorphicMoves(w, list);
    }
    this.flagMoves(w, off, needs, list);
    this.jumpMoves(w, off, list, stacked);
    if (w.broad) this.fillerMoves(w, off, list);
  }

  private value(w: WalkView, r: number, width: 4 | 8): number {
    return width === 4 ? w.regLo[r]! : w.regHi[r]! * TWO32 + w.regLo[r]!;
  }

  private trapMoves(w: WalkView, needs: readonly CallNeeds[], list: MoveList, which: 'effect' | 'noop'): void {
    for (const { abi, bytes } of this.traps) {
      const nr = w.regLo[abi.numberReg]!;
      const a0 = w.regLo[abi.args[0]!]!;
      const a2 = this.value(w, abi.args[2]!, abi.width);
      let ok = false;
      if (which === 'effect') {
        // the next effect, once its registers are set (whether the buffer holds the bytes is seen when it runs)
        ok = needs.some((c) => c.abi === abi && c.regs.every((n) => n.reg === abi.args[1] || meets(n, w.regLo[n.reg]!, abi.width === 4 ? 0 : w.regHi[n.reg]!)));
      } else {
        // a call without effect: read(0, *, 0) or write(1|2, *, 0); it leaves rcx/r11 (or rax) behind
        ok = w.noopsLeft > 0 && a2 === 0 && ((nr === abi.read && a0 === 0) || (nr === abi.write && (a0 === 1 || a0 === 2)));
      }
      if (ok) list.add(bytes, bytes.length, MoveKind.trap);
    }
  }

  private needMoves(w: WalkView, call: CallNeeds, address: number, list: MoveList): void {
    const s = this.scratch;
    for (const n of call.regs) {
      const r = n.reg;
      if (r >= 8) continue;
      list.currentReg = r;
      const curLo = w.regLo[r]!;
      const curHi = w.regHi[r]!;
      if (meets(n, curLo, curHi)) continue;
      const wanted = n.low8 >= 0 ? [n.low8] : n.values;
      const upperClear = n.width === 4 ? (curLo & 0xffffff00) === 0 : (curLo & 0xffffff00) === 0 && curHi === 0;
      for (let i = 0; i < wanted.length && i < 16; i++) {
        const v = wanted[i]!;
        // mov r8, v keeps the rest of the register: only right when the rest is already 0 (or ignored)
        const byteMov = this.movImm8[r];
        const short = v < 256 && byteMov !== null && byteMov !== undefined && (upperClear || n.low8 >= 0);
        if (short) this.addMov(byteMov!, v, list, MoveKind.need);
        // the 5-byte form only where the 2-byte one does not do
        if (v < TWO32 && !short) {
          this.addMov(this.movImm32[r]!, v, list, MoveKind.need);
        }
        if (v === 0) {
          list.add(this.xorSelf[r]!, this.xorSelf[r]!.length, MoveKind.need);
          if (r === Reg.rdx && (w.regLo[Reg.rax]! & 0x80000000) === 0) list.add(this.cdq, this.cdq.length, MoveKind.need);
        }
        const cur32 = curLo;
        if ((n.width === 4 || curHi === 0) && v < TWO32) {
          if (((cur32 + 1) >>> 0) === v) list.add(this.inc[r]!, this.inc[r]!.length, MoveKind.need);
          if (((cur32 - 1) >>> 0) === v) list.add(this.dec[r]!, this.dec[r]!.length, MoveKind.need);
        }
        // or through the stack: push v now, pop r next
        if (v < 128) {
          patch(this.pushImm8, v, s);
          list.add(s, this.pushImm8.bytes.length, MoveKind.need);
        }
        const top = w.stackTop();
        if (top >= 0 && (n.low8 >= 0 ? (top & 0xff) === n.low8 : top === v)) list.add(this.popR[r]!, 1, MoveKind.need);
        // another register already holds the value
        for (const q of WALK_REGS) {
          if (q === r) continue;
          const ql = w.regLo[q]!;
          const qh = w.regHi[q]!;
          if (!meets(n, ql, qh) && !(n.low8 < 0 && (n.width === 4 ? ql : qh * TWO32 + ql) === v)) continue;
          if (r === Reg.rax || q === Reg.rax) {
            const x = this.xchgEax[r === Reg.rax ? q : r]!;
            if (qh === 0 || n.width === 4) list.add(x, x.length, MoveKind.need);
          }
          if (qh === 0 || n.width === 4) list.add(this.mov32[r]![q]!, this.mov32[r]![q]!.length, MoveKind.need);
          else list.add(this.mov64[r]![q]!, this.mov64[r]![q]!.length, MoveKind.need);
          // or through the stack: push q now, pop r next (two bytes for any pair)
          list.add(this.pushR[q]!, this.pushR[q]!.length, MoveKind.need);
        }
        // accumulator arithmetic, using the carry where adc/sbb read it
        if (r === Reg.rax) this.aluTo(w, v, n.width, list);
        // pointers: lea r, [q + d8] from any register, lea r, [rip + d32]
        if (v >= 256) {
          for (const q of WALK_REGS) {
            const qv = w.regHi[q]! * TWO32 + w.regLo[q]!;
            const d = v - qv;
            if (d < -128 || d > 127) continue;
            const t = this.leaMem64[r]![q]!;
            patch(t, d, s);
            list.add(s, t.bytes.length, MoveKind.need);
          }
          const t = this.leaRip[r];
          const d = t ? v - (address + t.bytes.length) : NaN;
          if (t && d >= -(2 ** 31) && d < 2 ** 31) {
            patch(t, d, s);
            list.add(s, t.bytes.length, MoveKind.need);
          }
        }
      }
    }
  }

  /**
   * adc/sbb al or eax, 0: rax one up or down by the carry (`cmp al, imm` or stc before). Other ALU
   * forms with free immediates do what a mov of the same length does; those whose immediate lies
   * on fixed bytes are offered as skippers (flagMoves). Whether rax really becomes v is asked of
   * the interpreter's own ALU (emu/alu.ts), so no semantics live here.
   */
  private aluTo(w: WalkView, v: number, width: 4 | 8, list: MoveList): void {
    const lo = w.regLo[Reg.rax]!;
    const hi = w.regHi[Reg.rax]!;
    const s = this.scratch;
    if (v >= TWO32) return;
    for (const op of [2, 3]) {
      if ((lo & 0xffffff00) === (v & 0xffffff00) && (width === 4 || hi === 0)) {
        binary(op, 1, lo & 0xff, 0, 0, 0, w.rflags);
        if ((aluOut.lo & 0xff) === (v & 0xff)) {
          patch(this.aluAl[op]!, 0, s);
          list.add(s, 2, MoveKind.need);
        }
      }
      binary(op, 4, lo, 0, 0, 0, w.rflags);
      if (aluOut.lo >>> 0 === v) {
        patch(this.aluEax[op]!, 0, s);
        list.add(s, 5, MoveKind.need);
      }
    }
  }

  private dataMoves(w: WalkView, list: MoveList): void {
    const s = this.scratch;
    const out = this.src;
    // push qword [q + d8]: the next piece of a stack-built stream (its bytes are reserved by the
    // data plan), or, without a plan, any 8 bytes of the file or the stack that extend it
    const planned = w.stackPieceAddresses();
    for (const q of WALK_REGS) {
      const base = w.regHi[q]! * TWO32 + w.regLo[q]!;
      const t = this.pushMem[q]!;
      const pushFrom = (d: number, source: number): void => {
        for (let i = 0; i < this.word; i++) {
          if (!w.sourceByte(base + d + i, out)) return;
          this.pushed[i] = out[0]!;
          this.pushedTags[i] = out[1]!;
        }
        if (!w.pushExtends(this.pushed, this.pushedTags, source)) return;
        patch(t, d, s);
        list.add(s, t.bytes.length, MoveKind.data);
      };
      if (planned) {
        for (const a of planned) {
          const d = a - base;
          if (d >= -128 && d < 128) pushFrom(d, -1);
        }
      } else {
        for (let d = -128; d < 128; d++) pushFrom(d, base + d);
      }
    }
    // push reg: its 8 bytes
    for (const q of WALK_REGS) {
      const lo = w.regLo[q]!;
      const hi = w.regHi[q]!;
      for (let i = 0; i < 4; i++) {
        this.pushed[i] = (lo >>> (8 * i)) & 0xff;
        if (this.word === 8) this.pushed[4 + i] = (hi >>> (8 * i)) & 0xff;
      }
      this.pushedTags.fill(0);
      if (w.pushExtends(this.pushed, this.pushedTags)) list.add(this.pushR[q]!, this.pushR[q]!.length, MoveKind.data);
    }
  }

  private prepMoves(w: WalkView, needs: readonly CallNeeds[], list: MoveList): void {
    const later = w.laterValues();
    const s = this.scratch;
    const needed = new Set<number>();
    for (const c of needs) for (const n of c.regs) needed.add(n.reg);
    for (const v of later) {
      // park the value in a register the next call does not read
      for (const r of WALK_REGS) {
        if (r === Reg.rsp || needed.has(r)) continue;
        const byteMov = this.movImm8[r];
        if (v < 256 && byteMov && (w.regLo[r]! & 0xffffff00) === 0 && w.regHi[r] === 0) {
          this.addMov(byteMov, v, list, MoveKind.prep);
        } else {
          this.addMov(this.movImm32[r]!, v, list, MoveKind.prep);
        }
      }
      // push it for a later pop
      if (v < 128) {
        patch(this.pushImm8, v, s);
        list.add(s, this.pushImm8.bytes.length, MoveKind.prep);
      }
      for (const r of WALK_REGS) if (w.regHi[r] === 0 && w.regLo[r] === v) list.add(this.pushR[r]!, this.pushR[r]!.length, MoveKind.prep);
    }
  }

  /**
   * `xchg eax, r` while both hold the same value: a no-op on this pass, but a loop's later pass
   * runs it again with other values (a parked call number comes back into eax that way).
   */
  private polymorphicMoves(w: WalkView, list: MoveList): void {
    for (let r = 1; r < 8; r++) {
      if (r === Reg.rsp || w.regLo[r] !== w.regLo[Reg.rax] || w.regHi[r] !== w.regHi[Reg.rax]) continue;
      list.add(this.xchgEax[r]!, this.xchgEax[r]!.length, MoveKind.prep);
    }
  }

  private flagMoves(w: WalkView, off: number, needs: readonly CallNeeds[], list: MoveList): void {
    const s = this.scratch;
    // Setting the carry only pays where adc/sbb then give rax a value it needs: one up or one down.
    const rax = w.regLo[Reg.rax]!;
    const carryUseful = w.broad && needs.some((c) => c.regs.some((n) => n.reg === Reg.rax && !meets(n, rax, w.regHi[Reg.rax]!) && (n.values.includes((rax + 1) >>> 0) || n.values.includes((rax - 1) >>> 0))));
    if (carryUseful) for (const f of this.flagOps) list.add(f, f.length, MoveKind.flags);
    // cmp/test al, imm8 and cmp eax, imm32 whose immediate is fixed bytes ahead (swallowed), or, on
    // open bytes, the values that clear or set the carry
    const next = w.fieldValue(off + 1);
    const al = rax & 0xff;
    const imms = next >= 0 ? [next] : carryUseful ? [0, al < 255 ? al + 1 : 0] : [];
    const kind = next >= 0 ? MoveKind.skip : MoveKind.flags;
    for (const v of imms) {
      patch(this.aluAl[7]!, v, s);
      list.add(s, 2, kind);
      // test clears the carry where cmp may set it: a different flag state only a carry reader sees
      if (carryUseful) {
        patch(this.testAl, v, s);
        list.add(s, 2, kind);
      }
    }
    let field32 = true;
    let v32 = 0;
    for (let i = 4; i >= 1; i--) {
      const b = w.fieldValue(off + i);
      if (b < 0) field32 = false;
      v32 = v32 * 256 + Math.max(0, b);
    }
    if (field32) {
      // cmp, and add/adc/sbb eax (which change rax too), whose imm32 swallows field bytes
      // (those that change rax count as need moves: they must bring the call closer like any other)
      for (const op of [7, 0, 2, 3]) {
        patch(this.aluEax[op]!, v32, s);
        list.add(s, 5, op === 7 ? MoveKind.skip : MoveKind.need);
      }
      // and/or eax: where the base's top byte is the opcode, the same byte runs again in e_entry
      if (w.wideMoves) {
        for (const op of [4, 1]) {
          patch(this.aluEax[op]!, v32, s);
          list.add(s, 5, MoveKind.skip);
        }
      }
    }
    if (next >= 0) {
      for (const op of [0, 2, 3]) {
        patch(this.aluAl[op]!, next, s);
        list.add(s, 2, MoveKind.need);
      }
    }
  }

  /**
   * Jumps and calls: to the start of another open run when this run is too short for the longest
   * move plus a jump (a longer run gets its code first), and back to a placed instruction (a
   * loop) once an effect has happened since it was placed. A call leaves a pointer into the file
   * on the stack; it is offered where no register points into the file yet.
   */
  private jumpMoves(w: WalkView, off: number, list: MoveList, calls: boolean): void {
    const s = this.scratch;
    let run = 0;
    while (w.slot(off + run) === -1) run++;
    const short = run <= JUMP_AT_RUN;
    const callable = run <= CALL_AT_RUN;
    const pointer = WALK_REGS.some((q) => w.pointsIntoFile(w.regHi[q]! * TWO32 + w.regLo[q]!));
    for (let t = 0; t < w.size; t++) {
      if (t === off) continue;
      const hole = w.holeStart(t);
      const back = w.broad && w.effectsSincePlaced(t) > 0 && w.placedStart(t);
      if (!(hole && callable) && !back) continue;
      const rel = t - (off + 2);
      if ((back || short) && rel >= -128 && rel <= 127) {
        patch(this.jmp8, rel, s);
        list.add(s, 2, MoveKind.jump);
      }
      if (calls && hole && !pointer && callable) {
        patch(this.call32, t - (off + 5), s);
        list.add(s, 5, MoveKind.pointer);
      }
      // jecxz while ecx is 0: taken now, a 2-byte no-op once ecx holds a buffer (code run twice)
      if (this.jecxz8 && w.wideMoves && hole && w.regLo[Reg.rcx] === 0 && rel >= -128 && rel <= 127) {
        patch(this.jecxz8, rel, s);
        list.add(s, 2, MoveKind.jump);
      }
    }
  }

  private fillerMoves(w: WalkView, off: number, list: MoveList): void {
    for (let i = 1; i <= 5; i++) {
      if (w.fieldValue(off + i) >= 0) {
        list.add(this.nop, this.nop.length, MoveKind.filler);
        return;
      }
    }
  }
}

