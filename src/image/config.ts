/**
 * The image configuration JSON both archive formats carry: platform, entry point and the layer's
 * diff_id, nothing else (no creation time, history or environment, so it is deterministic).
 * docker's and podman's config readers and the OCI image spec read these same fields.
 */

export const PLATFORM = { architecture: 'amd64', os: 'linux' } as const;

export function imageConfig(entry: string, diffId: string): Uint8Array {
  const config = {
    ...PLATFORM,
    config: { Entrypoint: [entry] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
  };
  return new TextEncoder().encode(JSON.stringify(config));
}
