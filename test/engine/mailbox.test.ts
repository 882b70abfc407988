// The actor's mailbox: a FIFO ring buffer (power-of-two capacity, one slot kept empty, doubles when full).
import t from 'tap';
import { Mailbox } from '../../engine/index.ts';

/** The private ring, to check allocation and growth. */
function ring<T>(m: Mailbox<T>): (T | undefined)[] | null {
  return (m as unknown as { buf: (T | undefined)[] | null }).buf;
}

t.test('an empty mailbox has size 0, shifts undefined, and allocates nothing', async (t) => {
  const m = new Mailbox<number>();
  t.equal(m.size, 0);
  t.equal(m.shift(), undefined);
  t.equal(m.size, 0);
  t.equal(ring(m), null, 'no buffer until the first push');
});

t.test('push and shift are first in, first out', async (t) => {
  const m = new Mailbox<string>();
  m.push('a');
  m.push('b');
  m.push('c');
  t.equal(m.size, 3);
  t.equal(m.shift(), 'a');
  t.equal(m.size, 2);
  m.push('d');
  t.equal(m.shift(), 'b');
  t.equal(m.shift(), 'c');
  t.equal(m.shift(), 'd');
  t.equal(m.size, 0);
  t.equal(m.shift(), undefined);
});

t.test('seven items fit the first ring of eight; the eighth doubles it', async (t) => {
  const m = new Mailbox<number>();
  for (let i = 0; i < 7; i++) m.push(i);
  t.equal(ring(m)?.length, 8);
  t.equal(m.size, 7);
  m.push(7);
  t.equal(ring(m)?.length, 16, 'grew');
  t.equal(m.size, 8);
  const out: number[] = [];
  for (let x = m.shift(); x !== undefined; x = m.shift()) out.push(x);
  t.strictSame(out, [0, 1, 2, 3, 4, 5, 6, 7]);
});

t.test('wraps around the end of the ring and keeps order', async (t) => {
  const m = new Mailbox<number>();
  for (let i = 0; i < 6; i++) m.push(i);
  for (let i = 0; i < 5; i++) t.equal(m.shift(), i);
  // head is at 5 of 8: the next pushes wrap past the end.
  for (let i = 6; i < 12; i++) m.push(i);
  t.equal(m.size, 7);
  t.equal(ring(m)?.length, 8, 'no growth needed');
  const out: number[] = [];
  for (let x = m.shift(); x !== undefined; x = m.shift()) out.push(x);
  t.strictSame(out, [5, 6, 7, 8, 9, 10, 11]);
});

t.test('grows while wrapped (head not at 0) and keeps order', async (t) => {
  const m = new Mailbox<number>();
  for (let i = 0; i < 7; i++) m.push(i);
  t.equal(m.shift(), 0);
  t.equal(m.shift(), 1);
  t.equal(m.shift(), 2);
  for (let i = 7; i < 10; i++) m.push(i); // wraps; ring is now full again (7 of 8)
  t.equal(m.size, 7);
  t.equal(ring(m)?.length, 8);
  m.push(10); // full: grows while wrapped
  t.equal(ring(m)?.length, 16);
  t.equal(m.size, 8);
  for (let i = 11; i < 20; i++) m.push(i);
  t.equal(m.size, 17);
  t.equal(ring(m)?.length, 32, 'grew again');
  const out: number[] = [];
  for (let x = m.shift(); x !== undefined; x = m.shift()) out.push(x);
  t.strictSame(out, Array.from({ length: 17 }, (_, i) => i + 3));
});

t.test('shift releases the slot so the command can be collected', async (t) => {
  const m = new Mailbox<object>();
  const a = {};
  m.push(a);
  m.push({});
  t.equal(m.shift(), a);
  t.equal(ring(m)?.[0], undefined, 'the shifted slot is cleared');
});

t.test('falsy items are kept (only undefined means empty)', async (t) => {
  const m = new Mailbox<number | string | null | boolean>();
  for (const v of [0, '', null, false]) m.push(v);
  t.equal(m.size, 4);
  t.equal(m.shift(), 0);
  t.equal(m.shift(), '');
  t.equal(m.shift(), null);
  t.equal(m.shift(), false);
  t.equal(m.size, 0);
});

t.test('a long interleaved run matches an array queue', async (t) => {
  const m = new Mailbox<number>();
  const model: number[] = [];
  let next = 0;
  let mismatches = 0;
  // A deterministic pattern of bursts and drains that crosses several growths and wraps.
  for (let round = 0; round < 200; round++) {
    const pushes = (round * 7) % 23;
    const shifts = (round * 5) % 19;
    for (let i = 0; i < pushes; i++) {
      m.push(next);
      model.push(next++);
    }
    for (let i = 0; i < shifts; i++) if (m.shift() !== model.shift()) mismatches++;
    if (m.size !== model.length) mismatches++;
  }
  while (model.length > 0) if (m.shift() !== model.shift()) mismatches++;
  t.equal(mismatches, 0);
  t.equal(m.size, 0);
  t.ok(next > 1000, 'the run pushed many items');
});
