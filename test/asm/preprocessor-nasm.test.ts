/**
 * Differential test of the preprocessor against nasm 2.16: the generated programs of
 * scripts/pp-programs.ts, whose nasm output is committed in corpus/asm/pp-expected.json (made by
 * scripts/pp-expected.sh; this test does not need nasm). golf must give nasm's bytes for every
 * program nasm assembles cleanly, refuse every program nasm refuses, and for a program nasm
 * assembles with a warning either give the same bytes or refuse it: never other bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { AsmError } from '../../src/asm/errors.js';
import { memorySources } from '../../src/asm/sources.js';
import { generateProgram, PROGRAM_COUNT } from '../../scripts/pp-programs.js';
import { programHash, type ExpectedEntry } from '../../scripts/pp-expected.js';

const fixture = JSON.parse(readFileSync(new URL('../../corpus/asm/pp-expected.json', import.meta.url), 'utf8')) as { nasm: string; programs: ExpectedEntry[] };

function golf(index: number): { hex: string } | { error: string } {
  const p = generateProgram(index);
  try {
    const bytes = assemble(p.main, 'main.asm', { files: memorySources(p.files, p.includeDirs), includeDirs: p.includeDirs });
    return { hex: Buffer.from(bytes).toString('hex') };
  } catch (err) {
    if (err instanceof AsmError) return { error: err.message };
    throw err;
  }
}

describe(`preprocessor programs versus ${fixture.nasm}`, () => {
  it(`has ${PROGRAM_COUNT} programs, at least 300 of them assembled cleanly by nasm, and is up to date with the generator`, () => {
    expect(fixture.programs).toHaveLength(PROGRAM_COUNT);
    expect(fixture.programs.filter((e) => e.hex !== undefined && e.warning === undefined).length).toBeGreaterThanOrEqual(300);
    const stale = fixture.programs.filter((e) => programHash(generateProgram(e.index)) !== e.hash).map((e) => e.index);
    expect(stale, 'rerun scripts/pp-expected.sh').toEqual([]);
  });

  it('gives nasm\'s bytes where nasm assembles, refuses where nasm refuses', () => {
    const wrong: string[] = [];
    for (const e of fixture.programs) {
      const got = golf(e.index);
      if (e.error !== undefined) {
        if ('hex' in got) wrong.push(`#${e.index}: nasm refuses (${e.error}), golf gives ${got.hex.slice(0, 40)}`);
      } else if ('hex' in got) {
        if (got.hex !== e.hex) wrong.push(`#${e.index}: nasm ${e.hex!.slice(0, 60)}, golf ${got.hex.slice(0, 60)}`);
      } else if (e.warning === undefined) wrong.push(`#${e.index}: nasm assembles, golf: ${got.error}`);
    }
    expect(wrong).toEqual([]);
  });
});
