// The AttemptCounter contract, run against every adapter: memory and Redis.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sleep } from '../gateway/harness.ts';
import { attemptSubjects } from '../helpers/stores.ts';

for (const subject of attemptSubjects()) {
  t.test(subject.name, async (t) => {
    const c = await subject.open(t);
    if (c === null) return;

    await t.test('attempts are reserved up to the limit, in a window that starts with the first', async (t) => {
      const key = `account:${randomUUID()}`;
      const first = await c.reserve(key, 3, 60_000);
      t.match(first, { reserved: true, count: 1 });
      t.ok(first.resetInMs > 59_000 && first.resetInMs <= 60_000, `resetInMs ${first.resetInMs}`);
      t.match(await c.reserve(key, 3, 60_000), { reserved: true, count: 2 });
      const third = await c.reserve(key, 3, 60_000);
      t.match(third, { reserved: true, count: 3 });
      t.ok(third.resetInMs <= first.resetInMs, 'the window does not slide');
      const refused = await c.reserve(key, 3, 60_000);
      t.match(refused, { reserved: false, count: 3 }, 'past the limit: refused, and not counted');
      t.ok(refused.resetInMs > 0 && refused.resetInMs <= first.resetInMs, 'with the time until the window ends');
      t.match(await c.reserve(`address:${randomUUID()}`, 3, 60_000), { reserved: true, count: 1 }, 'keys are separate');
    });

    await t.test('of many reservations at once, at most the limit succeed', async (t) => {
      const key = `address:${randomUUID()}`;
      const all = await Promise.all(Array.from({ length: 50 }, () => c.reserve(key, 3, 60_000)));
      t.equal(all.filter((r) => r.reserved).length, 3);
      t.equal((await c.reserve(key, 3, 60_000)).count, 3);
    });

    await t.test('release gives one back, never below zero; clear and the window\'s end forget them', async (t) => {
      const key = `account-address:${randomUUID()}:127.0.0.1`;
      await c.reserve(key, 2, 60_000);
      await c.reserve(key, 2, 60_000);
      t.equal((await c.reserve(key, 2, 60_000)).reserved, false);
      await c.release(key);
      t.match(await c.reserve(key, 2, 60_000), { reserved: true, count: 2 }, 'released: room for one more');
      await c.release(key);
      await c.release(key);
      await c.release(key);
      await c.release(`address:${randomUUID()}`);
      t.match(await c.reserve(key, 2, 60_000), { reserved: true, count: 1 }, 'never below zero');

      await c.clear(key);
      t.match(await c.reserve(key, 2, 60_000), { reserved: true, count: 1 }, 'cleared');
      const short = `address:${randomUUID()}`;
      await c.reserve(short, 2, 150);
      await c.reserve(short, 2, 150);
      await sleep(250);
      t.match(await c.reserve(short, 2, 150), { reserved: true, count: 1 }, 'expired: a new window');
    });

    await t.test('a closed counter refuses', async (t) => {
      await c.close();
      await t.rejects(c.reserve('k', 1, 1000), { name: 'StoreUnavailableError' });
    });
  });
}
