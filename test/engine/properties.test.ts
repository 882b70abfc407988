// Property tests: random auctions and random command sequences, checked against SPEC §1's invariants.
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import {
  AuctionRegistry, ManualClock, minNext, replay, type AuctionEvent, type AuctionSpec, type Command, type Outcome,
  type Reply,
} from '../../engine/index.ts';

const T0 = 1_000_000;
const BIDDERS = ['ann', 'bob', 'cho', 'dan', 'eun'];

type Step =
  | { k: 'bid'; who: number; over: number; ceil: number | null }
  | { k: 'raw'; who: number; amount: number }
  | { k: 'buy'; who: number }
  | { k: 'wait'; ms: number }
  | { k: 'retry'; back: number }
  | { k: 'close' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ k: fc.constant('bid' as const), who: fc.nat(4), over: fc.nat(3000), ceil: fc.option(fc.nat(5000), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('raw' as const), who: fc.nat(4), amount: fc.integer({ min: -5, max: 200_000 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('buy' as const), who: fc.nat(4) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 120_000 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('retry' as const), back: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'close' as const }) },
);

const specArb = fc.record({
  startPrice: fc.integer({ min: 1, max: 50_000 }),
  bidUnit: fc.option(fc.integer({ min: 1, max: 2_000 }), { nil: null }),
  buyNowExtra: fc.option(fc.integer({ min: 1, max: 500_000 }), { nil: null, freq: 2 }),
  reserveExtra: fc.option(fc.integer({ min: 0, max: 30_000 }), { nil: null }),
  durationMs: fc.integer({ min: 1_000, max: 600_000 }),
  windowMs: fc.integer({ min: 0, max: 120_000 }),
  extendMs: fc.integer({ min: 0, max: 300_000 }),
  maxExtensions: fc.option(fc.nat(3), { nil: null }),
});

type SpecParams = typeof specArb extends fc.Arbitrary<infer R> ? R : never;

function buildSpec(p: SpecParams): AuctionSpec {
  const buyNowPrice = p.buyNowExtra === null ? null : p.startPrice + p.buyNowExtra;
  let reservePrice = p.reserveExtra === null ? null : p.startPrice + p.reserveExtra;
  if (reservePrice !== null && buyNowPrice !== null && reservePrice > buyNowPrice) reservePrice = buyNowPrice;
  return {
    id: 'auc', sellerId: 'seller', productId: 'prod', startPrice: p.startPrice, bidUnit: p.bidUnit, buyNowPrice, reservePrice,
    startsAt: T0, endsAt: T0 + p.durationMs,
    softClose: { windowMs: p.windowMs, extendMs: p.extendMs, maxExtensions: p.maxExtensions },
  };
}

function run(reg: AuctionRegistry, cmd: Command): Outcome {
  let out: Outcome | undefined;
  reg.dispatch(cmd, (o) => { out = o; });
  if (out === undefined) throw new Error('sink was not called synchronously');
  return out;
}

