// The SQS side of the close pipeline against the fauxqs emulator: the close consumer with duplicated,
// early, poison and redelivered messages, each auction closed exactly once through its actor; and the
// outbox relay publishing the journal, each event once (again after a refusal).
import t from 'tap';
import { ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock, type AuctionSpec, type Reply } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { SqsCloseConsumer } from '../../app/market/close-consumer.ts';
import { SQS_RELAY, SqsOutboxRelay } from '../../app/market/outbox-relay.ts';
import { silentLogger } from '../../engine/logger.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import { MemoryBoard } from '../../storage/auction/memory-board.ts';
import { MemoryJournal } from '../../storage/auction/memory-journal.ts';
import { MemorySnapshots } from '../../storage/auction/memory-snapshots.ts';
import type { CloseScheduler } from '../../storage/auction/closes/ports.ts';
import { Chain } from '../helpers/auctions.ts';
import { FAKE_CREDENTIALS, fauxqs, REGION } from '../helpers/fauxqs.ts';

const T0 = 1_800_000_000_000;

t.test('close consumer: duplicates, early, poison and redelivered messages; one close each', async (t) => {
  const server = await fauxqs(t);
  const { queueUrl } = server.createQueue('closes', { attributes: { VisibilityTimeout: '1' } });
  const sqs = new SQSClient({ region: REGION, endpoint: server.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => sqs.destroy());
  const clock = new ManualClock(T0);
  const journal = new MemoryJournal();
  // Closes come only from the queue here (EventBridge's part is played by the test).
  const fromQueueOnly: CloseScheduler = { bind() { return this; }, restore: async () => {}, schedule() {}, cancel() {}, stop() {}, settled: async () => {} };
  const service = new AuctionService({ clock, journal, idempotency: journal, snapshots: new MemorySnapshots(), board: new MemoryBoard(), closeScheduler: fromQueueOnly });
  t.teardown(() => service.shutdown());
  const open = async (id: string, endsAt: number) => {
    const spec: AuctionSpec = { id, sellerId: 'seller', productId: 'p', startPrice: 1000, bidUnit: 100, buyNowPrice: null, reservePrice: null, startsAt: T0, endsAt, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } };
    t.match(await service.createAsync(spec, 'seller', `c-${id}`), { ok: true });
    t.match(await service.submitAsync({ t: 'open', auction: id, rid: `o-${id}`, by: 'seller', role: 'user' }), { ok: true });
    t.match(await service.submitAsync({ t: 'bid', auction: id, rid: `b-${id}`, by: 'alice', amount: 1000 }), { ok: true });
  };
  await open('due', T0 + 1000);
  await open('flaky', T0 + 1000);
  await open('later', T0 + 3000);
  clock.set(T0 + 2000);

  let flakyFailures = 1;
  const consumer = new SqsCloseConsumer({
    sqs, queueUrl, clock, log: silentLogger, waitSeconds: 1,
    close: async (auction): Promise<Reply> => {
      if (auction === 'flaky' && flakyFailures-- > 0) return { ok: false, rid: 'close', code: 'STORE_UNAVAILABLE', message: 'down' };
      return service.submitAsync({ t: 'close', auction });
    },
    endsAt: async (auction) => (await service.lookup(auction))?.endsAt ?? null,
  });
  const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  const close = (auction: string) => JSON.stringify({ auction, at: T0 + 1000 });
  for (const body of [close('due'), close('due'), close('flaky'), close('later'), 'not json', close('nope')]) await send(body);

  let handled = 0;
  for (let i = 0; i < 10 && handled < 6; i++) handled += await consumer.poll();
  t.equal(handled, 6, 'all six received');
  t.match(consumer.stats, { closed: 1, duplicate: 2, early: 1, retry: 1, poison: 1 });
  const closes = async (id: string) => (await journal.read(id)).filter((e) => e.type === 'closed').length;
  t.equal(await closes('due'), 1, 'a duplicated message closes once');
  t.equal(await closes('flaky'), 0, 'a failed close is left on the queue');
  t.equal(await closes('later'), 0, 'an early message closes nothing');

  // The failed one comes back after its visibility timeout and closes; a late duplicate is harmless.
  await send(close('due'));
  for (let i = 0; i < 10 && (await closes('flaky')) === 0; i++) await consumer.poll();
  t.equal(await closes('flaky'), 1, 'redelivered and closed');
  for (let i = 0; i < 3; i++) await consumer.poll();
  t.equal(await closes('due'), 1, 'still one close after a late duplicate');
  t.equal(consumer.stats.duplicate, 3, JSON.stringify(consumer.stats));

  // The early one was hidden for the time left (one second), and closes once due.
  clock.set(T0 + 3000);
  let laterClosed = false;
  for (let i = 0; i < 6 && !laterClosed; i++) {
    await consumer.poll();
    laterClosed = (await closes('later')) === 1;
  }
  t.ok(laterClosed, 'closed once it was due');
  const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  t.same(left.Messages ?? [], [], 'nothing left on the queue');
});

