// The production close path through a running server: CLOSE_SCHEDULER=eventbridge. Opening an auction
// creates its schedule (on a loopback server speaking the Scheduler API), buy-now deletes one; when the
// schedule "fires" (the test sends its input to the queue, as EventBridge would), the SQS consumer
// closes the auction through its actor: end frame, notices, order. A duplicate firing changes nothing.
import t from 'tap';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../engine/index.ts';
import type { EventBridgeCloseScheduler } from '../../storage/auction/closes/eventbridge.ts';
import { api, boot, Client, rid } from '../gateway/harness.ts';
import { FAKE_CREDENTIALS, fauxqs, REGION } from '../helpers/fauxqs.ts';
import { fakeScheduler } from '../helpers/scheduler-api.ts';
import { eventually } from './fixtures.ts';
import { newBidder, newSeller } from './users.ts';

// The SDK's credential chain reads these (and must not go looking for an instance role).
process.env.AWS_ACCESS_KEY_ID = FAKE_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = FAKE_CREDENTIALS.secretAccessKey;

t.test('schedules, the queue and the consumer close auctions exactly once', async (t) => {
  const sqsServer = await fauxqs(t);
  const { queueUrl, queueArn } = sqsServer.createQueue('okj-close', { attributes: { VisibilityTimeout: '2' } });
  const aws = await fakeScheduler(REGION, sqsServer.address);
  t.teardown(() => aws.close());
  const b = await boot({
    CLOSE_SCHEDULER: 'eventbridge', SQS_CLOSE_QUEUE_URL: queueUrl, SQS_CLOSE_QUEUE_ARN: queueArn,
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/okj-scheduler', AWS_REGION: REGION, AWS_ENDPOINT_URL: aws.url,
    METRICS_PUBLIC: '1', // the test reads the AWS call counters from /metrics
  });
  t.teardown(() => b.stop());
  const sqs = new SQSClient({ region: REGION, endpoint: sqsServer.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => sqs.destroy());
  /** What EventBridge does at the time: send the target input to the queue, delete the schedule. */
  const fire = async (name: string) => {
    const s = aws.schedules.get(name);
    if (s === undefined) throw new Error(`no schedule ${name}`);
    aws.schedules.delete(name);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: (s.Target as { Input: string }).Input }));
    return s;
  };

  const seller = await newSeller(b);
  const alice = await newBidder(b, 'alice');
  const now = Date.now();
  const create = async (endsAt: number, extra: Record<string, unknown> = {}) => {
    const c = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key: rid('c'), body: { productId: 'p', startPrice: 1_000, bidUnit: 100, startsAt: now, endsAt, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 }, ...extra } });
    t.equal(c.status, 201);
    t.match((await api(b.http, 'POST', `/api/v1/auctions/${c.body.id}/open`, { token: seller.token })).body, { ok: true });
    return c.body.id as string;
  };
  const ends = now + 15_000; // well past the 5 s under which a close goes to the queue directly
  const timed = await create(ends);
  const bought = await create(now + 3_600_000, { buyNowPrice: 50_000 });
  const name = `auction-end-${timed}`;
  await eventually(async () => (aws.schedules.has(name) && aws.schedules.has(`auction-end-${bought}`) ? true : undefined), 5_000, 'schedules created');
  t.match(aws.schedules.get(name), { ActionAfterCompletion: 'DELETE', Target: { Arn: queueArn, RoleArn: 'arn:aws:iam::000000000000:role/okj-scheduler' } });

  const socket = await Client.open(b.ws, { token: alice.token });
  t.teardown(() => socket.close());
  await socket.type('authed');
  socket.send({ t: 'sub', auctions: [timed] });
  await socket.type('snap');
  t.match(await socket.command({ t: 'bid', rid: rid(), auction: timed, amount: 1_000 }), { ok: true });

  // Buy-now ends the other one: its schedule is deleted.
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${bought}/buy-now`, { token: alice.token, key: rid('buy') })).body, { ok: true, status: 'SOLD' });
  await eventually(async () => (aws.schedules.has(`auction-end-${bought}`) ? undefined : true), 5_000, 'schedule deleted on buy-now');
  t.ok(aws.requests.some((r) => r.method === 'DELETE' && r.path === `/schedules/auction-end-${bought}`));

  // Fired early (clock skew): nothing closes before the end.
  const consumer = b.server.market.consumer!;
  const early = consumer.stats.early;
  await fire(name);
  await eventually(async () => (consumer.stats.early > early ? true : undefined), 5_000, 'the early message handled');
  t.equal(consumer.stats.closed, 0, 'and not as a close');
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${timed}`)).body.status, 'OPEN', 'not closed before its end');

  // The early message comes back at the end and closes it, through the actor.
  const end = await socket.type('end', {}, ends - Date.now() + 8_000);
  t.match(end, { auction: timed, status: 'SOLD', price: 1_000 });
  t.ok(Date.now() >= ends, 'at or after the end');
  t.ok(await socket.type('notice', { kind: 'won', auction: timed }, 5_000), 'the winner is told');
  const seq = end.seq as number;

  // EventBridge (or SQS) delivers again: refused by the actor as already closed, and deleted.
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ auction: timed, at: ends }) }));
  await eventually(async () => ((b.server.market.consumer?.stats.duplicate ?? 0) >= 1 ? true : undefined), 8_000, 'the duplicate handled');
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${timed}`)).body.seq, seq, 'no second close');
  const orders = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/orders', { token: alice.token });
    return r.body.items.length === 2 ? r.body.items : undefined;
  }, 5_000, 'two orders');
  t.same(orders.map((o: { auctionId: string }) => o.auctionId).sort(), [timed, bought].sort(), 'one order per auction');

  // Every AWS call was counted, by operation.
  const metrics = await (await fetch(`${b.http}/metrics`)).text();
  const count = (name: string, op: string) => Number(new RegExp(`^${name}\\{operation="${op}"\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
  t.ok(count('okj_scheduler_calls_total', 'CreateSchedule') >= 1, 'CreateSchedule counted');
  t.ok(count('okj_scheduler_calls_total', 'DeleteSchedule') >= 1, 'DeleteSchedule counted (buy-now)');
  t.ok(count('okj_sqs_calls_total', 'ReceiveMessage') >= 1, 'ReceiveMessage counted');
  t.ok(count('okj_sqs_calls_total', 'DeleteMessageBatch') >= 1, 'DeleteMessageBatch counted');
});

