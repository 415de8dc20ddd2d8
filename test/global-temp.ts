/**
 * vitest global set-up: every test process (and every golf it starts) gets a private TMPDIR for
 * the run. At the end it must be empty: a test that leaves a temporary folder behind fails the run
 * with the names of what it left, then the folder is removed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * golf's own helper programs (src/linux/native.ts: installProgram: exec, int80-probe, elf32-probe), written once per machine under
 * content-addressed names and reused by every later run on purpose: not a test's leftovers.
 */
const GOLF_HELPERS = /^golf-(exec|int80-probe|elf32-probe)-[0-9a-f]{12}$/;

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'golf-vitest-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    const left = readdirSync(root).filter((name) => !GOLF_HELPERS.test(name));
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports an error thrown here but still exits 0: set the status as well.
      process.exitCode = 1;
      throw new Error(`tests left ${left.length} temporary entries behind: ${left.sort().join(', ')}`);
    }
  };
}
