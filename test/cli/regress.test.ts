import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsDir } from '../../src/targets/paths.js';
import { golf } from '../targets/cli-harness.js';
import { tempDir } from '../helpers/temp.js';

function copyResults(): string {
  const copy = tempDir('golf-regress-');
  cpSync(resultsDir(), copy, { recursive: true });
  return copy;
}

describe('golf regress', () => {
  // This is the CI guard: npm test fails when a committed record no longer passes or grew.
  it('passes on the committed results (emulator, and host kernel where possible)', async () => {
    const r = await golf(['regress']);
    expect(r.stdout).toMatch(/regress passed: \d+ entries in \d+ record files/);
    expect(r.code).toBe(0);
  });

  it('fails on a record whose file bytes were tampered with', async () => {
    const dir = copyResults();
    const path = join(dir, 'default', 'hello.json');
    const record = JSON.parse(readFileSync(path, 'utf8'));
    const hex: string[] = record.entries['seed-article'].hex;
    hex[hex.length - 1] = hex[hex.length - 1].replace(/..$/, '00');
    writeFileSync(path, JSON.stringify(record, null, 2));
    const r = await golf(['regress', '--results', dir, '--no-native']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/regression: .*hello.json: entry "seed-article": the bytes do not match "sha256"/);
  });

  it('fails on a record made larger, even with its digest recomputed', async () => {
    const dir = copyResults();
    const path = join(dir, 'default', 'exit42.json');
    const record = JSON.parse(readFileSync(path, 'utf8'));
    const baseline = record.entries.baseline;
    const bytes = Buffer.concat([Buffer.from(baseline.hex.join(''), 'hex'), Buffer.from([0])]);
    baseline.hex = [bytes.toString('hex')];
    baseline.size = bytes.length;
    baseline.sha256 = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    writeFileSync(path, JSON.stringify(record, null, 2));
    const r = await golf(['regress', '--results', dir, '--no-native']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`entry "baseline" is ${bytes.length} bytes, larger than the ${bytes.length - 1} bytes its history reached`));
  });

  it('refuses a missing results directory with one line and exit 2', async () => {
    const r = await golf(['regress', '--results', join(tmpdir(), 'golf-no-such-results')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^golf: results directory .* does not exist$/);
  });
});