t.test('a schedule that fails is retried until it is made, and closes once; cancel after a failure leaves none', async (t) => {
  const sqsServer = await fauxqs(t);
  const { queueUrl, queueArn } = sqsServer.createQueue('okj-close-retry', { attributes: { VisibilityTimeout: '2' } });
  const aws = await fakeScheduler(REGION, sqsServer.address);
  t.teardown(() => aws.close());
  const clock = new ManualClock(Date.now());
  const b = await boot({
    CLOSE_SCHEDULER: 'eventbridge', SQS_CLOSE_QUEUE_URL: queueUrl, SQS_CLOSE_QUEUE_ARN: queueArn,
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/okj-scheduler', AWS_REGION: REGION, AWS_ENDPOINT_URL: aws.url,
  }, { clock, market: { closeRetryMs: 10 } });
  t.teardown(() => b.stop());
  const scheduler = b.server.market.scheduler as EventBridgeCloseScheduler;
  const sqs = new SQSClient({ region: REGION, endpoint: sqsServer.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => sqs.destroy());
  const seller = await newSeller(b);
  const alice = await newBidder(b, 'alice');
  const ends = clock.now() + 60_000;
  const create = async (endsAt: number) => {
    const c = await api(b.http, 'POST', '/api/v1/auctions', { token: seller.token, key: rid('c'), body: { productId: 'p', startPrice: 1_000, bidUnit: 100, startsAt: clock.now(), endsAt, softClose: { windowMs: 0, extendMs: 0, maxExtensions: 0 } } });
    t.equal(c.status, 201);
    return c.body.id as string;
  };
  const requests = (id: string) => aws.requests.filter((r) => r.path === `/schedules/auction-end-${id}`);

  // Twenty failures: the SDK tries three times a call, so the scheduler's own retries must go on (and
  // past any fixed count: it used to give up after six calls, and the auction stayed OPEN).
  const timed = await create(ends);
  aws.failNext(20);
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${timed}/open`, { token: seller.token })).body, { ok: true, status: 'OPEN' });
  const name = `auction-end-${timed}`;
  const made = await eventually(async () => aws.schedules.get(name), 20_000, 'the schedule made in the end');
  t.equal(requests(timed).length, 21, 'twenty failed tries, then the create');
  t.same(JSON.parse((made.Target as { Input: string }).Input), { auction: timed, at: ends });
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${timed}/bids`, { token: alice.token, key: rid('b'), body: { amount: 1_000 } })).body, { ok: true });

  // EventBridge fires at the end; the consumer closes the auction, once, even if it fires twice.
  clock.set(ends + 1);
  aws.schedules.delete(name);
  const input = (made.Target as { Input: string }).Input;
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: input }));
  const closed = await eventually(async () => {
    const r = await api(b.http, 'GET', `/api/v1/auctions/${timed}`);
    return r.body.status === 'SOLD' ? r.body : undefined;
  }, 10_000, 'closed');
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: input }));
  await eventually(async () => ((b.server.market.consumer?.stats.duplicate ?? 0) >= 1 ? true : undefined), 10_000, 'the duplicate handled');
  t.equal((await api(b.http, 'GET', `/api/v1/auctions/${timed}`)).body.seq, closed.seq, 'closed once');
  const orders = await eventually(async () => {
    const r = await api(b.http, 'GET', '/api/v1/orders', { token: alice.token });
    return r.body.items.length > 0 ? r.body.items : undefined;
  }, 5_000, 'the order');
  t.match(orders, [{ auctionId: timed, amount: 1_000 }]);

  // Cancel while the create keeps failing: once the API answers again only the delete is made.
  const canceled = await create(clock.now() + 60_000);
  aws.failNext(1_000_000);
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${canceled}/open`, { token: seller.token })).body, { ok: true });
  await eventually(async () => (requests(canceled).some((r) => r.method === 'POST') ? true : undefined), 5_000, 'a create tried');
  t.match((await api(b.http, 'POST', `/api/v1/auctions/${canceled}/cancel`, { token: seller.token })).body, { ok: true, status: 'CANCELED' });
  aws.failNext(0);
  await eventually(async () => (scheduler.pending === 0 ? true : undefined), 20_000, 'nothing pending');
  t.equal(requests(canceled).at(-1)?.method, 'DELETE', 'the delete came last');
  t.notOk(aws.schedules.has(`auction-end-${canceled}`), 'no schedule left');
  const seen = requests(canceled).length;
  // Nothing wanted, nothing in flight, nothing queued: no request can follow (a retry is only ever of a want).
  await scheduler.settled();
  t.equal(scheduler.pending, 0);
  t.equal(requests(canceled).length, seen, 'and no create retried after it');
});
