/**
 * The published 32-bit (ELF32) files of corpus/published/: `golf run` gives each one's documented
 * outcome under every profile its manifest entry names (Raiter's 45-byte exit(42) exits 42 under the
 * default profile; every ELF32 file fails with ENOEXEC without IA32 emulation, as on this machine),
 * also under other file names where argv[0] decides; golf table shows the smallest one that meets
 * a target in the i386 rows only.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostElf32Works, nativeSupported } from '../../src/linux/native.js';
import { loadPublished, publishedRunPath, type PublishedFile } from '../../src/results/published.js';
import { golf } from '../targets/cli-harness.js';

const elf32 = loadPublished().filter((f) => f.arch === 'i386');
const temporary: string[] = [];
afterAll(() => temporary.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** golf run's outcome in the manifest's words, from its --json report. */
async function golfRun(path: string, profile: string | null): Promise<string> {
  const r = await golf(['run', path, '--json', ...(profile ? ['--profile', profile] : ['--native'])]);
  const j = JSON.parse(r.stdout) as { outcome: string; exitCode: number | null; signal: string | null; execError: string | null };
  if (j.outcome === 'exited') return `exited ${j.exitCode}`;
  if (j.outcome === 'killed') return `killed ${j.signal}`;
  if (j.outcome === 'exec-failed') return `exec-failed ${j.execError}`;
  return j.outcome;
}

describe('published ELF32 files', () => {
  it('are at least ten, each with its origin, author, documented behaviour and outcomes', () => {
    expect(elf32.length).toBeGreaterThanOrEqual(10);
    for (const f of elf32) {
      expect(f.origin).toMatch(/^https?:\/\//);
      expect(f.documented).toBeTruthy();
      expect(Object.keys(f.outcomes)).toEqual(expect.arrayContaining(['default', 'no-ia32']));
    }
    expect(elf32.find((f) => f.name === 'raiter-tiny-exit42-45')).toMatchObject({ size: 45, target: 'exit42', outcomes: { default: 'exited 42' } });
  });

  it.each(elf32.map((f) => [f.name, f] as const))('%s: golf run gives the documented outcome under each profile', async (_name, f: PublishedFile) => {
    for (const [profile, outcome] of Object.entries(f.outcomes)) {
      expect(`${profile}: ${await golfRun(publishedRunPath(f), profile)}`).toBe(`${profile}: ${outcome}`);
    }
  });

  it('raiter-true-45 exits 0 as true and 1 as false', async () => {
    const f = elf32.find((x) => x.name === 'raiter-true-45')!;
    const dir = mkdtempSync(join(tmpdir(), 'golf-true-'));
    temporary.push(dir);
    expect(Object.keys(f.runAs)).toEqual(['true', 'false']);
    for (const [name, outcome] of Object.entries(f.runAs)) {
      copyFileSync(publishedRunPath(f), join(dir, name));
      expect(`${name}: ${await golfRun(join(dir, name), 'default')}`).toBe(`${name}: ${outcome}`);
    }
  });

  it.runIf(nativeSupported() && !hostElf32Works())('this host refuses them: ENOEXEC natively and under the host profile', async () => {
    for (const f of elf32.slice(0, 3)) {
      expect(await golfRun(publishedRunPath(f), null)).toBe('exec-failed ENOEXEC');
      expect(await golfRun(publishedRunPath(f), 'host')).toBe('exec-failed ENOEXEC');
    }
  });
});
