// docs/formats.md: each example is read by golf as shown, and every field golf writes is listed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord, serializeRecord } from '../../src/results/record.js';
import { parsePartial, serializePartial } from '../../src/search/partial.js';
import { packageRoot } from '../../src/targets/paths.js';
import { parseTargetJson } from '../../src/targets/schema.js';
import { runGolf } from '../helpers/golf.js';
import { tempDir } from '../helpers/temp.js';

const doc = readFileSync(join(packageRoot(), 'docs', 'formats.md'), 'utf8');

function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`json\\n([\\s\\S]*?)\`\`\`\\n`).exec(doc);
  if (!m) throw new Error(`docs/formats.md has no example "${name}"`);
  return m[1]!;
}

/** Field names in the table of the section that holds `example` (`a`, `b` in the first column). */
function documented(name: string): Set<string> {
  const after = doc.slice(doc.indexOf(`<!-- example: ${name} -->`));
  const section = after.slice(after.indexOf('| field |'), after.indexOf('\n## ') === -1 ? undefined : after.indexOf('\n## '));
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1] ?? '';
    for (const m of first.matchAll(/`([^`]+)`/g)) names.add(m[1]!.replace(/^entries\.\*\./, ''));
  }
  return names;
}

describe('docs/formats.md', () => {
  it('the target example is a valid target, and every target field is in the table', () => {
    const target = parseTargetJson(example('target'), 'docs/formats.md', 'example');
    expect(Buffer.from(target.stderr).toString()).toBe('warning\n');
    const fields = Object.keys(JSON.parse(example('target')) as object);
    expect([...documented('target')].sort()).toEqual([...fields].sort());
  });

  it('the record example is a valid record file as golf writes it, and its fields are in the table', () => {
    const text = example('record');
    const record = parseRecord(text, 'docs/formats.md');
    expect(serializeRecord(record)).toBe(text);
    const obj = JSON.parse(text) as Record<string, any>;
    const names = documented('record');
    for (const key of Object.keys(obj)) expect(names, key).toContain(key);
    const entry = obj.entries.record as Record<string, unknown>;
    for (const key of Object.keys(entry)) expect(names, key).toContain(key);
  });

  it('golf search --json prints exactly the documented fields, as in the example', async () => {
    const dir = tempDir('golf-doc-search-');
    const r = await runGolf(['search', '--target', 'exit42', '--workers', '2', '--json', '--no-record', '-o', join(dir, 'exit42')]);
    expect(r.code, r.stderr).toBe(0);
    const real = Object.keys(JSON.parse(r.stdout.toString()) as object);
    const shown = Object.keys(JSON.parse(example('search-json')) as object);
    const optional = ['int80RefusedByHost'];
    expect(real.filter((k) => !optional.includes(k))).toEqual(shown.filter((k) => !optional.includes(k)));
    const names = documented('search-json');
    for (const key of shown) expect(names, key).toContain(key);
  });

  it('the partial example is read by golf merge as shown, and every field of it is in the table', () => {
    const text = example('partial');
    const partial = parsePartial(text);
    expect(partial.best?.size).toBe(73);
    // What golf writes from what it read has the example's fields, no more and no fewer.
    const shown = JSON.parse(text) as Record<string, any>;
    expect(Object.keys(JSON.parse(serializePartial(partial)) as object)).toEqual(Object.keys(shown));
    const names = documented('partial');
    for (const key of Object.keys(shown)) expect(names, key).toContain(key);
    for (const key of Object.keys(shown.plan)) expect(doc, `plan.${key}`).toContain(`\`${key}\``);
    for (const key of Object.keys(shown.units[0])) expect(doc, `units[].${key}`).toContain(`\`${key}\``);
  });

  it('a shard writes the partial fields of the example, and golf merge --json prints the fields its paragraph lists', async () => {
    const dir = tempDir('golf-doc-partial-');
    const path = join(dir, 'p1.json');
    const shard = await runGolf(['search', '--target', 'exit42', '--max-size', '73', '--bound', 'first-pass', '--shard', '1/2', '--workers', '2', '--partial', path]);
    expect(shard.code, shard.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')) as object)).toEqual(Object.keys(JSON.parse(example('partial')) as object));
    // The example itself merges (shard 2/2 missing): its files are real and pass again.
    writeFileSync(join(dir, 'example.json'), example('partial'));
    const merged = await runGolf(['merge', join(dir, 'example.json'), '--json', '--no-record']);
    expect(merged.stderr).toContain('missing shards: 2/2');
    const real = Object.keys(JSON.parse(merged.stdout.toString()) as object);
    const searchFields = Object.keys(JSON.parse(example('search-json')) as object);
    const own = real.slice(real.indexOf('record') + 1);
    expect(real.slice(0, real.indexOf('record') + 1)).toEqual(searchFields.slice(0, searchFields.indexOf('record') + 1));
    const paragraph = doc.slice(doc.indexOf('`golf merge --json` prints'), doc.indexOf('## Partial results'));
    const listed = [...paragraph.matchAll(/`([a-zA-Z]+)`/g)].map((m) => m[1]!);
    for (const key of own) expect(listed, key).toContain(key);
  });
});
