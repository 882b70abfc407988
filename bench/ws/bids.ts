// Valid rising bids without waiting for acks: each source owns its auctions (no other connection bids
// on them), goes round-robin over them and raises each by one bid unit per bid. The actor applies one
// socket's bids in arrival order, so every bid is at least minNext when it is applied, and a bid that
// fails for any reason leaves the next one still valid.
import { packr } from './socket.ts';

export class BidSource {
  private turn = 0;
  private readonly next: number[];

  constructor(private readonly auctions: readonly string[], start: number, private readonly unit: number) {
    this.next = auctions.map(() => start);
  }

  /** The next bid as a MessagePack frame, with the given rid. */
  frame(rid: string): Buffer {
    const k = this.turn++ % this.auctions.length;
    const amount = this.next[k];
    this.next[k] = amount + this.unit;
    return packr.pack({ t: 'bid', rid, auction: this.auctions[k], amount });
  }
}

/** Deal `ids` out to `n` owners, round-robin: owner i gets ids i, i+n, i+2n ... */
export function deal<T>(ids: readonly T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  ids.forEach((id, i) => out[i % n].push(id));
  return out;
}
