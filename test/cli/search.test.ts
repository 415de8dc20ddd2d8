import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/cli/options.js';

// The built CLI (npm test builds it first), run as a user would.
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = spawnSync(process.execPath, ['bin/golf.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe('golf search / merge / explain command lines', () => {
  it('--help shows examples', async () => {
    for (const cmd of ['search', 'merge', 'explain']) {
      const r = await run([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Examples:');
    }
  });

  it('bad input is one line and exit code 2', async () => {
    for (const args of [
      ['search', '--target', 'no-such-target'],
      ['search', '--target', 'exit42', '--shard', '3/2'],
      ['search', '--target', 'exit42', '--workers', 'many'],
      ['search', '--target', 'exit42', '--profile', 'nope'],
      ['search', '--target', 'exit42', '--max-nodes', '-1'],
      ['explain', '/nonexistent/file'],
      ['merge', '--target', 'exit42', '/nonexistent/part.json'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('parses shards as 1-based I/N', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(() => parseShard('0/4')).toThrow();
  });

  it('--exact walks with no node limit unless --max-nodes says otherwise, and its units are size slices', async () => {
    const exact = await run(['search', '--target', 'exit42', '--exact', '--max-size', '73', '--workers', '2', '--json', '-o', '/dev/null', '--no-record']);
    expect(exact.code, exact.err).toBe(0);
    const summary = JSON.parse(exact.out) as { size: number; completeness: string; space: string; layoutFamilies: number };
    expect(summary.size).toBe(73);
    expect(summary.completeness).toBe('exhausted all layouts and code up to 72 bytes in this space: no smaller file exists in it (finished)');
    expect(summary.space).toMatch(/no node limit/);
    const limited = await run(['search', '--target', 'exit42', '--exact', '--max-size', '73', '--max-nodes', '5', '--workers', '2', '--json', '-o', '/dev/null', '--no-record']);
    expect(limited.code, limited.err).not.toBe(2);
    expect(limited.out).toMatch(/at most 5 nodes per layout/);
    // -o /dev/null wrote into the device, not a file renamed over it (as root that replaced it)
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  }, 120_000);
});
