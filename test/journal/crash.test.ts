// Crash test: a child runs the durable engine under a bidding load and is killed with SIGKILL. After a
// restart every acknowledged bid is in the journal exactly once, the rebuilt state equals a replay of
// the journal, and a retried rid gets its first reply. Against SQLite and MariaDB.
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import { replay } from '../../engine/index.ts';
import { openSqlStore } from '../helpers/stores.ts';
import { EngineChild } from './child.ts';
import { sqlTargets } from './targets.ts';

const AUCTIONS = 20;
const BIDDERS = 8;

for (const target of sqlTargets()) {
  t.test(`${target.name}: no acknowledged bid is lost to a SIGKILL`, async (t) => {
    const url = await target.open(t);
    if (url === null) return;
    const now = Date.now();
    const ids = Array.from({ length: AUCTIONS }, (_, i) => `crash-${now}-${i}`);

    const first = await EngineChild.start(url);
    await first.ready;
    for (const id of ids) {
      const spec = {
        id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 10, buyNowPrice: null, reservePrice: null,
        startsAt: now - 1000, endsAt: now + 3_600_000, softClose: { windowMs: 60_000, extendMs: 180_000, maxExtensions: 1 },
      };
      t.equal((await first.create(spec, 'seller', `create-${id}`)).ok, true, 'created');
      t.equal((await first.cmd({ t: 'open', auction: id, rid: `open-${id}`, by: 'seller', role: 'user' })).ok, true, 'opened');
    }

    // Load: bids fired without waiting; each auction's amounts rise by one unit per bid, so each is valid.
    const acked = new Map<string, { cmd: any; reply: any }>();
    const step = new Map(ids.map((id) => [id, 0]));
    let sent = 0;
    let killedAt = -1;
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (killedAt >= 0) return;
        for (let i = 0; i < 50; i++) {
          const auction = ids[sent % AUCTIONS];
          const k = (step.get(auction) as number) + 1;
          step.set(auction, k);
          const cmd = { t: 'bid', auction, rid: `bid-${sent}`, by: `bidder-${(sent >> 3) % BIDDERS}`, amount: 1000 + k * 10 };
          sent++;
          first.fire(cmd, (reply) => { if (killedAt < 0 && reply.ok) acked.set(`${cmd.by}/${cmd.rid}`, { cmd, reply }); });
        }
        if (acked.size >= 3000 || sent >= 40_000) {
          killedAt = acked.size;
          void first.kill().then(() => resolve());
        } else setImmediate(pump);
      };
      pump();
    });
    t.ok(acked.size >= 100, `the child acknowledged ${acked.size} of ${sent} bids before SIGKILL`);

    const second = await EngineChild.start(url);
    const { recovered } = await second.ready;
    t.equal(recovered.auctions, AUCTIONS, 'every open auction was rebuilt');

    // Read the journal directly: every acknowledged bid is there exactly once.
    const store = await openSqlStore({ url });
    const states = await second.states(ids);
    let journaled = 0;
    for (const [i, id] of ids.entries()) {
      const events = await store.read(id);
      journaled += events.length;
      const seen = new Map<string, number>();
      for (const e of events) if (e.type === 'bid') seen.set(`${e.by}/${e.rid}`, (seen.get(`${e.by}/${e.rid}`) ?? 0) + 1);
      for (const [key, { cmd, reply }] of acked) {
        if (cmd.auction !== id) continue;
        if (seen.get(key) !== 1) t.fail(`acknowledged bid ${key} is journaled ${seen.get(key) ?? 0} times`);
        const e = events.find((x) => x.seq === reply.seq);
        if (e?.rid !== cmd.rid) t.fail(`acknowledged seq ${reply.seq} of ${id} holds another event`);
      }
      t.ok(events.every((e, j) => e.seq === j + 1), `${id}: seq has no gaps`);
      const rebuilt = replay(events);
      t.ok(isDeepStrictEqual({ ...rebuilt, participants: [...rebuilt.participants] }, states[i]), `${id}: the restarted actor equals a replay of its journal`);
    }
    t.ok(journaled > acked.size, `journal holds ${journaled} events for ${acked.size} acknowledged bids`);

    // Retried rids get their first reply and apply nothing.
    const sample = [...acked.values()].slice(0, 50);
    for (const { cmd, reply } of sample) {
      const again = await second.cmd(cmd);
      if (!isDeepStrictEqual(again, reply)) t.fail(`retry of ${cmd.rid} answered ${JSON.stringify(again)}, first was ${JSON.stringify(reply)}`);
    }
    const after = await Promise.all(ids.map((id) => store.read(id)));
    t.equal(after.reduce((n, e) => n + e.length, 0), journaled, `${sample.length} retries applied nothing`);

    // Bidding goes on after the restart.
    const last = states[0];
    const next = await second.cmd({ t: 'bid', auction: ids[0], rid: 'after-restart', by: 'late', amount: last.price + 10 });
    t.equal(next.ok, true, 'a new bid is accepted after recovery');
    await second.stop();
    await store.close();
  });
}