t.test('close consumer: start and stop the long-poll loop', async (t) => {
  const server = await fauxqs(t);
  const { queueUrl } = server.createQueue('loop');
  const sqs = new SQSClient({ region: REGION, endpoint: server.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => sqs.destroy());
  const closed: string[] = [];
  const consumer = new SqsCloseConsumer({
    sqs, queueUrl, clock: new ManualClock(T0), log: silentLogger, waitSeconds: 1,
    close: async (auction) => {
      closed.push(auction);
      return { ok: true, rid: 'close', seq: 9, price: 1, leading: false, endsAt: T0, status: 'SOLD' };
    },
    endsAt: async () => null,
  });
  consumer.start();
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ auction: 'x', at: T0 }) }));
  for (let i = 0; i < 100 && closed.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.same(closed, ['x']);
  const stopped = Date.now();
  await consumer.stop();
  t.ok(Date.now() - stopped < 1500, 'stop does not wait out a long poll');
});

t.test('outbox relay: the journal published once, in position order; a refused entry goes again', async (t) => {
  const server = await fauxqs(t);
  const { queueUrl } = server.createQueue('outbox');
  const real = new SQSClient({ region: REGION, endpoint: server.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => real.destroy());
  // The first batch has its fourth entry refused (SQS answers partial failures entry by entry).
  let refuse = true;
  const sqs = {
    async send(cmd: SendMessageBatchCommand) {
      const input = cmd.input;
      const entries = refuse ? input.Entries?.filter((_, i) => i !== 3) : input.Entries;
      const res = await real.send(new SendMessageBatchCommand({ ...input, Entries: entries }));
      if (refuse) {
        refuse = false;
        return { ...res, Failed: [{ Id: input.Entries?.[3]?.Id, Code: 'InternalError', SenderFault: false }] };
      }
      return res;
    },
  } as unknown as SQSClient;
  const journal = new MemoryJournal();
  const market = new MemoryMarket();
  const chain = new Chain();
  chain.created();
  chain.opened();
  for (let i = 0; i < 21; i++) chain.bid(i % 2 === 0 ? 'alice' : 'bob', 10_000 + i * 1_000);
  chain.closed();
  await journal.append({ events: [...chain.events], replies: [] });
  const relay = new SqsOutboxRelay({ market, journal, sqs, queueUrl, clock: new ManualClock(T0), log: silentLogger });

  t.equal(await relay.runOnce(), 3, 'the first run stops at the refused entry');
  t.equal(await market.relayPosition(SQS_RELAY), 4, 'its position stops before it (the created event at 1 is skipped)');
  t.equal(await relay.runOnce(), 20, 'the next run sends the rest, from the refused entry on');
  t.equal(await relay.runOnce(), 0, 'nothing twice');
  t.equal(await market.relayPosition(SQS_RELAY), 24);

  const got: { id: number; seq: number; type: string; auctionId: string }[] = [];
  // 23 events, and again the six that went out beside the refused one: consumers dedupe on (auctionId, seq).
  for (let i = 0; i < 10 && got.length < 29; i++) {
    const r = await real.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    for (const m of r.Messages ?? []) got.push(JSON.parse(m.Body ?? '{}'));
  }
  t.equal(got.length, 29, 'at least once: the refused entry\'s batch-mates went twice');
  t.same([...new Set(got.map((m) => m.seq))].sort((a, b) => a - b), chain.events.slice(1).map((e) => e.seq), 'every event but created');
  t.match(got.find((m) => m.seq === 2), { type: 'auction.opened', auctionId: chain.id, id: 2 });
  t.match(got.find((m) => m.seq === 24), { type: 'auction.closed', auctionId: chain.id });

  const next = new Chain();
  next.created();
  next.opened();
  await journal.append({ events: [...next.events], replies: [] });
  t.equal(await relay.runOnce(), 1, 'later events go out from where it stopped');
  t.equal(await market.relayPosition(SQS_RELAY), 26);
});
