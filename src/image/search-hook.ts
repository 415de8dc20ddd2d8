/**
 * `golf search ... --image OUT`: the winner's image, as `golf image` writes it by default (the
 * smallest archive docker and podman load). Kept here so the search command needs one option and
 * one call; the line goes to stderr so that `--json` output stays one JSON document.
 */
import { fromHex } from '../targets/bytes.js';
import { DEFAULT_ENTRY } from './layer.js';
import { ImageWriteError, makeImage } from './make.js';

/** Writes the winner's image to `out`; returns false (after saying why on stderr) if it could not. */
export function writeWinnerImage(winnerHex: string | null, out: string): boolean {
  const bytes = winnerHex === null ? null : fromHex(winnerHex);
  if (!bytes) {
    process.stderr.write(`no winner, so no image written to ${out}\n`);
    return false;
  }
  try {
    const report = makeImage({ executable: bytes, entry: DEFAULT_ENTRY, tag: null, format: 'docker-archive', style: 'compact', compress: 'none' }, out);
    process.stderr.write(`image: ${out}, ${report.built.bytes.length} bytes (docker-archive, loads in ${report.readers.join(' and ')}; run it with golf image --verify both)\n`);
    return true;
  } catch (err) {
    if (!(err instanceof ImageWriteError)) throw err;
    process.stderr.write(`golf: ${err.message}\n`);
    return false;
  }
}
