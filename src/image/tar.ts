/**
 * The tar writer behind every image archive, in two styles:
 *
 * - `portable`: POSIX ustar headers, every member padded to 512 bytes, two zero blocks at the end.
 *   GNU tar, Python's tarfile, bsdtar and Go's archive/tar all read it.
 * - `compact`: what Go's archive/tar (the reader inside docker, podman and skopeo) still accepts:
 *   V7 headers that hold only name, mode, size, checksum and type (every other field NUL, which
 *   Go reads as 0), no padding after the last member and no end-of-archive blocks (Go's reader
 *   treats a clean EOF where the next header or the last padding would start as the end).
 *   GNU tar and Python refuse the unpadded last member ("Unexpected EOF").
 *
 * Written by hand on purpose: the well-kept npm tar writers (`tar`, `tar-stream`, `modern-tar`)
 * are deterministic once mtime, ids and names are pinned, but none can leave out the end blocks or
 * the last member's padding, which is most of what `compact` saves; and one 512-byte header format
 * is short enough to write in full here.
 */

export const BLOCK = 512;

export type TarStyle = 'compact' | 'portable';

export interface TarMember {
  /** Path inside the archive, relative, ASCII. */
  readonly name: string;
  readonly data: Uint8Array;
  /** Permission bits, e.g. 0o755. */
  readonly mode: number;
}

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TarError';
  }
}

/** ustar header field offsets and widths (POSIX.1-1988), the only place they are written. */
const FIELD = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  chksum: [148, 8],
  typeflag: [156, 1],
  magic: [257, 6],
  version: [263, 2],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

/** Regular-file type: '0' in ustar; V7 readers (and Go) also take NUL, which compresses better. */
const TYPE_REGULAR_USTAR = 0x30;
const TYPE_REGULAR_V7 = 0x00;

function put(header: Uint8Array, [offset, width]: readonly [number, number], text: string): void {
  if (text.length > width) throw new TarError(`tar field at offset ${offset} cannot hold "${text}" (${width} bytes)`);
  for (let i = 0; i < text.length; i++) header[offset + i] = text.charCodeAt(i);
}

/** A number in octal: zero-padded to width-1 digits plus NUL (portable), or its shortest digits (compact; 0 is left empty). */
function octal(value: number, width: number, style: TarStyle): string {
  if (style === 'compact') return value === 0 ? '' : value.toString(8);
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.split('/').includes('..')) throw new TarError(`tar member name "${name}" must be a relative path without ".."`);
  if (!/^[\x21-\x7e]+$/.test(name)) throw new TarError(`tar member name "${name}" must be printable ASCII without spaces`);
}

/** One 512-byte header for a regular file. */
export function tarHeader(member: TarMember, style: TarStyle): Uint8Array {
  checkName(member.name);
  const h = new Uint8Array(BLOCK);
  const [, nameWidth] = FIELD.name;
  if (member.name.length <= nameWidth) put(h, FIELD.name, member.name);
  else if (style === 'portable') {
    // ustar splits a long path at a slash: prefix (up to 155 bytes) '/' name (up to 100).
    const cut = member.name.lastIndexOf('/', FIELD.prefix[1]);
    if (cut <= 0 || member.name.length - cut - 1 > nameWidth) throw new TarError(`tar member name "${member.name}" is too long for a ustar header`);
    put(h, FIELD.prefix, member.name.slice(0, cut));
    put(h, FIELD.name, member.name.slice(cut + 1));
  } else throw new TarError(`tar member name "${member.name}" is longer than ${nameWidth} bytes`);
  put(h, FIELD.mode, octal(member.mode, FIELD.mode[1], style));
  put(h, FIELD.size, octal(member.data.length, FIELD.size[1], style));
  if (style === 'portable') {
    put(h, FIELD.uid, octal(0, FIELD.uid[1], style));
    put(h, FIELD.gid, octal(0, FIELD.gid[1], style));
    put(h, FIELD.mtime, octal(0, FIELD.mtime[1], style));
    put(h, FIELD.magic, 'ustar\0');
    put(h, FIELD.version, '00');
    h[FIELD.typeflag[0]] = TYPE_REGULAR_USTAR;
  } else h[FIELD.typeflag[0]] = TYPE_REGULAR_V7;
  // The checksum is the byte sum of the header with its own field read as eight spaces.
  put(h, FIELD.chksum, '        ');
  let sum = 0;
  for (const b of h) sum += b;
  h.fill(0, FIELD.chksum[0], FIELD.chksum[0] + FIELD.chksum[1]);
  put(h, FIELD.chksum, style === 'portable' ? sum.toString(8).padStart(6, '0') + '\0 ' : sum.toString(8));
  return h;
}

const padding = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK;

/** The archive bytes of these members, in this order. */
export function writeTar(members: readonly TarMember[], style: TarStyle): Uint8Array {
  if (members.length === 0) throw new TarError('a tar archive needs at least one member');
  let size = 0;
  members.forEach((m, i) => {
    size += BLOCK + m.data.length;
    if (style === 'portable' || i < members.length - 1) size += padding(m.data.length);
  });
  if (style === 'portable') size += 2 * BLOCK;
  const out = new Uint8Array(size); // zero-filled: padding and end blocks need no writing
  let at = 0;
  members.forEach((m, i) => {
    out.set(tarHeader(m, style), at);
    out.set(m.data, at + BLOCK);
    at += BLOCK + m.data.length;
    if (style === 'portable' || i < members.length - 1) at += padding(m.data.length);
  });
  return out;
}
