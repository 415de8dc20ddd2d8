/**
 * Checks golf asm against nasm on published NASM sources without nasm and without keeping the
 * sources: corpus/asm/published.tsv (scripts/published-expected.sh) holds, for each source, its
 * sha256 and the sha256 of nasm's output. Given a directory laid out as for that script, this
 * assembles each source whose hash matches with golf (in its own directory, as nasm was run) and
 * compares. Prints one line per source and the totals; exits 1 if golf gives other bytes than nasm
 * anywhere, or bytes where nasm refused.
 *
 *   node dist/scripts/published-check.js DIR
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assemble } from '../src/asm/assembler.js';
import { AsmError } from '../src/asm/errors.js';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function main(dir: string): number {
  const manifest = readFileSync(new URL('../../corpus/asm/published.tsv', import.meta.url), 'utf8');
  const counts = { same: 0, different: 0, golfRefuses: 0, bothRefuse: 0, golfOnly: 0, missing: 0 };
  const home = process.cwd();
  for (const line of manifest.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [repo, , path, sourceSum, nasm] = line.split('\t') as [string, string, string, string, string];
    const file = join(dir, repo.replace('/', '+'), path);
    if (!existsSync(file) || sha256(readFileSync(file)) !== sourceSum) {
      counts.missing++;
      console.log(`missing   ${repo} ${path}`);
      continue;
    }
    let golf: string;
    try {
      process.chdir(dirname(file));
      golf = `sha256:${sha256(assemble(readFileSync(file, 'utf8'), path.split('/').pop()!))}`;
    } catch (err) {
      if (!(err instanceof AsmError)) throw err;
      golf = `error: ${err.message}`;
    } finally {
      process.chdir(home);
    }
    const nasmBytes = nasm.replace(/^warned:/, '');
    let verdict: string;
    if (nasm.startsWith('error:')) {
      verdict = golf.startsWith('error:') ? 'both-refuse' : 'GOLF-ONLY';
      if (golf.startsWith('error:')) counts.bothRefuse++;
      else counts.golfOnly++;
    } else if (golf.startsWith('error:')) {
      verdict = 'golf-refuses';
      counts.golfRefuses++;
    } else if (golf === nasmBytes) {
      verdict = 'same';
      counts.same++;
    } else {
      verdict = 'DIFFERENT';
      counts.different++;
    }
    console.log(`${verdict.padEnd(12)} ${repo} ${path}${golf.startsWith('error:') ? `  (${golf.slice(7)})` : ''}`);
  }
  console.log(`same ${counts.same}, different ${counts.different}, golf refuses ${counts.golfRefuses}, both refuse ${counts.bothRefuse}, golf assembles what nasm refuses ${counts.golfOnly}, not present ${counts.missing}`);
  return counts.different + counts.golfOnly > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (dir === undefined) {
    console.error('usage: node dist/scripts/published-check.js DIR');
    process.exit(2);
  }
  process.exit(main(dir));
}
