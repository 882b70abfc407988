// Graceful stop: a command in flight is made durable and answered, then every socket is closed with
// SERVER_SHUTDOWN, and nothing listens any more. The journal is slowed so the bid is surely in flight.
import t from 'tap';
import { CLOSE } from '../../gateway/protocol.ts';
import { withAppend } from '../helpers/journal.ts';
import { api, boot, Client, openAuction, rid, sleep } from './harness.ts';

t.test('close(): the ack first, then 1001 on every socket', async (t) => {
  let slow = false;
  const b = await boot({}, {
    wrapStores: (s) => {
      const j = s.journal;
      s.journal = withAppend(j, async (batch) => {
        if (slow) await sleep(300);
        return j.append(batch);
      });
      return s;
    },
  });
  const auction = await openAuction(b, 'seller');
  const bidder = await Client.open(b.ws, { token: await b.token('alice') });
  const watcher = await Client.open(b.ws, { enc: 'msgpack' });
  watcher.send({ t: 'sub', auctions: [auction] });
  await watcher.type('snap');

  slow = true;
  const r = rid();
  bidder.send({ t: 'bid', rid: r, auction, amount: 10_000 });
  const deadline = Date.now() + 2000;
  while (b.server.service.pending === 0 && Date.now() < deadline) await sleep(2);
  t.ok(b.server.service.pending > 0, 'the bid is waiting for the journal');

  const stopping = b.stop();
  const [bc, wc] = await Promise.all([bidder.closed, watcher.closed]);
  await stopping;
  t.equal(bc.code, CLOSE.SERVER_SHUTDOWN);
  t.equal(wc.code, CLOSE.SERVER_SHUTDOWN);
  t.match(bidder.log.map((l) => l.frame), [{ t: 'authed', userId: 'alice' }, { t: 'ack', rid: r, ok: true }], 'the bid in flight was made durable and answered before the close');
  t.match(watcher.log.map((l) => l.frame.t), ['snap', 'px'], 'watchers got its px too');
  const refused = await api(b.http, 'GET', '/healthz').then(() => false, () => true);
  t.ok(refused, 'nothing listens after close');
  await t.resolves(b.server.close(), 'close is idempotent');
});
