/**
 * Decision states already explored, so a state whose future cannot differ is not explored again.
 *
 * Two states agree in everything the future can depend on when they have the same machine state
 * (registers, flags, rip, output so far, live stack bytes with provenance), the same set of open
 * bytes (the shape), and the same values in those walk-assigned bytes the first state's subtree
 * ever looked at (executed, read as data, compared against). Different orders or encodings of
 * code that no later step runs or reads again therefore meet here; code a loop runs again is
 * part of the touched bytes and keeps the states apart. Each entry stores the shape key, the
 * touch mask and the hash of the touched values, and the steps taken and the bytes spent when it
 * was reached: a later arrival with fewer steps taken or fewer bytes spent (under the same byte
 * budget) could see more below it, so it is explored again.
 *
 * One key is often recorded many times (the same machine state after different code, each entry
 * with its own touched bytes: measured on hello's loop family, 17 to 25 entries per key looked
 * up), so the entries of a key form a chain from one slot of an open-addressing table of keys:
 * a lookup probes among distinct keys only, then walks its key's chain. (One flat table of
 * entries, probed linearly, scanned 40 to 57 slots per lookup there.)
 *
 * Keys are two independent 32-bit hashes (a false match about one in 2^64 per pair of states);
 * the table starts over when full (forgetting states only costs repeated work).
 */
/** One table per touch-mask width, reused by every walk of a thread (they are large to allocate). */
const shared = new Map<number, StateMemo>();

export function stateMemo(maskWords: number): StateMemo {
  let m = shared.get(maskWords);
  if (!m) {
    m = new StateMemo(1 << 17, maskWords);
    shared.set(maskWords, m);
  }
  m.clear();
  return m;
}

export class StateMemo {
  // the key table (open addressing): both hashes and the newest entry of the key's chain, plus 1
  private readonly k1: Int32Array;
  private readonly k2: Int32Array;
  private readonly head: Int32Array;
  private readonly used: Uint8Array;
  private readonly mask: number;
  // the entries, in the order recorded: the next older entry of the same key (plus 1, 0 ends)
  private readonly next: Int32Array;
  private readonly v1: Int32Array;
  private readonly v2: Int32Array;
  private readonly steps: Int32Array;
  private readonly cost: Int32Array;
  private readonly masks: Uint32Array;
  private count = 0;
  private keys = 0;
  private readonly values = new Int32Array(2);

  constructor(private readonly capacity: number, private readonly maskWords: number) {
    const size = 1 << Math.ceil(Math.log2(capacity * 2));
    this.mask = size - 1;
    this.k1 = new Int32Array(size);
    this.k2 = new Int32Array(size);
    this.head = new Int32Array(size);
    this.used = new Uint8Array(size);
    this.next = new Int32Array(capacity);
    this.v1 = new Int32Array(capacity);
    this.v2 = new Int32Array(capacity);
    this.steps = new Int32Array(capacity);
    this.cost = new Int32Array(capacity);
    this.masks = new Uint32Array(capacity * maskWords);
  }

  /**
   * The entry of an explored state that matches, or -1: same key, no more steps taken then than
   * now, and the current values of that state's touched bytes equal its own (`valuesUnder`
   * hashes them).
   */
  covered(h1: number, h2: number, steps: number, cost: number, valuesUnder: (masks: Uint32Array, base: number, out: Int32Array) => void): number {
    const k = this.find(h1, h2);
    if (k < 0) return -1;
    const W = this.maskWords;
    const masks = this.masks;
    // the entry whose mask the values were last hashed under: most entries of a chain share their
    // predecessor's mask (hello's loop family at 73 bytes: 36.2 M of 37.7 M eligible entries),
    // so the values are hashed once per distinct mask, not once per entry
    let hashed = -1;
    for (let e = this.head[k]! - 1; e >= 0; e = this.next[e]! - 1) {
      if (this.steps[e]! > steps || this.cost[e]! > cost) continue;
      if (hashed < 0 || !sameWords(masks, hashed * W, e * W, W)) {
        valuesUnder(masks, e * W, this.values);
        hashed = e;
      }
      if (this.values[0] === this.v1[e] && this.values[1] === this.v2[e]) return e;
    }
    return -1;
  }

  /** ORs entry `e`'s touch mask into `target` at word `at` (a state pruned by it depends on those bytes). */
  mergeMask(e: number, target: Uint32Array, at: number): void {
    for (let w = 0; w < this.maskWords; w++) target[at + w]! |= this.masks[e * this.maskWords + w]!;
  }

  /** Records an explored state with the mask of touched bytes (words at `from` in `source`) and their values' hash. */
  record(h1: number, h2: number, steps: number, cost: number, source: Uint32Array, from: number, values: Int32Array): void {
    if (this.count === this.capacity || this.keys * 2 > this.mask) this.clear();
    let k = this.find(h1, h2);
    if (k < 0) {
      k = this.slot(h1, h2);
      while (this.used[k] === 1) k = (k + 1) & this.mask;
      this.used[k] = 1;
      this.k1[k] = h1;
      this.k2[k] = h2;
      this.head[k] = 0;
      this.keys++;
    }
    const e = this.count++;
    this.next[e] = this.head[k]!;
    this.head[k] = e + 1;
    this.steps[e] = steps;
    this.cost[e] = cost;
    this.v1[e] = values[0]!;
    this.v2[e] = values[1]!;
    const at = e * this.maskWords;
    for (let w = 0; w < this.maskWords; w++) this.masks[at + w] = source[from + w]!;
  }

  /** The key's slot in the key table, or -1. */
  private find(h1: number, h2: number): number {
    let i = this.slot(h1, h2);
    while (this.used[i] === 1) {
      if (this.k1[i] === h1 && this.k2[i] === h2) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  private slot(h1: number, h2: number): number {
    return (h1 ^ Math.imul(h2, 0x9e3779b1)) & this.mask;
  }

  clear(): void {
    if (this.count === 0 && this.keys === 0) return;
    this.used.fill(0);
    this.count = 0;
    this.keys = 0;
  }
}

/** Whether the `n` words at `a` and at `b` of one array are equal. */
function sameWords(words: Uint32Array, a: number, b: number, n: number): boolean {
  for (let w = 0; w < n; w++) if (words[a + w] !== words[b + w]) return false;
  return true;
}
