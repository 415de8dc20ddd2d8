/**
 * The kernel's per-exec randomness (stack top, stack alignment gap, mmap base, AT_RANDOM bytes),
 * drawn from a small seeded generator so that a run with a given seed is reproducible.
 */
export class Random {
  private state = 0;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.state = (seed >>> 0) ^ 0x9e3779b9;
  }

  /** Next unsigned 32-bit value (mulberry32). */
  next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, 2^bits) for bits <= 52. */
  bits(n: number): number {
    if (n <= 32) return n === 32 ? this.next32() : this.next32() & ((1 << n) - 1) >>> 0;
    return (this.next32() & ((1 << (n - 32)) - 1)) * 0x1_0000_0000 + this.next32();
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next32() / 0x1_0000_0000) * n);
  }
}

/** A seed for runs that did not fix one. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}
