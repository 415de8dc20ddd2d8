import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadShippedTarget, resolveTarget, shippedTargetNames, unescapeText } from '../../src/targets/resolve.js';
import { TargetError } from '../../src/targets/schema.js';
import { tempDir } from '../helpers/temp.js';

const text = (b: Uint8Array) => Buffer.from(b).toString();

describe('target resolution', () => {
  it('ships hello, hello-lower, exit42 and true', () => {
    expect(shippedTargetNames()).toEqual(expect.arrayContaining(['exit42', 'hello', 'hello-lower', 'true']));
    expect(text(loadShippedTarget('hello').stdout)).toBe('Hello, World!\n');
    expect(text(loadShippedTarget('hello-lower').stdout)).toBe('Hello, world!\n');
    const exit42 = loadShippedTarget('exit42');
    expect([exit42.stdout.length, exit42.exitCode]).toEqual([0, 42]);
    const t = loadShippedTarget('true');
    expect([t.stdout.length, t.exitCode]).toEqual([0, 0]);
  });

  it('finds a shipped target by name and any file by path', () => {
    expect(resolveTarget({ target: 'exit42' }).exitCode).toBe(42);
    const dir = tempDir('golf-target-');
    const path = join(dir, 'mine.json');
    writeFileSync(path, JSON.stringify({ stdout: 'yo\n', exitCode: 7 }));
    const t = resolveTarget({ target: path });
    expect([t.name, text(t.stdout), t.exitCode]).toEqual(['mine', 'yo\n', 7]);
  });

  it('makes a target from --stdout/--exit-code with escapes', () => {
    const t = resolveTarget({ stdout: 'Hi\\n\\x00\\\\', exitCode: '3' });
    expect([...t.stdout]).toEqual([0x48, 0x69, 0x0a, 0x00, 0x5c]);
    expect(t.exitCode).toBe(3);
    expect(t.name).toBe('command-line');
    expect(resolveTarget({ exitCode: '0x2a' }).exitCode).toBe(42);
  });

  it.each([
    [{ target: 'no-such-target' }, 'unknown target "no-such-target"'],
    [{ target: '/nonexistent/x.json' }, 'does not exist'],
    [{}, 'no target'],
    [{ stdout: 'x' }, 'need --exit-code'],
    [{ stdout: 'x', exitCode: '300' }, '--exit-code must be an integer from 0 to 255'],
    [{ stdout: 'x', exitCode: '1e1' }, '--exit-code must be an integer from 0 to 255'],
    [{ stdout: 'a\\q', exitCode: '0' }, 'unknown escape'],
    [{ target: 'hello', exitCode: '0' }, 'not both'],
  ])('rejects %j with a TargetError', (options, message) => {
    expect(() => resolveTarget(options)).toThrow(TargetError);
    expect(() => resolveTarget(options)).toThrow(message);
  });

  it('rejects a directory given as a target file', () => {
    const dir = tempDir('golf-target-');
    mkdirSync(join(dir, 'd.json'));
    expect(() => resolveTarget({ target: join(dir, 'd.json') })).toThrow(/is a directory/);
  });

  it('keeps non-ASCII text as UTF-8', () => {
    expect([...unescapeText('é😀', '--stdout')]).toEqual([...Buffer.from('é😀')]);
  });
});
