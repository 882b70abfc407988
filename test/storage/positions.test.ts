// JournalPositions: the horizon a journal reader must stay below while appends are in flight.
import t from 'tap';
import { JournalPositions } from '../../storage/positions.ts';

t.test('positions follow the largest stored one, in consecutive ranges', async (t) => {
  const p = new JournalPositions(41);
  t.equal(p.horizon, 42, 'nothing in flight: everything stored is readable');
  t.equal(p.take(3), 42);
  t.equal(p.take(2), 45);
  t.equal(p.take(0), 47, 'an empty range takes nothing');
  t.equal(p.take(1), 47);
});

t.test('the horizon stays at the least range in flight, whatever settles first', async (t) => {
  const p = new JournalPositions(0);
  const a = p.take(10); // 1..10
  const b = p.take(5); // 11..15
  const c = p.take(1); // 16
  t.equal(p.horizon, a);
  p.settle(b);
  t.equal(p.horizon, a, 'a later range settling first does not move it past an earlier one');
  p.settle(a);
  t.equal(p.horizon, c, 'then up to the next range still in flight');
  p.settle(c);
  t.equal(p.horizon, 17, 'and past everything once all settled');
  p.settle(c);
  t.equal(p.horizon, 17, 'settling twice changes nothing');
});
