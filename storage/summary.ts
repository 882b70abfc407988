// How a batch moves each touched auction's summary row. One function so the memory adapter and the SQL
// upsert agree: the last event of the auction in the batch sets status, seq, price and end; bid_count
// grows by the number of `bid` events; the latest spec (created/edited) sets seller, product and spec.
import type { AuctionEvent, AuctionId, AuctionSpec } from '../engine/index.ts';

export interface SummaryDelta {
  id: AuctionId;
  /** The auction's last event in the batch. */
  last: AuctionEvent;
  /** How many `bid` events of the auction the batch holds. */
  bids: number;
  /** The spec of the auction's last created/edited event in the batch, if any. */
  spec: AuctionSpec | null;
}

/** One delta per auction touched by `events`, in order of first appearance. */
export function summaryDeltas(events: readonly AuctionEvent[]): SummaryDelta[] {
  const byId = new Map<AuctionId, SummaryDelta>();
  for (const e of events) {
    let d = byId.get(e.auction);
    if (d === undefined) {
      d = { id: e.auction, last: e, bids: 0, spec: null };
      byId.set(e.auction, d);
    }
    d.last = e;
    if (e.type === 'bid') d.bids++;
    if (e.spec) d.spec = e.spec;
  }
  return [...byId.values()];
}

export const LIVE_STATUSES = ['PENDING', 'OPEN'] as const;
