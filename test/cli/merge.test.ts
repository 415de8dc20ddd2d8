// golf merge: takes the target from the partials, re-verifies the best file before writing it,
// and refuses damaged partials with one line and exit 2.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { programsDir, resultsDir } from '../../src/targets/paths.js';
import { runGolf } from '../helpers/golf.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('golf-merge-');
const p1 = join(dir, 'p1.json');
const p2 = join(dir, 'p2.json');

beforeAll(async () => {
  for (const [shard, path] of [['1/2', p1], ['2/2', p2]] as const) {
    const r = await runGolf(['search', '--target', 'exit42', '--workers', '2', '--shard', shard, '--partial', path]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 300_000);

/** A copy of p1 changed by `edit`, written next to it. */
function edited(name: string, edit: (p: Record<string, any>) => void): string {
  const p = JSON.parse(readFileSync(p1, 'utf8')) as Record<string, any>;
  edit(p);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(p));
  return path;
}

describe('golf merge', () => {
  it('takes the target from the partials, re-verifies the winner and writes it', async () => {
    const out = join(dir, 'exit42');
    const r = await runGolf(['merge', p1, p2, '--no-record', '--json', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.toString()) as Record<string, any>;
    expect(summary).toMatchObject({ target: 'exit42', pass: true, output: out, shards: '2/2' });
    expect(summary.verification.emulator.environments).toBeGreaterThan(1);
    expect(readFileSync(out).toString('hex')).toBe(summary.hex);
  });

  it('reads one partial from stdin (-) and offers the winner to --results', async () => {
    const copy = tempDir('golf-merge-results-');
    cpSync(resultsDir(), copy, { recursive: true });
    const r = await runGolf(['merge', '-', p2, '--json', '--results', copy], { stdin: readFileSync(p1) });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout.toString()) as { record: { path: string } }).record.path).toBe(join(copy, 'default', 'exit42.json'));
  });

  it('refuses (exit 2) a consistent partial whose claimed file does not produce the target, and writes nothing', async () => {
    // Shard 1's winner replaced by a file of the same size that only starts like an ELF file: the
    // same unit, under the plan's bound, well-formed, so only running it again can tell.
    const forged = edited('forged.json', (p) => {
      const unit = p.units.find((u: { best: unknown }) => u.best);
      unit.best = { size: unit.best.size, hex: '7f454c46' + '00'.repeat(unit.best.size - 4) };
      p.best = unit.best;
    });
    const out = join(dir, 'forged-out');
    const r = await runGolf(['merge', forged, p2, '-o', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^golf: .*forged\.json: unit \d+ \(P=\d+\) claims a \d+-byte file that does not produce the target$/m);
  });

  it.each([
    ['truncated', (path: string) => writeFileSync(path, readFileSync(p1, 'utf8').slice(0, 200)), /not JSON/],
    // Format 2 was two different formats on two branches; both are refused, neither half-read.
    ['an older format', (path: string) => writeFileSync(path, readFileSync(p1, 'utf8').replace('golf-search-partial/3', 'golf-search-partial/2')), /format golf-search-partial\/2 is from another golf version/],
    ['a best file not among its units', () => edited('best.json', (p) => { p.best = { size: 1, hex: '00' }; }), /"best" is not the best of its units/],
    ['hex not matching its size', () => edited('size.json', (p) => { p.units.find((u: { best: unknown }) => u.best).best.size += 1; }), /size is \d+ but .*hex holds/],
    ['a shard index out of range', () => edited('shard.json', (p) => { p.shard.index = 5; }), /"shard" 6\/2 is not a shard/],
    ['a unit of another shard', () => edited('unit.json', (p) => { p.units[0].unit.index += 1; }), /does not belong to shard 1\/2/],
    ['an edited target', () => edited('target.json', (p) => { p.target.exitCode = 43; }), /"target.fingerprint" does not match/],
    ['a missing field', () => edited('field.json', (p) => { delete p.nodes; }), /nodes must be a whole number/],
    ['an edited plan', () => edited('plan.json', (p) => { p.plan.shards.reverse(); }), /"plan.fingerprint" does not match the plan/],
    ['no first pass list', () => edited('first.json', (p) => { delete p.firstPass; }), /"firstPass" must be a list/],
  ])('a partial with %s: "not a valid partial result", exit 2, one line', async (_what, make, why) => {
    const path = join(dir, 'damaged.json');
    const file = make(path) ?? path;
    const r = await runGolf(['merge', file, p2, '-o', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^golf: .*: not a valid partial result: /);
    expect(r.stderr).toMatch(why);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('refuses a --target the partials were not made for, and partials of different searches', async () => {
    const wrong = await runGolf(['merge', '--target', 'true', p1, p2]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^golf: the partial results were made for target exit42/);
    const other = edited('seed.json', (p) => { p.seed = 7; });
    const mixed = await runGolf(['merge', p1, other]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/come from different searches: seeds differ/);
  });
});
