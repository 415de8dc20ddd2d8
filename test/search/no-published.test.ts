// Published files are for comparison only, never inputs to a search: golf search must reach the
// hand-made record (lm978's 81 bytes) in a copy of the repository that has no corpus/published/
// and no records at all, and the file it finds must run on this kernel.
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEmulated } from '../../src/linux/emulate.js';
import { packageRoot } from '../../src/targets/paths.js';
import { runGolf } from '../helpers/golf.js';
import { tempDir } from '../helpers/temp.js';

/** The built golf with the targets but without corpus/published/ and with an empty results/. */
function copyWithoutPublished(): string {
  const src = packageRoot();
  const root = tempDir('golf-nopub-');
  cpSync(join(src, 'package.json'), join(root, 'package.json'));
  cpSync(join(src, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(src, 'dist'), join(root, 'dist'), { recursive: true, filter: (p) => !p.endsWith('vitest-report.json') });
  cpSync(join(src, 'corpus'), join(root, 'corpus'), { recursive: true, filter: (p) => !p.startsWith(join(src, 'corpus', 'published')) });
  mkdirSync(join(root, 'results'));
  symlinkSync(join(src, 'node_modules'), join(root, 'node_modules'));
  return root;
}

describe('search without the published corpus', () => {
  it('finds an 81-byte Hello, World! with corpus/published/ absent, it passes natively, and its proof finds no file of at most 80 bytes', async () => {
    const root = copyWithoutPublished();
    expect(existsSync(join(root, 'corpus', 'published'))).toBe(false);
    expect(existsSync(join(root, 'corpus', 'targets', 'hello.json'))).toBe(true);
    const out = join(root, 'hello');
    // the proof's time is raised from the default 600 s so that a loaded CI machine cannot cut it:
    // what is checked is its claim, not its speed (about 480 s on this 2-core machine)
    const r = await runGolf(['search', '--target', 'hello', '--max-size', '81', '--prove-time', '1500', '--workers', '2', '--no-record', '--json', '-o', out], { cwd: root, timeoutMs: 1_800_000 });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.toString()) as { size: number; native: string; completeness: string; proof: { complete: boolean; maxSize: number } | null };
    expect(summary.size).toBeLessThanOrEqual(81);
    if (summary.size === 81) {
      expect(summary.proof).toMatchObject({ complete: true, maxSize: 80 });
      expect(summary.completeness).toBe('exhausted all layouts and code up to 80 bytes in this space: no smaller file exists in it (finished)');
    }
    // this machine runs x86-64 ELF files natively: the search's own native check must have passed
    expect(summary.native).toBe('pass');
    const file = new Uint8Array(readFileSync(out));
    expect(file.length).toBe(summary.size);
    const run = runEmulated(file, { seed: 3 });
    expect([run.outcome, run.exitCode, Buffer.from(run.stdout).toString()]).toEqual(['exited', 0, 'Hello, World!\n']);
  }, 1_800_000);
});
