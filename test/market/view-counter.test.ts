// The view counter's shown count (stored plus unwritten) against a store whose writes land when the test
// says: a read and a write never overlap, so a batch is never shown twice or not at all.
import t from 'tap';
import { ManualClock } from '../../engine/index.ts';
import { silentLogger } from '../../engine/logger.ts';
import { ViewCounter } from '../../app/market/view-counter.ts';

function slowStore() {
  const stored = new Map<string, number>();
  const writes: { batch: Map<string, number>; land(): void; fail(): void }[] = [];
  return {
    stored,
    writes,
    market: {
      addViews(batch: ReadonlyMap<string, number>): Promise<void> {
        return new Promise<void>((resolve, reject) => {
          writes.push({
            batch: new Map(batch),
            land() {
              for (const [id, n] of batch) stored.set(id, (stored.get(id) ?? 0) + n);
              resolve();
            },
            fail: () => reject(new Error('store down')),
          });
        });
      },
    },
  };
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 1000 && !f(); i++) await new Promise((r) => setImmediate(r));
  if (!f()) throw new Error('condition never held');
};

t.test('a write waits for a read in progress; a read waits for a write in flight', async (t) => {
  const s = slowStore();
  const c = new ViewCounter({ market: s.market, clock: new ManualClock(0), log: silentLogger, flushEveryMs: 3_600_000 });
  t.teardown(() => c.stop());
  const shown = () => (s.stored.get('a') ?? 0) + c.unwritten('a');
  t.ok(c.record('a', 'u1'));
  t.ok(c.record('a', 'u2'));
  t.notOk(c.record('a', 'u1'), 'a repeat within the hour is not counted');

  let finishRead!: () => void;
  const read = c.reading(async () => {
    await new Promise<void>((r) => (finishRead = r));
    return shown();
  });
  const flushed = c.flush();
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  t.equal(s.writes.length, 0, 'the write has not started while the read runs');
  finishRead();
  t.equal(await read, 2);
  await until(() => s.writes.length === 1);
  t.same([...s.writes[0].batch], [['a', 2]]);

  // Read while the batch is in flight: it waits, then sees the stored count alone.
  let readDone = false;
  const during = c.reading(async () => shown()).then((n) => ((readDone = true), n));
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  t.notOk(readDone, 'the read waits for the write in flight');
  s.writes[0].land();
  await flushed;
  t.equal(await during, 2, 'stored 2, unwritten 0: counted once');
  t.equal(s.stored.get('a'), 2);
});

t.test('a failed write keeps its counts for the next flush, shown throughout', async (t) => {
  const s = slowStore();
  const c = new ViewCounter({ market: s.market, clock: new ManualClock(0), log: silentLogger, flushEveryMs: 3_600_000 });
  t.teardown(async () => {
    const stopped = c.stop();
    await until(() => s.writes.length === 3);
    s.writes[2].land();
    await stopped;
  });
  c.record('a', 'u1');
  const first = c.flush();
  await until(() => s.writes.length === 1);
  s.writes[0].fail();
  await first;
  t.equal(await c.reading(async () => (s.stored.get('a') ?? 0) + c.unwritten('a')), 1, 'still shown after the failure');
  c.record('a', 'u2');
  const second = c.flush();
  await until(() => s.writes.length === 2);
  t.same([...s.writes[1].batch], [['a', 2]], 'the failed batch goes again with the new view');
  s.writes[1].land();
  await second;
  t.equal(await c.reading(async () => (s.stored.get('a') ?? 0) + c.unwritten('a')), 2);
  t.equal(c.unwritten('a'), 0);
  c.record('a', 'u3');
});
