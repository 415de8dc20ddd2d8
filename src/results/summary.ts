/**
 * The comparison `golf table` shows: per target, the baseline, the seed article and the best
 * entry, with the saving over the baseline. Kept apart from rendering so JSON, the terminal table
 * and Markdown all show the same numbers.
 */
import { overcommitBytes } from '../linux/loader.js';
import type { BestPublished } from './published.js';
import { ENTRY_KINDS, type Entry, type EntryKind, type RecordFile } from './record.js';
import { bestCompressedForm, SEED_ARTICLE_IMAGE } from './record-images.js';
import { sha256 } from '../targets/bytes.js';

export interface BestEntry {
  kind: EntryKind;
  size: number;
  assumptions: string[];
  /** The memory-commit charge behind an "overcommit" assumption, in bytes (as golf check states it), else null. */
  overcommitBytes: number | null;
  /** e.g. "emulator", "emulator (native not applicable)", "emulator only; host refuses ELF32" or "emulator + native (Linux 6.18.44)". */
  verification: string;
  command: string;
  /** When a later search last found a file of this size again (see Entry.reproduced), else null. */
  reproduced: { time: string; identical: boolean; version: string } | null;
}

export interface SummaryRow {
  target: string;
  profile: string;
  /** i386 for a row of ELF32 records (results/PROFILE-i386/); absent for x86-64. */
  arch?: 'i386';
  baseline: number | null;
  seedArticle: number | null;
  /** The smallest published file of another author that meets the target under this profile. */
  bestPublished: BestPublished | null;
  best: BestEntry | null;
  /** Baseline size minus best size, and that as a percentage of the baseline (one decimal). */
  savingBytes: number | null;
  savingPercent: number | null;
  /**
   * The best file's container image (see record-images.ts): the uncompressed archive, the smallest
   * compressed one that every engine running the archive also ran, and those engines; null when
   * the record has no image of its current best file.
   */
  image?: { tar: number; compressed: { size: number; compression: string } | null; verifiedBy: string[] } | null;
  /** The seed article's image (its docker save archive, and compressed), where the seed article's program meets the target. */
  seedImage?: { tar: number; compressed: number } | null;
}

export function verificationText(e: Entry): string {
  if (e.verification.native) return `emulator + native (Linux ${e.verification.native.kernel})`;
  const notRun = e.verification.nativeNotRun;
  if (!notRun) return 'emulator';
  // The host's own refusal, when it names one (host-capabilities.ts): "emulator only; host refuses ELF32".
  const refusal = /emulator only; [^(]*/.exec(notRun);
  return refusal ? refusal[0].trim() : 'emulator (native not applicable)';
}

const distinctIds = (e: Entry): number => new Set(e.assumptions.map((a) => a.id)).size;

/** The smallest entry; among equal sizes the one with fewer assumptions, then record first. */
export function bestEntry(record: RecordFile): [EntryKind, Entry] | null {
  let best: [EntryKind, Entry] | null = null;
  for (const kind of ENTRY_KINDS) {
    const e = record.entries[kind];
    if (!e) continue;
    if (!best || e.bytes.length < best[1].bytes.length || (e.bytes.length === best[1].bytes.length && distinctIds(e) < distinctIds(best[1]))) {
      best = [kind, e];
    }
  }
  return best;
}

export function summaryRow(record: RecordFile, published: BestPublished | null = null): SummaryRow {
  const baseline = record.entries.baseline?.bytes.length ?? null;
  const found = bestEntry(record);
  const best: BestEntry | null = found
    ? {
        kind: found[0],
        size: found[1].bytes.length,
        assumptions: found[1].assumptions.map((a) => a.id),
        overcommitBytes: overcommitBytes(found[1].assumptions),
        verification: verificationText(found[1]),
        command: found[1].found.command,
        reproduced: found[1].reproduced
          ? { time: found[1].reproduced.found.time, identical: found[1].reproduced.identical, version: found[1].reproduced.found.version }
          : null,
      }
    : null;
  const savingBytes = baseline !== null && best ? baseline - best.size : null;
  return {
    target: record.target.name,
    profile: record.profile,
    baseline,
    seedArticle: record.entries['seed-article']?.bytes.length ?? null,
    bestPublished: published,
    best,
    savingBytes,
    savingPercent: savingBytes !== null && baseline ? Math.round((savingBytes / baseline) * 1000) / 10 : null,
    image: imageSummary(record, found?.[1] ?? null),
    seedImage: record.entries['seed-article'] ? { ...SEED_ARTICLE_IMAGE } : null,
  };
}

function imageSummary(record: RecordFile, best: Entry | null): SummaryRow['image'] {
  const tar = record.image?.forms.none;
  if (!record.image || !tar || !best || sha256(best.bytes) !== record.image.file) return null;
  const compressed = bestCompressedForm(record.image);
  return {
    tar: tar.size,
    compressed: compressed ? { size: compressed[1].size, compression: compressed[0] } : null,
    verifiedBy: tar.verified.map((r) => `${r.engine} ${r.version}`),
  };
}

/** A row for a target that has no record file yet. */
export function emptyRow(target: string, profile: string, published: BestPublished | null = null): SummaryRow {
  return { target, profile, baseline: null, seedArticle: null, bestPublished: published, best: null, savingBytes: null, savingPercent: null };
}
