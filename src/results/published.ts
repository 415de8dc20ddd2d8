/**
 * The best published files of other people (corpus/published/, rebuilt from their authors'
 * listings by scripts/build-published.sh): what golf's results are compared with in `golf table`
 * and what `golf regress` keeps checking. They are never an input to a search.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Emulator } from '../linux/emulate.js';
import type { ArchName } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import { briefOutcome } from '../linux/run-result.js';
import { sha256 } from '../targets/bytes.js';
import { publishedDir } from '../targets/paths.js';
import type { Target } from '../targets/target.js';
import type { Verification } from '../verify/verify.js';
import { overcommitBytes } from '../linux/loader.js';

export const PUBLISHED_MANIFEST = 'published.json';

export interface PublishedFile {
  /** File name in corpus/published/ (also the key in published.json). */
  name: string;
  bytes: Uint8Array;
  author: string;
  /** Where it was published, and under which title. */
  origin: string;
  title: string;
  /** The shipped target it meets, or null for a file kept for its documented outcome only. */
  target: string | null;
  /** The process it starts: x86-64, or i386 for an ELF32 file ("arch" in published.json; default x86-64). */
  arch: ArchName;
  /** What its author says it does, and on which kernels (null when only the target says). */
  documented: string | null;
  /**
   * golf's outcome per profile ("exited 42", "exec-failed ENOEXEC", ...) for `golf run
   * corpus/published/NAME`, which the tests and golf regress check.
   */
  outcomes: Record<string, string>;
  /** Outcomes under the default profile when run under another file name (argv[0]), by name. */
  runAs: Record<string, string>;
  /** Size and SHA-256 of the bytes as published (a rebuilt file that differs is reported). */
  size: number;
  sha256: string;
  /** Whether it is expected to run on an ordinary Linux x86-64 host (4-level paging ...). */
  runsNatively: boolean;
  /** golf's NASM source of it, or null for a derived variant. */
  source: string | null;
  /** A variant golf derived: the base file and the bytes changed. */
  derivedFrom: { file: string; patch: { offset: number; byte: number }[] } | null;
  note: string | null;
}

export class PublishedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishedError';
  }
}

/** Reads the manifest and every file it lists; an empty list when the folder is absent. */
export function loadPublished(dir: string = publishedDir()): PublishedFile[] {
  const manifestPath = join(dir, PUBLISHED_MANIFEST);
  if (!existsSync(manifestPath)) return [];
  const fail = (what: string): never => {
    throw new PublishedError(`${manifestPath}: ${what}`);
  };
  let manifest: { files?: Record<string, Record<string, unknown>> };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
  } catch (err) {
    return fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof manifest.files !== 'object' || manifest.files === null) fail('"files" must be an object');
  const out: PublishedFile[] = [];
  for (const [name, e] of Object.entries(manifest.files!)) {
    const str = (key: string): string => (typeof e[key] === 'string' ? (e[key] as string) : fail(`${name}: "${key}" must be a string`));
    const path = join(dir, name);
    if (!existsSync(path)) fail(`${name}: the file is missing (run scripts/build-published.sh)`);
    const derived = e.derivedFrom as { file?: unknown; patch?: { offset: number; byte: string }[] } | undefined;
    out.push({
      name,
      bytes: new Uint8Array(readFileSync(path)),
      author: str('author'),
      origin: str('origin'),
      title: str('title'),
      target: e.target === null ? null : str('target'),
      arch: e.arch === undefined ? 'x86-64' : e.arch === 'i386' || e.arch === 'x86-64' ? e.arch : fail(`${name}: "arch" must be "x86-64" or "i386"`),
      documented: typeof e.documented === 'string' ? e.documented : null,
      outcomes: stringMap(e.outcomes, `${name}: "outcomes"`, fail),
      runAs: stringMap(e.runAs, `${name}: "runAs"`, fail),
      size: Number.isInteger(e.size) ? (e.size as number) : fail(`${name}: "size" must be a byte count`),
      sha256: str('sha256'),
      runsNatively: e.runsNatively === true,
      source: typeof e.source === 'string' ? e.source : null,
      derivedFrom: derived
        ? { file: String(derived.file), patch: (derived.patch ?? []).map((p) => ({ offset: p.offset, byte: Number.parseInt(p.byte, 16) })) }
        : null,
      note: typeof e.note === 'string' ? e.note : null,
    });
  }
  return out;
}

function stringMap(value: unknown, what: string, fail: (what: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Object.values(value).some((v) => typeof v !== 'string')) fail(`${what} must map names to strings`);
  return value as Record<string, string>;
}

/** Where golf run finds a published file (its argv[0] in `outcomes`). */
export function publishedRunPath(file: PublishedFile): string {
  return `corpus/published/${file.name}`;
}

/** The emulator's outcome for a published file run as `path` (argv[0]) under a profile, in the outcomes' words. */
export function publishedOutcome(file: PublishedFile, profile: KernelProfile, path: string = publishedRunPath(file)): string {
  return briefOutcome(new Emulator(profile).run(file.bytes, { argv: [path], execPath: path, seed: 1 }));
}

/** What is wrong with the committed bytes of a published file (empty when nothing). */
export function integrityProblems(file: PublishedFile): string[] {
  const problems: string[] = [];
  if (file.bytes.length !== file.size) problems.push(`is ${file.bytes.length} bytes, but ${file.size} were published`);
  if (sha256(file.bytes) !== file.sha256) problems.push('its bytes differ from the published ones (sha256)');
  return problems;
}

/** The smallest published file of a target, as the table shows it. */
export interface BestPublished {
  name: string;
  size: number;
  author: string;
  origin: string;
  /** What it relies on under the table's profile (assumption ids). */
  assumptions: string[];
  /** The commit charge behind its "overcommit" assumption, in bytes, else null. */
  overcommitBytes: number | null;
}

/**
 * The smallest published file of an architecture for `target` that meets it under the caller's
 * judgement (the emulator under the table's profile): a published file the profile refuses is not
 * shown for it.
 */
export function bestPublished(
  files: readonly PublishedFile[], target: Target, verify: (bytes: Uint8Array, target: Target) => Verification, arch: ArchName = 'x86-64',
): BestPublished | null {
  const candidates = files.filter((f) => f.target === target.name && f.arch === arch).sort((a, b) => a.bytes.length - b.bytes.length || a.name.localeCompare(b.name));
  for (const f of candidates) {
    const v = verify(f.bytes, target);
    if (v.pass) return { name: f.name, size: f.bytes.length, author: f.author, origin: f.origin, assumptions: v.assumptions.map((a) => a.id), overcommitBytes: overcommitBytes(v.assumptions) };
  }
  return null;
}
