/**
 * corpus/published/: the best published files of other authors, rebuilt from their listings. The
 * committed bytes must be the published ones, each source must give them back, each must meet its
 * target (emulator, and the host kernel where it runs), and golf table / golf regress use them.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { hostElf32Works, nativeSupported } from '../../src/linux/native.js';
import { findProfile } from '../../src/linux/profile.js';
import { recordCertifier } from '../../src/results/certifiers.js';
import { certify } from '../../src/results/certify.js';
import { integrityProblems, loadPublished } from '../../src/results/published.js';
import { regress } from '../../src/results/regress.js';
import { publishedDir, resultsDir } from '../../src/targets/paths.js';
import { loadShippedTarget } from '../../src/targets/resolve.js';
import { golf } from '../targets/cli-harness.js';

const files = loadPublished();
const temporary: string[] = [];
afterAll(() => temporary.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('corpus/published', () => {
  it('holds lm978\'s 81- and 73-byte files, their relatives and a file for every shipped target', () => {
    const byName = new Map(files.map((f) => [f.name, f]));
    expect(byName.get('lm978-hello-world-81')).toMatchObject({ size: 81, target: 'hello-lower', author: 'lm978', origin: 'https://tmpout.sh/3/22.html' });
    expect(byName.get('lm978-exit42-73')).toMatchObject({ size: 73, target: 'exit42' });
    expect(byName.get('lm978-exit42-80')).toMatchObject({ size: 80, target: 'exit42' });
    expect(byName.get('lm978-hello-W-81')).toMatchObject({ size: 81, target: 'hello' });
    const x64 = files.filter((f) => f.arch === 'x86-64');
    expect(new Set(x64.map((f) => f.target))).toEqual(new Set(['hello', 'hello-lower', 'exit42', 'true']));
    // 32-bit files meet targets too, or are kept for their documented outcome (target null).
    expect(new Set(files.filter((f) => f.arch === 'i386').map((f) => f.target))).toEqual(new Set(['exit42', 'true', 'hello-lower', null]));
  });

  it.each(files.map((f) => [f.name, f] as const))('%s is byte-identical to what was published', (_name, f) => {
    expect(integrityProblems(f)).toEqual([]);
  });

  it.each(files.filter((f) => f.source).map((f) => [f.name, f] as const))('%s: its source assembles (golf asm) to the committed bytes', (_name, f) => {
    const path = join(publishedDir(), f.source!);
    expect(Buffer.from(assemble(readFileSync(path, 'utf8'), path)).equals(Buffer.from(f.bytes))).toBe(true);
  });

  it('the capital-W variant differs from lm978\'s file in byte 0x0b only', () => {
    const base = files.find((f) => f.name === 'lm978-hello-world-81')!;
    const variant = files.find((f) => f.name === 'lm978-hello-W-81')!;
    expect(variant.derivedFrom).toEqual({ file: base.name, patch: [{ offset: 0x0b, byte: 0x57 }] });
    const differing = [...variant.bytes.keys()].filter((i) => variant.bytes[i] !== base.bytes[i]);
    expect(differing).toEqual([0x0b]);
  });

  const certifier = recordCertifier(findProfile('default')!, { native: true });
  it.each(files.filter((f) => f.target !== null).map((f) => [f.name, f] as const))('%s meets its target on the emulator, and natively where it runs', async (_name, f) => {
    const c = await certify(certifier, f.bytes, loadShippedTarget(f.target!));
    expect(c.problem).toBeNull();
    // An ELF32 file runs natively only where the host has IA32 emulation; elsewhere it is emulator only.
    const hostRuns = f.arch === 'x86-64' || hostElf32Works();
    if (nativeSupported() && f.runsNatively && hostRuns) expect(c.native).toMatchObject({ ran: true, pass: true });
    if (nativeSupported() && !hostRuns) expect(c.native).toMatchObject({ ran: false, skipped: expect.stringMatching(/^emulator only; host refuses ELF32/) });
  });
});

describe('golf table and golf regress with published files', () => {
  it('golf table shows the best published file beside baseline, seed article and golf', async () => {
    const r = await golf(['table', '--json']);
    expect(r.code).toBe(0);
    const all = JSON.parse(r.stdout) as { target: string; arch?: string; bestPublished: { name: string; size: number } | null }[];
    // the x86-64 rows (i386 rows carry arch and are compared with ELF32 files: test/search/i386.test.ts)
    const rows = all.filter((row) => row.arch === undefined);
    const best = Object.fromEntries(rows.map((row) => [row.target, row.bestPublished && `${row.bestPublished.name} ${row.bestPublished.size}`]));
    expect(best).toMatchObject({ hello: 'lm978-hello-W-81 81', 'hello-lower': 'lm978-hello-world-81 81', exit42: 'lm978-exit42-73 73', true: 'ransan-true-80 80' });
    const md = await golf(['table', '--markdown']);
    expect(md.stdout).toMatch(/^\| target \| baseline \| seed article \| best published \| best \|/);
    expect(md.stdout).toMatch(/\n\| hello \| 168 B \| 164 B \| 81 B \(lm978\) \| \d+ B \|/);
  });

  it('under the portable profile, a published file that profile refuses is not shown', async () => {
    const rows = (JSON.parse((await golf(['table', '--json', '--profile', 'portable'])).stdout) as { target: string; arch?: string; bestPublished: { name: string } | null }[]).filter((row) => row.arch === undefined);
    const best = Object.fromEntries(rows.map((row) => [row.target, row.bestPublished?.name ?? null]));
    // lm978's 81-byte file relies on argc = 1 and a 4 GiB commit; his 73-byte exit(42) on the commit too.
    expect(best).toMatchObject({ hello: null, exit42: 'lm978-exit42-80' });
  });

  it('golf regress checks the published files and fails when one was altered', async () => {
    const r = await golf(['regress', '--no-native']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok {3}published lm978-hello-world-81: 81 B, target hello-lower \(emulator pass\)/);
    expect(r.stdout).toMatch(new RegExp(`and ${files.length} published files re-verified`));
    expect(r.stdout).toMatch(/ok {3}published raiter-tiny-exit42-45: 45 B, target exit42 \(emulator pass\)/);
    expect(r.stdout).toMatch(/ok {3}published raiter-hello-59: 59 B, its stated outcome \(emulator pass\)/);

    const copy = mkdtempSync(join(tmpdir(), 'golf-published-'));
    temporary.push(copy);
    cpSync(publishedDir(), copy, { recursive: true });
    const altered = new Uint8Array(readFileSync(join(copy, 'lm978-exit42-73')));
    altered[0x08] = 43; // mov dil, 43: still runs, but exits 43
    writeFileSync(join(copy, 'lm978-exit42-73'), altered);
    const report = await regress(resultsDir(), {
      certifierFor: (p) => (p === 'default' ? recordCertifier(findProfile(p)!, { native: false }) : null),
      shippedTarget: (name) => loadShippedTarget(name),
      published: { files: loadPublished(copy), profile: 'default' },
    });
    expect(report.problems.filter((p) => p.startsWith('published'))).toEqual([
      'published lm978-exit42-73: its bytes differ from the published ones (sha256)',
      expect.stringMatching(/^published lm978-exit42-73: no longer meets target "exit42": emulator: exit status 43, expected 42/),
    ]);
  });
});
