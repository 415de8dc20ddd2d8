/**
 * What each kind of archive relies on, and which readers take it: the image counterpart of an ELF
 * record's assumptions. The reader table was measured on Debian 12 with docker 20.10.24 (daemon)
 * and podman 4.3.1 loading golf's archives with `load -i` and running them (test/image/engines.test.ts
 * repeats the measurement wherever the engines run); `--verify` measures again on the user's engines.
 */
import type { ImageFormat } from './build.js';
import type { Compression } from './compression.js';
import type { TarStyle } from './tar.js';

export const ENGINES = ['docker', 'podman'] as const;
export type EngineName = (typeof ENGINES)[number];

/** The engine versions the table below was measured with. */
export const MEASURED_WITH = 'docker 20.10.24 and podman 4.3.1 (Debian 12)';

export interface Reliance {
  id: string;
  text: string;
}

/** Which engines load an archive of this format and outer compression (as measured). */
export function enginesReading(format: ImageFormat, compression: Compression): EngineName[] {
  if (format === 'oci') return compression === 'gzip' ? [] : ['podman'];
  switch (compression) {
    case 'gzip':
      return ['docker'];
    case 'zstd':
      return ['podman'];
    default:
      return ['docker', 'podman'];
  }
}

/** Why an engine does not read such an archive (as measured), or null when it does. */
export function refusal(engine: EngineName, format: ImageFormat, compression: Compression): string | null {
  if (enginesReading(format, compression).includes(engine)) return null;
  if (engine === 'docker' && format === 'oci') return 'docker 20.10 loads only docker-archive (manifest.json), not OCI layouts';
  if (engine === 'docker') return 'docker 20.10 load reads gzip, bzip2 and xz archives, not zstd';
  return 'podman 4.3.1 load reads xz, bzip2 and zstd archives, not gzip ("loading tar component manifest.json: unexpected EOF")';
}

/** What an archive built this way relies on, one statement each. */
export function reliances(o: { format: ImageFormat; style: TarStyle; compress: Compression; layerCompression: Compression; tag: string | null; memberModes: number[] }): Reliance[] {
  const out: Reliance[] = [];
  if (o.style === 'compact') {
    out.push({
      id: 'go-tar',
      text: "an unpadded last member and no end-of-archive blocks, V7 headers holding only name, mode, size and checksum: read by Go's archive/tar, which docker, podman and skopeo use; GNU tar and Python's tarfile refuse it",
    });
    out.push({ id: 'short-names', text: 'member names chosen by golf (c, l), found through manifest.json as every loader does' });
    if (o.memberModes.some((m) => m === 0)) out.push({ id: 'mode-0-members', text: 'archive members other than the layer\'s executable have mode 0: loaders read them as root or straight from the tar stream' });
  } else {
    out.push({ id: 'ustar', text: "a standard ustar archive (padded members, two end-of-archive blocks): GNU tar, Python's tarfile and the engines read it" });
  }
  if (o.layerCompression === 'gzip') out.push({ id: 'gzip-layer', text: 'a gzip-compressed layer inside the archive (docker and podman decompress layers by their magic bytes)' });
  if (o.tag === null) out.push({ id: 'no-tag', text: 'no repository tag: the engines name the loaded image by its ID (the config\'s SHA-256)' });
  if (o.format === 'oci') out.push({ id: 'oci-layout', text: 'an OCI image layout: podman and skopeo load it; docker 20.10 does not' });
  if (o.compress !== 'none') {
    const readers = enginesReading(o.format, o.compress);
    const names = readers.length ? readers.join(' and ') : 'neither engine';
    const check = o.compress === 'xz' ? ' with a CRC32 check (podman refuses xz without one)' : '';
    out.push({ id: `${o.compress}-archive`, text: `the whole archive ${o.compress}-compressed${check}: ${names} load it directly (measured with ${MEASURED_WITH})` });
  }
  return out;
}
