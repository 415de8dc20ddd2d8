/**
 * Finding the files a source names (%include, incbin) the way nasm 2.16 does: the name as given
 * (relative to the current directory, not to the including file), then each `-i` directory in
 * order, with a path separator added when the directory does not end in one.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';

export interface FoundFile {
  /** The path it was read from (as nasm would name it in messages). */
  path: string;
  bytes: Uint8Array;
}

export interface SourceFiles {
  /** The file a name refers to, or undefined if no candidate path exists. */
  find(name: string): FoundFile | undefined;
}

/** Include search over the file system. */
export function fileSystemSources(includeDirs: readonly string[] = []): SourceFiles {
  return {
    find(name) {
      for (const path of candidatePaths(name, includeDirs)) {
        try {
          if (!statSync(path).isFile()) continue;
          return { path, bytes: new Uint8Array(readFileSync(path)) };
        } catch {
          continue;
        }
      }
      return undefined;
    },
  };
}

/** In-memory sources (tests, and programs that include nothing): name -> text. */
export function memorySources(files: Readonly<Record<string, string | Uint8Array>>, includeDirs: readonly string[] = []): SourceFiles {
  return {
    find(name) {
      for (const path of candidatePaths(name, includeDirs)) {
        const f = files[path];
        if (f !== undefined) return { path, bytes: typeof f === 'string' ? new TextEncoder().encode(f) : f };
      }
      return undefined;
    },
  };
}

export function candidatePaths(name: string, includeDirs: readonly string[]): string[] {
  if (isAbsolute(name)) return [name];
  return [name, ...includeDirs.map((d) => (d === '' ? name : d.endsWith('/') ? d + name : `${d}/${name}`))];
}
