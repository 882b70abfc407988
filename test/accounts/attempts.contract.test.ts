// The AttemptCounter contract, run against every adapter: memory and Redis.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sleep } from '../gateway/harness.ts';
import { attemptSubjects } from '../helpers/stores.ts';

for (const subject of attemptSubjects()) {
  t.test(subject.name, async (t) => {
    const c = await subject.open(t);
    if (c === null) return;

    await t.test('failures count up within a window that starts with the first', async (t) => {
      const key = `account:${randomUUID()}`;
      t.strictSame(await c.peek(key), { count: 0, resetInMs: 0 });
      const first = await c.fail(key, 60_000);
      t.equal(first.count, 1);
      t.ok(first.resetInMs > 59_000 && first.resetInMs <= 60_000, `resetInMs ${first.resetInMs}`);
      t.equal((await c.fail(key, 60_000)).count, 2);
      const third = await c.fail(key, 60_000);
      t.equal(third.count, 3);
      t.ok(third.resetInMs <= first.resetInMs, 'the window does not slide');
      t.equal((await c.peek(key)).count, 3);
      t.equal((await c.peek(`address:${randomUUID()}`)).count, 0, 'keys are separate');
    });

    await t.test('clear, and the window\'s end, forget the failures', async (t) => {
      const key = `address:${randomUUID()}`;
      await c.fail(key, 60_000);
      await c.clear(key);
      t.equal((await c.peek(key)).count, 0, 'cleared');
      const short = `address:${randomUUID()}`;
      await c.fail(short, 150);
      await c.fail(short, 150);
      await sleep(250);
      t.equal((await c.peek(short)).count, 0, 'expired');
      t.equal((await c.fail(short, 150)).count, 1, 'a new window');
    });

    await t.test('a closed counter refuses', async (t) => {
      await c.close();
      await t.rejects(c.fail('k', 1000), { name: 'StoreUnavailableError' });
    });
  });
}
