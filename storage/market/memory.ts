// The marketplace ports in memory, one object answering all of them (a projection step writes listings,
// orders and inbox rows at once): tests, and the reference the SQL adapters' contract suites agree with.
import type { AuctionId, Millis, UserId } from '../../engine/index.ts';
import { MemoryLifecycle } from '../lifecycle.ts';
import type {
  Category, InboxItem, Listing, ListingFacts, ListingMeta, ListingQuery, Order, Product, Projection,
} from '../../engine/market/model.ts';
import { sortDescending, sortValue } from '../../engine/market/rules.ts';
import type { Catalogue, CloseSchedules, Inbox, Listings, Orders, RelayCursors } from './ports.ts';

const blankListing = (id: AuctionId): Listing => ({
  id, seq: 0, sellerId: '', productId: '', status: 'PENDING', price: 0, bidCount: 0, startsAt: 0, endsAt: 0,
  buyNowPrice: null, title: '', categoryId: null, tags: [], createdAt: 0, views: 0, wishes: 0, closeRecorded: false,
});

/** Does a listing pass a query's filters (not the cursor)? Shared by memory and the SQL tests' oracle. */
export function matches(l: Listing, q: ListingQuery): boolean {
  if (!q.statuses.includes(l.status)) return false;
  if (q.categoryIds !== undefined && (l.categoryId === null || !q.categoryIds.includes(l.categoryId))) return false;
  if (q.tag !== undefined && !l.tags.includes(q.tag)) return false;
  if (q.text !== undefined && !l.title.toLowerCase().includes(q.text.toLowerCase())) return false;
  if (q.minPrice !== undefined && l.price < q.minPrice) return false;
  if (q.maxPrice !== undefined && l.price > q.maxPrice) return false;
  if (q.sellerId !== undefined && l.sellerId !== q.sellerId) return false;
  return true;
}

export class MemoryMarket extends MemoryLifecycle implements Catalogue, Listings, Orders, Inbox, RelayCursors, CloseSchedules {
  private readonly products = new Map<string, Product>();
  private readonly cats = new Map<string, Category>();
  private readonly tagSet = new Set<string>();
  private readonly wishMap = new Map<string, { user: UserId; auction: AuctionId; at: Millis }>();
  private readonly rows = new Map<AuctionId, Listing>();
  private readonly bidders = new Map<UserId, Map<AuctionId, number>>();
  private readonly orders = new Map<string, Order>();
  private readonly inboxRows = new Map<string, InboxItem>();
  private readonly relays = new Map<string, number>();
  private readonly due = new Map<AuctionId, Millis>();
  private tick = 0;

  constructor() {
    super('the memory market store');
  }

  // ---- catalogue ----

  async putProduct(p: Product): Promise<void> {
    this.assertOpen();
    this.products.set(p.id, structuredClone(p));
  }

  async product(id: string): Promise<Product | null> {
    this.assertOpen();
    const p = this.products.get(id);
    return p === undefined ? null : structuredClone(p);
  }

