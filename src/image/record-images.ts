/**
 * Images in the records: `golf regress --update-images` builds every form of a record's best file
 * (the compact archive uncompressed and compressed each way, and the portable archive), runs each
 * in every available engine that reads it, and stores sizes and verifications in the record.
 * `golf regress` rebuilds them (a form may not grow) and runs them again where an engine is here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../results/lock.js';
import { bestCompressedForm, IMAGE_FORMS, type ImageForm, type ImageFormName, type RecordImages } from '../results/record-images.js';
import { RecordError, type RecordFile } from '../results/record.js';
import { listRecordPaths, readRecord, writeRecordAtomic } from '../results/store.js';
import { bestEntry } from '../results/summary.js';
import { sha256 } from '../targets/bytes.js';
import { golfVersion } from '../targets/paths.js';
import { ENGINES, enginesReading, type EngineName } from './acceptance.js';
import { buildImage, type BuiltImage, type ImageRequest } from './build.js';
import { compressorAvailable, type Compression } from './compression.js';
import { engineStatus, type EngineStatus } from './engine.js';
import { DEFAULT_ENTRY } from './layer.js';
import { writeArchive } from './make.js';
import { verifyWithEngine } from './verify.js';

/** The build request behind a named form. */
export function formRequest(form: ImageFormName, executable: Uint8Array): ImageRequest {
  const portable = form === 'portable';
  return { executable, entry: DEFAULT_ENTRY, tag: null, format: 'docker-archive', style: portable ? 'portable' : 'compact', compress: portable ? 'none' : (form as Compression) };
}

export async function engineStatuses(): Promise<Map<EngineName, EngineStatus>> {
  const map = new Map<EngineName, EngineStatus>();
  for (const e of ENGINES) map.set(e, await engineStatus(e));
  return map;
}

