import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyRecord, putEntry } from '../../src/results/offer.js';
import { parseRecord, RecordError, serializeRecord, type Entry, type RecordFile } from '../../src/results/record.js';
import { decideReplacement, historyProblems } from '../../src/results/rules.js';
import { listRecordPaths, readRecord, recordPath, writeRecordAtomic } from '../../src/results/store.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { tempDir } from '../helpers/temp.js';

const target = targetFromObject({ stdout: 'Hi\n', exitCode: 0, description: 'test' }, 't.json', 'hi');

// Records read back know their own file as the target's origin; everything else must be equal.
const withOrigin = (r: RecordFile | null, origin: string) => r && { ...r, target: { ...r.target, origin } };

function entry(bytes: number[], assumptions: string[] = []): Entry {
  return {
    bytes: new Uint8Array(bytes),
    found: { command: 'test', version: '0.1.0', seed: 7, time: '2026-01-01T00:00:00.000Z' },
    assumptions: assumptions.map((id) => ({ id, text: `relies on ${id}` })),
    verification: { emulator: { profile: 'default', environments: 5 }, native: { kernel: '6.18.0', machine: 'x86_64' }, nativeNotRun: null },
  };
}

describe('record file format', () => {
  it('round-trips through JSON', () => {
    const r = emptyRecord(target, 'default');
    putEntry(r, 'baseline', entry([...Array(100).keys()]));
    putEntry(r, 'record', entry([1, 2, 3], ['argc-1']));
    expect(withOrigin(parseRecord(serializeRecord(r), 'x'), 't.json')).toEqual(r);
  });

  it('refuses bytes that do not match their digest, naming the entry', () => {
    const r = emptyRecord(target, 'default');
    putEntry(r, 'record', entry([1, 2, 3]));
    const obj = JSON.parse(serializeRecord(r));
    obj.entries.record.hex = ['010204'];
    expect(() => parseRecord(JSON.stringify(obj), 'r.json')).toThrow(/record r.json: entry "record": the bytes do not match "sha256"/);
    obj.entries.record.hex = ['01020304'];
    expect(() => parseRecord(JSON.stringify(obj), 'r.json')).toThrow(/"size" is 3 but the bytes are 4/);
  });

  it('refuses an embedded target whose fingerprint was edited', () => {
    const obj = JSON.parse(serializeRecord(emptyRecord(target, 'default')));
    obj.target.exitCode = 1;
    expect(() => parseRecord(JSON.stringify(obj), 'r.json')).toThrow(RecordError);
  });
});

describe('replacement rule', () => {
  it('takes a smaller file, or the same size with fewer assumptions, and nothing else', () => {
    const cur = entry([1, 2, 3], ['argc-1']);
    expect(decideReplacement(undefined, entry([1])).replace).toBe(true);
    expect(decideReplacement(cur, entry([1, 2])).replace).toBe(true);
    expect(decideReplacement(cur, entry([1, 2, 3, 4])).replace).toBe(false);
    expect(decideReplacement(cur, entry([4, 5, 6])).replace).toBe(true);
    expect(decideReplacement(cur, entry([4, 5, 6], ['ia32-emulation'])).replace).toBe(false);
    expect(decideReplacement(cur, entry([4, 5, 6], ['argc-1', 'ia32-emulation'])).reason).toContain('not fewer assumptions');
  });
});

describe('size history', () => {
  it('accepts entries written through putEntry, even after a record shrank', () => {
    const r = emptyRecord(target, 'default');
    putEntry(r, 'record', entry([1, 2, 3]));
    putEntry(r, 'record', entry([1, 2]));
    expect(historyProblems(r)).toEqual([]);
  });

  it('flags a record grown past its history, edited content and a removed entry', () => {
    const r = emptyRecord(target, 'default');
    putEntry(r, 'record', entry([1, 2, 3]));
    putEntry(r, 'record', entry([1, 2]));
    putEntry(r, 'baseline', entry([9, 9, 9, 9]));
    r.entries.record = entry([1, 2, 3]);
    expect(historyProblems(r)).toEqual(['entry "record" is 3 bytes, larger than the 2 bytes its history reached']);
    r.entries.record = entry([7, 7]);
    expect(historyProblems(r)).toEqual(['entry "record" (2 bytes) does not appear in the history: it was not written by golf']);
    r.entries.record = entry([1, 2]);
    delete r.entries.baseline;
    expect(historyProblems(r)[0]).toMatch(/entry "baseline" was removed/);
  });
});

describe('record store', () => {
  it('writes atomically (no temporary file left) and lists records by profile and target', () => {
    const dir = tempDir('golf-results-');
    const r = emptyRecord(target, 'default');
    putEntry(r, 'record', entry([1, 2, 3]));
    const path = recordPath(dir, 'default', 'hi');
    writeRecordAtomic(path, r);
    writeRecordAtomic(path, r);
    expect(readdirSync(join(dir, 'default'))).toEqual(['hi.json']);
    expect(withOrigin(readRecord(path), 't.json')).toEqual(r);
    expect(listRecordPaths(dir)).toEqual([path]);
    expect(readRecord(join(dir, 'default', 'none.json'))).toBeNull();
  });

  it('refuses names that would leave the results directory', () => {
    expect(() => recordPath('/r', 'default', '../x')).toThrow(RecordError);
    expect(() => recordPath('/r', '..', 'x')).toThrow(RecordError);
  });

  it('reports a corrupt file as a RecordError naming it', () => {
    const dir = tempDir('golf-results-');
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{');
    expect(() => readRecord(path)).toThrow(/record .*bad.json: not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{');
  });
});