  async productsOf(seller: UserId, limit: number): Promise<Product[]> {
    this.assertOpen();
    return [...this.products.values()]
      .filter((p) => p.sellerId === seller && p.deletedAt === null)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, limit)
      .map((p) => structuredClone(p));
  }

  async putCategory(c: Category): Promise<void> {
    this.assertOpen();
    this.cats.set(c.id, { ...c });
  }

  async categories(): Promise<Category[]> {
    this.assertOpen();
    return [...this.cats.values()].map((c) => ({ ...c })).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  async deleteCategory(id: string): Promise<boolean> {
    this.assertOpen();
    return this.cats.delete(id);
  }

  async putTag(name: string): Promise<void> {
    this.assertOpen();
    this.tagSet.add(name);
  }

  async tags(): Promise<string[]> {
    this.assertOpen();
    return [...this.tagSet].sort();
  }

  async deleteTag(name: string): Promise<boolean> {
    this.assertOpen();
    return this.tagSet.delete(name);
  }

  async wish(user: UserId, auction: AuctionId, at: Millis): Promise<boolean> {
    this.assertOpen();
    const k = `${user}\u0000${auction}`;
    if (this.wishMap.has(k)) return false;
    this.wishMap.set(k, { user, auction, at });
    const l = this.rows.get(auction);
    if (l !== undefined) l.wishes++;
    return true;
  }

  async unwish(user: UserId, auction: AuctionId): Promise<boolean> {
    this.assertOpen();
    if (!this.wishMap.delete(`${user}\u0000${auction}`)) return false;
    const l = this.rows.get(auction);
    if (l !== undefined) l.wishes = Math.max(0, l.wishes - 1);
    return true;
  }

  async wishesOf(user: UserId, limit: number): Promise<AuctionId[]> {
    this.assertOpen();
    return [...this.wishMap.values()]
      .filter((w) => w.user === user)
      .sort((a, b) => b.at - a.at || (a.auction < b.auction ? 1 : -1))
      .slice(0, limit)
      .map((w) => w.auction);
  }

  // ---- listings ----

  async project(p: Projection): Promise<void> {
    this.assertOpen();
    for (const f of p.facts) this.applyFacts(f);
    for (const b of p.bidders) {
      let m = this.bidders.get(b.userId);
      if (m === undefined) this.bidders.set(b.userId, (m = new Map()));
      m.set(b.auctionId, ++this.tick);
    }
    for (const s of p.closes) {
      if (s.order !== null && ![...this.orders.values()].some((o) => o.auctionId === s.auctionId)) this.orders.set(s.order.id, { ...s.order });
      for (const i of s.inbox) if (!this.inboxRows.has(i.id)) this.inboxRows.set(i.id, { ...i });
      const l = this.rows.get(s.auctionId) ?? blankListing(s.auctionId);
      l.closeRecorded = true;
      this.rows.set(s.auctionId, l);
    }
  }

  private applyFacts(f: ListingFacts): void {
    const l = this.rows.get(f.id) ?? blankListing(f.id);
    if (f.seq <= l.seq) return;
    const { id, seq, sellerId, productId, status, price, bidCount, startsAt, endsAt, buyNowPrice } = f;
    Object.assign(l, { id, seq, sellerId, productId, status, price, bidCount, startsAt, endsAt, buyNowPrice });
    this.rows.set(f.id, l);
  }

  async putMeta(m: ListingMeta): Promise<void> {
    this.assertOpen();
    const l = this.rows.get(m.id) ?? blankListing(m.id);
    const { id, sellerId, productId, title, categoryId, tags, createdAt } = m;
    Object.assign(l, { id, sellerId, productId, title, categoryId, tags: [...tags], createdAt });
    this.rows.set(m.id, l);
  }

  async addMeta(m: ListingMeta): Promise<void> {
    this.assertOpen();
    if (!this.rows.has(m.id)) await this.putMeta(m);
  }

  async listing(id: AuctionId): Promise<Listing | null> {
    this.assertOpen();
    const l = this.rows.get(id);
    return l === undefined ? null : { ...l, tags: [...l.tags] };
  }

  async listings(ids: readonly AuctionId[]): Promise<Map<AuctionId, Listing>> {
    this.assertOpen();
    const out = new Map<AuctionId, Listing>();
    for (const id of ids) {
      const l = this.rows.get(id);
      if (l !== undefined) out.set(id, { ...l, tags: [...l.tags] });
    }
    return out;
  }

  async search(q: ListingQuery): Promise<Listing[]> {
    this.assertOpen();
    const desc = sortDescending(q.sort);
    const key = (l: Listing) => sortValue(l, q.sort);
    const cmp = (a: Listing, b: Listing) => {
      const d = key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      return desc ? -d : d;
    };
    const after = q.after;
    return [...this.rows.values()]
      .filter((l) => l.seq > 0 && matches(l, q))
      .filter((l) => after === undefined || (desc
        ? key(l) < after.value || (key(l) === after.value && l.id < after.id)
        : key(l) > after.value || (key(l) === after.value && l.id > after.id)))
      .sort(cmp)
      .slice(0, q.limit)
      .map((l) => ({ ...l, tags: [...l.tags] }));
  }

  async bidOn(user: UserId, limit: number): Promise<Listing[]> {
    this.assertOpen();
    const m = this.bidders.get(user);
    if (m === undefined) return [];
    return [...m].sort((a, b) => b[1] - a[1]).slice(0, limit)
      .map(([id]) => this.rows.get(id))
      .filter((l): l is Listing => l !== undefined)
      .map((l) => ({ ...l, tags: [...l.tags] }));
  }

  async addViews(counts: ReadonlyMap<AuctionId, number>): Promise<void> {
    this.assertOpen();
    for (const [id, n] of counts) {
      const l = this.rows.get(id);
      if (l !== undefined) l.views += n;
    }
  }

  async awaitingCloseEffects(): Promise<{ id: AuctionId; seq: number }[]> {
    this.assertOpen();
    return [...this.rows.values()].filter((l) => !l.closeRecorded).map((l) => ({ id: l.id, seq: l.seq }));
  }

  // ---- orders and inbox ----

  async order(id: string): Promise<Order | null> {
    this.assertOpen();
    const o = this.orders.get(id);
    return o === undefined ? null : { ...o };
  }

  async ordersOf(user: UserId, limit: number): Promise<Order[]> {
    this.assertOpen();
    return [...this.orders.values()]
      .filter((o) => o.buyerId === user || o.sellerId === user)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, limit)
      .map((o) => ({ ...o }));
  }

  async inbox(user: UserId, limit: number): Promise<InboxItem[]> {
    this.assertOpen();
    return [...this.inboxRows.values()]
      .filter((i) => i.userId === user)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, limit)
      .map((i) => ({ ...i }));
  }

  async readInbox(user: UserId, id: string, at: Millis): Promise<boolean> {
    this.assertOpen();
    const i = this.inboxRows.get(id);
    if (i === undefined || i.userId !== user) return false;
    i.readAt ??= at;
    return true;
  }

  async addInbox(items: readonly InboxItem[]): Promise<void> {
    this.assertOpen();
    for (const i of items) if (!this.inboxRows.has(i.id)) this.inboxRows.set(i.id, { ...i });
  }

  async deleteInbox(user: UserId, id: string): Promise<boolean> {
    this.assertOpen();
    const i = this.inboxRows.get(id);
    if (i === undefined || i.userId !== user) return false;
    return this.inboxRows.delete(id);
  }

  // ---- outbox ----

  async relayPosition(relay: string): Promise<number> {
    this.assertOpen();
    return this.relays.get(relay) ?? 0;
  }

  async saveRelayPosition(relay: string, position: number, _at: Millis): Promise<void> {
    this.assertOpen();
    this.relays.set(relay, Math.max(this.relays.get(relay) ?? 0, position));
  }

  // ---- close schedules ----

  async saveSchedules(put: ReadonlyMap<AuctionId, Millis>, remove: readonly AuctionId[]): Promise<void> {
    this.assertOpen();
    for (const id of remove) this.due.delete(id);
    for (const [id, at] of put) this.due.set(id, at);
  }

  async schedules(): Promise<Map<AuctionId, Millis>> {
    this.assertOpen();
    return new Map(this.due);
  }
}
