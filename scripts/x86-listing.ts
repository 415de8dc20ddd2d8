/**
 * A deterministic listing of what the decoder and the encoder do over every form, operation size and
 * mode: the decoder on every opcode byte of both maps under a set of prefix and ModRM contexts, the
 * encoder on every form with sample operands of every size. Its digest, taken from the code before
 * the table was expanded into codes (src/x86/codes.ts), is test/fixtures/x86-listing.json (written by `node dist/scripts/x86-listing.js --digest`); the test
 * asks the current code for the same digest, so a change in any decode or encoding shows.
 * `node dist/scripts/x86-listing.js > /tmp/listing.txt` prints the listing itself, to diff two trees.
 */
import { createHash } from 'node:crypto';
import { decode } from '../src/x86/decoder.js';
import { encodeAll, type AsmInstruction, type AsmOperand } from '../src/x86/encoder.js';
import { Reg, type Decoded } from '../src/x86/decoded.js';
import { FORMS, type OperandSpec } from '../src/x86/table.js';

/** Address the listing decodes and encodes at. */
export const LISTING_ADDRESS = 0x401000;
const IP = LISTING_ADDRESS;
const PREFIXES: readonly number[][] = [
  [], [0x66], [0xf3], [0xf2], [0x66, 0xf3], [0x67], [0xf0], [0x48], [0x41], [0x49], [0x66, 0x48], [0x40], [0x4c], [0x44], [0x64],
];
const MODRMS: readonly number[][] = [
  [0x00], [0x05], [0x04, 0x24], [0x44, 0x8d], [0x84, 0x11], [0xc0], [0xc9], [0xd2], [0xdb], [0xe4], [0xed], [0xf6], [0xff], [0x0c, 0x65], [0x26],
];
const DATA = [0x81, 0x82, 0x33, 0x44, 0x95, 0x66, 0x77, 0x88, 0x99];

/** The listing's decoder inputs, decoded at LISTING_ADDRESS (test/x86/format.test.ts formats them all). */
export function* listingDecodes(): Generator<{ mode: 64 | 32; bytes: Uint8Array; d: Decoded }> {
  for (const mode of [64, 32] as const) {
    for (const prefixes of PREFIXES) {
      for (const twoByte of [false, true]) {
        for (let op = 0; op < 256; op++) {
          for (const modrm of MODRMS) {
            const bytes = Uint8Array.from([...prefixes, ...(twoByte ? [0x0f] : []), op, ...modrm, ...DATA]);
            const d = decode(bytes, 0, mode, IP);
            yield { mode, bytes, d };
            if (d.status === 1 || d.status === 3) break; // the ModRM byte does not matter (much) for these
          }
        }
      }
    }
  }
}

function decodeLines(emit: (line: string) => void): void {
  for (const { mode, bytes, d } of listingDecodes()) {
    const formIndex = d.form === null ? -1 : FORMS.indexOf(d.form);
    const ops = d.ops.map((o) => `${o.kind}/${o.reg}/${o.size}`).join(',');
    emit(`d${mode} ${Buffer.from(bytes).toString('hex')} ${d.status} ${d.length} ${formIndex} ${d.sem} ${d.mnemonic} ${d.opsize} ${d.asize} [${ops}] ` +
      `${d.memBase} ${d.memIndex} ${d.memScale} ${d.memDisp} ${d.memDispHi} ${d.segment} ${d.imm} ${d.immHi} ${d.target} ${d.rep} ${d.lock} ${d.cc} ${d.rex}`);
  }
}

const SIZES = [1, 2, 4, 8];

