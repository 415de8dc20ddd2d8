import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTargetJson, targetFromObject, targetToObject, TargetError } from '../../src/targets/schema.js';
import { FILE_PLACEHOLDER, targetFingerprint } from '../../src/targets/target.js';

const parse = (obj: unknown) => targetFromObject(obj, 't.json', 't');

describe('target schema', () => {
  it('applies the defaults: empty stderr and stdin, argv [<file>], any environment', () => {
    const t = parse({ stdout: 'Hi\n', exitCode: 3 });
    expect(Buffer.from(t.stdout).toString()).toBe('Hi\n');
    expect(t.stderr.length).toBe(0);
    expect(t.stdin.length).toBe(0);
    expect(t.argv).toEqual([FILE_PLACEHOLDER]);
    expect(t.env).toBe('any');
    expect(t.exitCode).toBe(3);
  });

  it('reads bytes as text, hex or base64', () => {
    expect([...parse({ stdout: { hex: '00ff0a' }, exitCode: 0 }).stdout]).toEqual([0, 255, 10]);
    expect([...parse({ stdout: { base64: 'AP8K' }, exitCode: 0 }).stdout]).toEqual([0, 255, 10]);
    expect([...parse({ stdout: 'é', exitCode: 0 }).stdout]).toEqual([0xc3, 0xa9]);
  });

  it.each([
    [[1, 2], 'must be a JSON object'],
    [{ exitCode: 0 }, 'missing required field "stdout"'],
    [{ stdout: '' }, 'missing required field "exitCode"'],
    [{ stdout: '', exitCode: 256 }, '"exitCode" must be an integer from 0 to 255'],
    [{ stdout: '', exitCode: -1 }, '"exitCode" must be an integer from 0 to 255'],
    [{ stdout: '', exitCode: 1.5 }, '"exitCode" must be an integer from 0 to 255'],
    [{ stdout: '', exitCode: '0' }, '"exitCode" must be an integer from 0 to 255'],
    [{ stdout: 5, exitCode: 0 }, '"stdout" must be a string'],
    [{ stdout: { hex: 'abc' }, exitCode: 0 }, '"stdout.hex" is not an even number of hex digits'],
    [{ stdout: { base64: '!!!!' }, exitCode: 0 }, '"stdout.base64" is not base64'],
    [{ stdout: '', exitCode: 0, argv: [] }, '"argv" must be a non-empty list'],
    [{ stdout: '', exitCode: 0, env: ['NOEQUALS'] }, '"env" must be "any" or a list'],
    [{ stdout: '', exitCode: 0, exit_code: 1 }, 'unknown field "exit_code"'],
  ])('rejects %j with one line naming the problem', (obj, message) => {
    let error: unknown;
    try {
      parse(obj);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TargetError);
    const text = (error as Error).message;
    expect(text).toContain(message);
    expect(text).toContain('t.json');
    expect(text).not.toContain('\n');
  });

  it('reports invalid JSON as a TargetError', () => {
    expect(() => parseTargetJson('{"stdout": ', 'bad.json', 'bad')).toThrow(/target bad.json: not valid JSON/);
  });

  it('round-trips through its JSON form, fingerprint included', () => {
    const bytes = fc.uint8Array({ maxLength: 20 });
    fc.assert(
      fc.property(bytes, bytes, fc.integer({ min: 0, max: 255 }), fc.option(fc.array(fc.string({ minLength: 1 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 3 }), { nil: undefined }), (stdout, stderr, exitCode, argv) => {
        const t = parse({ stdout: { hex: Buffer.from(stdout).toString('hex') }, stderr: { hex: Buffer.from(stderr).toString('hex') }, exitCode, ...(argv ? { argv } : {}) });
        const back = parse(JSON.parse(JSON.stringify(targetToObject(t))));
        expect(back).toEqual(t);
        expect(targetFingerprint(back)).toBe(targetFingerprint(t));
      }),
      { numRuns: 200 },
    );
  });

  it('fingerprints differ when a requirement differs, not when the description does', () => {
    const a = parse({ stdout: 'x', exitCode: 0 });
    expect(targetFingerprint(parse({ stdout: 'x', exitCode: 0, description: 'other' }))).toBe(targetFingerprint(a));
    expect(targetFingerprint(parse({ stdout: 'x', exitCode: 1 }))).not.toBe(targetFingerprint(a));
    expect(targetFingerprint(parse({ stdout: 'x', exitCode: 0, argv: ['<file>', 'a'] }))).not.toBe(targetFingerprint(a));
  });
});
