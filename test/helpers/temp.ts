/**
 * Temporary folders for tests: made under the system temporary folder and removed after the test
 * file's last test, so a test run leaves nothing behind (test/global-temp.ts checks that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, removed when the test file ends. */
export function tempDir(prefix = 'golf-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
