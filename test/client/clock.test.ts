// The server clock estimate from snap.now: within half a round trip of the truth for answered subs,
// raised by unsolicited snaps that prove it low, and restarted when the local clock steps.
import t from 'tap';
import { ServerClock } from '../../client/index.ts';

const OFFSET = 5_000; // the server runs 5 s ahead

t.test('a reply bounds the offset; the tightest round trip wins', async (t) => {
  let local = 1_000_000;
  const c = new ServerClock(() => local);
  t.equal(c.synced, false);
  // Request at 1_000_000, server stamps 40 ms later (its clock + OFFSET), reply arrives 100 ms later.
  c.add({ sentAt: 1_000_000, serverNow: 1_000_040 + OFFSET, receivedAt: 1_000_100 });
  t.ok(Math.abs(c.offset - OFFSET) <= 50, `within rtt/2: ${c.offset}`);
  t.equal(c.rtt, 100);
  // A quicker exchange with symmetric delays: exact.
  c.add({ sentAt: 1_001_000, serverNow: 1_001_005 + OFFSET, receivedAt: 1_001_010 });
  t.equal(c.offset, OFFSET);
  t.equal(c.rtt, 10);
  local = 1_002_000;
  t.equal(c.now(), 1_002_000 + OFFSET, 'serverNow is local plus the offset');
});

t.test('unsolicited snaps bound it from below only', async (t) => {
  const c = new ServerClock(() => 0);
  c.add({ serverNow: 1_000 + OFFSET, receivedAt: 1_030 }); // delivered after 30 ms
  t.equal(c.offset, OFFSET - 30, 'best guess: the lower bound');
  t.equal(c.rtt, Infinity);
  // A two-sided sample whose midpoint is below a proven lower bound is raised to it.
  c.add({ sentAt: 2_000, serverNow: 2_001 + OFFSET, receivedAt: 2_400 }); // asymmetric: mid = OFFSET - 199
  t.equal(c.offset, OFFSET - 30);
});

t.test('a slow reply (a busy server) bounds from below only', async (t) => {
  const c = new ServerClock(() => 0);
  c.add({ sentAt: 0, serverNow: 9_000 + OFFSET, receivedAt: 9_010 }); // 9 s round trip
  t.equal(c.rtt, Infinity);
  t.equal(c.offset, OFFSET - 10);
});

t.test('a local clock step is noticed and the old samples dropped', async (t) => {
  const c = new ServerClock(() => 0);
  c.add({ sentAt: 1_000, serverNow: 1_010 + OFFSET, receivedAt: 1_020 });
  t.equal(c.offset, OFFSET);
  // The laptop's clock jumped one hour back: the same server now looks an hour further ahead.
  const HOUR = 3_600_000;
  c.add({ sentAt: 5_000, serverNow: 5_010 + OFFSET + HOUR, receivedAt: 5_020 });
  t.equal(c.offset, OFFSET + HOUR);
});
