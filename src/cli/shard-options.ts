/**
 * The options of `golf search` that split a search over machines: --shard (I/N, or auto from a
 * scheduler's variables), --bound, --costs, --plan and --emit slurm. Parsing and reading files only;
 * the bound a search starts from is src/search/start-bound.ts, the planning src/search/shard-plan.ts,
 * a shard's run src/search/shard-run.ts.
 */
import { minFileSize } from '../search/layout.js';
import { parsePartial, PartialError, type PartialResult } from '../search/partial.js';
import { shardFromEnvironment, ShardEnvironmentError, type Shard } from '../search/shard-env.js';
import type { BoundOption } from '../search/start-bound.js';
import { timingsOf, type UnitTiming } from '../search/unit-cost.js';
import { CliError, ExitCode } from './errors.js';
import { readInput, STDIO } from './io.js';

/** `--shard I/N`, `--shard auto` or `--shard auto/N` (0-based index inside). */
export function parseShard(value: string, env: NodeJS.ProcessEnv = process.env): Shard & { source?: string } {
  const v = value.trim();
  const auto = /^auto(?:\/([0-9]+))?$/.exec(v);
  if (auto) {
    const count = auto[1] === undefined ? undefined : Number(auto[1]);
    if (count !== undefined && count < 1) throw new CliError(`--shard auto/N needs N >= 1 (got "${value}")`, ExitCode.usage);
    try {
      const found = shardFromEnvironment(env, count);
      return { ...found.shard, source: found.source };
    } catch (err) {
      if (err instanceof ShardEnvironmentError) throw new CliError(err.message, ExitCode.usage);
      throw err;
    }
  }
  const m = /^([0-9]+)\/([0-9]+)$/.exec(v);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new CliError(`--shard must be I/N with 1 <= I <= N, auto or auto/N (got "${value}")`, ExitCode.usage);
  return { index: index - 1, count };
}

export function parseBound(value: string): BoundOption {
  const v = value.trim();
  if (v === 'record' || v === 'first-pass' || v === 'none') return { kind: v };
  const n = /^[0-9]+$/.test(v) ? Number(v) : Number.NaN;
  const smallest = minFileSize(0); // a one-PT_LOAD file at phoff 0
  if (!Number.isSafeInteger(n) || n < smallest || n > 4096) throw new CliError(`--bound must be a size from ${smallest} to 4096, record, first-pass or none (got "${value}")`, ExitCode.usage);
  return { kind: 'size', size: n };
}

/** `--costs FILE...`: the unit times of earlier partial results, to balance shards by. */
export function readTimings(paths: readonly string[]): { entries: UnitTiming[]; files: number } {
  const entries: UnitTiming[] = [];
  for (const path of paths) {
    const p = readPartialFile(path);
    entries.push(...timingsOf([...p.firstPass, ...p.units]));
  }
  return { entries, files: paths.length };
}

/**
 * Reads a partial result written by `golf search --shard` (`-` reads stdin); anything damaged is a
 * usage error of one line naming the file and the field (see src/search/partial.ts).
 */
export function readPartialFile(path: string): PartialResult {
  const text = Buffer.from(readInput(path, 'a partial result')).toString('utf8');
  try {
    return parsePartial(text);
  } catch (err) {
    if (err instanceof PartialError) throw new CliError(`${path === STDIO ? 'stdin' : path}: not a valid partial result: ${err.message}`, ExitCode.usage);
    throw err;
  }
}
