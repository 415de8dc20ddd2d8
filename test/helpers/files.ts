/** Every file below a folder with its text, keyed by the path below it: to compare a folder before and after. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function folderContents(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p.slice(dir.length), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
