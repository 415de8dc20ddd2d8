/**
 * Fuzz category "headers": mutates the ELF header and program-header bytes of working reference
 * programs, runs each mutant under the emulator (host profile) and on the host kernel, and compares
 * outcome, exit code, signal, exec error, stdout and stderr. Each disagreement is printed with the
 * case's seed, the mutated file in hex and both results, so it can be replayed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../../src/linux/emulate.js';
import { nativeSupported, runNative } from '../../src/linux/native.js';
import { hostProfile } from '../../src/linux/profile.js';
import { Random } from '../../src/linux/random.js';
import { observableResult, type RunResult } from '../../src/linux/run-result.js';
import type { FuzzOptions, FuzzReport } from './report.js';

/** Working files to mutate: EXEC and DYN layouts, bss, PT_GNU_STACK. */
const BASES = ['hello64', 'dyn-pic-hello', 'bss-readonly-tail', 'bss-writable-tail', 'stack-exec', 'phnum-74'];
/** Values that sit on rule boundaries more often than random bytes do. */
const INTERESTING = [0, 1, 2, 3, 4, 5, 6, 7, 0x10, 0x38, 0x40, 0x7f, 0x80, 0xfe, 0xff];
const MAX_STEPS = 200_000;
const CONCURRENCY = 2;

interface Mutant {
  base: string;
  bytes: Uint8Array;
  edits: string[];
}

/** The byte ranges the loader reads: the 64-byte header and the program-header table. */
function headerRanges(file: Uint8Array): [number, number][] {
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const phoff = Number(v.getUint32(32, true));
  const phnum = Math.min(v.getUint16(56, true), 4);
  return [[0, 64], [phoff, Math.min(file.length, phoff + 56 * phnum)]];
}

function mutate(base: string, original: Uint8Array, random: Random): Mutant {
  let bytes = original.slice();
  const ranges = headerRanges(original);
  const edits: string[] = [];
  const count = 1 + random.below(3);
  for (let i = 0; i < count; i++) {
    const [lo, hi] = ranges[random.below(ranges.length)]!;
    const at = lo + random.below(hi - lo);
    const kind = random.below(4);
    const value = kind === 0 ? random.below(256) : kind === 1 ? INTERESTING[random.below(INTERESTING.length)]! : bytes[at]! ^ (1 << random.below(8));
    if (kind === 3 && random.below(4) === 0) {
      // Occasionally cut the file short instead.
      const length = random.below(bytes.length);
      bytes = bytes.slice(0, length);
      edits.push(`truncate to ${length}`);
      continue;
    }
    if (at < bytes.length) {
      bytes[at] = value;
      edits.push(`[${at}]=${value.toString(16)}`);
    }
  }
  return { base, bytes, edits };
}

const comparable = (r: RunResult): string => JSON.stringify(observableResult(r));

export async function run(opts: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = { category: 'headers', cases: opts.cases, agree: 0, disagreements: [] };
  if (!nativeSupported()) {
    opts.log('skipped: the host kernel oracle needs Linux x86-64');
    report.cases = 0;
    return report;
  }
  const bases = BASES.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join('corpus/programs', name))) }));
  const emulator = new Emulator(hostProfile());
  const dir = mkdtempSync(join(tmpdir(), 'golf-fuzz-headers-'));
  let unsupported = 0;
  let stepLimited = 0;
  let done = 0;
  const started = Date.now();
  const outcomes = new Map<string, number>();
  try {
    const worker = async (slot: number): Promise<void> => {
      for (let i = slot; i < opts.cases; i += CONCURRENCY) {
        const caseSeed = (opts.seed * 1_000_003 + i) >>> 0;
        const random = new Random(caseSeed);
        const base = bases[random.below(bases.length)]!;
        const mutant = mutate(base.name, base.bytes, random);
        const path = join(dir, `case-${slot}`);
        writeFileSync(path, mutant.bytes, { mode: 0o755 });
        const argv = [path];
        const emulated = emulator.run(mutant.bytes, { argv, execPath: path, maxSteps: MAX_STEPS, seed: caseSeed });
        const native = await runNative(path, { argv, timeoutMs: 2000 });
        outcomes.set(native.outcome, (outcomes.get(native.outcome) ?? 0) + 1);
        if (emulated.outcome === 'unsupported') unsupported++;
        // The emulator's step budget is far below what the CPU runs in the native timeout (e.g. a
        // mutant executing gigabytes of zero pages): such a case decides nothing either way.
        else if (emulated.outcome === 'step-limit' && native.outcome !== 'step-limit') stepLimited++;
        else if (comparable(emulated) === comparable(native)) report.agree++;
        else {
          report.disagreements.push(
            `case ${i} (seed ${caseSeed}) ${mutant.base} ${mutant.edits.join(' ')}: emulator ${comparable(emulated)} (${emulated.reason ?? ''}) native ${comparable(native)} file ${Buffer.from(mutant.bytes).toString('hex')}`,
          );
        }
        done++;
        if (done % 1000 === 0) opts.log(`${done}/${opts.cases} cases, ${report.disagreements.length} disagreements, ${((Date.now() - started) / 1000).toFixed(0)} s`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, slot) => worker(slot)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  opts.log(`native outcomes: ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}; ${unsupported} not modelled (PT_INTERP, 32-bit) and ${stepLimited} past the emulator's step limit, not compared`);
  return report;
}
