// The outbox is the journal: every accepted event is already durable there, in one order across auctions
// (its position), before anyone is told of it. Consumers read it after the last position they saw;
// events consumers do not need (created, edited) are skipped but still move the cursor on.
import type { BidJournal } from '../../storage/auction/ports.ts';
import type { OutboxRow } from '../../storage/market/ports.ts';
import { outboxOf } from './close-effects.ts';

export interface OutboxPage {
  items: OutboxRow[];
  /** The position to read after next time: the last one read, or `after` when nothing was there. */
  next: number;
}

/** The outbox events among the next `limit` journal events after position `after`. */
export async function readOutbox(journal: Pick<BidJournal, 'after'>, after: number, limit: number): Promise<OutboxPage> {
  const events = await journal.after(after, limit);
  const items: OutboxRow[] = [];
  for (const { pos, event } of events) {
    const out = outboxOf(event);
    if (out !== null) items.push({ ...out, id: pos });
  }
  return { items, next: events.length > 0 ? events[events.length - 1].pos : after };
}
