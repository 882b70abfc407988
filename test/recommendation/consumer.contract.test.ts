// The journal's consumer over every adapter (memory, Redis): a page applied and then read again (the
// process died before it saved its cursor, or another node reads the same events) counts once, in group
// tags, popularity and co-bids; the candidate index follows creates, opens, leads and ends.
import t from 'tap';
import type { AuctionEvent } from '../../engine/index.ts';
import type { RecommendationSources } from '../../engine/recommendation/api.ts';
import { RecommendationConsumer } from '../../app/recommendation/consumer.ts';
import { RecommendationService } from '../../app/recommendation/service.ts';
import type { PositionedEvent } from '../../storage/auction/ports.ts';
import type { RecommendationStores } from '../../storage/recommendation/ports.ts';
import { ManualClock } from '../../engine/clock.ts';
import { HOUR, near, newGroup, newId, recommendationSubjects, T0 } from './stores.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child() { return silent; } } as never;

function event(auction: string, seq: number, type: AuctionEvent['type'], over: Partial<AuctionEvent> = {}): AuctionEvent {
  return { auction, seq, type, at: T0, by: null, rid: null, amount: null, max: null, price: 10_000, leader: null, leaderMax: 0, endsAt: T0 + HOUR, status: 'OPEN', ...over };
}

for (const subject of recommendationSubjects()) {
  t.test(subject.name, async (t) => {
    const stores = await subject.open(t, { halfLifeMs: HOUR });
    if (stores === null) return;
    const group = newGroup();
    const [seller, u1, u2] = [newId('s'), newId('u1'), newId('u2')];
    const [a, b] = [newId('a'), newId('b')];
    // Positions far past any other test's, so the shared popularity set takes them.
    const base = Date.now() * 1000;
    const events: PositionedEvent[] = [
      event(a, 1, 'created', { status: 'PENDING', by: seller, spec: { sellerId: seller } as never }),
      event(a, 2, 'opened', { by: seller }),
      event(b, 1, 'created', { by: seller, spec: { sellerId: seller } as never }),
      event(a, 3, 'bid', { by: u1, leader: u1 }),
      event(a, 4, 'bid', { by: u2, leader: u2 }),
      event(b, 2, 'bid', { by: u1, leader: u1 }),
      event(b, 3, 'closed', { status: 'SOLD', leader: u1 }),
    ].map((e, i) => ({ pos: base + i + 1, event: e }));
    const journal = { after: async (pos: number, limit: number) => events.filter((e) => e.pos > pos).slice(0, limit) };
    const sources: RecommendationSources = {
      listings: async (ids) => new Map(ids.map((id) => [id, { sellerId: seller, status: 'OPEN' as const, tags: id === a ? ['x', 'y'] : ['z'] }])),
      live: async () => [],
      involving: async () => [],
      groupOf: async () => group,
      exists: async () => true,
    };
    // A cursor whose first save fails: the page was applied, the process "died" before saving.
    let failSave = true;
    const flaky: RecommendationStores = {
      ...stores,
      tags: stores.tags, cobids: stores.cobids, popularity: stores.popularity,
      cursor: {
        read: async () => Math.max(base, await stores.cursor.read()),
        save: async (p) => {
          if (failSave) {
            failSave = false;
            throw new Error('died before saving');
          }
          await stores.cursor.save(p);
        },
      },
    };
    const run = async () => {
      const service = new RecommendationService({ stores: flaky, sources, clock: new ManualClock(T0), log: silent });
      const consumer = new RecommendationConsumer({ journal, stores: flaky, sources, service, log: silent, everyMs: 1000 });
      return { service, read: await consumer.runOnce().catch(() => -1) };
    };

    const first = await run();
    t.equal(first.read, -1, 'the first run applied the page and failed to save');
    const second = await run();
    t.equal(second.read, events.length, 'a restart reads the page again');
    await run();

    const tags = await stores.tags.top(group, T0, 10);
    t.same(tags.map((s) => s.tag).sort(), ['x', 'y', 'z'], 'the tags of both auctions');
    t.ok(near(tags.find((s) => s.tag === 'x')!.score, 4), `two bids on a count once each: ${JSON.stringify(tags)}`);
    t.ok(near(tags.find((s) => s.tag === 'z')!.score, 2), 'one bid on b');
    t.same([...(await stores.cobids.bidders([a, b])).values()], [2, 1], 'bidders counted once');
    t.same((await stores.cobids.similar(a, 5)).map((s) => [s.auction, s.common]), [[b, 1]]);
    const popular = await stores.popularity.top(T0, 1000);
    t.ok(near(popular.find((p) => p.auction === a)!.score, 4), 'popularity once');
    t.notOk(popular.some((p) => p.auction === b), 'an ended auction is forgotten');

    const index = second.service.index;
    t.match(index.get(a), { status: 'OPEN', leader: u2, sellerId: seller, tags: ['x', 'y'] }, 'created, opened, led');
    t.equal(index.get(b), undefined, 'closed: gone');
  });
}