/** Loads and runs one built archive in one engine; the engine's version on a pass, else the failure line. */
async function runForm(built: BuiltImage, engine: EngineName, record: RecordFile): Promise<{ pass: boolean; version: string | null; detail: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'golf-image-'));
  try {
    const archive = join(dir, 'image.tar');
    writeArchive(archive, built.bytes);
    const v = await verifyWithEngine({ engine, archive, imageId: built.imageId, tag: null, entry: DEFAULT_ENTRY, target: record.target });
    return { pass: v.outcome === 'pass', version: v.version, detail: v.detail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ImagesUpdate {
  path: string;
  lines: string[];
}

/** Builds and verifies every form for one record file and stores them (written under the record's lock). */
export async function updateRecordImages(path: string, statuses: Map<EngineName, EngineStatus>): Promise<ImagesUpdate> {
  const record = readRecord(path);
  const best = record ? bestEntry(record) : null;
  if (!record || !best) return { path, lines: ['no entries: no image'] };
  const [kind, entry] = best;
  const forms: Partial<Record<ImageFormName, ImageForm>> = {};
  const lines: string[] = [];
  for (const form of IMAGE_FORMS) {
    const request = formRequest(form, entry.bytes);
    if (!compressorAvailable(request.compress)) {
      lines.push(`${form}: skipped (${request.compress} is not installed)`);
      continue;
    }
    const built = buildImage(request);
    const verified: ImageForm['verified'] = [];
    const notes: string[] = [];
    for (const engine of enginesReading(request.format, request.compress)) {
      const status = statuses.get(engine)!;
      if (status.problem) continue;
      const run = await runForm(built, engine, record);
      if (run.pass) verified.push({ engine, version: run.version! });
      else notes.push(run.detail);
    }
    forms[form] = { size: built.bytes.length, sha256: built.sha256, verified };
    lines.push(`${form}: ${built.bytes.length} B, ${verified.length ? `ran in ${verified.map((v) => `${v.engine} ${v.version}`).join(', ')}` : 'not run'}${notes.length ? `; ${notes.join('; ')}` : ''}`);
  }
  const images: RecordImages = { file: sha256(entry.bytes), entry: kind, forms, found: { version: golfVersion(), time: new Date().toISOString() } };
  await withLock(path, () => {
    // Re-read under the lock: a search may have written a new record meanwhile.
    const current = readRecord(path);
    const currentBest = current ? bestEntry(current) : null;
    if (!current || !currentBest || sha256(currentBest[1].bytes) !== images.file) {
      lines.push('the best file changed while the images were made; not written');
      return;
    }
    current.image = images;
    writeRecordAtomic(path, current);
  });
  return { path, lines };
}

export async function updateAllRecordImages(dir: string): Promise<ImagesUpdate[]> {
  const statuses = await engineStatuses();
  const out: ImagesUpdate[] = [];
  for (const path of listRecordPaths(dir)) out.push(await updateRecordImages(path, statuses));
  return out;
}

export interface ImagesCheck {
  /** One line per record file with images, and one per unavailable engine. */
  lines: string[];
  /** Regressions: a form that grew, or an engine that no longer runs it. */
  problems: string[];
  /** Engines used for runs, with versions. */
  enginesUsed: string[];
}

/**
 * Re-checks the images of every record, for the forms `golf table` shows (the uncompressed
 * archive and the smallest compressed one every engine ran) and the portable archive: each is
 * rebuilt (it must not grow) and run again in each engine that verified it, where that engine is
 * available (`runs: false` builds only). The other compressed forms are rebuilt by --update-images.
 */
export async function checkRecordImages(dir: string, options: { runs: boolean }): Promise<ImagesCheck> {
  const statuses = options.runs ? await engineStatuses() : new Map<EngineName, EngineStatus>();
  const lines: string[] = [];
  const problems: string[] = [];
  const used = new Set<string>();
  const missing = new Set<string>();
  for (const path of listRecordPaths(dir)) {
    let record: RecordFile | null;
    try {
      record = readRecord(path);
    } catch (err) {
      if (err instanceof RecordError) continue; // the record check reports an unreadable file
      throw err;
    }
    if (!record?.image) continue;
    const best = bestEntry(record);
    if (!best || sha256(best[1].bytes) !== record.image.file) {
      lines.push(`note ${path}: the image is of an earlier best file (run golf regress --update-images)`);
      continue;
    }
    const results: string[] = [];
    const compressed = bestCompressedForm(record.image);
    const checked: ImageFormName[] = ['none', ...(compressed ? [compressed[0]] : []), 'portable'];
    for (const form of checked) {
      const stored = record.image.forms[form];
      if (!stored) continue;
      const request = formRequest(form, best[1].bytes);
      if (!compressorAvailable(request.compress)) {
        results.push(`${form} not rebuilt (${request.compress} missing)`);
        continue;
      }
      const built = buildImage(request);
      if (built.bytes.length > stored.size) problems.push(`${path}: image ${form} grew from ${stored.size} to ${built.bytes.length} bytes`);
      let text = `${form} ${built.bytes.length} B`;
      if (options.runs && form !== 'portable') {
        const ran: string[] = [];
        for (const run of stored.verified) {
          const engine = run.engine as EngineName;
          const status = statuses.get(engine);
          if (!status || status.problem) {
            if (status?.problem) missing.add(`${engine}: ${status.problem}`);
            continue;
          }
          const r = await runForm(built, engine, record);
          used.add(`${engine} ${status.version}`);
          if (r.pass) ran.push(engine);
          else problems.push(`${path}: image ${form} no longer runs in ${engine}: ${r.detail}`);
        }
        if (ran.length) text += ` (ran in ${ran.join(', ')})`;
      }
      results.push(text);
    }
    lines.push(`${problems.some((p) => p.startsWith(path)) ? 'FAIL' : 'ok  '} ${path} image: ${results.join('; ')}`);
  }
  for (const m of missing) lines.push(`image runs skipped for ${m}`);
  if (!options.runs) lines.push('image runs skipped (--no-native)');
  return { lines, problems, enginesUsed: [...used] };
}
