// The NASM formatter (src/x86/format.ts) over every instruction of the x86 listing (scripts/x86-listing.ts:
// every opcode of both maps under 15 prefix and 15 ModRM contexts, both modes):
// 1. its source text assembles with golf asm back to the same bytes, or (for an encoding nasm would not
//    choose) to a shorter-or-equal encoding of the same instruction, or the instruction is one of the
//    few kinds golf asm cannot write, each named below with its reason;
// 2. every code golf's assembler may use round-trips to the same bytes at least once;
// 3. its display text is iced-x86's NASM text, apart from the differences listed below.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { codesOfForm, type Code } from '../../src/x86/codes.js';
import { decode } from '../../src/x86/decoder.js';
import { DecodeStatus, OpKind, Reg, type Decoded } from '../../src/x86/decoded.js';
import { formatIced } from '../../src/x86/disasm.js';
import { formatInstruction } from '../../src/x86/format.js';
import { Sem } from '../../src/x86/sem.js';
import { FORMS } from '../../src/x86/table.js';
import { LISTING_ADDRESS, listingDecodes } from '../../scripts/x86-listing.js';

const IP = LISTING_ADDRESS;

/**
 * Canonical encodings of the codes the listing leaves out or only has in forms nasm would not write
 * or golf asm cannot: moffs64 below 2^53 (the listing's offsets are all above), dec r/m in 32-bit mode
 * (the listing's registers have the shorter 48+r form, its memory operands a redundant SIB scale), and
 * the ff /4 /6 and 0f ba /4-/7 groups (the listing stops at the first invalid ModRM, ff /3 and 0f ba /0).
 */
const EXTRA: readonly [64 | 32, string][] = [
  ...['a0', 'a1', 'a2', 'a3', '66a1', '48a1', '66a3', '48a3'].map((op): [64, string] => [64, `${op}5544332211000000`]),
  [32, 'ff08'], [32, '66ff08'],
  ...(['', '66'] as const).flatMap((p) => [[64, `${p}ffe4`], [64, `${p}ff30`], [32, `${p}ffe4`], [32, `${p}ff30`]] as [64 | 32, string][]),
  ...['e0', 'e8', 'f0', 'f8'].flatMap((m) => ['', '66', '48'].flatMap((p) => {
    const hex = `${p}0fba${m}05`;
    return p === '48' ? [[64, hex]] : [[64, hex], [32, hex]];
  }) as [64 | 32, string][]),
];

const OK = [
  ...[...listingDecodes()].filter((c) => c.d.status === DecodeStatus.ok),
  ...EXTRA.map(([mode, hex]) => { const bytes = Uint8Array.from(Buffer.from(hex, 'hex')); return { mode, bytes, d: decode(bytes, 0, mode, IP) }; }),
].map((c) => ({ ...c, bytes: c.bytes.slice(0, c.d.length) }));

const IMPLICIT_MEMORY = new Set<number>([Sem.lods, Sem.stos, Sem.movs, Sem.scas, Sem.cmps, Sem.xlat]);
const COUNTED = new Set<number>([Sem.loop, Sem.loope, Sem.loopne, Sem.jrcxz]);
const hasMemory = (d: Decoded): boolean => d.ops.some((o) => o.kind === OpKind.mem) || IMPLICIT_MEMORY.has(d.sem);

/** What an instruction does, leaving out what its encoding may vary without changing that. */
function meaning(d: Decoded, mode: 64 | 32): unknown[] {
  const form = d.form!;
  const memory = hasMemory(d);
  // stos and scas address es:rdi whatever the prefix says.
  const segment = memory && d.sem !== Sem.stos && d.sem !== Sem.scas && (mode === 32 || d.segment === 0x64 || d.segment === 0x65) ? d.segment : 0;
  // nasm writes mov r64, imm below 2^32 as mov r32, imm: a 32-bit write zero-extends to the same value.
  const movZeroExtends = d.sem === Sem.mov && d.opsize === 8 && d.ops[0]!.kind === OpKind.reg && d.ops[1]!.kind === OpKind.imm && d.immHi === 0;
  const opsize = movZeroExtends ? 4 : d.opsize;
  return [
    d.sem, d.cc, form.size === 'none' ? 0 : opsize, d.ops.map((o) => [o.kind, o.reg, movZeroExtends ? 4 : o.size]).sort(d.sem === Sem.xchg ? undefined : () => 0),
    memory || COUNTED.has(d.sem) ? d.asize : 0, segment,
    memory ? [d.memBase, d.memIndex, d.memIndex < 0 ? 1 : d.memScale, d.memDisp, d.memDispHi] : [],
    d.ops.some((o) => o.kind === OpKind.imm) ? [d.imm, d.immHi] : [],
    d.ops.some((o) => o.kind === OpKind.rel) ? d.target : 0,
    // F2 repeats movs/stos/lods as F3 does; F2/F3 mean nothing to the other non-string forms.
    form.rep === 'none' ? 0 : form.rep === 'rep' ? d.rep !== 0 : d.rep,
    d.lock,
  ];
}

