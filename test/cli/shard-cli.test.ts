// The sharding options of golf search and golf merge as a user types them.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { units } from '../../src/search/engine.js';
import { PARTIAL_FORMAT } from '../../src/search/partial.js';
import { coverageProblems } from '../../src/search/shard-plan.js';
import { packageRoot } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir('golf-shard-cli-');
// No file of exit42 fits in 70 bytes: shards of this space are quick, and find nothing.
const tiny = ['--target', 'exit42', '--max-size', '70', '--workers', '1'];
const recordSize = (): number => JSON.parse(readFileSync(join(packageRoot(), 'results', 'default', 'exit42.json'), 'utf8')).entries.record.size as number;

describe('golf search sharding options', () => {
  it('bad values are one line and exit 2', async () => {
    for (const args of [
      ['search', ...tiny, '--shard', 'auto'],
      ['search', ...tiny, '--shard', 'auto/0'],
      ['search', ...tiny, '--shard', 'some'],
      ['search', ...tiny, '--bound', 'small'],
      ['search', ...tiny, '--bound', '20'],
      ['search', ...tiny, '--plan'],
      ['search', ...tiny, '--shards', 'x', '--plan'],
      ['search', ...tiny, '--shards', '4', '--emit', 'condor'],
    ]) {
      const r = await golf(args, { SLURM_ARRAY_TASK_ID: '', JOB_COMPLETION_INDEX: '' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('this host refuses'))).toHaveLength(1);
    }
  });

  it('--shard auto takes a Slurm array task, and auto/N a Kubernetes completion index; a shard that finds nothing exits 0', async () => {
    const slurm = await golf(['search', ...tiny, '--shard', 'auto', '--partial', join(dir, 's.json')], { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '3' });
    expect(slurm.code, slurm.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect([s.shard.index, s.shard.count]).toEqual([2, 3]);
    expect(s.shard.source).toMatch(/SLURM_ARRAY_TASK_ID=7/);
    const k8s = await golf(['search', ...tiny, '--shard', 'auto/4', '--partial', join(dir, 'k.json')], { JOB_COMPLETION_INDEX: '1' });
    expect(k8s.code, k8s.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'k.json'), 'utf8')).shard).toMatchObject({ index: 1, count: 4 });
  });

  it('--plan shows the split: every unit once, the record as the bound', async () => {
    const r = await golf(['search', '--target', 'exit42', '--shards', '3', '--plan', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan.bound).toBe(recordSize());
    expect(plan.boundSource).toMatch(/record .*exit42\.json/);
    expect(coverageProblems(plan, units(plan.space).length)).toEqual([]);
    const text = await golf(['search', '--target', 'exit42', '--shards', '3', '--plan', '--bound', '90']);
    expect(text.stdout).toMatch(/^bound: 90 bytes \(--bound 90\)\n/);
    expect(text.stdout).toMatch(/shard 3\/3: estimated cost/);
  });

  it('--emit slurm writes a valid submit script: the array, --shard auto, a fixed bound, and the merge after all of it', async () => {
    const r = await golf(['search', '--target', 'exit42', '--shards', '5', '--workers', '2', '--emit', 'slurm']);
    expect(r.code, r.stderr).toBe(0);
    const script = r.stdout;
    writeFileSync(join(dir, 'submit.sh'), script);
    expect(spawnSync('bash', ['-n', join(dir, 'submit.sh')]).status).toBe(0);
    expect(script).toMatch(/--array=1-5 --cpus-per-task=2/);
    expect(script).toMatch(/search --target exit42 .*--bound [0-9]+ --shard auto --workers "\$\{SLURM_CPUS_PER_TASK:-1\}"/);
    expect(script).toMatch(/--dependency=afterok:"\$array" --kill-on-invalid-dep=yes/);
    expect(script).toMatch(/merge --target exit42 -o exit42 part-\*\.json --json/);
    const cmdline = await golf(['search', '--stdout', "it's \\x41", '--exit-code', '3', '--shards', '2', '--emit', 'slurm', '--no-record']);
    // A command-line target survives the quoting into the batch script.
    expect(cmdline.stdout).toContain(`--stdout 'it'\\''s \\x41' --exit-code 3`);
    expect(cmdline.stdout).toMatch(/merge --stdout .* --no-record part-\*\.json/);
  });
});

describe('golf merge input', () => {
  it('refuses partials of an older format and damaged ones, in one line with exit 2', async () => {
    writeFileSync(join(dir, 'v1.json'), JSON.stringify({ format: 'golf-search-partial/1', units: [] }));
    writeFileSync(join(dir, 'cut.json'), JSON.stringify({ format: PARTIAL_FORMAT }));
    for (const [file, message] of [['v1.json', /format golf-search-partial\/1 is from another golf version/], ['cut.json', /not a valid partial result: "target" must be a JSON object/]] as const) {
      const r = await golf(['merge', '--target', 'exit42', join(dir, file)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('says which shards are missing, and claims nothing for their units', async () => {
    const parts = [1, 2].map((i) => join(dir, `m${i}.json`));
    for (const [i, p] of parts.entries()) expect((await golf(['search', ...tiny, '--bound', 'none', '--shard', `${i + 1}/3`, '--partial', p])).code).toBe(0);
    const r = await golf(['merge', '--target', 'exit42', ...parts, '--json', '--no-record']);
    expect(r.stderr).toContain('missing shards: 3/3');
    const summary = JSON.parse(r.stdout);
    expect(summary.shards).toBe('2/3');
    expect(summary.completeness).toMatch(/^searched part of the space only/);
    expect(r.code).toBe(1);
  });
});