t.test('random command sequences keep every SPEC §1 invariant', (t) => {
  // What the runs exercised, so the property cannot pass by testing nothing.
  const seen = { bids: 0, outbidAtOnce: 0, extended: 0, soldAtClose: 0, boughtNow: 0, retries: 0, reserveUnsold: 0 };
  fc.assert(
    fc.property(specArb, fc.array(stepArb, { minLength: 5, maxLength: 80 }), (p, steps) => {
      const spec = buildSpec(p);
      const clock = new ManualClock(T0 - 10);
      const reg = new AuctionRegistry({ clock });
      const events: AuctionEvent[] = [];
      const keep = (o: Outcome) => { if (o.event) events.push(o.event); };
      reg.create(spec, 'seller', 'create', keep);
      keep(run(reg, { t: 'open', auction: 'auc', rid: 'open', by: 'seller', role: 'user' }));
      clock.set(T0);
      const actor = reg.get('auc')!;
      const sent: { cmd: Command; reply: Reply }[] = [];
      // Highest ceiling per bidder, and the seq at which they first reached it (for earliest-wins).
      const best = new Map<string, { ceiling: number; seq: number }>();
      let lastPrice = actor.state.price;
      let n = 0;

      for (const step of steps) {
        const s = actor.state;
        const seqBefore = s.seq;
        const floor = minNext(s);
        let cmd: Command | null = null;
        if (step.k === 'bid' || step.k === 'raw') {
          const by = BIDDERS[step.who];
          const amount = step.k === 'bid' ? floor + step.over : step.amount;
          const max = step.k === 'bid' && step.ceil !== null ? amount + step.ceil : undefined;
          cmd = { t: 'bid', auction: 'auc', rid: `r${n++}`, by, amount, max };
        } else if (step.k === 'buy') {
          cmd = { t: 'buy', auction: 'auc', rid: `r${n++}`, by: BIDDERS[step.who] };
        } else if (step.k === 'wait') {
          clock.advance(step.ms);
        } else if (step.k === 'close') {
          const wasOpen = s.status === 'OPEN';
          const endsBefore = s.endsAt;
          const o = run(reg, { t: 'close', auction: 'auc' });
          keep(o);
          // A close is accepted exactly when the auction is OPEN and its end has passed.
          if (o.reply.ok !== (wasOpen && clock.now() >= endsBefore)) return false;
        } else if (step.k === 'retry' && sent.length > 0) {
          const first = sent[Math.max(0, sent.length - 1 - step.back)];
          const o = run(reg, first.cmd);
          // A repeated (by, rid) returns the first reply and applies nothing.
          if (!o.replayed || o.event !== null || actor.state.seq !== seqBefore) return false;
          if (!isDeepStrictEqual(o.reply, first.reply)) return false;
          seen.retries++;
        }
        if (cmd !== null) {
          const o = run(reg, cmd);
          keep(o);
          sent.push({ cmd, reply: o.reply });
          const now = clock.now();
          if (o.reply.ok) {
            // Nothing is accepted at or after endsAt, nor outside OPEN.
            if (now >= s.endsAt && o.event?.type !== 'closed') return false;
            if (o.event === null || o.event.seq !== seqBefore + 1) return false;
            if (o.event.type === 'bought') seen.boughtNow++;
            if (o.event.type === 'bid') {
              seen.bids++;
              if (o.event.leader !== cmd.by) seen.outbidAtOnce++;
              if (o.event.endsAt !== s.endsAt || actor.state.extensions > 0 && o.event.endsAt > T0 + p.durationMs) seen.extended++;
              const bid = cmd as Extract<Command, { t: 'bid' }>;
              // No accepted bid was below its minNext.
              if ((bid.amount as number) < floor) return false;
              const m = (bid.max as number | undefined) ?? (bid.amount as number);
              const prev = best.get(bid.by);
              if (prev === undefined || m > prev.ceiling) best.set(bid.by, { ceiling: m, seq: o.event.seq });
            }
          } else if (o.event !== null || actor.state.seq !== seqBefore) return false;
        }
        const after = actor.state;
        // Price never falls; the leader's ceiling is never below the price.
        if (after.price < lastPrice) return false;
        lastPrice = after.price;
        if (after.leader !== null && after.leaderMax < after.price) return false;
        // Seq has no gaps.
        if (events.length !== after.seq || events.some((e, i) => e.seq !== i + 1)) return false;
      }

      // Every run ends: past the end, the close decides SOLD or UNSOLD.
      if (actor.state.status === 'OPEN') {
        clock.set(Math.max(clock.now(), actor.state.endsAt));
        const o = run(reg, { t: 'close', auction: 'auc' });
        if (!o.reply.ok) return false;
        keep(o);
      }
      const final = actor.state;
      // The winner of a bidding close holds the highest ceiling, earliest on ties.
      const last = events[events.length - 1];
      if (final.status === 'UNSOLD' && final.leader !== null) seen.reserveUnsold++;
      if (final.status === 'SOLD' && last.type === 'closed') {
        seen.soldAtClose++;
        let top: { who: string; ceiling: number; seq: number } | null = null;
        for (const [who, b] of best) {
          if (top === null || b.ceiling > top.ceiling || (b.ceiling === top.ceiling && b.seq < top.seq)) top = { who, ...b };
        }
        if (top === null || final.winner !== top.who) return false;
      }
      // replay(events) rebuilds the live state exactly.
      return isDeepStrictEqual(replay(events), final);
    }),
    { numRuns: 1000 },
  );
  t.comment(JSON.stringify(seen));
  for (const [k, v] of Object.entries(seen)) t.ok(v > 0, `the runs exercised ${k} (${v})`);
  t.end();
});

t.test('after endsAt no bid or buy is accepted, even before the close runs', (t) => {
  fc.assert(
    fc.property(specArb, fc.nat(100_000), fc.nat(4), fc.nat(5000), (p, late, who, over) => {
      const spec = buildSpec(p);
      const clock = new ManualClock(T0);
      const reg = new AuctionRegistry({ clock });
      reg.create(spec, 'seller', 'c', () => {});
      run(reg, { t: 'open', auction: 'auc', rid: 'o', by: 'seller', role: 'user' });
      clock.set(reg.get('auc')!.state.endsAt + late);
      const seq = reg.get('auc')!.state.seq;
      const bid = run(reg, { t: 'bid', auction: 'auc', rid: 'b', by: BIDDERS[who], amount: spec.startPrice + over });
      const buy = run(reg, { t: 'buy', auction: 'auc', rid: 'y', by: BIDDERS[who] });
      return !bid.reply.ok && bid.reply.code === 'AUCTION_CLOSED' && !buy.reply.ok && buy.reply.code === 'AUCTION_CLOSED'
        && reg.get('auc')!.state.seq === seq;
    }),
    { numRuns: 300 },
  );
  t.pass('300 late commands all refused');
  t.end();
});
