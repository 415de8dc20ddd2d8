/**
 * Building an image archive and writing it to a file, with the statement of what it is: the one
 * entry point that `golf image`, `golf search --image` and the records share.
 */
import { writeFileAtomic } from '../targets/atomic-file.js';
import { enginesReading, reliances, type EngineName, type Reliance } from './acceptance.js';
import { buildImage, type BuiltImage, type ImageRequest } from './build.js';
import { compressorVersion } from './compression.js';

export interface ImageReport {
  built: BuiltImage;
  /** Engines that load this kind of archive (as measured; --verify measures again). */
  readers: EngineName[];
  reliesOn: Reliance[];
  /** The compressor and version the outer bytes depend on. */
  compressor: string;
}

export function describeBuilt(built: BuiltImage): ImageReport {
  const r = built.request;
  return {
    built,
    readers: enginesReading(r.format, r.compress),
    reliesOn: reliances({ format: r.format, style: r.style, compress: r.compress, layerCompression: built.layer.compression, tag: r.tag, memberModes: built.members.map((m) => m.mode) }),
    compressor: compressorVersion(r.compress),
  };
}

export class ImageWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageWriteError';
  }
}

/** Writes an archive atomically (targets/atomic-file.ts). */
export function writeArchive(path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw new ImageWriteError(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

export function makeImage(request: ImageRequest, out: string): ImageReport {
  const report = describeBuilt(buildImage(request));
  writeArchive(out, report.built.bytes);
  return report;
}

/** Short text lines describing a written archive (the CLI prints them; search prints the first). */
export function imageLines(out: string, report: ImageReport): string[] {
  const b = report.built;
  const r = b.request;
  const members = b.members.map((m, i) => `${m.name} ${m.size} B${i === b.members.length - 1 && r.style === 'compact' ? ' (last, unpadded)' : ''}`);
  return [
    `${out}: ${b.bytes.length} bytes, ${r.format} (${r.style}), ${r.compress === 'none' ? 'uncompressed' : `${b.settings}`}; image ${b.imageId}${r.tag ? `, tag ${r.tag}` : ', no tag'}`,
    `  members: ${members.join(', ')}; layer ${b.layer.compression === 'none' ? 'uncompressed' : b.layer.compression} (${b.layer.size} B), entry ${r.entry}`,
    `  loads in: ${report.readers.length ? report.readers.join(', ') : 'neither docker nor podman'} (as measured${r.style === 'compact' ? "; not GNU tar or Python's tarfile" : '; GNU tar and Python read it too'})`,
    ...report.reliesOn.map((x) => `  relies on: ${x.text}`),
  ];
}
