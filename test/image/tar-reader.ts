// Real tar readers for the tests: GNU tar and Python's tarfile through child_process, when installed.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/temp.js';

export const gnuTarAvailable = !spawnSync('tar', ['--version'], { stdio: 'ignore' }).error;
export const pythonAvailable = !spawnSync('python3', ['--version'], { stdio: 'ignore' }).error;

/** Writes bytes to a fresh temp file and returns its path. */
export function tempFile(bytes: Uint8Array, name = 'a.tar'): string {
  const path = join(tempDir('golf-tar-'), name);
  writeFileSync(path, bytes);
  return path;
}

/** GNU tar's listing (`tar tvf`), exit status and stderr. */
export function gnuTarList(bytes: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('tar', ['-tvf', tempFile(bytes)], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Extracts with GNU tar; returns the member's bytes and permission bits. */
export function gnuTarExtract(bytes: Uint8Array, member: string): { data: Uint8Array; mode: number } {
  const dir = tempDir('golf-untar-');
  const r = spawnSync('tar', ['-xf', tempFile(bytes), '-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -x failed: ${r.stderr}`);
  return { data: new Uint8Array(readFileSync(join(dir, member))), mode: statSync(join(dir, member)).mode & 0o7777 };
}

/** Python's tarfile: names, sizes and modes of the members, or its error. */
export function pythonTarList(bytes: Uint8Array): { ok: boolean; members: { name: string; size: number; mode: number }[]; error: string } {
  const script = 'import json,sys,tarfile\nt=tarfile.open(sys.argv[1])\nprint(json.dumps([{"name":m.name,"size":m.size,"mode":m.mode} for m in t.getmembers()]))\nfor m in t.getmembers(): t.extractfile(m).read()';
  const r = spawnSync('python3', ['-c', script, tempFile(bytes)], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, members: [], error: r.stderr.trim().split('\n').pop() ?? '' };
  return { ok: true, members: JSON.parse(r.stdout.split('\n')[0]), error: '' };
}
