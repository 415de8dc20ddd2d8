import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildImage, type ImageRequest } from '../../src/image/build.js';
import { COMPRESSIONS, compressorAvailable } from '../../src/image/compression.js';
import { readRecord } from '../../src/results/store.js';
import { bestEntry } from '../../src/results/summary.js';
import { sha256 } from '../../src/targets/bytes.js';
import { resultsDir } from '../../src/targets/paths.js';
import { join } from 'node:path';
import { gnuTarAvailable, gnuTarExtract, gnuTarList, pythonAvailable, pythonTarList } from './tar-reader.js';

const hello = bestEntry(readRecord(join(resultsDir(), 'default', 'hello.json'))!)![1].bytes;
const request = (over: Partial<ImageRequest> = {}): ImageRequest => ({ executable: hello, entry: '/x', tag: null, format: 'docker-archive', style: 'compact', compress: 'none', ...over });

/** Reads a compact or portable archive the way Go's archive/tar does: header, data, padding unless at EOF. */
function members(tar: Uint8Array): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  let at = 0;
  while (at < tar.length) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const name = new TextDecoder().decode(h.subarray(0, 100)).replace(/\0.*$/s, '');
    const size = parseInt(new TextDecoder().decode(h.subarray(124, 136)).replace(/[\0 ]/g, '') || '0', 8);
    out.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
const json = (b: Uint8Array | undefined): any => JSON.parse(new TextDecoder().decode(b));

describe('image archives', () => {
  it('default: 2,591 bytes for the hello record, the floor of a three-member docker-archive', () => {
    const img = buildImage(request());
    // 3 headers + 2 members padded to one block each + the 31-byte manifest, unpadded, last.
    expect(img.bytes.length).toBe(3 * 512 + 2 * 512 + 31);
    expect(img.members.map((m) => m.name).at(-1)).toBe('manifest.json');
    expect(img.layer.compression).toBe('gzip');
  });

  it('holds a manifest, a config (amd64, linux, Entrypoint, the diff_id of the layer) and the layer with the file at mode 0755', () => {
    const img = buildImage(request());
    const m = members(img.bytes);
    const manifest = json(m.get('manifest.json'));
    expect(manifest).toEqual([{ Config: 'c', Layers: ['l'] }]);
    const config = json(m.get('c'));
    expect(config).toEqual({ architecture: 'amd64', os: 'linux', config: { Entrypoint: ['/x'] }, rootfs: { type: 'layers', diff_ids: [expect.stringMatching(/^sha256:[0-9a-f]{64}$/)] } });
    expect(img.imageId).toBe(`sha256:${sha256(m.get('c')!)}`);
    const layer = new Uint8Array(gunzipSync(m.get('l')!));
    expect(config.rootfs.diff_ids[0]).toBe(`sha256:${sha256(layer)}`);
    const inner = members(layer);
    expect([...inner.keys()]).toEqual(['x']);
    expect(Array.from(inner.get('x')!)).toEqual(Array.from(hello));
    expect(new TextDecoder().decode(layer.subarray(100, 108)).replace(/\0/g, '')).toBe('755');
  });

  it('is the same bytes every time, for every compression', () => {
    for (const compress of COMPRESSIONS.filter(compressorAvailable)) {
      expect(buildImage(request({ compress })).sha256, compress).toBe(buildImage(request({ compress })).sha256);
    }
    expect(buildImage(request({ style: 'portable' })).sha256).toBe(buildImage(request({ style: 'portable' })).sha256);
  });

  it.runIf(compressorAvailable('xz') && compressorAvailable('bzip2'))('compressed forms both engines read are at most 400 bytes', () => {
    for (const compress of ['xz', 'bzip2'] as const) {
      const img = buildImage(request({ compress }));
      expect(img.bytes.length, compress).toBeLessThanOrEqual(400);
    }
    // xz carries a CRC32 check: podman's xz reader refuses check=none (stream flags byte 1 = 0x01).
    const xz = buildImage(request({ compress: 'xz' })).bytes;
    expect(Array.from(xz.subarray(0, 8))).toEqual([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x01]);
  });

  it('a tag goes into RepoTags, which only lengthens the last member', () => {
    const img = buildImage(request({ tag: 'golf/hello:latest' }));
    expect(json(members(img.bytes).get('manifest.json'))).toEqual([{ Config: 'c', RepoTags: ['golf/hello:latest'], Layers: ['l'] }]);
    expect(img.bytes.length).toBe(2591 + ',"RepoTags":["golf/hello:latest"]'.length);
  });

  it('--entry puts the file there and makes it the Entrypoint', () => {
    const img = buildImage(request({ entry: '/bin/hello', compress: 'none' }));
    const m = members(img.bytes);
    expect(json(m.get('c')).config.Entrypoint).toEqual(['/bin/hello']);
  });

  it.runIf(gnuTarAvailable)('portable: GNU tar lists and extracts the archive and its layer; the executable is intact, mode 0755', () => {
    const img = buildImage(request({ style: 'portable' }));
    const list = gnuTarList(img.bytes);
    expect(list.status, list.stderr).toBe(0);
    const manifest = json(members(img.bytes).get('manifest.json'));
    const layerName = manifest[0].Layers[0];
    const layer = gnuTarExtract(img.bytes, layerName).data;
    expect(gnuTarList(layer).stdout).toMatch(new RegExp(`-rwxr-xr-x 0/0\\s+${hello.length} 1970-01-01 00:00 x`));
    const x = gnuTarExtract(layer, 'x');
    expect(Array.from(x.data)).toEqual(Array.from(hello));
    expect(x.mode).toBe(0o755);
    // docker save's naming: content-addressed config and layer.
    expect(manifest[0].Config).toBe(`${sha256(members(img.bytes).get(manifest[0].Config)!)}.json`);
  });

  it.runIf(pythonAvailable)("portable: Python's tarfile reads it", () => {
    const r = pythonTarList(buildImage(request({ style: 'portable' })).bytes);
    expect(r.error).toBe('');
    expect(r.members.map((m) => m.name)[0]).toBe('manifest.json');
  });

  it('OCI layout: index.json points at the manifest blob, which points at config and layer blobs by digest', () => {
    const img = buildImage(request({ format: 'oci' }));
    const m = members(img.bytes);
    expect(json(m.get('oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = json(m.get('index.json'));
    const manifestBlob = m.get(`blobs/sha256/${index.manifests[0].digest.slice(7)}`)!;
    expect(sha256(manifestBlob)).toBe(index.manifests[0].digest.slice(7));
    const manifest = json(manifestBlob);
    for (const d of [manifest.config, ...manifest.layers]) {
      const blob = m.get(`blobs/sha256/${d.digest.slice(7)}`)!;
      expect(blob.length).toBe(d.size);
      expect(sha256(blob)).toBe(d.digest.slice(7));
    }
    expect(manifest.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
  });
});
