/**
 * The members of an OCI image layout in a tar (`oci-archive:`, what `podman load` and skopeo read;
 * docker 20.10's `docker load` does not): oci-layout, index.json pointing at the image manifest by
 * digest, and the manifest, config and layer as blobs/sha256/<digest>.
 */
import { sha256 } from '../targets/bytes.js';
import type { ArchiveParts } from './docker-archive.js';
import type { TarMember } from './tar.js';

const MEDIA = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  layerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
} as const;

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

/** The OCI media type of a layer stored with this compression (OCI names no xz or bzip2 layers). */
export function ociLayerMediaType(compression: string): string | null {
  if (compression === 'none') return MEDIA.layer;
  if (compression === 'gzip') return MEDIA.layerGzip;
  if (compression === 'zstd') return MEDIA.layerZstd;
  return null;
}

export function ociArchiveMembers(parts: ArchiveParts & { layerCompression: string }): TarMember[] {
  const layerType = ociLayerMediaType(parts.layerCompression);
  if (!layerType) throw new Error(`OCI has no media type for a ${parts.layerCompression} layer`);
  const blob = (data: Uint8Array): { digest: string; size: number } => ({ digest: `sha256:${sha256(data)}`, size: data.length });
  const manifest = encode({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: { mediaType: MEDIA.config, ...blob(parts.config) },
    layers: [{ mediaType: layerType, ...blob(parts.layer) }],
  });
  const index = encode({
    schemaVersion: 2,
    manifests: [{ mediaType: MEDIA.manifest, ...blob(manifest), ...(parts.tag ? { annotations: { 'org.opencontainers.image.ref.name': parts.tag } } : {}) }],
  });
  const blobName = (data: Uint8Array): string => `blobs/sha256/${sha256(data)}`;
  return [
    { name: 'oci-layout', data: encode({ imageLayoutVersion: '1.0.0' }), mode: parts.memberMode },
    { name: 'index.json', data: index, mode: parts.memberMode },
    { name: blobName(manifest), data: manifest, mode: parts.memberMode },
    { name: blobName(parts.config), data: parts.config, mode: parts.memberMode },
    { name: blobName(parts.layer), data: parts.layer, mode: parts.memberMode },
  ];
}
