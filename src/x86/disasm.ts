/**
 * Disassembly listing: golf's decoder decides where each instruction starts and ends and whether it
 * is valid. An instruction of golf's table is written by golf's own formatter (format.ts) as source
 * golf asm assembles at that address; iced-x86's NASM formatter writes the text of valid instructions
 * outside the table, which golf can only measure.
 */
import iced from 'iced-x86';
import { decodeInto, newDecoded } from './decoder.js';
import { DecodeStatus } from './decoded.js';
import { formatInstruction } from './format.js';

const { Decoder, DecoderOptions, Formatter, FormatterSyntax } = iced;

export interface ListingLine {
  /** File offset of the instruction. */
  offset: number;
  /** Address (offset + base address). */
  address: number;
  /** Instruction bytes (for truncated: the bytes that remain). */
  bytes: Uint8Array;
  /** "ok", "unsupported", "invalid", "truncated" or "too-long". */
  status: 'ok' | 'unsupported' | 'invalid' | 'truncated' | 'too-long';
  /** NASM-syntax text (for status ok: source golf asm assembles at `address`), or a description of why there is none. */
  text: string;
}


function statusName(s: DecodeStatus): ListingLine['status'] {
  switch (s) {
    case DecodeStatus.ok: return 'ok';
    case DecodeStatus.unsupported: return 'unsupported';
    case DecodeStatus.invalid: return 'invalid';
    case DecodeStatus.truncated: return 'truncated';
    default: return 'too-long';
  }
}

/** Renders the text of an instruction with iced-x86's NASM formatter: golf's text for bytes outside its table, and the oracle golf's own formatter is tested against. */
export function formatIced(bytes: Uint8Array, mode: 64 | 32, address: number): string {
  const dec = new Decoder(mode, bytes, DecoderOptions.None);
  dec.ip = BigInt(address);
  const ins = dec.decode();
  const fmt = new Formatter(FormatterSyntax.Nasm);
  const text = fmt.format(ins);
  fmt.free();
  ins.free();
  dec.free();
  return text;
}

/**
 * Lists the instructions of `code` from `start` to the end, `baseAddress` being the address of
 * code[0]. Invalid bytes are listed one at a time ("db 0x06"), so the listing resynchronises.
 */
export function disassemble(code: Uint8Array, mode: 64 | 32, start = 0, baseAddress = 0): ListingLine[] {
  const lines: ListingLine[] = [];
  const d = newDecoded();
  let pos = start;
  while (pos < code.length) {
    const address = baseAddress + pos;
    decodeInto(d, code, pos, mode, address);
    const status = statusName(d.status);
    let length = d.length;
    let text: string;
    if (d.status === DecodeStatus.ok) text = formatInstruction(d, mode, address);
    else if (d.status === DecodeStatus.unsupported) text = `${formatIced(code.subarray(pos, pos + length), mode, address)}  ; unsupported by golf`;
    else if (d.status === DecodeStatus.truncated) {
      length = code.length - pos;
      text = `; truncated instruction (${length} byte${length === 1 ? '' : 's'} left)`;
    } else {
      length = 1;
      text = `db 0x${code[pos].toString(16).padStart(2, '0')}  ; ${d.status === DecodeStatus.tooLong ? 'longer than 15 bytes' : 'invalid instruction'}`;
    }
    lines.push({ offset: pos, address, bytes: code.slice(pos, pos + length), status, text });
    pos += length;
  }
  return lines;
}

