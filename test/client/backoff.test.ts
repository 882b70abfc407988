// Reconnect delays: capped exponential with full jitter. Every delay lies in [floor, min(cap, base x 2^n)],
// the whole range is used, a reset starts over, and the cap holds however many attempts.
import t from 'tap';
import fc from 'fast-check';
import { Backoff } from '../../client/index.ts';

t.test('each delay is within its bound, whatever the random draw', async (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 1, max: 120_000 }), fc.array(fc.double({ min: 0, max: 0.9999999, noNaN: true }), { minLength: 1, maxLength: 60 }),
    (baseMs, capMs, draws) => {
      let i = 0;
      const b = new Backoff({ baseMs, capMs }, () => draws[i++ % draws.length]);
      for (let n = 0; n < draws.length; n++) {
        const d = b.next();
        const bound = Math.min(capMs, baseMs * 2 ** n);
        if (!(d >= 0 && d <= bound && Number.isInteger(d))) return false;
      }
      return true;
    },
  ));
  t.pass('bounds hold');
});

t.test('full jitter: the extremes of the draw reach 0 and the bound', async (t) => {
  const low = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0);
  const high = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0.9999999);
  t.same([0, 1, 2, 3, 4, 5].map(() => low.next()), [0, 0, 0, 0, 0, 0]);
  t.same([0, 1, 2, 3, 4, 5].map(() => high.next()), [100, 200, 400, 800, 1_000, 1_000], 'doubling, then capped');
});

t.test('reset starts over; saturate jumps to the cap; a floor keeps a minimum', async (t) => {
  const b = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0.9999999);
  b.next();
  b.next();
  b.reset();
  t.equal(b.next(), 100);
  b.saturate();
  t.equal(b.next(), 1_000);
  const floor = new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0);
  floor.saturate();
  t.equal(floor.next(500), 500, 'never under the floor');
  t.equal(new Backoff({ baseMs: 100, capMs: 1_000 }, () => 0).next(500), 100, 'a floor above the bound is the bound');
});

t.test('a thousand attempts do not overflow the cap', async (t) => {
  const b = new Backoff({ baseMs: 250, capMs: 15_000 }, () => 0.9999999);
  let max = 0;
  for (let i = 0; i < 1_000; i++) max = Math.max(max, b.next());
  t.equal(max, 15_000);
});
