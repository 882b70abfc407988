// Decay rules (engine/recommendation/decay.ts, decayed-scores.ts): properties over random histories,
// with time gaps long enough to force rebases, late events, and a fake clock only (times are data).
import t from 'tap';
import fc from 'fast-check';
import { decayed, DecayedScores, FORGET_BELOW, topK } from '../../engine/recommendation/index.ts';

const T0 = 1_700_000_000_000;
const H = 60_000; // a one-minute half-life: 64 half-lives is an hour, so rebases happen often

interface Ev {
  key: string;
  weight: number;
  at: number;
}

/** Random events: mostly forward in time, sometimes far forward (rebase), sometimes back (late). */
const history = fc
  .array(
    fc.record({
      key: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      weight: fc.constantFrom(1, 2),
      step: fc.oneof(fc.integer({ min: 0, max: 5 * H }), fc.integer({ min: 60 * H, max: 200 * H }), fc.integer({ min: -10 * H, max: 0 })),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((steps) => {
    let at = T0;
    return steps.map(({ key, weight, step }): Ev => ({ key, weight, at: (at += step) }));
  });

function load(events: readonly Ev[]): DecayedScores {
  const s = new DecayedScores(H);
  for (const e of events) s.add(e.key, e.weight, e.at);
  return s;
}

const reference = (events: readonly Ev[], key: string, now: number): number =>
  events.filter((e) => e.key === key).reduce((sum, e) => sum + decayed(e.weight, e.at, now, H), 0);

const last = (events: readonly Ev[]): number => Math.max(...events.map((e) => e.at));

t.test('one weight halves every half-life', async (t) => {
  t.equal(decayed(2, T0, T0, H), 2);
  t.equal(decayed(2, T0, T0 + H, H), 1);
  t.equal(decayed(2, T0, T0 + 3 * H, H), 0.25);
  t.throws(() => new DecayedScores(0), RangeError);
  t.throws(() => new DecayedScores(Number.NaN), RangeError);
});

t.test('the stored sums equal event-by-event decay, across rebases and late events', async () => {
  fc.assert(
    fc.property(history, fc.integer({ min: 0, max: 30 * H }), (events, after) => {
      const s = load(events);
      const now = last(events) + after;
      for (const key of ['a', 'b', 'c', 'd', 'e']) {
        const got = s.valueAt(key, now);
        const want = reference(events, key, now);
        // What a rebase forgets is worth less than FORGET_BELOW at the new epoch, and `now` is later.
        if (!(Math.abs(got - want) <= 1e-9 * want + FORGET_BELOW)) return false;
        if (!Number.isFinite(got)) return false;
      }
      return true;
    }),
  );
});

t.test('worth only falls as time passes; the order never changes with it', async () => {
  fc.assert(
    fc.property(history, fc.nat(100 * H), fc.nat(100 * H), (events, d1, d2) => {
      const s = load(events);
      const t1 = last(events) + Math.min(d1, d2);
      const t2 = last(events) + Math.max(d1, d2);
      for (const key of ['a', 'b', 'c', 'd', 'e']) if (s.valueAt(key, t2) > s.valueAt(key, t1)) return false;
      const order = (now: number) => s.top(now, 5).map((x) => x.key).join();
      return order(t1) === order(t2);
    }),
  );
});

t.test('top lists the best first, at most the limit, and keeps only maxMembers', async (t) => {
  const s = new DecayedScores(H, 2);
  s.add('x', 1, T0);
  s.add('y', 3, T0);
  s.add('z', 2, T0);
  t.same(s.top(T0, 10), [{ key: 'y', score: 3 }, { key: 'z', score: 2 }]);
  t.same(s.top(T0, 0), []);
  t.equal(s.size, 2);
  t.ok(s.delete('y'));
  t.same(s.top(T0 + H, 10), [{ key: 'z', score: 1 }]);
});

t.test('topK is a sort cut to k', async () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 })), fc.integer({ min: -1, max: 20 }), (xs, k) => {
      const order = (a: number, b: number) => b - a;
      const want = [...xs].sort(order).slice(0, Math.max(0, k));
      return JSON.stringify(topK(xs, k, order)) === JSON.stringify(want);
    }),
  );
});
