// In-process engine throughput and footprint (no I/O): bids/s on one hot auction, bids/s spread over
// 10,000 open auctions, heap bytes per idle open auction. A baseline loop measured in the same run (one
// object allocation and one Map write per bid, the floor of any in-memory bid) gives the ratio, since
// absolute numbers drift with the machine.
// Run: npm run bench:engine    Last line: {"bench":"engine","bidsPerSecHot":N,"bidsPerSec10k":N,"bytesPerIdleAuction":N}
import { AuctionRegistry, DEFAULT_MAX_ENTRIES, ManualClock, RecentReplies, type AuctionSpec, type Outcome } from '../engine/index.ts';

const T0 = 1_700_000_000_000;
const BIDS = Number(process.env.BENCH_BIDS ?? 3_000_000);
// rids arrive from the wire as strings; making them is the client's cost, so it happens before timing.
const RIDS = Array.from({ length: BIDS }, (_, i) => 'r' + i.toString(36));

function spec(id: string, over: Partial<AuctionSpec> = {}): AuctionSpec {
  return {
    id, sellerId: 'seller', productId: 'p-' + id, startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
    startsAt: T0, endsAt: T0 + 86_400_000, softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 }, ...over,
  };
}

function openAuctions(reg: AuctionRegistry, n: number): string[] {
  const ids: string[] = [];
  const sink = (o: Outcome) => { if (!o.reply.ok) throw new Error(o.reply.code); };
  for (let i = 0; i < n; i++) {
    const id = 'a' + i;
    reg.create(spec(id), 'seller', 'c' + i, sink);
    reg.dispatch({ t: 'open', auction: id, rid: 'o' + i, by: 'seller', role: 'user' }, sink);
    ids.push(id);
  }
  return ids;
}

/**
 * Run `step` BIDS times after a warm-up long enough for the idempotency table to reach its steady
 * size (one full generation at the default bound); returns ops/s.
 */
function measure(step: (i: number) => void, warm: (i: number) => void): number {
  for (let i = 0; i < DEFAULT_MAX_ENTRIES * 0.6; i++) warm(i);
  const start = performance.now();
  for (let i = 0; i < BIDS; i++) step(i);
  return Math.round(BIDS / ((performance.now() - start) / 1000));
}

function bidders(n: number): string[] {
  return Array.from({ length: n }, (_, i) => 'bidder-' + i);
}

function hot(): number {
  const reg = new AuctionRegistry({ clock: new ManualClock(T0 + 1), replies: new RecentReplies() });
  const [id] = openAuctions(reg, 1);
  const who = bidders(64);
  const actor = reg.get(id)!;
  let accepted = 0;
  const sink = (o: Outcome) => { if (o.reply.ok) accepted++; };
  const bid = (i: number, rid: string) => {
    const s = actor.state;
    const amount = s.leader === null ? s.spec.startPrice : s.price + 10;
    // Every fourth bid carries a ceiling, so proxy resolution runs too.
    const max = (i & 3) === 0 ? amount + 50 : undefined;
    reg.dispatch({ t: 'bid', auction: id, rid, by: who[i & 63], amount, max }, sink);
  };
  const rate = measure((i) => bid(i, RIDS[i]), (i) => bid(i, 'w' + i));
  if (accepted === 0) throw new Error('no bid was accepted');
  return rate;
}

function spread(): number {
  const reg = new AuctionRegistry({ clock: new ManualClock(T0 + 1), replies: new RecentReplies() });
  const ids = openAuctions(reg, 10_000);
  const actors = ids.map((id) => reg.get(id)!);
  const who = bidders(1024);
  let accepted = 0;
  const sink = (o: Outcome) => { if (o.reply.ok) accepted++; };
  let x = 12345;
  const bid = (rid: string) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff; // cheap LCG: random auction and bidder
    const a = actors[x % 10_000];
    const s = a.state;
    const amount = s.leader === null ? s.spec.startPrice : s.price + 10;
    reg.dispatch({ t: 'bid', auction: a.id, rid, by: who[(x >> 14) & 1023], amount }, sink);
  };
  const rate = measure((i) => bid(RIDS[i]), (i) => bid('w' + i));
  if (accepted === 0) throw new Error('no bid was accepted');
  return rate;
}

/** The floor: allocate one event-sized object and write one Map entry per bid. */
function baseline(): number {
  const m = new Map<string, object>();
  const state = { price: 1000 };
  const op = (i: number, rid: string) => {
    state.price += 10;
    m.set(rid, { ok: true, seq: i, price: state.price });
  };
  return measure((i) => op(i, RIDS[i]), (i) => op(i, 'w' + i));
}

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) throw new Error('run with node --expose-gc');
  for (let i = 0; i < 3; i++) g();
}

function bytesPerIdle(): number {
  const n = 50_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  const reg = new AuctionRegistry({ clock: new ManualClock(T0 + 1), replies: new RecentReplies() });
  openAuctions(reg, n);
  // Creation replies are idempotency records, not part of an idle auction: drop them before measuring.
  reg.ctx.replies.clear();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (reg.size !== n) throw new Error('auctions went missing');
  return Math.round((after - before) / n);
}

const base = baseline();
const bidsPerSecHot = hot();
const bidsPerSec10k = spread();
const bytesPerIdleAuction = bytesPerIdle();
console.log(`baseline (alloc + Map.set per op): ${base.toLocaleString()} ops/s`);
console.log(`hot auction, 64 bidders:            ${bidsPerSecHot.toLocaleString()} bids/s  (${(bidsPerSecHot / base).toFixed(2)}x baseline; target >= 1,000,000)`);
console.log(`spread over 10,000 auctions:        ${bidsPerSec10k.toLocaleString()} bids/s  (${(bidsPerSec10k / base).toFixed(2)}x baseline; target >= 500,000)`);
console.log(`heap per idle open auction:         ${bytesPerIdleAuction} bytes  (target <= 2,048)`);
console.log(JSON.stringify({ bench: 'engine', bidsPerSecHot, bidsPerSec10k, bytesPerIdleAuction }));
