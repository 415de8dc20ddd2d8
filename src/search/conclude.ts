/**
 * Concluding a search (golf search, and golf merge for sharded ones): the winner is verified as a
 * record would be (emulator in every environment, then the host kernel where it applies), written
 * when it passed (or always, for a search's own winner), and offered to the records. The CLI says
 * what happened (cli/winner.ts); this module decides it.
 */
import type { ArchName } from '../linux/personality.js';
import type { KernelProfile } from '../linux/profile.js';
import { recordCertifier } from '../results/certifiers.js';
import { certify, type Certificate } from '../results/certify.js';
import { offerRecord } from '../results/offer.js';
import type { Target } from '../targets/target.js';
import { fromHex, type Found } from './engine.js';

export interface Conclusion {
  target: Target;
  profile: KernelProfile;
  /** The files' architecture (default x86-64): i386 files are certified and recorded under their own key. */
  arch?: ArchName;
  best: Found | null;
  /**
   * The search's own winner is written even when the final verification fails (to inspect it,
   * with exit 1); a merge's comes from files anyone could have edited and is then not written.
   */
  writeUnverified: boolean;
  /** Writes the file where the user asked; returns where it went, or null when it goes nowhere. */
  write: (bytes: Uint8Array) => string | null;
  /** Offer to the records in this folder, or null (--no-record, shards). */
  record: { dir: string; markReproduced: boolean } | null;
  seed: number;
  command: string;
}

export interface Concluded {
  certificate: Certificate | null;
  pass: boolean;
  /** Where the file was written (write's answer), or null. */
  output: string | null;
  record: { accepted: boolean; updated: boolean; reason: string; path: string } | null;
}

export async function conclude(c: Conclusion): Promise<Concluded> {
  const bytes = c.best ? fromHex(c.best.hex) : null;
  const certifier = recordCertifier(c.profile, { native: true, arch: c.arch ?? 'x86-64' });
  const certificate = bytes ? await certify(certifier, bytes, c.target) : null;
  const pass = certificate?.pass === true;
  const output = bytes && (pass || c.writeUnverified) ? c.write(bytes) : null;
  let record: Concluded['record'] = null;
  if (bytes && certificate && pass && c.record) {
    const r = await offerRecord({ target: c.target, bytes, command: c.command, seed: c.seed, markReproduced: c.record.markReproduced, certificate }, certifier, c.record.dir);
    record = { accepted: r.accepted, updated: r.updated, reason: r.reason, path: r.path };
  }
  return { certificate, pass, output, record };
}
