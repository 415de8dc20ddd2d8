import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble } from '../../src/asm/assembler.js';
import { baselineSource, buildBaseline } from '../../src/results/baseline.js';
import { targetFromObject } from '../../src/targets/schema.js';
import { fixtureTargets } from './fixtures/baseline-targets.mjs';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('baseline layout', () => {
  it.each(Object.entries(fixtureTargets))('%s: golf assembles its baseline to the bytes nasm made', (name, definition) => {
    const target = targetFromObject(definition, name, name);
    const expected = readFileSync(join(fixtures, name + '.hex'), 'utf8').trim();
    const bytes = buildBaseline(target, assemble);
    expect(Buffer.from(bytes).toString('hex')).toBe(expected);
  });

  it('is 64 + 56 bytes of headers, then code, then the output, with filesz = memsz = file size', () => {
    const target = targetFromObject({ stdout: 'Hello, World!\n', exitCode: 0 }, 'h', 'hello');
    const bytes = Buffer.from(buildBaseline(target, assemble));
    expect(bytes.readUInt16LE(54)).toBe(56); // e_phentsize
    expect(bytes.readUInt16LE(56)).toBe(1); // e_phnum
    expect(Number(bytes.readBigUInt64LE(32))).toBe(64); // e_phoff: right after the ELF header
    expect(Number(bytes.readBigUInt64LE(24))).toBe(0x400000 + 120); // entry: right after the program header
    expect(Number(bytes.readBigUInt64LE(64 + 32))).toBe(bytes.length);
    expect(Number(bytes.readBigUInt64LE(64 + 40))).toBe(bytes.length);
    expect(bytes.subarray(bytes.length - 14).toString()).toBe('Hello, World!\n');
  });

  it('writes nothing for an empty output and exits with the target status', () => {
    const source = baselineSource(targetFromObject({ stdout: '', exitCode: 42 }, 'e', 'exit42'));
    expect(source).not.toContain('write(');
    expect(source).toContain('mov edi, 42');
  });
});
