// The CoBids contract, run against every adapter: memory, Redis.
import t from 'tap';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import type { CoBid } from '../../storage/recommendation/ports.ts';
import { near, newId, recommendationSubjects, T0 } from './stores.ts';

/** Bids of each user on each of their auctions, a second apart, in order. */
function bids(of: Record<string, string[]>): CoBid[] {
  let at = T0;
  return Object.entries(of).flatMap(([user, auctions]) => auctions.map((auction) => ({ user, auction, at: (at += 1000) })));
}

for (const subject of recommendationSubjects()) {
  t.test(subject.name, async (t) => {
    const stores = await subject.open(t);
    if (stores === null) return;
    const co = stores.cobids;

    await t.test('an auction nobody bid on has no similar ones and no bidders', async (t) => {
      const a = newId('a');
      t.same(await co.similar(a, 10), []);
      t.same(await co.bidders([a]), new Map([[a, 0]]));
      t.same(await co.bidders([]), new Map());
    });

    await t.test('similar auctions by bidders in common, as a cosine', async (t) => {
      const [a, b, c, u1, u2, u3] = [newId('a'), newId('b'), newId('c'), newId('u'), newId('u'), newId('u')];
      await co.record(bids({ [u1]: [a, b], [u2]: [b, a], [u3]: [a, c] }));
      t.same(await co.bidders([a, b, c]), new Map([[a, 3], [b, 2], [c, 1]]));
      const similar = await co.similar(a, 10);
      t.same(similar.map((s) => [s.auction, s.common]), [[b, 2], [c, 1]]);
      t.ok(near(similar[0].score, 2 / Math.sqrt(6)) && near(similar[1].score, 1 / Math.sqrt(3)), JSON.stringify(similar));
      t.same((await co.similar(b, 10)).map((s) => s.auction), [a], 'both ways');
      t.same((await co.similar(a, 1)).map((s) => s.auction), [b], 'limit');
      t.same(await co.similar(a, 0), []);
    });

    await t.test('what everyone bids on does not win: common counts are normalised by bidders', async (t) => {
      const [a, niche, crowd] = [newId('a'), newId('niche'), newId('crowd')];
      const fans = [newId('u'), newId('u'), newId('u')];
      const others = Array.from({ length: 30 }, () => newId('u'));
      await co.record(bids(Object.fromEntries([
        ...fans.map((u, i) => [u, i < 2 ? [a, niche, crowd] : [a, crowd]]),
        ...others.map((u) => [u, [crowd]]),
      ])));
      const similar = await co.similar(a, 10);
      t.same(similar.map((s) => [s.auction, s.common]), [[niche, 2], [crowd, 3]], 'fewer in common, but a closer match');
      t.ok(similar.every((s) => s.score > 0 && s.score <= 1 && s.auction !== a));
    });

    await t.test('a bid recorded again (a redelivered event) changes nothing', async (t) => {
      const [a, b, u] = [newId('a'), newId('b'), newId('u')];
      const once = bids({ [u]: [a, b] });
      await co.record(once);
      await co.record(once);
      await co.record([{ user: u, auction: a, at: T0 + 99_000 }]);
      t.same(await co.bidders([a, b]), new Map([[a, 1], [b, 1]]));
      t.same((await co.similar(a, 10)).map((s) => [s.auction, s.common, s.score]), [[b, 1, 1]]);
    });

    await t.test('two first bids of one user recorded at once count their pair once', async (t) => {
      const [a, b, u] = [newId('a'), newId('b'), newId('u')];
      await Promise.all([co.record([{ user: u, auction: a, at: T0 }]), co.record([{ user: u, auction: b, at: T0 + 1 }])]);
      t.same((await co.similar(a, 10)).map((s) => [s.auction, s.common]), [[b, 1]]);
      t.same((await co.similar(b, 10)).map((s) => [s.auction, s.common]), [[a, 1]]);
    });

    await t.test('bad bids are refused', async (t) => {
      await t.rejects(co.record([{ user: '', auction: newId('a'), at: T0 }]), TypeError);
      await t.rejects(co.record([{ user: newId('u'), auction: newId('a'), at: Number.NaN }]), TypeError);
    });
  });

  t.test(`${subject.name}: a user's bids and an auction's partners are bounded`, async (t) => {
    const stores = await subject.open(t, { bidsPerUser: 2, partnersPerAuction: 2 });
    if (stores === null) return;
    const co = stores.cobids;
    const [a, b, c, d, u] = [newId('a'), newId('b'), newId('c'), newId('d'), newId('u')];
    await co.record(bids({ [u]: [a, b, c, d] }));
    t.same((await co.similar(d, 10)).map((s) => s.auction).sort(), [b, c].sort(), 'd meets only the two bids before it');

    const [x, y, z, v, w] = [newId('x'), newId('y'), newId('z'), newId('v'), newId('w')];
    await co.record(bids({ [v]: [x, y], [w]: [x, y] }));
    await co.record(bids({ [v]: [z] }));
    const partners = await co.similar(x, 10);
    t.equal(partners.length, 2, 'x keeps two partners');
    t.ok(partners.some((s) => s.auction === y && s.common === 2), 'the one with most in common among them');
  });

  t.test(`${subject.name}: a closed store refuses`, async (t) => {
    const stores = await subject.open(t);
    if (stores === null) return;
    await stores.close();
    await t.rejects(stores.cobids.record([{ user: newId('u'), auction: newId('a'), at: T0 }]), StoreUnavailableError);
    await t.rejects(stores.cobids.similar(newId('a'), 10), StoreUnavailableError);
    await t.rejects(stores.cobids.bidders([newId('a')]), StoreUnavailableError);
  });
}
