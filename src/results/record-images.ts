/**
 * The container images a record file states for its best file (optional "image" field of
 * golf-record/1; files without it stay valid): the size and SHA-256 of each archive form golf
 * writes, and which engine versions loaded and ran each one. Written by
 * `golf regress --update-images` (src/image/record-images.ts), checked by `golf regress`.
 */
import { ENTRY_KINDS, type EntryKind } from './entry-kinds.js';

/** The forms a record keeps: the compact archive uncompressed and compressed each way, and the portable archive. */
export const IMAGE_FORMS = ['none', 'gzip', 'xz', 'zstd', 'bzip2', 'portable'] as const;
export type ImageFormName = (typeof IMAGE_FORMS)[number];

export interface ImageRun {
  engine: string;
  version: string;
}

export interface ImageForm {
  size: number;
  sha256: string;
  /** Engines that loaded this archive and ran it with the target's output and exit status. */
  verified: ImageRun[];
}

export interface RecordImages {
  /** SHA-256 of the executable inside (the record's best entry when the images were made). */
  file: string;
  entry: EntryKind;
  forms: Partial<Record<ImageFormName, ImageForm>>;
  found: { version: string; time: string };
}

/** The seed article's `docker save` archive of its 166-byte program, and that archive compressed. */
export const SEED_ARTICLE_IMAGE = { tar: 11264, compressed: 1180 } as const;

export function parseRecordImages(value: unknown, fail: (what: string) => never): RecordImages {
  const obj = (v: unknown, where: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${where} must be a JSON object`);
    return v as Record<string, unknown>;
  };
  const image = obj(value, '"image"');
  if (typeof image.file !== 'string' || !/^[0-9a-f]{64}$/.test(image.file)) fail('"image.file" must be a SHA-256 hex digest');
  if (!(ENTRY_KINDS as readonly string[]).includes(image.entry as string)) fail('"image.entry" must be an entry kind');
  const found = obj(image.found, '"image.found"');
  if (typeof found.version !== 'string' || typeof found.time !== 'string') fail('"image.found" needs version and time strings');
  const forms: Partial<Record<ImageFormName, ImageForm>> = {};
  for (const [name, raw] of Object.entries(obj(image.forms, '"image.forms"'))) {
    if (!(IMAGE_FORMS as readonly string[]).includes(name)) fail(`unknown image form "${name}" (known: ${IMAGE_FORMS.join(', ')})`);
    const f = obj(raw, `"image.forms.${name}"`);
    if (!Number.isInteger(f.size) || typeof f.sha256 !== 'string' || !Array.isArray(f.verified)) fail(`"image.forms.${name}" needs size, sha256 and verified`);
    const verified = (f.verified as unknown[]).map((r) => {
      const run = obj(r, `"image.forms.${name}.verified"`);
      if (typeof run.engine !== 'string' || typeof run.version !== 'string') fail(`"image.forms.${name}.verified" entries need engine and version`);
      return { engine: run.engine as string, version: run.version as string };
    });
    forms[name as ImageFormName] = { size: f.size as number, sha256: f.sha256 as string, verified };
  }
  return { file: image.file as string, entry: image.entry as EntryKind, forms, found: { version: found.version as string, time: found.time as string } };
}

/** The smallest compressed form every engine that verified the uncompressed archive also ran. */
export function bestCompressedForm(images: RecordImages): [ImageFormName, ImageForm] | null {
  const engines = new Set((images.forms.none?.verified ?? []).map((r) => r.engine));
  let best: [ImageFormName, ImageForm] | null = null;
  for (const name of IMAGE_FORMS) {
    const form = images.forms[name];
    if (!form || name === 'none' || name === 'portable') continue;
    const ran = new Set(form.verified.map((r) => r.engine));
    if (engines.size === 0 || [...engines].some((e) => !ran.has(e))) continue;
    if (!best || form.size < best[1].size) best = [name, form];
  }
  return best;
}
