/**
 * vitest global set-up: a test run must not dirty the clone. Files git does not know about that
 * appear during the run (a search writing ./exit42 into the repository, say), and changes to the
 * committed records in results/, fail the run with their names. Outside a git checkout (a
 * tarball) there is nothing to compare and the check is skipped.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `git status` lines for untracked files anywhere and for any change under results/, or null outside git. */
function dirt(): Set<string> | null {
  const r = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return null;
  return new Set(r.stdout.split('\n').filter((l) => l.startsWith('?? ') || l.slice(3).startsWith('results/')));
}

export default function setup(): () => void {
  const before = dirt();
  return () => {
    const after = dirt();
    if (!before || !after) return;
    const added = [...after].filter((l) => !before.has(l));
    if (added.length > 0) {
      // As in global-temp.ts: vitest reports a teardown error but exits 0 unless told.
      process.exitCode = 1;
      throw new Error(`the test run changed the clone: ${added.join(', ')}`);
    }
  };
}
