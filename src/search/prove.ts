/**
 * A search, then a proof. The default search prunes code by a heuristic cost bound (walk/bound.ts)
 * and so finds a small file fast, but it cannot say that no smaller file exists. Once it has a file
 * of B bytes, an exact search (no bound, no node limit, one unit per layout family and file size,
 * largest size first) walks every size below B: if it finishes, nothing smaller exists in the
 * stated space; if it finds a smaller file, that file wins; if its time runs out, the claim says
 * how far the proof got (with the largest sizes first that is often nothing: the order is chosen
 * for finishing within the time, which the default gives).
 *
 * Measured: hello on this 2-core machine, 81 bytes after 53 s of the heuristic search, then no file
 * of up to 80 bytes in the space after 476 s more (552 s in all).
 */
import { spacePersonality, units, type Found, type SearchSpace } from './engine.js';
import { minFileSize } from './layout.js';
import { completeness, type Completeness } from './report.js';
import { runSearch, searchControl, type Progress, type SearchOutcome, type SearchRequest } from './run.js';

/** Seconds the proof may take by default (the search's own time limit still applies). */
export const DEFAULT_PROVE_SECONDS = 600;

export interface ProofSummary {
  /** Sizes the proof had to exhaust: every size below the first search's file. */
  maxSize: number;
  /** Every size below this was exhausted without a bound (the proof's own claim). */
  exhaustedBelow: number;
  /** The proof walked every size up to maxSize. */
  complete: boolean;
  /** The proof found a file smaller than the first search's. */
  improved: boolean;
  elapsedMs: number;
  nodes: number;
  units: number;
}

export interface ProvedOutcome extends SearchOutcome {
  /** What the search and its proof together claim. */
  done: Completeness;
  proof: ProofSummary | null;
}

/** The space a complete proof makes its claim about: the search's, walked without the bound or a node limit. */
export function provedSpace(space: SearchSpace): SearchSpace {
  return { ...space, exact: true, nodeLimit: 0 };
}

/** Whether a finished search's file is worth proving minimal: a heuristic search found one and was not stopped. */
function wantsProof(space: SearchSpace, first: SearchOutcome, proveSeconds: number): first is SearchOutcome & { best: Found } {
  return proveSeconds > 0 && space.exact !== true && first.best !== null && !first.interrupted && !first.results.some((r) => r.stoppedBy === 'stopped');
}

export async function searchThenProve(request: SearchRequest, proveSeconds: number, onProgress: (p: Progress, phase: 'search' | 'proof') => void = () => {}): Promise<ProvedOutcome> {
  const started = Date.now();
  const first = await runSearch(request, (p) => onProgress(p, 'search'));
  const firstDone = completeness(first.results, first.unitsTotal, first.best, request.space, first.interrupted);
  if (!wantsProof(request.space, first, proveSeconds)) return { ...first, done: firstDone, proof: null };
  const space: SearchSpace = { ...provedSpace(request.space), maxSize: first.best.size - 1 };
  const userDeadline = Number.isFinite(request.timeLimit) ? started + request.timeLimit * 1000 : Infinity;
  const seconds = Math.max(0, Math.min(proveSeconds, (userDeadline - Date.now()) / 1000));
  if (seconds <= 0) return { ...first, done: firstDone, proof: null };
  // The loop plans depend on the target and profile only: the search's serve the proof too. The
  // largest sizes go first: a proof expects no file, so the order decides only how the workers
  // share the work, and the largest slices (hello: the 80-byte P=12 ET_DYN parts, up to 75 s
  // each) started last left one worker alone for 100 s of 486 when they came in size order.
  const order = units(space).reverse();
  const proof = await runSearch({ ...request, space, units: order, timeLimit: seconds, control: searchControl(seconds), loopPlans: first.loopPlans }, (p) => onProgress({ ...p, best: p.best ?? first.best }, 'proof'));
  const best = proof.best && proof.best.size < first.best.size ? proof.best : first.best;
  const proved = completeness(proof.results, proof.unitsTotal, proof.best ?? null, space, proof.interrupted);
  const complete = proved.exhaustedBelow > space.maxSize || (proof.best !== null && proved.exhaustedBelow >= proof.best.size);
  const done = complete ? completeness(proof.results, proof.unitsTotal, best, space, proof.interrupted) : stoppedProofClaim(firstDone, proved.exhaustedBelow, minFileSize(0, spacePersonality(space)), best.size, proof.interrupted);
  return {
    best, timeToBestMs: best === first.best ? first.timeToBestMs : first.elapsedMs + (proof.timeToBestMs ?? proof.elapsedMs),
    results: [...first.results, ...proof.results], unitsTotal: first.unitsTotal + proof.unitsTotal,
    nodes: first.nodes + proof.nodes, candidates: first.candidates + proof.candidates, elapsedMs: Date.now() - started,
    interrupted: proof.interrupted, loopPlans: first.loopPlans, done,
    proof: {
      maxSize: space.maxSize, exhaustedBelow: proved.exhaustedBelow, complete, improved: best !== first.best,
      elapsedMs: proof.elapsedMs, nodes: proof.nodes, units: proof.unitsTotal,
    },
  };
}

/**
 * The claim of a proof that stopped part-way: the sizes it exhausted without a bound (every size
 * below `provedBelow`; none when that is the smallest file size), then the first search's
 * heuristic claim for the rest.
 */
export function stoppedProofClaim(firstDone: Completeness, provedBelow: number, smallest: number, bestSize: number, interrupted: boolean): Completeness {
  const why = interrupted ? 'interrupted' : 'time limit';
  const sentence = provedBelow > smallest
    ? `exhausted all layouts and code up to ${provedBelow - 1} bytes in this space with no bound: no file of that size or smaller exists in it; ` +
      `the proof of ${provedBelow} to ${bestSize - 1} bytes stopped (${why}); the search before it: ${firstDone.sentence}`
    : `${firstDone.sentence}; the proof without a bound (sizes below ${bestSize}) stopped before it exhausted any size (${why})`;
  return { ...firstDone, exhaustedBelow: Math.max(firstDone.exhaustedBelow, provedBelow), sentence, stoppedEarly: true };
}
