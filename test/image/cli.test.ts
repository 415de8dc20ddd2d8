// golf image's command line: bad input gets one line on stderr and a documented exit status.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseTag } from '../../src/image/tag.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('golf-image-cli-');
const oneLine = (stderr: string): void => expect(stderr.trim().split('\n'), stderr).toHaveLength(1);

describe('golf image: input and output', () => {
  it('writes the default archive from a record path without .json, the same bytes twice', async () => {
    const a = await golf(['image', 'results/default/hello', '-o', join(dir, 'a.tar')]);
    const b = await golf(['image', 'results/default/hello.json', '-o', join(dir, 'b.tar'), '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/a\.tar: 2591 bytes, docker-archive \(compact\), uncompressed/);
    expect(a.stdout).toMatch(/relies on: an unpadded last member/);
    expect(readFileSync(join(dir, 'a.tar'))).toEqual(readFileSync(join(dir, 'b.tar')));
    const json = JSON.parse(b.stdout);
    expect(json).toMatchObject({ size: 2591, format: 'docker-archive', style: 'compact', compress: 'none', loadsIn: ['docker', 'podman'] });
  });

  it('takes a plain ELF file', async () => {
    const elf = join(dir, 'hello');
    const record = JSON.parse(readFileSync('results/default/hello.json', 'utf8'));
    writeFileSync(elf, Buffer.from(record.entries.record.hex.join(''), 'hex'));
    const r = await golf(['image', elf, '-o', join(dir, 'c.tar'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).size).toBe(2591);
  });

  it('refuses a missing FILE', async () => {
    const r = await golf(['image', join(dir, 'nope'), '-o', join(dir, 'x.tar')]);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/^golf: .*nope: no such file$/m);
  });

  it('refuses a non-ELF FILE unless --force', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello\n');
    const r = await golf(['image', text, '-o', join(dir, 'n.tar')]);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/is not an ELF executable: it does not start with the ELF magic 7f 45 4c 46 \(starts with 68 65 6c 6c\) \(give --force/);
    expect(existsSync(join(dir, 'n.tar'))).toBe(false);
    const forced = await golf(['image', text, '-o', join(dir, 'n.tar'), '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/warning: .* is not an ELF executable/);
  });

  it('refuses an unwritable OUT with exit 1', async () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const target = process.getuid?.() === 0 ? join(dir, 'no-such-dir', 'x.tar') : join(ro, 'x.tar'); // root writes anywhere
    const r = await golf(['image', 'results/default/hello', '-o', target]);
    expect(r.code).toBe(1);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/^golf: cannot write .*x\.tar \((ENOENT|EACCES)\)$/m);
  });

  it('refuses a bad tag, a bad entry, an unknown compression or format, and a missing -o', async () => {
    const cases: [string[], RegExp][] = [
      [['--tag', 'Hello/World'], /bad --tag "Hello\/World": repository names are lower-case/],
      [['--tag', 'golf/hello:-x'], /bad --tag .*a tag is 1 to 128/],
      [['--tag', 'golf@sha256:00'], /a digest/],
      [['--entry', 'x'], /--entry must be an absolute path/],
      [['--entry', '/a/../x'], /each path component/],
      [['--compress', 'lz4'], /--compress must be one of none, gzip, xz, zstd, bzip2/],
      [['--format', 'tar'], /--format must be one of docker-archive, oci/],
      [['--verify', 'lxc'], /--verify must be one of docker, podman/],
    ];
    for (const [args, message] of cases) {
      const r = await golf(['image', 'results/default/hello', '-o', join(dir, 'bad.tar'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r.stderr);
      expect(r.stderr).toMatch(message);
    }
    const noOut = await golf(['image', 'results/default/hello']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/give the archive to write with -o OUT/);
  });

  it('--verify without a target to compare with is a usage error', async () => {
    const file = join(dir, 'other');
    writeFileSync(file, Buffer.from('7f454c46', 'hex'));
    const r = await golf(['image', file, '-o', join(dir, 'o.tar'), '--verify', 'docker']);
    expect(r.code).toBe(2);
    oneLine(r.stderr);
    expect(r.stderr).toMatch(/--verify needs a target/);
  });

  it('an engine that is missing, or whose daemon is not running, is one line naming the fix, exit 3', async () => {
    // A PATH without docker or podman: golf itself runs from process.execPath.
    const empty = tempDir('golf-empty-path-');
    const missing = await golf(['image', 'results/default/hello', '-o', join(dir, 'm.tar'), '--verify', 'podman'], { PATH: empty });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^golf: podman is not installed \(install it with: apt-get install podman runc\)$/m);
    expect(missing.stdout).toMatch(/verify podman: not available/);
    const down = await golf(['image', 'results/default/hello', '-o', join(dir, 'd.tar'), '--verify', 'docker'], { DOCKER_HOST: `unix://${join(dir, 'no-daemon.sock')}` });
    if (/not installed/.test(down.stderr)) return; // no docker client here: the case above already covers it
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^golf: the docker daemon is not running at unix:\/\/.*no-daemon\.sock \(start it with: (systemctl start docker|dockerd .*&)\)$/m);
  });
});

describe('golf search --image', () => {
  it("writes the winner's image beside the search's own output, keeping --json one document", async () => {
    const out = join(dir, 'search.tar');
    const r = await golf(['search', '--target', 'exit42', '--no-record', '--workers', '1', '--image', out, '--json', '-o', join(dir, 'exit42')]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(r.stderr).toMatch(new RegExp(`image: .*search\\.tar, 2591 bytes`));
    const image = readFileSync(out);
    expect(image.length).toBe(2591);
    // The same archive golf image writes for that winner.
    const elf = join(dir, 'winner');
    writeFileSync(elf, Buffer.from(summary.hex, 'hex'));
    await golf(['image', elf, '-o', join(dir, 'winner.tar')]);
    expect(readFileSync(join(dir, 'winner.tar'))).toEqual(image);
  });
});

describe('tags', () => {
  it('normalises names as docker does and refuses what docker load would', () => {
    expect(normaliseTag('golf/hello')).toBe('golf/hello:latest');
    expect(normaliseTag('golf/hello:v1')).toBe('golf/hello:v1');
    expect(normaliseTag('localhost:5000/a/b_c__d-e:1.0')).toBe('localhost:5000/a/b_c__d-e:1.0');
    expect(normaliseTag('registry.example.org/x')).toBe('registry.example.org/x:latest');
    for (const bad of ['', 'UPPER', 'a//b', 'a/-b', 'a:', 'a:' + 'x'.repeat(129), 'a@sha256:abc', 'a b']) {
      expect(() => normaliseTag(bad), bad).toThrow(/^bad --tag/);
    }
  });
});
