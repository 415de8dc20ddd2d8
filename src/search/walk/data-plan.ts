/**
 * Where the bytes each stream writes come from when they are joined on the stack: the walk
 * branches over data plans first, reserves the pieces' bytes in the file, and then only places
 * code around them (so the open bytes it counts are the bytes code may still use, and its jumps
 * know which runs are taken).
 *
 * A stream's plan is one of:
 * - none (null): the stream is written from the file, its buffer chosen when the write runs among
 *   the places where it fits (see Walk.bufferPlaces); nothing is reserved;
 * - stack: the stream in qword pieces (bytes 8i..8i+7), each somewhere in the file, pushed last
 *   piece first with `push qword [reg+d8]` and written from rsp. A piece's unused tail (the last,
 *   short piece) is whatever follows it.
 *
 * Pieces lie flush with the start or the end of an open run, or wholly on bytes the layout fixes
 * to the right values (a piece elsewhere inside a run only splits it; the flush placements reach
 * every arrangement of the run's other bytes). Pieces overlap only where their bytes agree (two
 * streams with the same text may share one buffer).
 */
import type { Board } from './board.js';

export interface DataPiece {
  /** 0 stdout, 1 stderr. */
  stream: 0 | 1;
  /** Index of the piece's first byte in its stream. */
  from: number;
  length: number;
  /** File offset of the piece's first byte. */
  offset: number;
}

export interface StreamPlan {
  kind: 'file' | 'stack';
  pieces: DataPiece[];
}

export interface DataPlan {
  /** Per stream (stdout, stderr): its stack pieces, or null when it is written from the file (or empty). */
  streams: [StreamPlan | null, StreamPlan | null];
}

/** Longest stream built on the stack (3 pushes: beyond that a file buffer is always cheaper). */
export const MAX_STACK_PIECES = 3;

/** Offsets where `bytes` fit the board's data rule (see the module comment). */
export function placements(board: Board, bytes: Uint8Array, readableTail: number): number[] {
  const out: number[] = [];
  for (let o = 0; o + bytes.length <= board.pageEnd && o < board.size; o++) {
    let ok = true;
    for (let i = 0; i < bytes.length && ok; i++) ok = board.canHoldData(o + i, bytes[i]!);
    if (!ok || o + readableTail > board.pageEnd) continue;
    let first = -1;
    let last = -1;
    for (let i = 0; i < bytes.length; i++) {
      if (!board.isOpen(o + i)) continue;
      if (first < 0) first = o + i;
      last = o + i;
    }
    if (first < 0 || !board.isOpen(first - 1) || !board.isOpen(last + 1)) out.push(o);
  }
  return out;
}

function overlaps(a: DataPiece, b: DataPiece): boolean {
  return a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

/** Two pieces that share bytes may do so only where their data agrees (one byte serves both). */
function clash(a: DataPiece, b: DataPiece, streams: readonly Uint8Array[]): boolean {
  if (!overlaps(a, b)) return false;
  for (let o = Math.max(a.offset, b.offset); o < Math.min(a.offset + a.length, b.offset + b.length); o++) {
    if (streams[a.stream]![a.from + o - a.offset] !== streams[b.stream]![b.from + o - b.offset]) return true;
  }
  return false;
}

/** Every plan of the goal's streams on this board; the first writes every stream from the file. */
export function dataPlans(board: Board, streams: readonly Uint8Array[], word: 4 | 8 = 8): DataPlan[] {
  const perStream: (StreamPlan | null)[][] = streams.map((s, index) => {
    // null: written from the file, the buffer chosen when the write runs (every flush placement)
    if (s.length === 0) return [null];
    const stream = index as 0 | 1;
    const out: (StreamPlan | null)[] = [null];
    // a stream of one qword is no better on the stack than in the file (the push costs more than
    // it joins): only streams of 2 to MAX_STACK_PIECES pieces are built there
    const count = Math.ceil(s.length / word);
    if (count >= 2 && count <= MAX_STACK_PIECES) {
      const options = Array.from({ length: count }, (_, i) => {
        const length = Math.min(word, s.length - word * i);
        return placements(board, s.subarray(word * i, word * i + length), word).map((offset) => ({ stream, from: word * i, length, offset }));
      });
      const pick = (i: number, chosen: DataPiece[]): void => {
        if (i === count) {
          out.push({ kind: 'stack', pieces: [...chosen] });
          return;
        }
        for (const p of options[i]!) {
          if (chosen.some((c) => clash(c, p, streams))) continue;
          chosen.push(p);
          pick(i + 1, chosen);
          chosen.pop();
        }
      };
      pick(0, []);
    }
    return out;
  });
  const plans: DataPlan[] = [];
  for (const a of perStream[0]!) {
    for (const b of perStream[1]!) {
      if (a && b && a.pieces.some((p) => b.pieces.some((q) => clash(p, q, streams)))) continue;
      plans.push({ streams: [a, b] });
    }
  }
  return plans;
}
