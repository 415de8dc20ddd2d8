/**
 * A lock file next to a record, so two golf processes offering winners for the same target at
 * the same time cannot lose one another's update (atomic rename alone prevents torn files, not
 * lost updates). A lock older than STALE_MS is left over from a killed process and is broken.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

const STALE_MS = 60_000;
const WAIT_MS = 20_000;

export async function withLock<T>(path: string, body: () => Promise<T> | T): Promise<T> {
  const lock = path + '.lock';
  mkdirSync(dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(lock).mtimeMs;
      } catch {
        continue; // released between our open and stat: try again at once
      }
      if (age > STALE_MS) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() - started > WAIT_MS) throw new Error(`record ${path} is locked by another golf process (${lock})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { force: true });
  }
}
