/** Byte-string helpers shared by targets and records: hex text, equality, SHA-256, printable previews. */
import { createHash } from 'node:crypto';

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses hex text (whitespace allowed between digit pairs); returns null when it is not hex. */
export function fromHex(text: string): Uint8Array | null {
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(compact)) return null;
  return new Uint8Array(Buffer.from(compact, 'hex'));
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A short, single-line, human-readable rendering of program output for messages and tables. */
export function preview(bytes: Uint8Array, max = 40): string {
  if (bytes.length === 0) return '(nothing)';
  let text = '';
  for (const b of bytes.subarray(0, max)) {
    if (b === 0x0a) text += '\\n';
    else if (b === 0x09) text += '\\t';
    else if (b === 0x5c || b === 0x22) text += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) text += String.fromCharCode(b);
    else text += '\\x' + b.toString(16).padStart(2, '0');
  }
  return '"' + text + (bytes.length > max ? '…"' : '"');
}
