/**
 * Byte templates of the instructions the walk places, taken from golf's encoder (so the
 * instruction table stays the one source of encodings) and checked once by decoding: a template
 * is the shortest encoding with the position of its immediate or displacement, which the walk
 * patches per use without calling the encoder on its hot path.
 */
import { DecodeStatus, Reg } from '../../x86/decoded.js';
import { decode } from '../../x86/decoder.js';
import { encodeAll, type AsmInstruction, type AsmOperand } from '../../x86/encoder.js';

export const reg = (r: number, size: number): AsmOperand => ({ kind: 'reg', reg: r, size });
export const imm = (v: number | bigint): AsmOperand => ({ kind: 'imm', value: BigInt(v) });
export const mem = (base: number, disp: number, size = 8): AsmOperand => ({ kind: 'mem', size, base, index: -1, scale: 1, disp, segment: 0 });

/** Code widths the walk places instructions for: long mode, or a 32-bit process's compatibility mode. */
export type CodeMode = 64 | 32;

/** The shortest encoding of an instruction in `mode` (64-bit by default), or null when golf's table has none. */
export function shortest(ins: AsmInstruction, address = 0, mode: CodeMode = 64): Uint8Array | null {
  const all = encodeAll(ins, mode, address);
  return all.length > 0 ? all[0]!.bytes : null;
}

export function mustEncode(ins: AsmInstruction, address = 0, mode: CodeMode = 64): Uint8Array {
  const b = shortest(ins, address, mode);
  if (!b) throw new Error(`golf's instruction table cannot encode ${ins.mnemonic} in ${mode}-bit code`);
  return b;
}

/** An encoding whose last `width` bytes are a little-endian field (immediate, displacement, rip- or branch-relative offset). */
export interface Template {
  readonly bytes: Uint8Array;
  readonly width: 1 | 4;
}

/**
 * Template of `make(sample)`: the encoder's bytes for a sample value, with the field located at
 * the end; checked by decoding two patched copies, so a template can never encode something else.
 */
export function template(width: 1 | 4, make: (v: number) => AsmInstruction, field: 'imm' | 'disp' | 'rip' | 'target', mode: CodeMode = 64): Template {
  const sample = width === 1 ? 0x5a : 0x5a5a5a5a;
  const bytes = mustEncode(make(sample), 0, mode);
  const t: Template = { bytes, width };
  for (const probe of width === 1 ? [0x11, 0x7f] : [0x11223344, 0x7edcba98]) {
    const b = patch(t, probe, new Uint8Array(bytes.length));
    const d = decode(b, 0, mode, 0);
    const got = field === 'imm' ? d.imm : field === 'disp' ? d.memDisp : field === 'rip' ? d.memDisp - b.length : d.target - b.length;
    const want = width === 1 ? (probe << 24) >> 24 : probe | 0;
    if (d.status !== DecodeStatus.ok || d.length !== bytes.length || (field === 'imm' && width === 1 ? (got & 0xff) !== (probe & 0xff) : got !== want)) {
      throw new Error(`template for ${make(sample).mnemonic} does not end in its ${field}`);
    }
  }
  return t;
}

/** Writes the template with field value v into out; returns the length. */
export function patch(t: Template, v: number, out: Uint8Array, at = 0): Uint8Array {
  const n = t.bytes.length;
  out.set(t.bytes, at);
  if (t.width === 1) out[at + n - 1] = v & 0xff;
  else {
    out[at + n - 4] = v & 0xff;
    out[at + n - 3] = (v >>> 8) & 0xff;
    out[at + n - 2] = (v >>> 16) & 0xff;
    out[at + n - 1] = (v >>> 24) & 0xff;
  }
  return out;
}

export { Reg };
