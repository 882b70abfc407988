// Which summary rows a batch writes, one function so the memory adapter and the SQL upsert agree: an
// auction gets a row only when the batch holds one of its lifecycle events (anything but a bid), and
// the row then takes status, seq, price and end from the auction's last event in the batch, and seller,
// product and spec from its latest created/edited event.
import type { AuctionEvent, AuctionId, AuctionSpec } from '../../engine/index.ts';

export interface SummaryDelta {
  id: AuctionId;
  /** The auction's last event in the batch. */
  last: AuctionEvent;
  /** The spec of the auction's last created/edited event in the batch, if any. */
  spec: AuctionSpec | null;
}

/** One delta per auction with a lifecycle event in `events`, in order of first appearance. */
export function summaryDeltas(events: readonly AuctionEvent[]): SummaryDelta[] {
  let byId: Map<AuctionId, SummaryDelta & { lifecycle: boolean }> | null = null;
  for (const e of events) {
    const lifecycle = e.type !== 'bid';
    let d = byId?.get(e.auction);
    if (d === undefined) {
      // Most batches hold only bids: no map, no object, until a lifecycle event shows up.
      if (!lifecycle && byId === null) continue;
      byId ??= new Map();
      d = { id: e.auction, last: e, spec: null, lifecycle: false };
      byId.set(e.auction, d);
    }
    d.last = e;
    d.lifecycle ||= lifecycle;
    if (e.spec) d.spec = e.spec;
  }
  if (byId === null) return [];
  const out: SummaryDelta[] = [];
  for (const d of byId.values()) if (d.lifecycle) out.push({ id: d.id, last: d.last, spec: d.spec });
  return out;
}

export const LIVE_STATUSES = ['PENDING', 'OPEN'] as const;
