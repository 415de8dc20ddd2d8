// The end-to-end cluster scripts (scripts/test-slurm.sh, scripts/test-parallel.sh) as part of
// npm test. A script that cannot run here (no Slurm, no GNU parallel, not root) exits 77 and the
// test is skipped with the script's reason, unless GOLF_REQUIRE_CLUSTER=1 (set by .ci/run once it
// installed the packages), when a skip is a failure.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/targets/paths.js';

function runScript(name: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(packageRoot(), 'scripts', name)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const required = process.env.GOLF_REQUIRE_CLUSTER === '1';

for (const [name, what] of [['test-slurm.sh', 'a Slurm job array and its afterok merge job'], ['test-parallel.sh', 'GNU parallel, locally and over ssh']] as const) {
  describe(`cluster end to end: ${name}`, () => {
    it(`runs ${what}, and the merged file is the unsharded search's`, async (ctx) => {
      const r = await runScript(name);
      // The script's own summary lines (what ran where, how long), not the shards' logs.
      const summary = r.output.split('\n').filter((l) => /^(slurm|submitted|merge job|shards|merged|with shard|local|ssh hosts|parallel|FAIL|note)\b/.test(l));
      console.log(summary.join('\n'));
      if (r.code === 77 && !required) {
        ctx.skip();
        return;
      }
      expect(r.code, r.output.slice(-4000)).toBe(0);
    }, 900_000);
  });
}
