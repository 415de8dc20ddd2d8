// End to end: golf's archives loaded and run by real docker and podman (started here, private
// daemon and storage). Each form is tried in both engines, so the reader table in acceptance.ts
// is measured again: an engine must run exactly the forms the table says it reads.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enginesReading, type EngineName } from '../../src/image/acceptance.js';
import { compressorAvailable, type Compression } from '../../src/image/compression.js';
import { golf } from '../targets/cli-harness.js';
import { startTestEngines, type TestEngines } from './engines.js';
import { tempDir } from '../helpers/temp.js';

let engines: TestEngines;
const out = tempDir('golf-image-e2e-');

beforeAll(async () => {
  engines = await startTestEngines();
  for (const m of engines.missing) console.log(`image end-to-end: ${m}`);
  if (!engines.docker && !engines.podman) console.log('image end-to-end: NEITHER docker NOR podman could be used here; the engine tests are skipped, not passed');
}, 120_000);
afterAll(async () => engines?.stop(), 120_000);

const available = (): EngineName[] => [...(engines.docker ? ['docker' as const] : []), ...(engines.podman ? ['podman' as const] : [])];
const verifyFlag = (): string => (available().length === 2 ? 'both' : available()[0]);

interface Verdict { engine: EngineName; outcome: string; detail: string; stdout: string | null; exitCode: number | null; removed: boolean; version: string }

async function imageJson(args: string[]): Promise<{ code: number; json: { size: number; verify: Verdict[] }; stderr: string }> {
  const r = await golf(['image', ...args, '--verify', verifyFlag(), '--json'], engines.env);
  return { code: r.code, json: JSON.parse(r.stdout), stderr: r.stderr };
}

describe('golf image in real engines', () => {
  it('the README command: results/default/hello, verified in both engines, prints their runs of Hello, World!', async (ctx) => {
    if (available().length === 0) ctx.skip();
    const r = await golf(['image', 'results/default/hello', '-o', join(out, 'hello.tar'), '--verify', verifyFlag()], engines.env);
    console.log(r.stdout);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/hello\.tar: 2591 bytes, docker-archive \(compact\)/);
    for (const e of available()) {
      expect(r.stdout).toMatch(new RegExp(`verify ${e} [^:]+: pass[^\\n]*\\n  exit status 0, stdout:\\n  \\| Hello, World!\\n`));
    }
    expect(r.stdout.match(/image removed again/g)?.length).toBe(available().length);
  });

  const forms: { label: string; args: string[]; format: 'docker-archive' | 'oci'; compress: Compression }[] = [
    ...(['none', 'gzip', 'xz', 'zstd', 'bzip2'] as const).map((c) => ({ label: `compact ${c}`, args: ['--compress', c], format: 'docker-archive' as const, compress: c })),
    { label: 'portable', args: ['--portable'], format: 'docker-archive', compress: 'none' },
    { label: 'portable xz, tagged', args: ['--portable', '--compress', 'xz', '--tag', 'golf/e2e'], format: 'docker-archive', compress: 'xz' },
    { label: 'oci', args: ['--format', 'oci'], format: 'oci', compress: 'none' },
    { label: 'oci portable', args: ['--format', 'oci', '--portable'], format: 'oci', compress: 'none' },
  ];
  for (const f of forms) {
    it(`${f.label}: runs in exactly the engines the reader table names`, async (ctx) => {
      if (available().length === 0 || !compressorAvailable(f.compress)) ctx.skip();
      const r = await imageJson(['results/default/hello', '-o', join(out, `${f.label.replace(/\W+/g, '-')}.tar`), ...f.args]);
      const readers = enginesReading(f.format, f.compress);
      console.log(`${f.label}: ${r.json.size} B; ${r.json.verify.map((v) => `${v.engine} ${v.version}: ${v.outcome} (${v.detail})`).join('; ')}`);
      for (const v of r.json.verify) {
        if (readers.includes(v.engine)) {
          expect(v.outcome, v.detail).toBe('pass');
          expect(v.stdout).toBe('Hello, World!\n');
          expect(v.exitCode).toBe(0);
        } else {
          expect(v.outcome, `${v.engine} was expected to refuse ${f.label}`).toBe('fail');
          expect(v.detail).toMatch(/load refused the archive/);
        }
        // Removed again when it loaded; a refused archive left nothing to remove.
        expect(v.removed).toBe(v.outcome === 'pass');
      }
      expect(r.code).toBe(r.json.verify.every((v) => v.outcome === 'pass') ? 0 : 1);
    });
  }

  it('passes the exit status through, and fails when the run differs from the target', async (ctx) => {
    if (available().length === 0) ctx.skip();
    const ok = await imageJson(['results/default/exit42', '-o', join(out, 'exit42.tar')]);
    expect(ok.code).toBe(0);
    for (const v of ok.json.verify) expect([v.outcome, v.exitCode]).toEqual(['pass', 42]);
    const bad = await imageJson(['results/default/exit42', '-o', join(out, 'exit42b.tar'), '--target', 'hello']);
    expect(bad.code).toBe(1);
    for (const v of bad.json.verify) expect(v.detail).toMatch(/ran it: stdout \(nothing\), target "Hello, World!\\n"; exit status 42, target 0/);
  });

  it('leaves no image behind in either engine', async (ctx) => {
    if (available().length === 0) ctx.skip();
    for (const e of available()) {
      const r = spawnSync(e, ['images', '-q'], { env: { ...process.env, ...engines.env }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim(), `${e} images`).toBe('');
    }
  });
});
