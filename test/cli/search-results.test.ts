// A search's result is never lost: its output places are checked before it searches, it writes a
// file even without -o (never replacing one), prints where it wrote and the file's hex and what the
// winner assumes, keeps the best file on Ctrl-C, and leaves the records alone unless it finds
// something new (or is asked to mark a reproduction).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsDir } from '../../src/targets/paths.js';
import { runGolf } from '../helpers/golf.js';
import { folderContents } from '../helpers/files.js';
import { tempDir } from '../helpers/temp.js';

const exit42 = ['search', '--target', 'exit42', '--workers', '2'];

describe('golf search: output places are checked before searching', () => {
  const dir = tempDir('golf-search-out-');
  it.each([
    ['-o in a missing folder', ['-o', join(dir, 'missing', 'x')], /^golf: -o .*: folder .* does not exist$/],
    ['-o naming a folder', ['-o', dir], /^golf: -o .*: is a folder; give a file name$/],
    ['-o in a place nothing can be created', ['-o', '/proc/golf-result'], /^golf: -o \/proc\/golf-result: cannot write there \(/],
    ['--partial in a missing folder', ['--shard', '1/2', '--partial', join(dir, 'missing', 'p.json')], /^golf: --partial .*: folder .* does not exist$/],
    ['--partial naming a folder', ['--shard', '1/2', '--partial', dir], /^golf: --partial .*: is a folder/],
    ['--partial -', ['--shard', '1/2', '--partial', '-'], /^golf: --partial needs a file name/],
    ['--results missing', ['--results', join(dir, 'no-results')], /^golf: results directory .* does not exist$/],
    ['--image in a missing folder', ['--image', join(dir, 'missing', 'x.tar')], /^golf: --image .*: folder .* does not exist$/],
  ])('%s: exit 2 with one line, and no search ran', async (_what, args, message) => {
    const r = await runGolf([...exit42, ...args], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir).filter((f) => f !== 'missing')).toEqual([]);
  });

  it('without -o in a folder where nothing can be written: exit 2 before searching', async () => {
    const r = await runGolf([...exit42, '--no-record'], { cwd: '/proc' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^golf: writing the result to the current folder as \.\/exit42: cannot write there/);
  });
});

describe('golf search: where the result goes', () => {
  it('writes ./TARGET without -o, never replacing a file, and prints the path, the hex and what the file assumes', async () => {
    const dir = tempDir('golf-search-default-');
    writeFileSync(join(dir, 'exit42'), 'a file of mine\n');
    const r = await runGolf([...exit42, '--no-record'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'exit42'), 'utf8')).toBe('a file of mine\n');
    const written = readFileSync(join(dir, 'exit42.1'));
    expect(statSync(join(dir, 'exit42.1')).mode & 0o111).not.toBe(0);
    const text = r.stdout.toString();
    expect(text).toContain(`smallest file: ${written.length} bytes, written to ./exit42.1\n`);
    expect(text).toContain(`\nhex: ${written.toString('hex')}\n`);
    expect(text).toMatch(/\nassumes: .*\[overcommit\]\n/);
    expect(text).toMatch(/\nverified: emulator, profile default, \d+ runs; /);
  });

  it('gives a command-line target ./a.out, reports assumptions and verification in --json, and writes to stdout with -o -', async () => {
    const dir = tempDir('golf-search-aout-');
    const r = await runGolf(['search', '--stdout', '', '--exit-code', '42', '--workers', '2', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.toString()) as Record<string, any>;
    expect(summary.output).toBe('./a.out');
    expect(readFileSync(join(dir, 'a.out')).toString('hex')).toBe(summary.hex);
    expect(summary.assumptions.map((a: { id: string }) => a.id)).toContain('overcommit');
    expect(summary.assumptions[0].text).toMatch(/4\.0 GiB/);
    expect(summary.pass).toBe(true);
    expect(summary.verification.emulator.environments).toBeGreaterThan(1);
    const piped = await runGolf([...exit42, '--no-record', '-o', '-'], { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stdout.toString('hex')).toBe(summary.hex);
    expect(piped.stderr).toContain('written to stdout');
    expect(readdirSync(dir)).toEqual(['a.out']);
  });

  it('on Ctrl-C: exit 130, and the best file found so far is written and printed', async () => {
    const dir = tempDir('golf-search-sigint-');
    // The first file turns up long before the search ends; off a terminal a progress line says so.
    const r = await runGolf(['search', '--stdout', 'Hi\\n', '--exit-code', '3', '--max-size', '90', '--workers', '2', '-o', 'hi'], { cwd: dir, interruptWhen: /best \d+ B/ });
    expect(r.code).toBe(130);
    const text = r.stdout.toString();
    expect(text).toContain('interrupted (Ctrl-C)');
    expect(text).toContain(`hex: ${readFileSync(join(dir, 'hi')).toString('hex')}\n`);
  });
});

describe('golf search when the output folder goes away during the search', () => {
  it('still prints the hex of the best file, and says why it could not be written (exit 2)', async () => {
    const dir = tempDir('golf-search-gone-');
    const sub = join(dir, 'out');
    mkdirSync(sub);
    const r = await runGolf(['search', '--stdout', 'Hi\\n', '--exit-code', '3', '--max-size', '90', '--workers', '2', '-o', join(sub, 'hi')], {
      interruptWhen: /best \d+ B/, beforeInterrupt: () => rmSync(sub, { recursive: true }),
    });
    expect(r.code).toBe(2);
    expect(r.stdout.toString()).toMatch(/^smallest file: \d+ bytes, not written: -o .*: cannot write \(ENOENT\)\nhex: 7f454c46[0-9a-f]+\n/);
    expect(r.stderr).toMatch(/^golf: -o .*hi: cannot write \(ENOENT\)$/m);
  });
});

describe('golf search and the records', () => {
  it('a search that finds nothing new leaves the records as they were; --mark-reproduced writes the reproduction', async () => {
    const copy = tempDir('golf-search-results-');
    cpSync(resultsDir(), copy, { recursive: true });
    const before = folderContents(copy);
    const out = tempDir('golf-search-results-out-');
    const r = await runGolf([...exit42, '--results', copy, '--json', '-o', join(out, 'exit42')]);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout.toString()) as { record: { accepted: boolean; updated: boolean; reason: string; path: string } };
    expect(summary.record).toMatchObject({ accepted: false, updated: false, path: join(copy, 'default', 'exit42.json') });
    expect(summary.record.reason).toMatch(/reproduced it .*not written to the record \(--mark-reproduced does\)/);
    expect(folderContents(copy)).toEqual(before);

    const marked = await runGolf([...exit42, '--results', copy, '--json', '--mark-reproduced', '-o', join(out, 'exit42')]);
    expect(marked.code).toBe(0);
    const after = folderContents(copy);
    for (const [path, text] of before) if (path !== '/default/exit42.json') expect(after.get(path)).toBe(text);
    const record = JSON.parse(after.get('/default/exit42.json')!) as { entries: { record: { reproduced?: { found: { command: string } } } } };
    expect(record.entries.record.reproduced?.found.command).toMatch(/^golf search --target exit42 .*--mark-reproduced/);
    expect(existsSync(join(copy, 'default', 'exit42.json'))).toBe(true);
  });
});
