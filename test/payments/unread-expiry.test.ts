// An order nobody reads still expires: the payments worker adopts every order a SOLD close opens (from the
// auction journal, with a durable cursor), so a winner who never comes back gets EXPIRED and a strike at
// payBy; and so does one whose auction closed while the payments worker was not adopting, after a restart.
// The server's clock is moved past payBy (ORDER_PAYMENT_HOURS is at least an hour) once the order exists.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { api, boot, rid, type Booted } from '../gateway/harness.ts';
import { eventually } from '../market/fixtures.ts';
import { soldOrder } from '../helpers/sold.ts';
import { newBidder, newSeller, type TestUser } from '../market/users.ts';

const HOUR = 3_600_000;

/** A clock the test moves forward. */
function movableClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, jump: (ms: number) => { offset += ms; } };
}

async function expiresWithStrike(t: Test, b: Booted, clock: ReturnType<typeof movableClock>, orderId: string, buyer: TestUser): Promise<void> {
  const stores = b.server.payments.stores;
  const adopted = await eventually(() => stores.order(orderId).then((o) => o ?? undefined), 8_000, 'the order adopted unread');
  t.equal(adopted.status, 'AWAITING_PAYMENT');
  clock.jump(2 * HOUR);
  const expired = await eventually(() => stores.order(orderId).then((o) => (o?.status === 'EXPIRED' ? o : undefined)), 5_000, 'the order expired');
  t.equal(expired.status, 'EXPIRED');
  t.equal((await stores.strikesOf(buyer.id, 0)).length, 1, 'one strike for the buyer');
  t.same((await stores.history(orderId)).map((e) => e.type), ['OPENED', 'EXPIRED']);
  const told = await eventually(async () => {
    const items = await b.server.market.store.inbox(buyer.id, 50);
    return items.find((i) => i.kind === 'order_expired' && i.orderId === orderId);
  }, 5_000, 'the buyer told in the inbox');
  t.equal(told.id, `order_expired:${orderId}:2:${buyer.id}`);
}

t.test('a won order nobody reads expires at payBy with a strike', async (t) => {
  const clock = movableClock();
  const b = await boot({ ORDER_PAYMENT_HOURS: '1' }, { clock, payments: { tickMs: 50 } });
  t.teardown(() => b.stop());
  const [seller, buyer] = [await newSeller(b), await newBidder(b)];
  const orderId = (await soldOrder(b.http, seller.token, buyer.token, { read: false })).order;
  await expiresWithStrike(t, b, clock, orderId, buyer);
});

t.test('an order opened while payments did not adopt is adopted after a restart, and expires', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'okj-unread-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = { ORDER_PAYMENT_HOURS: '1', DATA_DIR: dir, DATABASE_URL: path.join(dir, 'okj.db') };
  const clock = movableClock();
  // The first process never ticks: the order is opened by the marketplace, and nobody adopts it.
  const first = await boot(env, { clock, payments: { tickMs: 3_600_000 } });
  let stopped = false;
  t.teardown(async () => { if (!stopped) await first.stop(); });
  const [seller, buyer] = [await newSeller(first), await newBidder(first)];
  const orderId = (await soldOrder(first.http, seller.token, buyer.token, { read: false })).order;
  await eventually(() => first.server.market.store.order(orderId).then((o) => o ?? undefined), 8_000, 'the marketplace opened the order');
  t.equal(await first.server.payments.stores.order(orderId), null, 'not adopted before the restart');
  await first.server.close();
  stopped = true;

  const second = await boot(env, { clock, payments: { tickMs: 50 } });
  t.teardown(() => second.server.close());
  await expiresWithStrike(t, second, clock, orderId, buyer);
});
