import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { committedRecord } from '../../src/results/committed.js';
import { emptyRecord, offerRecord, putEntry } from '../../src/results/offer.js';
import { regress, type RegressContext } from '../../src/results/regress.js';
import { renderMarkdownTable, renderTerminalTable } from '../../src/results/render-table.js';
import { listRecordPaths, readRecord, recordPath, writeRecordAtomic } from '../../src/results/store.js';
import { summaryRow } from '../../src/results/summary.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { toyCertifier, toyFile } from './fake-machine.js';
import { tempDir } from '../helpers/temp.js';

const hi = targetFromObject({ stdout: 'Hi\n', exitCode: 0 }, 'hi.json', 'hi');
const context: RegressContext = { certifierFor: (p) => (p === 'default' ? toyCertifier() : null), shippedTarget: () => null };
const found = { command: 'test', version: '0.1.0', seed: null, time: '2026-01-01T00:00:00.000Z' };
const verification = { emulator: { profile: 'default', environments: 5 }, native: null, nativeNotRun: null };

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function sampleResults(): Promise<string> {
  const dir = tempDir('golf-regress-');
  const r = emptyRecord(hi, 'default');
  putEntry(r, 'baseline', { bytes: toyFile('Hi\n', 0, 40), found, assumptions: [], verification });
  putEntry(r, 'seed-article', { bytes: toyFile('Hi\n', 0, 30), found, assumptions: [], verification });
  writeRecordAtomic(recordPath(dir, 'default', 'hi'), r);
  await offerRecord({ target: hi, bytes: toyFile('Hi\n#argc', 0), command: 'golf search', seed: 3 }, toyCertifier(), dir);
  return dir;
}

function tamperedCopy(dir: string, edit: (obj: any) => void): string {
  const copy = tempDir('golf-tampered-');
  cpSync(dir, copy, { recursive: true });
  const path = join(copy, 'default', 'hi.json');
  const obj = JSON.parse(readFileSync(path, 'utf8'));
  edit(obj);
  writeFileSync(path, JSON.stringify(obj));
  return copy;
}

describe('regress', () => {
  it('passes records written through golf', async () => {
    const report = await regress(await sampleResults(), context);
    expect(report.problems).toEqual([]);
    expect(report.files[0].entries.map((e) => [e.kind, e.emulator])).toEqual([['record', 'pass'], ['baseline', 'pass'], ['seed-article', 'pass']]);
  });

  it('fails a record whose bytes were edited', async () => {
    const dir = tamperedCopy(await sampleResults(), (o) => (o.entries.record.hex = [Buffer.from(toyFile('Ho\n#argc', 0)).toString('hex')]));
    const report = await regress(dir, context);
    expect(report.problems.join('\n')).toMatch(/entry "record": the bytes do not match "sha256"/);
  });

  it('fails a record made larger than its history, even with a consistent digest', async () => {
    const dir = await sampleResults();
    const r = readRecord(recordPath(dir, 'default', 'hi'))!;
    putEntry(r, 'record', { ...r.entries.record!, bytes: toyFile('Hi\n', 0, 20) });
    writeRecordAtomic(recordPath(dir, 'default', 'hi'), r);
    const report = await regress(dir, context);
    expect(report.problems).toEqual([expect.stringContaining('entry "record" is 28 bytes, larger than the 13 bytes its history reached')]);
  });

  it('fails a record that no longer meets its target or hides an assumption', async () => {
    const dir = await sampleResults();
    const r = readRecord(recordPath(dir, 'default', 'hi'))!;
    r.entries.record!.assumptions = [];
    writeRecordAtomic(recordPath(dir, 'default', 'hi'), r);
    expect((await regress(dir, context)).problems.join('\n')).toMatch(/relies on "works only when argc = 1.*which the record does not state/);
    const broken = tamperedCopy(dir, (o) => (o.target.exitCode = 3));
    expect((await regress(broken, context)).problems.join('\n')).toMatch(/fingerprint/);
  });

  it('fails when the shipped target changed or the profile is unknown', async () => {
    const dir = await sampleResults();
    const changed = targetFromObject({ stdout: 'Hi!\n', exitCode: 0 }, 'hi.json', 'hi');
    const report = await regress(dir, { ...context, shippedTarget: () => changed });
    expect(report.problems).toEqual([expect.stringContaining('corpus/targets has changed')]);
    const unknown = await regress(dir, { ...context, certifierFor: () => null });
    expect(unknown.problems).toEqual([expect.stringContaining('unknown profile "default"')]);
  });
});

describe('regress against the committed version', () => {
  it('fails a record grown with its history rewritten to match', async () => {
    const dir = await sampleResults();
    const path = recordPath(dir, 'default', 'hi');
    const committed = readRecord(path)!;
    // Rewrite the file from scratch: its own history is consistent with a 24-byte record.
    const forged = emptyRecord(hi, 'default');
    for (const kind of ['baseline', 'seed-article'] as const) putEntry(forged, kind, committed.entries[kind]!);
    putEntry(forged, 'record', { ...committed.entries.record!, bytes: toyFile('Hi\n', 0, 20) });
    writeRecordAtomic(path, forged);
    expect((await regress(dir, context)).problems).toEqual([]);
    const report = await regress(dir, { ...context, committed: () => committed });
    expect(report.problems).toEqual([
      expect.stringContaining('its history no longer starts with the committed history'),
      expect.stringContaining('entry "record" is 28 bytes, larger than the 13 bytes its committed history reached'),
    ]);
  });

  it.runIf(hasGit())('reads the committed version from git, and nothing outside a repository', async () => {
    const dir = await sampleResults();
    const path = recordPath(dir, 'default', 'hi');
    expect(committedRecord(path)).toBeNull();
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'records');
    expect(committedRecord(path)?.entries.record?.bytes.length).toBe(13);
  });
});

describe('table', () => {
  it('shows baseline, seed, best with assumptions and the saving', async () => {
    const dir = await sampleResults();
    const rows = listRecordPaths(dir).map((p) => summaryRow(readRecord(p)!));
    expect(rows[0]).toMatchObject({ target: 'hi', baseline: 48, seedArticle: 38, savingBytes: 35, savingPercent: 72.9 });
    expect(rows[0].best).toMatchObject({ kind: 'record', size: 13, assumptions: ['argc-1'], verification: 'emulator', reproduced: null });
    const md = renderMarkdownTable(rows);
    expect(md.split('\n')[0]).toBe('| target | baseline | seed article | best published | best | best is | assumptions | verified by | saving | image tar / compressed | seed article image |');
    expect(md).toContain('| hi | 48 B | 38 B | - | 13 B | record | argc-1 | emulator | 35 B (72.9%) |');
    const withPublished = renderMarkdownTable([summaryRow(readRecord(listRecordPaths(dir)[0]!)!, { name: 'p', size: 12, author: 'A. Person', origin: 'https://example.org', assumptions: [] })]);
    expect(withPublished).toContain('| hi | 48 B | 38 B | 12 B (A. Person) | 13 B |');
    const plain = renderTerminalTable(rows, false);
    expect(plain).not.toMatch(/\u001b\[/);
    expect(plain).toContain('35 B (72.9%)');
    expect(renderTerminalTable(rows, true)).toMatch(/\u001b\[/);
  });
});