/**
 * Instructions golf asm cannot write, so their text does not assemble to them. Each is a gap in
 * golf asm, not in the formatter; the formatter still writes nasm's spelling.
 */
const NOT_WRITABLE: readonly [string, (d: Decoded, mode: 64 | 32) => boolean][] = [
  // golf asm has no 16-bit addressing ([bx+si], a 16-bit moffs): a 67 prefix on a memory operand in 32-bit mode.
  ['16-bit addressing', (d) => d.asize === 2 && d.ops.some((o) => o.kind === OpKind.mem)],
  // A 67 prefix on a ModRM memory operand without registers in 64-bit mode (EIP-relative, or a 32-bit
  // absolute address): golf asm has no [dword rel ...] and writes [abs] without 67.
  ['67 on a memory operand without registers', (d, mode) => mode === 64 && d.asize === 4 && d.ops.some((o) => o.kind === OpKind.mem) && !d.form!.operands.includes('moffs') && d.memIndex < 0 && (d.memBase < 0 || d.memBase === Reg.rip)],
  // codes.ts: the assembler never selects a 16-bit relative branch (it truncates eip).
  ['16-bit branch in 32-bit mode', (d) => !d.code!.assemble],
  // A rel32 that reaches its target only by wrapping around 2^32: golf asm computes in 64 bits and refuses it.
  ['32-bit branch wrapping around 4 GiB', (d, mode) => mode === 32 && d.ops.some((o) => o.kind === OpKind.rel) && Math.abs(d.target - (IP + d.length)) > 0x7fffffff],
];

function notWritable(d: Decoded, mode: 64 | 32): string | undefined {
  return NOT_WRITABLE.find(([, applies]) => applies(d, mode))?.[0];
}


