import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offerRecord } from '../../src/results/offer.js';
import { readRecord, recordPath } from '../../src/results/store.js';
import { historyProblems } from '../../src/results/rules.js';
import { resolveTarget } from '../../src/targets/resolve.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { toyCertifier, toyFile } from './fake-machine.js';
import { tempDir } from '../helpers/temp.js';

const hi = targetFromObject({ stdout: 'Hi\n', exitCode: 0 }, 'hi.json', 'hi');
const offer = (bytes: Uint8Array) => ({ target: hi, bytes, command: 'golf search --target hi', seed: 1 });

describe('offerRecord', () => {
  it('keeps only verified, smaller (or equally small and less assuming) files', async () => {
    const dir = tempDir('golf-offer-');
    const cert = toyCertifier();
    const first = await offerRecord(offer(toyFile('Hi\n', 0, 10)), cert, dir);
    expect(first).toMatchObject({ accepted: true, size: 18, previousSize: null });

    expect((await offerRecord(offer(toyFile('Hi\n', 0, 12)), cert, dir)).accepted).toBe(false);
    const wrong = await offerRecord(offer(toyFile('Ho\n', 0)), cert, dir);
    expect(wrong.accepted).toBe(false);
    expect(wrong.reason).toMatch(/^not verified: emulator: stdout was "Ho\\n"/);

    // Smaller but relying on argc = 1: accepted, and the record states the assumption.
    const argc = toyFile('Hi\n#argc', 0);
    expect(argc.length).toBe(13);
    expect((await offerRecord(offer(argc), cert, dir)).accepted).toBe(true);
    // Same size without the assumption: accepted because it assumes less.
    const clean = toyFile('Hi\n', 0, 5);
    expect(clean.length).toBe(13);
    const better = await offerRecord(offer(clean), cert, dir);
    expect(better).toMatchObject({ accepted: true, previousSize: 13 });
    expect(better.reason).toContain('fewer assumptions');
    // ... and the assuming one cannot come back, nor count as reproducing the record.
    expect(await offerRecord(offer(argc), cert, dir)).toMatchObject({ accepted: false, updated: false });

    const path = recordPath(dir, 'default', 'hi');
    expect(readRecord(path)!.entries.record!.reproduced).toBeUndefined();
    // Found again without --mark-reproduced: the answer says so, the record file is not touched.
    const before = readFileSync(path);
    const quiet = await offerRecord({ ...offer(clean), command: 'golf search --target hi --workers 1' }, cert, dir);
    expect(quiet).toMatchObject({ accepted: false, updated: false, reason: expect.stringContaining('reproduced it (identical bytes), not written') });
    expect(readFileSync(path).equals(before)).toBe(true);
    // Asked to: the record stands and says when and how it was reproduced.
    const again = await offerRecord({ ...offer(clean), command: 'golf search --target hi --workers 1', markReproduced: true }, cert, dir);
    expect(again).toMatchObject({ accepted: false, updated: true, reason: expect.stringContaining('marked as reproduced (identical bytes)') });
    const record = readRecord(path)!;
    expect(record.entries.record!.reproduced).toMatchObject({ identical: true, found: { command: 'golf search --target hi --workers 1' } });
    expect(record.entries.record!.bytes).toEqual(clean);
    expect(record.entries.record!.found).toMatchObject({ command: 'golf search --target hi', seed: 1 });
    expect(record.history.map((h) => h.size)).toEqual([18, 13, 13]);
    expect(historyProblems(record)).toEqual([]);
    expect(readdirSync(join(dir, 'default'))).toEqual(['hi.json']);
  });

  it('serializes concurrent offers so that the smallest wins', async () => {
    const dir = tempDir('golf-offer-');
    const cert = toyCertifier();
    const sizes = [9, 3, 7, 1, 5];
    await Promise.all(sizes.map((pad) => offerRecord(offer(toyFile('Hi\n', 0, pad)), cert, dir)));
    const record = readRecord(recordPath(dir, 'default', 'hi'))!;
    expect(record.entries.record!.bytes.length).toBe(toyFile('Hi\n', 0, 1).length);
    expect(historyProblems(record)).toEqual([]);
  });

  it('refuses to mix records of two different definitions of a target name', async () => {
    const dir = tempDir('golf-offer-');
    await offerRecord(offer(toyFile('Hi\n', 0)), toyCertifier(), dir);
    const other = targetFromObject({ stdout: 'Hi\n', exitCode: 1 }, 'hi2.json', 'hi');
    const r = await offerRecord({ ...offer(toyFile('Hi\n', 1)), target: other }, toyCertifier(), dir);
    expect(r.accepted).toBe(false);
    expect(r.reason).toMatch(/different definition of target "hi"/);
  });

  it('does not record targets given on the command line', async () => {
    const dir = tempDir('golf-offer-');
    const adHoc = resolveTarget({ stdout: 'Hi\\n', exitCode: '0' });
    const r = await offerRecord({ ...offer(toyFile('Hi\n', 0)), target: adHoc }, toyCertifier(), dir);
    expect(r).toMatchObject({ accepted: false, reason: expect.stringContaining('not recorded') });
    expect(readdirSync(dir)).toEqual([]);
  });
});
