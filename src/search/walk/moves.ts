/**
 * A list of candidate instructions for one decision point: bytes packed into one preallocated
 * buffer, so generating moves allocates nothing. Each move is at most MAX_MOVE bytes and carries
 * its kind (what role it was offered for), which orders and reports nothing but helps debugging
 * and the bench's statistics.
 */
export const MAX_MOVE = 15;

export const MoveKind = {
  trap: 0,
  need: 1,
  data: 2,
  pointer: 3,
  prep: 4,
  flags: 5,
  skip: 6,
  jump: 7,
  filler: 8,
} as const;
export type MoveKind = (typeof MoveKind)[keyof typeof MoveKind];

export class MoveList {
  readonly bytes: Uint8Array;
  readonly length: Uint8Array;
  readonly kind: Uint8Array;
  /** For need moves, the register whose need they were offered for (else -1). */
  readonly reg: Int8Array;
  /** The register the moves being added are for (set by the alphabet while it adds need moves). */
  currentReg = -1;
  count = 0;

  constructor(readonly capacity: number) {
    this.bytes = new Uint8Array(capacity * MAX_MOVE);
    this.length = new Uint8Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.reg = new Int8Array(capacity);
    for (let m = 0; m < capacity; m++) this.slots.push(this.bytes.subarray(m * MAX_MOVE, (m + 1) * MAX_MOVE));
  }

  private readonly slots: Uint8Array[] = [];

  clear(): void {
    this.count = 0;
  }

  /** Adds a move unless the list is full or an identical move is already in it. */
  add(bytes: Uint8Array, length: number, kind: MoveKind): void {
    if (this.count >= this.capacity) return;
    for (let m = 0; m < this.count; m++) {
      if (this.length[m] !== length) continue;
      const at = m * MAX_MOVE;
      let same = true;
      for (let i = 0; i < length && same; i++) same = this.bytes[at + i] === bytes[i];
      if (same) return;
    }
    const at = this.count * MAX_MOVE;
    for (let i = 0; i < length; i++) this.bytes[at + i] = bytes[i]!;
    this.length[this.count] = length;
    this.kind[this.count] = kind;
    this.reg[this.count] = kind === MoveKind.need ? this.currentReg : -1;
    this.count++;
  }

  /** The bytes of move m (a new view into the shared buffer, of its length). */
  at(m: number): Uint8Array {
    return this.bytes.subarray(m * MAX_MOVE, m * MAX_MOVE + this.length[m]!);
  }

  /** Move m's slot of MAX_MOVE bytes (its first `length[m]` are the move), a view made once: the walk's hot path allocates nothing. */
  slot(m: number): Uint8Array {
    return this.slots[m]!;
  }
}
