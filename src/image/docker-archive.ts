/**
 * The members of a docker-archive (the format of `docker save`, read by `docker load` and by
 * podman and skopeo as `docker-archive:`): manifest.json, which names the config and the layer,
 * the config JSON and the layer. Both engines find members by the names manifest.json gives,
 * so the short names of the compact form ("c", "l") are as good as docker save's digests.
 */
import { sha256 } from '../targets/bytes.js';
import type { TarMember } from './tar.js';

export interface ArchiveParts {
  config: Uint8Array;
  /** The layer as stored: the tar, or the tar compressed. */
  layer: Uint8Array;
  /** Repository tag ("name:tag"), or null to leave the image nameless (the engines then give its ID). */
  tag: string | null;
  /** Short member names (compact) or content-addressed ones (portable). */
  naming: 'short' | 'digest';
  /**
   * Permission bits of these members (not of the executable, which is inside the layer): 0o644 as
   * docker save writes, or 0, which some compressors like better. Loaders read them as root or
   * straight from the tar stream, so neither matters to them.
   */
  memberMode: number;
}

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

export function dockerArchiveMembers(parts: ArchiveParts): TarMember[] {
  const configName = parts.naming === 'short' ? 'c' : `${sha256(parts.config)}.json`;
  const layerName = parts.naming === 'short' ? 'l' : `${sha256(parts.layer)}.tar`;
  // Key order as docker save writes it; RepoTags left out when there is no tag (both engines allow it).
  const manifest = [{ Config: configName, ...(parts.tag ? { RepoTags: [parts.tag] } : {}), Layers: [layerName] }];
  return [
    { name: 'manifest.json', data: encode(manifest), mode: parts.memberMode },
    { name: configName, data: parts.config, mode: parts.memberMode },
    { name: layerName, data: parts.layer, mode: parts.memberMode },
  ];
}