const SEGMENT_IN_BRACKETS = /(?<=\[(?:dword |qword |rel )*)(?:es|cs|ss|ds|fs|gs):/;

/** golf's `o16 X` is iced's `X`, or iced's X with a w-suffixed mnemonic (`o16 ret` = `retw`). */
function o16Spelling(d: Decoded, golf: string, ice: string): boolean {
  if (!golf.startsWith('o16 ')) return false;
  const rest = golf.slice(4);
  return rest === ice || rest.replace(d.mnemonic, `${d.mnemonic}w`) === ice;
}

/** The differences from iced's NASM text golf keeps, each with the reason. */
const ACCEPTED: readonly [string, (d: Decoded, golf: string, iced: string) => boolean][] = [
  // The table's canonical mnemonic where iced writes another NASM spelling of the same form
  // (pushfq/pushf, pushad/pusha, shl for the /6 alias that iced calls sal).
  ['another NASM spelling of the form', (d, golf, ice) => d.form!.aliases.some((a) => golf.replace(d.mnemonic, a) === ice)],
  // iced names F2/F3 on forms where they mean nothing (xacquire, xrelease, bnd, rep ret) and repne
  // on movs/stos/lods, which repeats them as rep does; golf writes what golf asm assembles.
  ['F2/F3 that do not change the instruction', (d, golf, ice) => {
    if (d.rep === 0 || d.form!.rep === 'repcc') return false;
    const [g, i] = [golf.replace(/^rep /, ''), ice.replace(/^(?:bnd |xacquire |xrelease |rep |repne )+/, '')];
    return g === i || o16Spelling(d, g, i);
  }],
  // golf keeps segment overrides iced drops as meaningless (on lea, ds: where ds is the default), so
  // the text assembles with the prefix.
  ['segment override iced leaves out', (_d, golf, ice) => golf.replace(SEGMENT_IN_BRACKETS, '') === ice],
  // A 16-bit operation no operand shows the size of: golf writes o16 (what golf asm needs), iced
  // sometimes nothing (push imm16 in 32-bit mode) or a w suffix (retw).
  ['o16 where iced writes nothing or a w suffix', (d, golf, ice) => o16Spelling(d, golf, ice)],
  // 66 90 is golf's nop form at size 16; iced calls it xchg ax,ax.
  // 90 with 66 or REX.W is golf's nop form at that size; iced calls it xchg ax,ax / xchg rax,rax.
  ['90 with a size prefix as nop', (d, golf, ice) => d.sem === Sem.nop && golf === 'nop' && /^xchg (\w+),\1$/.test(ice)],
  // The table's movsxd source is 32-bit at every size, as the reference CPU (AMD) reads it with 66
  // too (corpus/programs/movsxd-o16-page-end); iced follows Intel's SDM (r/m16) and writes
  // movsxd ax,ax where golf writes movsxd ax,eax. Memory sources are written alike ([rbx]).
  ['movsxd r16 source size', (d) => d.sem === Sem.movsxd && d.opsize === 2 && d.ops[1]!.kind === OpKind.reg],
];

describe('NASM formatter: golf asm round trip', () => {
  it('assembles every listed instruction back to its bytes or to nasm\'s encoding of it', () => {
    const counts = { exact: 0, shorter: 0, notWritable: new Map<string, number>() };
    const exactCodes = new Set<Code>();
    const failures: string[] = [];
    for (const { mode, bytes, d } of OK) {
      const source = formatInstruction(d, mode, IP);
      const where = `${mode}-bit ${Buffer.from(bytes).toString('hex')} "${source}"`;
      const reason = notWritable(d, mode);
      let out: Uint8Array;
      try {
        out = assemble(`bits ${mode}\norg ${IP}\n${source}\n`);
      } catch (e) {
        if (reason === undefined) failures.push(`${where}: ${(e as Error).message}`);
        else counts.notWritable.set(reason, (counts.notWritable.get(reason) ?? 0) + 1);
        continue;
      }
      if (Buffer.from(out).equals(bytes)) {
        counts.exact++;
        exactCodes.add(d.code!);
        continue;
      }
      const again = decode(out, 0, mode, IP);
      const same = again.status === DecodeStatus.ok && again.length === out.length &&
        JSON.stringify(meaning(again, mode)) === JSON.stringify(meaning(d, mode));
      if (same && out.length <= bytes.length) counts.shorter++;
      else if (reason !== undefined) counts.notWritable.set(reason, (counts.notWritable.get(reason) ?? 0) + 1);
      else failures.push(`${where} -> ${Buffer.from(out).toString('hex')}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.exact + counts.shorter + [...counts.notWritable.values()].reduce((a, b) => a + b, 0)).toBe(OK.length);
    console.log(`format round trip over ${OK.length} listed instructions: ${counts.exact} to the same bytes, ${counts.shorter} to nasm's encoding,`,
      Object.fromEntries(counts.notWritable), 'not writable in golf asm');

    // Every code the assembler may use round-trips exactly somewhere.
    const missing: string[] = [];
    for (const mode of [64, 32] as const) {
      for (const form of FORMS) {
        if (form.alias) continue;
        for (const code of codesOfForm(form, mode).codes) {
          if (code.assemble && !exactCodes.has(code)) missing.push(`${mode}-bit ${form.mnemonic} ${form.operands.join(',')} size ${code.opsize}`);
        }
      }
    }
    expect(missing).toEqual([]);
    console.log(`${exactCodes.size} codes round-trip to the same bytes`);
  }, 120_000);

  it('writes a RIP-relative operand from $ so it stays RIP-relative at any address', () => {
    for (const at of [0x401000, 0x500000000]) {
      const bytes = assemble(`bits 64\norg ${at}\nlea rsi, [rel msg]\nmsg: db 1\n`);
      const d = decode(bytes, 0, 64, at);
      expect(formatInstruction(d, 64, at)).toBe('lea rsi,[rel $+7]');
      expect(formatInstruction(d, 64)).toBe(`lea rsi,[rel ${(at + 7).toString(16).toUpperCase()}h]`);
      expect(assemble(`bits 64\norg ${at}\n${formatInstruction(d, 64, at)}\n`)).toEqual(bytes.subarray(0, 7));
    }
  });
});

describe('NASM formatter against iced-x86', () => {
  it('writes iced\'s NASM text apart from the listed differences', () => {
    let same = 0;
    const accepted = new Map<string, number>();
    const unexplained: string[] = [];
    for (const { mode, bytes, d } of OK) {
      const golf = formatInstruction(d, mode);
      const ice = formatIced(bytes, mode, IP);
      if (golf === ice) { same++; continue; }
      const why = ACCEPTED.find(([, applies]) => applies(d, golf, ice))?.[0] ?? (notWritable(d, mode) !== undefined ? 'not writable in golf asm' : undefined);
      if (why === undefined) unexplained.push(`${mode}-bit ${Buffer.from(bytes).toString('hex')}: golf "${golf}", iced "${ice}"`);
      else accepted.set(why, (accepted.get(why) ?? 0) + 1);
    }
    expect(unexplained.slice(0, 20)).toEqual([]);
    console.log(`format vs iced over ${OK.length} listed instructions: ${same} identical,`, Object.fromEntries(accepted));
    expect(same).toBeGreaterThan(OK.length * 0.95);
  }, 120_000);
});