function choices(spec: OperandSpec, size: number, mode: 64 | 32): AsmOperand[] {
  const reg = (r: number, s: number): AsmOperand => ({ kind: 'reg', reg: r, size: s });
  const mem = (s: number, base: number, index: number, disp: number): AsmOperand => ({ kind: 'mem', size: s, base, index, scale: index < 0 ? 1 : 4, disp, segment: 0 });
  const imm = (v: bigint): AsmOperand => ({ kind: 'imm', value: v });
  const hi = mode === 64 ? 9 : 6;
  switch (spec) {
    case 'rm': return [reg(0, size), reg(hi, size), reg(4, size), mem(size, 3, 6, 0x10), mem(0, 5, -1, 0)];
    case 'rm8': return [reg(1, 1), reg(Reg.ah, 1), mem(1, 3, -1, 0x200)];
    case 'rm16': return [reg(2, 2), mem(2, -1, -1, 0x1000)];
    case 'rm32': return [reg(hi, 4), mem(4, 4, -1, 0)];
    case 'mem': return mode === 64 ? [mem(0, 3, 1, -8), { kind: 'mem', size: 0, base: Reg.rip, index: -1, scale: 1, disp: IP + 0x100, segment: 0 }] : [mem(0, 3, 1, -8), mem(size, -1, -1, 0x1234)];
    case 'reg': return [reg(0, size), reg(hi, size), reg(Reg.ch, 1), reg(5, size)];
    case 'opreg': return [reg(0, size), reg(1, size), reg(hi, size), reg(Reg.bh, 1)];
    case 'acc': return [reg(0, size), reg(1, size)];
    case 'cl': return [reg(1, 1)];
    case 'one': return [imm(1n), imm(2n)];
    case 'imm': case 'imm8s': case 'imm8': case 'imm16': case 'imm64':
      return [imm(1n), imm(-1n), imm(0x80n), imm(0x1234n), imm(-0x80000000n), imm(0x100000000n)];
    case 'rel8': return [imm(BigInt(IP + 5)), imm(BigInt(IP - 100))];
    case 'rel': return [imm(BigInt(IP + 0x1000)), imm(BigInt(IP + 4))];
    case 'moffs': return [mem(size, -1, -1, 0x1000), mem(0, -1, -1, 0x2000)];
  }
}

function product(lists: AsmOperand[][]): AsmOperand[][] {
  return lists.reduce<AsmOperand[][]>((acc, l) => acc.flatMap((a) => l.map((x) => [...a, x])), [[]]);
}

function encodeLines(emit: (line: string) => void): void {
  for (const mode of [64, 32] as const) {
    FORMS.forEach((form, fi) => {
      const seen = new Set<string>();
      for (const size of SIZES) {
        for (const operands of product(form.operands.map((s) => choices(s, size, mode)))) {
          const variants: AsmInstruction[] = [{ mnemonic: form.mnemonic, operands }];
          for (const opsize of SIZES) variants.push({ mnemonic: form.mnemonic, operands, opsize });
          if (form.rep !== 'none' || form.prefix !== 0) variants.push({ mnemonic: form.mnemonic, operands, rep: 0xf3 }, { mnemonic: form.mnemonic, operands, rep: 0xf2 });
          if (form.lock) variants.push({ mnemonic: form.mnemonic, operands, lock: true });
          for (const ins of variants) {
            const key = JSON.stringify(ins, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
            if (seen.has(key)) continue;
            seen.add(key);
            const encodings = encodeAll(ins, mode, IP).map((e) =>
              `${Buffer.from(e.bytes).toString('hex')}:${FORMS.indexOf(e.form)}:${e.opsize}:${e.dispBytes}:${e.sib ? 1 : 0}:${e.redundant}`);
            emit(`e${mode} ${fi} ${key} ${encodings.join(' ')}`);
          }
        }
      }
    });
  }
}

/** Digest and line counts of the listing. */
export function listingDigest(): { decodes: number; encodes: number; sha256: string } {
  const hash = createHash('sha256');
  let decodes = 0;
  let encodes = 0;
  decodeLines((l) => { decodes++; hash.update(l + '\n'); });
  encodeLines((l) => { encodes++; hash.update(l + '\n'); });
  return { decodes, encodes, sha256: hash.digest('hex') };
}

if (process.argv[1]?.endsWith('x86-listing.js')) {
  if (process.argv[2] === '--digest') console.log(JSON.stringify(listingDigest(), null, 2));
  else {
    const out: string[] = [];
    decodeLines((l) => out.push(l));
    encodeLines((l) => out.push(l));
    process.stdout.write(out.join('\n') + '\n');
  }
}
