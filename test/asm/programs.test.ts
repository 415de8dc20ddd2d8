/**
 * Every .asm file under corpus/ assembles with golf to exactly the committed binary next to it,
 * which scripts/build-programs.sh made with nasm 2.16 (`nasm -f bin`, includes found in
 * corpus/programs/). This test does not need nasm.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';

const root = new URL('../../', import.meta.url).pathname;
const corpus = join(root, 'corpus');
const includeDir = join(corpus, 'programs') + '/';

function asmFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return asmFiles(path);
    return name.endsWith('.asm') ? [path] : [];
  });
}

const sources = asmFiles(corpus).sort();

describe('corpus sources versus their nasm-built binaries', () => {
  it('finds the reference programs (more than 50 sources, each with its binary)', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((s) => !existsSync(s.slice(0, -'.asm'.length))).map((s) => relative(root, s))).toEqual([]);
  });

  // scripts/*.asm are golf's own helper programs; their bytes are embedded in src/linux/native.ts.
  it.each([['scripts/exec-helper.asm', 'EXEC_HELPER_HEX'], ['scripts/int80-probe.asm', 'INT80_PROBE_HEX']])('%s gives the bytes in native.ts (%s)', (file, constant) => {
    const native = readFileSync(join(root, 'src/linux/native.ts'), 'utf8');
    const m = new RegExp(`const ${constant} =([^;]*);`).exec(native);
    expect(m).not.toBeNull();
    const hex = [...m![1]!.matchAll(/'([0-9a-f]*)'/g)].map((x) => x[1]).join('');
    const bytes = assemble(readFileSync(join(root, file), 'utf8'), file, { includeDirs: [includeDir] });
    expect(Buffer.from(bytes).toString('hex')).toBe(hex);
  });

  it.each(sources.map((s) => [relative(root, s), s]))('%s', (_name, source) => {
    const bytes = assemble(readFileSync(source, 'utf8'), relative(root, source), { includeDirs: [includeDir] });
    const expected = readFileSync(source.slice(0, -'.asm'.length));
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
  });
});
