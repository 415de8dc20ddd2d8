/**
 * Live progress from inside a unit: each lane of a search (one unit at a time on one worker) owns a
 * few Int32 slots of one SharedArrayBuffer. The walk bumps its lane's node counter every
 * NODE_BLOCK nodes, the engine adds the rest when a walk ends and stores the file size it is
 * exhausting; the coordinator reads all
 * lanes on a timer, so the progress line moves while a worker is deep in one unit. Plain Atomics on
 * shared memory: no messages, nothing allocated in the walk.
 */

/** Nodes per bump of a lane's counter (a power of two: the walk tests `(nodes & (NODE_BLOCK - 1)) === 0`). */
export const NODE_BLOCK = 4096;

/**
 * Per lane: node blocks counted in the current unit, nodes not yet making a block (walks shorter
 * than NODE_BLOCK count there when they end), and the file size being searched (0: idle). Only the
 * lane's worker writes them, so counting in blocks keeps every value far from Int32 overflow.
 */
const NODE_BLOCKS = 0;
const REST = 1;
const SIZE = 2;
const SLOTS_PER_LANE = 3;

/** Called by the walk every NODE_BLOCK nodes. */
export function countNodeBlock(lane: Int32Array | undefined): void {
  if (lane) Atomics.add(lane, NODE_BLOCKS, 1);
}

/** Called by the engine when a walk of `nodes` nodes ends: the part the walk did not count in blocks. */
export function countWalkEnd(lane: Int32Array | undefined, nodes: number): void {
  if (!lane) return;
  const rest = Atomics.load(lane, REST) + (nodes % NODE_BLOCK);
  Atomics.store(lane, REST, rest % NODE_BLOCK);
  if (rest >= NODE_BLOCK) Atomics.add(lane, NODE_BLOCKS, 1);
}

/** Called by the engine when a unit starts on a file size. */
export function reportSize(lane: Int32Array | undefined, size: number): void {
  if (lane) Atomics.store(lane, SIZE, size);
}

export interface LiveCounts {
  /** Nodes walked in the units now running (short of the running walks' last partial blocks). */
  nodes: number;
  /** File sizes the running units are exhausting, ascending. */
  sizes: number[];
}

/** The coordinator's side: one lane per worker thread. */
export class ProgressBoard {
  private readonly slots: Int32Array;

  constructor(readonly lanes: number) {
    this.slots = new Int32Array(new SharedArrayBuffer(lanes * SLOTS_PER_LANE * Int32Array.BYTES_PER_ELEMENT));
  }

  /** The slots handed to a unit (in its context) on lane `i`; shared with the worker, not copied. */
  lane(i: number): Int32Array {
    return this.slots.subarray(i * SLOTS_PER_LANE, (i + 1) * SLOTS_PER_LANE);
  }

  /** Before a unit starts and after its result is counted, so no node is counted twice. */
  clear(i: number): void {
    for (let k = i * SLOTS_PER_LANE; k < (i + 1) * SLOTS_PER_LANE; k++) Atomics.store(this.slots, k, 0);
  }

  read(): LiveCounts {
    let nodes = 0;
    const sizes: number[] = [];
    for (let i = 0; i < this.lanes; i++) {
      nodes += Atomics.load(this.slots, i * SLOTS_PER_LANE + NODE_BLOCKS) * NODE_BLOCK + Atomics.load(this.slots, i * SLOTS_PER_LANE + REST);
      const size = Atomics.load(this.slots, i * SLOTS_PER_LANE + SIZE);
      if (size > 0) sizes.push(size);
    }
    return { nodes, sizes: sizes.sort((a, b) => a - b) };
  }
}
