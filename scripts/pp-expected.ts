/**
 * Records nasm's answer for every generated preprocessor program (scripts/pp-programs.ts) in
 * corpus/asm/pp-expected.json: the bytes, or that nasm refused the program, or the bytes together
 * with the fact that nasm warned. Run with `sh scripts/pp-expected.sh` (needs nasm 2.16); the tests
 * only read the committed result.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateProgram, PROGRAM_COUNT, type GeneratedProgram } from './pp-programs.js';

export interface ExpectedEntry {
  index: number;
  /** sha256 of the program (main and files): a changed generator makes the fixture stale. */
  hash: string;
  /** nasm's output in hex, when it assembled the program. */
  hex?: string;
  /** nasm's first error line, when it refused the program. */
  error?: string;
  /** nasm's first warning line, when it assembled the program with a warning. */
  warning?: string;
}

export function programHash(p: GeneratedProgram): string {
  return createHash('sha256').update(JSON.stringify(p)).digest('hex');
}

function main(): void {
  const version = execFileSync('nasm', ['-v'], { encoding: 'utf8' }).trim();
  const entries: ExpectedEntry[] = [];
  for (let index = 0; index < PROGRAM_COUNT; index++) {
    const p = generateProgram(index);
    const dir = mkdtempSync(join(tmpdir(), 'golf-pp-'));
    try {
      writeFileSync(join(dir, 'main.asm'), p.main);
      for (const [path, text] of Object.entries(p.files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      const args = ['-f', 'bin', ...p.includeDirs.flatMap((d) => ['-i', d]), '-o', 'out.bin', 'main.asm'];
      const r = spawnSync('nasm', args, { cwd: dir, encoding: 'utf8' });
      const entry: ExpectedEntry = { index, hash: programHash(p) };
      const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
      const firstLine = lines.find((l) => l.includes(': error: ') || l.includes(': fatal: ')) ?? lines[0] ?? '';
      if (r.status !== 0) entry.error = firstLine || `nasm exited ${r.status}`;
      else {
        entry.hex = readFileSync(join(dir, 'out.bin')).toString('hex');
        if (firstLine !== '') entry.warning = firstLine;
      }
      entries.push(entry);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const out = new URL('../../corpus/asm/pp-expected.json', import.meta.url);
  writeFileSync(out, JSON.stringify({ nasm: version, programs: entries }, null, 0).replace(/\},\{/g, '},\n{') + '\n');
  const ok = entries.filter((e) => e.hex !== undefined && e.warning === undefined).length;
  const warned = entries.filter((e) => e.warning !== undefined).length;
  const refused = entries.filter((e) => e.error !== undefined).length;
  process.stderr.write(`${entries.length} programs: ${ok} assembled cleanly, ${warned} with a warning, ${refused} refused by nasm\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
