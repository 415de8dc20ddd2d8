/**
 * Fuzz category "decoder": golf's decoder against iced-x86 (the oracle) on random byte strings in
 * 64-bit and 32-bit mode. They agree when both see the same class (ok, invalid, truncated) and, for
 * valid instructions, the same length. golf's invalid and tooLong both correspond to iced's
 * InvalidInstruction; golf's ok and unsupported both to a valid iced instruction.
 *
 * iced-x86 runs with its default DecoderOptions.None (Intel behaviour for 66-prefixed near branches in
 * 64-bit mode, no vendor-specific legacy opcodes), the same options the opcode-space table was probed with.
 */
import iced from 'iced-x86';
import { decodeInto, newDecoded } from '../../src/x86/decoder.js';
import { DecodeStatus } from '../../src/x86/decoded.js';
import type { FuzzOptions, FuzzReport } from './report.js';

const { Decoder, DecoderOptions, Code, DecoderError } = iced;

type Verdict = 'ok' | 'invalid' | 'truncated';

function golfVerdict(status: DecodeStatus): Verdict {
  if (status === DecodeStatus.truncated) return 'truncated';
  if (status === DecodeStatus.invalid || status === DecodeStatus.tooLong) return 'invalid';
  return 'ok';
}

const scratch = newDecoded();

/** Compares one byte string in one mode; returns null on agreement, else a reproducible description. */
export function compareWithIced(bytes: Uint8Array, mode: 64 | 32): string | null {
  const dec = new Decoder(mode, bytes, DecoderOptions.None);
  const ins = dec.decode();
  const icedLength = ins.length;
  const icedVerdict: Verdict = dec.lastError === DecoderError.NoMoreBytes ? 'truncated' : ins.code === Code.INVALID ? 'invalid' : 'ok';
  ins.free();
  dec.free();
  decodeInto(scratch, bytes, 0, mode, 0x401000);
  const ours = golfVerdict(scratch.status);
  if (ours === icedVerdict && (ours !== 'ok' || scratch.length === icedLength)) return null;
  const hex = Buffer.from(bytes).toString('hex');
  return `bits ${mode} bytes ${hex}: golf status ${scratch.status} length ${scratch.length}, iced ${icedVerdict} length ${icedLength}`;
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Bytes that steer random strings into the interesting parts of the space. */
const INTERESTING = [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x64, 0x40, 0x41, 0x48, 0x4f, 0x0f, 0x38, 0x3a, 0xc4, 0xc5, 0x62, 0x8f];

/**
 * One random test string: mostly 16 uniformly random bytes; a quarter start with a few prefix/escape
 * bytes; one in eight is shorter than an instruction may be, to exercise truncation.
 */
export function randomCase(next: () => number): Uint8Array {
  const r = next();
  const len = (r & 7) === 0 ? 1 + (next() % 15) : 16;
  const bytes = new Uint8Array(len);
  for (let i = 0; i < len; i++) bytes[i] = next() & 0xff;
  if (((r >> 3) & 3) === 0) {
    const k = next() % 5;
    for (let i = 0; i < k && i < len; i++) bytes[i] = INTERESTING[next() % INTERESTING.length];
  }
  return bytes;
}

/**
 * One VEX/XOP/EVEX-heavy test string: the space where most validity rules live (mandatory fields,
 * register-extension bits, VSIB, opmask, register-equality rules) but which uniform bytes reach only
 * about once in 60 strings, and a valid EVEX form far more rarely. An escape byte (C4, C5, 62 or 8F)
 * starts the string, sometimes after a prefix (which makes it #UD); the header's map field is mostly a
 * defined map; in 32-bit mode the next byte's top two bits are mostly set, since otherwise C4/C5/62
 * are LES/LDS/BOUND. Everything else (opcode, pp, W, L, vvvv, ModRM, SIB, tail) is uniform, and one
 * string in eight is cut short to exercise truncation.
 */
export function biasedVexCase(next: () => number, mode: 64 | 32): Uint8Array {
  const r = next();
  const len = (r & 7) === 0 ? 1 + (next() % 15) : 16;
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = next() & 0xff;
  let n = 0;
  if (((r >> 3) & 7) === 0) bytes[n++] = INTERESTING[next() % INTERESTING.length];
  const kind = (r >> 6) & 7; // 0-2: C4, 3: C5, 4-6: 62, 7: 8F
  const escape = kind < 3 ? 0xc4 : kind === 3 ? 0xc5 : kind < 7 ? 0x62 : 0x8f;
  bytes[n] = escape;
  const h = n + 1;
  const definedMap = ((r >> 9) & 7) !== 0;
  if (escape === 0xc4 && definedMap) bytes[h] = (bytes[h] & 0xe0) | (1 + (next() % 3));
  if (escape === 0x8f && definedMap) bytes[h] = (bytes[h] & 0xe0) | (8 + (next() % 3));
  if (escape === 0x62) {
    // P0 bit 3 clear and P1 bit 2 set are fixed by the format; maps 1, 2, 3, 5, 6 are defined.
    if (definedMap) bytes[h] = (bytes[h] & 0xf0) | [1, 2, 3, 5, 6][next() % 5];
    else bytes[h] &= 0xf7;
    if (((r >> 12) & 7) !== 0) bytes[h + 1] |= 0x04;
  }
  if (mode === 32 && escape !== 0x8f && ((r >> 15) & 7) !== 0) bytes[h] |= 0xc0;
  return bytes.subarray(0, len);
}

/** How test strings are drawn: uniform bytes (with some prefixes), or VEX/XOP/EVEX-heavy. */
export type DecoderBias = 'uniform' | 'vex';
export const DECODER_BIASES: readonly DecoderBias[] = ['uniform', 'vex'];

/** The decoder fuzz category with strings drawn by `bias`. */
export function categoryFor(bias: DecoderBias): (opts: FuzzOptions) => Promise<FuzzReport> {
  return (opts) => run(opts, bias);
}

export async function run(opts: FuzzOptions, bias: DecoderBias = 'uniform'): Promise<FuzzReport> {
  const disagreements: string[] = [];
  let agree = 0;
  let cases = 0;
  for (const mode of [64, 32] as const) {
    const next = prng(opts.seed ^ mode);
    let modeAgree = 0;
    for (let i = 0; i < opts.cases; i++) {
      const d = compareWithIced(bias === 'vex' ? biasedVexCase(next, mode) : randomCase(next), mode);
      if (d === null) modeAgree++;
      else if (disagreements.length < 200) disagreements.push(d);
    }
    opts.log(`${mode}-bit (${bias}): ${modeAgree}/${opts.cases} agree with iced-x86 on length and validity`);
    agree += modeAgree;
    cases += opts.cases;
  }
  return { category: 'decoder', cases, agree, disagreements };
}
