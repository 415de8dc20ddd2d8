// Images in results/: the optional "image" field survives a round trip, golf table shows it next to
// the seed article's image, and golf regress catches a form that grew.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord, serializeRecord } from '../../src/results/record.js';
import { resultsDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

describe('record images', () => {
  it('the committed hello record states its images, and parsing and writing keep them unchanged', () => {
    const text = readFileSync(join(resultsDir(), 'default', 'hello.json'), 'utf8');
    const record = parseRecord(text, 'hello.json');
    expect(record.image?.forms.none?.size).toBe(2591);
    expect(record.image?.forms.none?.verified.map((v) => v.engine).sort()).toEqual(['docker', 'podman']);
    expect(serializeRecord(record)).toBe(text);
    // A record without images (the format before them) is still valid.
    const old = JSON.parse(text);
    delete old.image;
    expect(parseRecord(JSON.stringify(old), 'old.json').image).toBeUndefined();
  });

  it('golf table shows the image columns next to the seed article image', async () => {
    const r = await golf(['table', '--json']);
    const hello = JSON.parse(r.stdout).find((row: { target: string }) => row.target === 'hello');
    expect(hello.image.tar).toBe(2591);
    expect(hello.image.compressed.size).toBeLessThanOrEqual(400);
    expect(hello.image.verifiedBy.join(' ')).toMatch(/docker .*podman /);
    expect(hello.seedImage).toEqual({ tar: 11264, compressed: 1180 });
    const md = await golf(['table', '--markdown']);
    expect(md.stdout).toMatch(/\| image tar \/ compressed \| seed article image \|/);
    expect(md.stdout).toMatch(/\| hello \|.*\| 2591 B \/ \d{3} B (xz|bzip2) \(ran in docker, podman\) \| 11264 \/ 1180 B \|/);
  });

  it('golf regress fails when an image form grew, and only notes an image of an earlier best file', async () => {
    const dir = tempDir('golf-image-regress-');
    cpSync(resultsDir(), dir, { recursive: true });
    const hello = join(dir, 'default', 'hello.json');
    const h = JSON.parse(readFileSync(hello, 'utf8'));
    h.image.forms.none.size = 2590;
    writeFileSync(hello, JSON.stringify(h, null, 2));
    const exit42 = join(dir, 'default', 'exit42.json');
    const e = JSON.parse(readFileSync(exit42, 'utf8'));
    e.image.file = '0'.repeat(64);
    writeFileSync(exit42, JSON.stringify(e, null, 2));
    const r = await golf(['regress', '--results', dir, '--no-native']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/regression: .*hello\.json: image none grew from 2590 to 2591 bytes/);
    expect(r.stdout).toMatch(/note .*exit42\.json: the image is of an earlier best file/);
    expect(r.stdout).not.toMatch(/regression: .*exit42/);
    expect(r.stdout).toMatch(/image runs skipped \(--no-native\)/);
  });
});
