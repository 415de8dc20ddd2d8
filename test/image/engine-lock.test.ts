// Two verifications of one image must not interleave (the first to finish would remove the image
// the other is running), and a lock left by a killed golf must not block the next one.
import { writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { withEngineLock } from '../../src/image/engine-lock.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('engine lock', () => {
  it('runs one holder at a time, in the order they came', async () => {
    const events: string[] = [];
    const holder = (name: string) => withEngineLock('test-serial', async () => {
      events.push(`${name} in`);
      await sleep(150);
      events.push(`${name} out`);
    });
    await Promise.all([holder('a'), sleep(20).then(() => holder('b'))]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(join(tmpdir(), 'golf-engine-test-serial.lock'))).toBe(false);
  });

  it('takes over a lock whose owner is gone, and releases it when the work throws', async () => {
    const path = join(tmpdir(), 'golf-engine-test-stale.lock');
    // the pid of a process that has ended
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(path, dead);
    const started = Date.now();
    await expect(withEngineLock('test-stale', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(path)).toBe(false);
  });
});
