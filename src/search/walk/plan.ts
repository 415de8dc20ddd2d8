/**
 * A plan for the walk: the instruction sequences (position-free) a loop's body may consist of,
 * merged into a trie, so one walk tiles every order of a plan's instructions that works (orders
 * share their prefixes). The walk places trie tokens in execution order; between them it may place
 * what a plan leaves free: jumps, fillers, skippers, a trap where the trie allows one, and the
 * ordinary moves for registers the plan does not control (the write's length, say).
 *
 * The data block of a loop plan (see ../loop-plans.ts) becomes its stack pieces' pushes followed
 * by one of the two ways to point rsi at them.
 */
import type { LoopPlan } from '../loop-plans.js';
import { mustEncode, reg } from './encodings.js';
import { Reg } from '../../x86/decoded.js';

/** A byte pattern (-1: any byte), or "push the next stack piece" (a data move of the walk). */
export type Token = { kind: 'bytes'; pattern: readonly number[]; cost: number } | { kind: 'push-piece'; cost: number };

export class PlanTrie {
  private readonly tokens: Token[][] = [[]];
  private readonly next: number[][] = [[]];
  private readonly leaf: boolean[] = [false];
  /** Fewest bytes the tokens still to come cost, from each node. */
  private rest: number[] = [];

  static of(sequences: readonly (readonly Token[])[]): PlanTrie {
    const t = new PlanTrie();
    for (const s of sequences) t.insert(s);
    t.rest = t.tokens.map(() => Infinity);
    t.computeRest(0);
    return t;
  }

  get size(): number {
    return this.tokens.length;
  }

  private insert(seq: readonly Token[]): void {
    let node = 0;
    for (const tok of seq) {
      const i = this.tokens[node]!.findIndex((t) => sameToken(t, tok));
      if (i >= 0) node = this.next[node]![i]!;
      else {
        this.tokens.push([]);
        this.next.push([]);
        this.leaf.push(false);
        this.tokens[node]!.push(tok);
        this.next[node]!.push(this.tokens.length - 1);
        node = this.tokens.length - 1;
      }
    }
    this.leaf[node] = true;
  }

  private computeRest(node: number): number {
    let best = this.leaf[node] ? 0 : Infinity;
    this.tokens[node]!.forEach((tok, i) => {
      best = Math.min(best, tok.cost + this.computeRest(this.next[node]![i]!));
    });
    this.rest[node] = best;
    return best;
  }

  tokensAt(node: number): readonly Token[] {
    return this.tokens[node]!;
  }

  child(node: number, i: number): number {
    return this.next[node]![i]!;
  }

  isLeaf(node: number): boolean {
    return this.leaf[node]!;
  }

  restCost(node: number): number {
    return this.rest[node]!;
  }
}

function sameToken(a: Token, b: Token): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'push-piece') return true;
  const p = (b as { pattern: readonly number[] }).pattern;
  return a.pattern.length === p.length && a.pattern.every((v, i) => v === p[i]);
}

const PUSH_RSP = mustEncode({ mnemonic: 'push', operands: [reg(Reg.rsp, 8)] });
const POP_RSI = mustEncode({ mnemonic: 'pop', operands: [reg(Reg.rsi, 8)] });
const MOV_RSI_RSP = mustEncode({ mnemonic: 'mov', operands: [reg(Reg.rsi, 8), reg(Reg.rsp, 8)] });

const bytesToken = (b: Uint8Array): Token => ({ kind: 'bytes', pattern: Array.from(b), cost: b.length });

/** Footprint of the data block: the stack, rsp and rsi. */
const DATA_FOOTPRINT = (1 << 17) | (1 << Reg.rsp) | (1 << Reg.rsi);

/**
 * The token sequences of a loop plan: every order of its items (and of the data block) that keeps
 * each pair whose footprints overlap in the plan's order (the loop-plan search keeps one order of
 * independent neighbours; in a layout another may be the one whose bytes fit), with the data block
 * expanded into its pushes and either way of pointing rsi at them.
 */
export function planSequences(plan: LoopPlan, pieces: number, limit = 5000): Token[][] {
  type Unit = { tokens: Token[][]; footprint: number };
  const units: Unit[] = plan.items.map((it) => ({ tokens: [[{ kind: 'bytes', pattern: it.pattern, cost: it.cost }]], footprint: it.footprint }));
  if (pieces > 0 || plan.dataAt < plan.items.length) {
    const push: Token[] = Array.from({ length: pieces }, () => ({ kind: 'push-piece', cost: 3 }));
    const forms = pieces > 0 ? [[...push, bytesToken(PUSH_RSP), bytesToken(POP_RSI)], [...push, bytesToken(MOV_RSI_RSP)]] : [[]];
    units.splice(plan.dataAt, 0, { tokens: forms, footprint: DATA_FOOTPRINT });
  }
  if (plan.parts) {
    // A three-part plan: no item crosses the loop's head or its trap (the trap is a token the walk
    // places as its trap move); the data block lies in the body, so it shifts the later places.
    const { headAt, trapAt, trap } = plan.parts;
    const shift = (k: number): number => k + (units.length > plan.items.length && plan.dataAt < k ? 1 : 0);
    const fence = -1;
    units.splice(shift(trapAt), 0, { tokens: [[bytesToken(Uint8Array.from(trap))]], footprint: fence });
    units.splice(shift(headAt), 0, { tokens: [[]], footprint: fence });
  }
  const n = units.length;
  const before: number[][] = units.map(() => []);
  for (let j = 0; j < n; j++) for (let i = 0; i < j; i++) if ((units[i]!.footprint & units[j]!.footprint) !== 0) before[j]!.push(i);
  const orders: number[][] = [];
  const used = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  const extend = (): void => {
    if (orders.length >= limit) return;
    if (order.length === n) {
      orders.push([...order]);
      return;
    }
    for (let j = 0; j < n; j++) {
      if (used[j] || before[j]!.some((i) => !used[i])) continue;
      used[j] = true;
      order.push(j);
      extend();
      order.pop();
      used[j] = false;
    }
  };
  extend();
  const out: Token[][] = [];
  for (const o of orders) {
    let seqs: Token[][] = [[]];
    for (const j of o) seqs = seqs.flatMap((s) => units[j]!.tokens.map((t) => [...s, ...t]));
    out.push(...seqs);
  }
  return out;
}
