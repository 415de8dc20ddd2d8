/**
 * The reference entries of every record file: golf's baseline layout (for any target) and the
 * seed article's program (where it meets the target). `golf regress --update-baselines` uses this
 * to seed results/ and to refresh the references after golf changes; nothing is typed by hand.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { bytesEqual } from '../targets/bytes.js';
import { golfVersion, packageRoot, programsDir } from '../targets/paths.js';
import type { Target } from '../targets/target.js';
import { buildBaseline, type Assemble } from './baseline.js';
import { certify, type Certifier } from './certify.js';
import { withLock } from './lock.js';
import { RecordError, type Entry, type EntryKind } from './record.js';
import { historicalMinimum } from './rules.js';
import { putEntry, readRecordFor } from './offer.js';
import { recordPath, writeRecordAtomic } from './store.js';

/** The seed article's program, assembled from its committed source. */
export function seedArticleSourcePath(): string {
  return join(programsDir(), 'seed-hello.asm');
}

export interface ReferenceUpdate {
  path: string;
  /** Per entry kind: what happened, one line each. */
  changes: string[];
}

interface Candidate {
  kind: EntryKind;
  bytes: Uint8Array;
  command: string;
  /** A reference that does not meet this target is simply absent (the seed prints one string). */
  mustPass: boolean;
}

/**
 * Recomputes the baseline and seed-article entries for one target and writes them if they
 * changed, and restates what the record entry relies on (its bytes, provenance and history stay). An entry whose bytes are unchanged keeps its original provenance, so re-running this
 * produces no churn. A reference may not grow past its history (that is a regression in golf).
 */
export async function updateReferences(target: Target, certifier: Certifier, assemble: Assemble, dir: string): Promise<ReferenceUpdate> {
  const seedPath = seedArticleSourcePath();
  const candidates: Candidate[] = [
    { kind: 'baseline', bytes: buildBaseline(target, assemble), command: 'golf regress --update-baselines (src/results/baseline.ts)', mustPass: true },
    {
      kind: 'seed-article',
      bytes: assemble(readFileSync(seedPath, 'utf8'), seedPath),
      command: `golf asm ${relative(packageRoot(), seedPath)}`,
      mustPass: false,
    },
  ];
  const path = recordPath(dir, certifier.profile, target.name);
  return withLock(path, async () => {
    const record = readRecordFor(path, target, certifier.profile);
    const changes: string[] = [];
    let dirty = false;
    for (const c of candidates) {
      const current = record.entries[c.kind];
      const certificate = await certify(certifier, c.bytes, target);
      if (!certificate.pass) {
        if (c.mustPass) throw new RecordError(`golf's ${c.kind} for target "${target.name}" does not pass: ${certificate.problem}`);
        if (current) throw new RecordError(`the ${c.kind} entry of ${path} no longer meets its target: ${certificate.problem}`);
        changes.push(`${c.kind}: does not meet this target (${certificate.problem}); no entry`);
        continue;
      }
      const sameAssumptions = current && JSON.stringify(current.assumptions) === JSON.stringify(certificate.assumptions);
      const nativeChanged = current && JSON.stringify(current.verification) !== JSON.stringify(certificate.verification);
      if (current && bytesEqual(current.bytes, c.bytes) && sameAssumptions && !nativeChanged) {
        changes.push(`${c.kind}: unchanged (${c.bytes.length} bytes)`);
        continue;
      }
      const min = historicalMinimum(record, c.kind);
      if (min !== null && c.bytes.length > min) {
        throw new RecordError(`golf's ${c.kind} for target "${target.name}" grew to ${c.bytes.length} bytes; its history reached ${min}`);
      }
      const entry: Entry = {
        bytes: c.bytes,
        found: { command: c.command, version: golfVersion(), seed: null, time: new Date().toISOString() },
        assumptions: certificate.assumptions,
        verification: certificate.verification,
      };
      putEntry(record, c.kind, entry);
      dirty = true;
      const sameBytes = current && bytesEqual(current.bytes, c.bytes);
      changes.push(`${c.kind}: ${sameBytes ? `same ${c.bytes.length} bytes, assumptions/verification updated` : `${current ? `${current.bytes.length} -> ` : ''}${c.bytes.length} bytes written`}`);
    }
    // The search's record keeps its bytes and provenance; what golf finds it relies on is restated.
    const current = record.entries.record;
    if (current) {
      const certificate = await certify(certifier, current.bytes, target);
      if (!certificate.pass) throw new RecordError(`the record entry of ${path} no longer meets its target: ${certificate.problem}`);
      if (JSON.stringify(current.assumptions) === JSON.stringify(certificate.assumptions)) changes.push(`record: assumptions unchanged (${current.bytes.length} bytes)`);
      else {
        current.assumptions = certificate.assumptions;
        current.verification = certificate.verification;
        dirty = true;
        changes.push(`record: same ${current.bytes.length} bytes, assumptions restated (${certificate.assumptions.map((a) => a.id).join(', ') || 'none'})`);
      }
    }
    if (dirty) writeRecordAtomic(path, record);
    return { path, changes };
  });
}
