// JournalPositions: the horizon a journal reader must stay below while appends are in flight.
import t from 'tap';
import { JournalPositions } from '../../storage/auction/positions.ts';

t.test('positions follow the largest stored one, in consecutive ranges', async (t) => {
  const p = new JournalPositions(41);
  t.equal(p.horizon, 42, 'nothing in flight: everything stored is readable');
  t.same(p.take(3), { first: 42, count: 3 });
  t.same(p.take(2), { first: 45, count: 2 });
  t.same(p.take(0), { first: 47, count: 0 }, 'an empty range takes nothing');
  t.same(p.take(1), { first: 47, count: 1 });
});

t.test('the horizon stays at the least range in flight, whatever settles first', async (t) => {
  const p = new JournalPositions(0);
  const a = p.take(10); // 1..10
  const b = p.take(5); // 11..15
  const c = p.take(1); // 16
  t.equal(p.horizon, a.first);
  p.release(b);
  t.equal(p.horizon, a.first, 'a later range settling first does not move it past an earlier one');
  p.release(a);
  t.equal(p.horizon, c.first, 'then up to the next range still in flight');
  p.release(c);
  t.equal(p.horizon, 17, 'and past everything once all settled');
  p.release(c);
  t.equal(p.horizon, 17, 'settling twice changes nothing');
});

t.test('an empty range (an append of replies only) never releases another one', async (t) => {
  const p = new JournalPositions(0);
  const empty = p.take(0);
  const events = p.take(4); // the same first position as the empty range
  t.equal(empty.first, events.first);
  p.release(empty);
  t.equal(p.horizon, events.first, 'the events still in flight hold the horizon');
  p.release(events);
  t.equal(p.horizon, 5);
});
