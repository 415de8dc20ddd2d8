/**
 * The image's one layer: a tar holding the executable at the entry path, mode 0755, owned by
 * root, time 0. Its SHA-256 (of the uncompressed tar) is the layer's diff_id in the config.
 */
import { sha256 } from '../targets/bytes.js';
import { writeTar, type TarStyle } from './tar.js';

/** The entry path golf uses unless told otherwise: one character keeps every copy of it short. */
export const DEFAULT_ENTRY = '/x';

const COMPONENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Why an entry path cannot be used, or null: absolute, plain components, at most 100 bytes. */
export function entryProblem(entry: string): string | null {
  if (!entry.startsWith('/')) return `--entry must be an absolute path inside the image, like /x (got "${entry}")`;
  const parts = entry.slice(1).split('/');
  if (parts.some((p) => !COMPONENT.test(p))) return `--entry "${entry}": each path component must be letters, digits, '.', '_' or '-' (not starting with '.' or '-')`;
  if (entry.length - 1 > 100) return `--entry "${entry}" is longer than a tar header's 100-byte name`;
  return null;
}

export interface Layer {
  /** The uncompressed layer tar. */
  tar: Uint8Array;
  /** "sha256:" + hex of `tar`: the config's rootfs.diff_ids entry. */
  diffId: string;
}

export function buildLayer(executable: Uint8Array, entry: string, style: TarStyle): Layer {
  const problem = entryProblem(entry);
  if (problem) throw new Error(problem);
  const tar = writeTar([{ name: entry.slice(1), data: executable, mode: 0o755 }], style);
  return { tar, diffId: `sha256:${sha256(tar)}` };
}
