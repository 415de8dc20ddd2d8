/**
 * Building an image archive: the smallest of a fixed, ordered list of candidate layouts for the
 * requested format, mode and compression. The candidates differ in what the engines do not care
 * about: the order of the archive's members (only the last one goes unpadded, and the order
 * changes what a compressor finds) and whether the layer inside is gzip-compressed (a gzip layer
 * fits one 512-byte block; an uncompressed one compresses better inside a compressed archive).
 * The list and its tie-break are fixed, so the same input always gives the same bytes.
 */
import { sha256 } from '../targets/bytes.js';
import { compress, type Compression } from './compression.js';
import { imageConfig } from './config.js';
import { dockerArchiveMembers } from './docker-archive.js';
import { buildLayer } from './layer.js';
import { ociArchiveMembers } from './oci-archive.js';
import { writeTar, type TarMember, type TarStyle } from './tar.js';

export const FORMATS = ['docker-archive', 'oci'] as const;
export type ImageFormat = (typeof FORMATS)[number];

export interface ImageRequest {
  executable: Uint8Array;
  /** Absolute path of the executable inside the image, and the Entrypoint. */
  entry: string;
  /** "name:tag", or null for no tag. */
  tag: string | null;
  format: ImageFormat;
  /** compact: smallest archive the engines read; portable: standard tar every reader takes. */
  style: TarStyle;
  compress: Compression;
}

export interface BuiltImage {
  bytes: Uint8Array;
  sha256: string;
  request: ImageRequest;
  /** Member names in archive order. */
  members: { name: string; size: number; mode: number }[];
  layer: { compression: Compression; settings: string; size: number; diffId: string };
  /** The settings of the outer compression ("none" when uncompressed). */
  settings: string;
  /** The image ID both engines give it: the SHA-256 of its config. */
  imageId: string;
  /** How many candidate layouts were compared. */
  candidates: number;
}

/** Every order of the members, in a fixed order (lexicographic by original position). */
function orders<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

interface Candidate {
  layerCompression: Compression;
  memberMode: number;
  order: number[];
}

function candidates(request: ImageRequest, memberCount: number): Candidate[] {
  const indices = Array.from({ length: memberCount }, (_, i) => i);
  // portable: the layout docker save uses (manifest first, uncompressed layer), nothing to search.
  if (request.style === 'portable') return [{ layerCompression: 'none', memberMode: 0o644, order: indices }];
  // Three members (docker-archive): every order. More (OCI): each member last, the rest as given,
  // since the last member is what padding depends on and 120 orders would cost seconds to compress.
  const layouts = memberCount <= 3 ? orders(indices) : indices.map((last) => [...indices.filter((i) => i !== last), last]);
  const layerKinds: Compression[] = ['gzip', 'none'];
  return layerKinds.flatMap((layerCompression) =>
    [0o644, 0].flatMap((memberMode) => layouts.map((order) => ({ layerCompression, memberMode, order }))),
  );
}

function membersFor(request: ImageRequest, config: Uint8Array, layer: Uint8Array, layerCompression: Compression, memberMode: number): TarMember[] {
  const parts = { config, layer, tag: request.tag, naming: request.style === 'compact' ? ('short' as const) : ('digest' as const), memberMode };
  return request.format === 'oci' ? ociArchiveMembers({ ...parts, layerCompression }) : dockerArchiveMembers(parts);
}

/** How many of the best-ranked candidates get the compressor's full grid of settings. */
const FINALISTS = 3;

export function buildImage(request: ImageRequest): BuiltImage {
  const layer = buildLayer(request.executable, request.entry, request.style);
  const config = imageConfig(request.entry, layer.diffId);
  const memberCount = membersFor(request, config, layer.tar, 'none', 0o644).length;
  const stored = new Map<Compression, { bytes: Uint8Array; settings: string }>();
  const all = candidates(request, memberCount).map((c) => {
    if (!stored.has(c.layerCompression)) stored.set(c.layerCompression, compress(c.layerCompression, layer.tar));
    const layerBytes = stored.get(c.layerCompression)!;
    const members = membersFor(request, config, layerBytes.bytes, c.layerCompression, c.memberMode);
    const ordered = c.order.map((i) => members[i]);
    const tar = writeTar(ordered, request.style);
    return { candidate: c, layerBytes, ordered, tar, rank: compress(request.compress, tar, 'quick').bytes.length };
  });
  // Rank by the compressor's first setting, then give the best few the whole grid. A stable sort
  // keeps the fixed candidate order among equals, so the choice is deterministic.
  const finalists = all.slice().sort((a, b) => a.rank - b.rank).slice(0, request.compress === 'none' ? 1 : FINALISTS);
  let best: BuiltImage | null = null;
  for (const f of finalists) {
    const outer = compress(request.compress, f.tar);
    if (best && outer.bytes.length >= best.bytes.length) continue;
    best = {
      bytes: outer.bytes,
      sha256: sha256(outer.bytes),
      request,
      members: f.ordered.map((m) => ({ name: m.name, size: m.data.length, mode: m.mode })),
      layer: { compression: f.candidate.layerCompression, settings: f.layerBytes.settings, size: f.layerBytes.bytes.length, diffId: layer.diffId },
      settings: outer.settings,
      imageId: `sha256:${sha256(config)}`,
      candidates: all.length,
    };
  }
  return best!;
}
