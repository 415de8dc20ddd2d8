/**
 * Where golf's shipped data lives. The code runs both compiled (dist/src/...) and from source
 * (vitest), at different depths, so the package root is found by walking up to golf's package.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | null = null;

export function packageRoot(): string {
  if (cachedRoot !== null) return cachedRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'golf') return (cachedRoot = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find golf package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function golfVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The shipped targets: corpus/targets/NAME.json. */
export function targetsDir(): string {
  return join(packageRoot(), 'corpus', 'targets');
}

/** The committed records: results/. */
export function resultsDir(): string {
  return join(packageRoot(), 'results');
}

/** The reference programs: corpus/programs/. */
export function programsDir(): string {
  return join(packageRoot(), 'corpus', 'programs');
}

/** The best published files of other authors, for comparison: corpus/published/. */
export function publishedDir(): string {
  return join(packageRoot(), 'corpus', 'published');
}
