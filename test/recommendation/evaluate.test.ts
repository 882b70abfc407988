// The offline evaluation (bench/recommendation/): on a small synthetic history the group ranking finds
// the planted preferences and beats popularity at 10; with nothing planted it finds none and does not.
import t from 'tap';
import { evaluate } from '../../bench/recommendation/evaluate.ts';
import { prng, SMALL, synthesize } from '../../bench/recommendation/synthetic.ts';

t.test('the generator is deterministic for a seed', async (t) => {
  t.same(synthesize(SMALL).events.slice(0, 50), synthesize(SMALL).events.slice(0, 50));
  t.not(prng(1)(), prng(2)());
});

for (const seed of [17, 3]) {
  t.test(`planted preferences are recovered and beat popularity (seed ${seed})`, async (t) => {
    const r = evaluate(synthesize({ ...SMALL, seed }));
    t.equal(r.heldOut, SMALL.events * 0.2);
    t.equal(r.recovered, r.groups, "every group's best tags are its planted ones");
    t.ok(r.hitRateAt10 >= 1.5 * r.popularityHitRateAt10 && r.hitRateAt10 - r.popularityHitRateAt10 >= 0.08, JSON.stringify(r));
  });
}

t.test('with no preference planted, nothing is recovered and popularity wins', async (t) => {
  const r = evaluate(synthesize({ ...SMALL, affinity: 0 }));
  t.equal(r.recovered, 0);
  t.ok(r.popularityHitRateAt10 > r.hitRateAt10, JSON.stringify(r));
});
