// The CloseScheduler adapters. Embedded: due times against the injected clock, durable rows that survive
// a restart. EventBridge: its requests checked against a loopback server that answers like the
// Scheduler API (name auction-end-{id}, SQS target, ActionAfterCompletion DELETE), and an end already
// past sent straight to the queue (fauxqs).
import t, { type Test } from 'tap';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../engine/index.ts';
import { EmbeddedCloseScheduler } from '../../storage/auction/closes/embedded.ts';
import { atExpression, EventBridgeCloseScheduler, scheduleName } from '../../storage/auction/closes/eventbridge.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import { FAKE_CREDENTIALS, fauxqs, REGION } from '../helpers/fauxqs.ts';
import { fakeScheduler } from '../helpers/scheduler-api.ts';

const T0 = 1_800_000_000_000;

t.test('embedded: fires at the clock, once; moves, cancels; rows survive a restart', async (t) => {
  const clock = new ManualClock(T0);
  const rows = new MemoryMarket();
  const fired: string[] = [];
  const s = new EmbeddedCloseScheduler({ clock, rows, tickMs: 60_000 }).bind((id) => fired.push(id));
  t.teardown(() => s.stop());
  s.schedule('a', T0 + 1000);
  s.schedule('b', T0 + 2000);
  s.schedule('c', T0 + 1500);
  s.cancel('c');
  s.tick();
  t.same(fired, [], 'nothing before its time');
  clock.set(T0 + 1000);
  s.tick();
  t.same(fired, ['a'], 'due: fired');
  s.tick();
  t.same(fired, ['a'], 'and only once');
  s.schedule('b', T0 + 5000); // a soft-close extension
  clock.set(T0 + 2500);
  s.tick();
  t.same(fired, ['a'], 'the old time of a moved close does not fire');
  await s.settled();
  t.same([...(await rows.schedules())], [['b', T0 + 5000]], 'rows: fired and cancelled ones gone, moved one updated');

  // A restart: a new scheduler on the same rows arms them; a close already due fires at once.
  s.stop();
  await rows.saveSchedules(new Map([['d', T0 + 100]]), []);
  const fired2: string[] = [];
  const s2 = new EmbeddedCloseScheduler({ clock, rows, tickMs: 60_000 }).bind((id) => fired2.push(id));
  t.teardown(() => s2.stop());
  await s2.restore();
  t.same(fired2, ['d'], 'past due: at once');
  clock.set(T0 + 5000);
  s2.tick();
  t.same(fired2, ['d', 'b'], 'future: on time');
});

t.test('embedded: a failed row write is kept and retried', async (t) => {
  const clock = new ManualClock(T0);
  const rows = new MemoryMarket();
  let failures = 1;
  const flaky = {
    schedules: () => rows.schedules(),
    saveSchedules: async (put: ReadonlyMap<string, number>, remove: readonly string[]) => {
      if (failures-- > 0) throw new Error('database down');
      return rows.saveSchedules(put, remove);
    },
  };
  const errors: unknown[] = [];
  const s = new EmbeddedCloseScheduler({ clock, rows: flaky, tickMs: 60_000, onError: (e) => errors.push(e) }).bind(() => {});
  t.teardown(() => s.stop());
  s.schedule('x', T0 + 10_000);
  await s.settled();
  t.equal(errors.length, 1, 'the failure was reported');
  t.equal((await rows.schedules()).get('x'), T0 + 10_000, 'and the row written on the retry');
});

t.test('EventBridge: create, move, delete; past ends straight to the queue', async (t) => {
  const api = await fakeScheduler(REGION);
  t.teardown(() => api.close());
  const sqsServer = await fauxqs(t);
  const { queueUrl, queueArn } = sqsServer.createQueue('auction-close');
  const scheduler = new SchedulerClient({ region: REGION, endpoint: api.url, credentials: FAKE_CREDENTIALS });
  const sqs = new SQSClient({ region: REGION, endpoint: sqsServer.address, credentials: FAKE_CREDENTIALS });
  t.teardown(() => {
    scheduler.destroy();
    sqs.destroy();
  });
  const clock = new ManualClock(T0);
  const errors: unknown[] = [];
  const roleArn = 'arn:aws:iam::000000000000:role/okj-scheduler';
  const s = new EventBridgeCloseScheduler({ clock, scheduler, sqs, queueUrl, queueArn, roleArn, group: 'okj', onError: (e) => errors.push(e) }).bind();

  const id = '4f1d2c3b-aaaa-8bbb-8ccc-123456789abc';
  const end = T0 + 3_600_000 + 250;
  s.schedule(id, end);
  await s.settled();
  t.equal(api.requests.length, 1);
  const create = api.requests[0];
  t.match(create, { method: 'POST', path: `/schedules/auction-end-${id}` });
  t.equal(scheduleName(id), `auction-end-${id}`);
  t.match(String(create.headers.authorization), /Credential=test-key-id\/\d{8}\/us-east-1\/scheduler\/aws4_request/, 'signed for the scheduler service');
  t.match(create.body, {
    GroupName: 'okj',
    ScheduleExpression: atExpression(end),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: { Arn: queueArn, RoleArn: roleArn },
  });
  t.equal(atExpression(end), `at(${new Date(T0 + 3_601_000).toISOString().slice(0, 19)})`, 'rounded up to the second, never early');
  t.same(JSON.parse(String((create.body?.Target as { Input: string }).Input)), { auction: id, at: end });
  t.type(create.body?.ClientToken, 'string', 'an idempotency token');

  // A soft-close extension moves it: create says it exists, so update.
  s.schedule(id, end + 180_000);
  await s.settled();
  t.same(api.requests.slice(1).map((r) => r.method), ['POST', 'PUT']);
  t.equal(api.schedules.get(`auction-end-${id}`)?.ScheduleExpression, atExpression(end + 180_000));

  // Buy-now or cancel deletes it; deleting one already gone is fine.
  s.cancel(id);
  await s.settled();
  t.match(api.requests.at(-1), { method: 'DELETE', path: `/schedules/auction-end-${id}` });
  t.equal(api.requests.at(-1)?.query.get('groupName'), 'okj');
  t.equal(api.schedules.size, 0);
  s.cancel(id);
  s.schedule(id, end); // and again, after a cancel: queued in order
  s.cancel(id);
  await s.settled();
  t.equal(api.schedules.size, 0, 'calls for one auction run in order');

  // Transient failures are retried.
  api.failNext(2);
  s.schedule('retry-me', end);
  await s.settled();
  t.ok(api.schedules.has('auction-end-retry-me'), 'created after two 500s');
  t.same(errors, [], 'no error surfaced');

  // An end already past (recovery after downtime): the close goes to the queue at once.
  s.schedule('late-one', T0 - 1);
  await s.settled();
  const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  t.same((got.Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}')), [{ auction: 'late-one', at: T0 - 1 }]);
  t.notOk(api.schedules.has('auction-end-late-one'));
});

/** A scheduler on the loopback API whose client does not retry by itself: each 500 is one failure here. */
async function eventBridge(t: Test, o: { retryBaseMs?: number; retryMaxMs?: number; concurrency?: number } = {}) {
  const api = await fakeScheduler(REGION);
  t.teardown(() => api.close());
  const scheduler = new SchedulerClient({ region: REGION, endpoint: api.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
  const sqs = new SQSClient({ region: REGION, endpoint: api.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
  t.teardown(() => {
    scheduler.destroy();
    sqs.destroy();
  });
  const clock = new ManualClock(T0);
  const errors: string[] = [];
  const s = new EventBridgeCloseScheduler({
    clock, scheduler, sqs, queueUrl: `${api.url}/000000000000/close`, queueArn: 'arn:aws:sqs:us-east-1:000000000000:close',
    roleArn: 'arn:aws:iam::000000000000:role/okj-scheduler', group: 'okj', onError: (_e, auction) => errors.push(auction), ...o,
  }).bind();
  t.teardown(() => s.stop());
  const requestsFor = (id: string) => api.requests.filter((r) => r.path === `/schedules/${scheduleName(id)}`).map((r) => r.method);
  return { api, s, errors, requestsFor };
}

const until = async (f: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!f()) throw new Error(`${what}: not within 2 s`);
};

t.test('EventBridge: a schedule that keeps failing is retried until it is created, then counts as done', async (t) => {
  const { api, s, errors, requestsFor } = await eventBridge(t, { retryBaseMs: 5, retryMaxMs: 20 });
  api.failNext(6);
  s.schedule('stubborn', T0 + 3_600_000);
  t.equal(s.pending, 1);
  await s.settled();
  t.equal(api.schedules.get('auction-end-stubborn')?.ScheduleExpression, atExpression(T0 + 3_600_000), 'created in the end');
  t.same(requestsFor('stubborn'), ['POST', 'POST', 'POST', 'POST', 'POST', 'POST', 'POST'], 'six failures, then the create');
  t.same(errors, new Array(6).fill('stubborn'), 'each failure reported');
  t.equal(s.pending, 0);
  s.schedule('stubborn', T0 + 3_600_000);
  await s.settled();
  t.equal(requestsFor('stubborn').length, 7, 'the same time again: nothing to do once it is done');

  // A failed move is retried too, and the schedule ends up at the new time.
  api.failNext(2);
  s.schedule('stubborn', T0 + 3_780_000);
  await s.settled();
  t.equal(api.schedules.get('auction-end-stubborn')?.ScheduleExpression, atExpression(T0 + 3_780_000), 'moved in the end');
});

t.test('EventBridge: a wanted time is not taken as done while its request fails', async (t) => {
  // Backoff long enough that the test sees the failed state.
  const { api, s, errors, requestsFor } = await eventBridge(t, { retryBaseMs: 60_000, retryMaxMs: 60_000 });
  api.failNext(1);
  s.schedule('x', T0 + 3_600_000);
  await until(() => errors.length === 1, 'the first try fails');
  t.equal(s.pending, 1, 'still pending');
  s.schedule('x', T0 + 3_600_000); // recovery re-asserting it: the pending retry covers it
  t.same(requestsFor('x'), ['POST']);
  s.schedule('x', T0 + 3_700_000); // a move: goes at once, not after the backoff
  await s.settled();
  t.equal(api.schedules.get('auction-end-x')?.ScheduleExpression, atExpression(T0 + 3_700_000));
  t.same(requestsFor('x'), ['POST', 'POST']);
});

t.test('EventBridge: cancel wins over a failing create; nothing is left scheduled', async (t) => {
  const { api, s, errors, requestsFor } = await eventBridge(t, { retryBaseMs: 60_000, retryMaxMs: 60_000 });
  // The create failed and waits for its retry: the cancel goes at once, and the create never again.
  api.failNext(1);
  s.schedule('waiting', T0 + 3_600_000);
  await until(() => errors.length === 1, 'the create fails');
  s.cancel('waiting');
  await s.settled();
  t.same(requestsFor('waiting'), ['POST', 'DELETE']);
  t.equal(api.schedules.size, 0);

  // The create is failing while the cancel comes in: the delete follows it.
  api.failNext(1);
  s.schedule('in-flight', T0 + 3_600_000);
  s.cancel('in-flight');
  await s.settled();
  t.same(requestsFor('in-flight'), ['POST', 'DELETE']);
  t.equal(api.schedules.size, 0);

  // The delete fails too: retried until it goes (here, after the create had really been made).
  s.schedule('both', T0 + 3_600_000);
  await s.settled();
  t.ok(api.schedules.has('auction-end-both'));
  api.failNext(1);
  s.cancel('both');
  await until(() => errors.length === 3, 'the delete fails');
  t.ok(api.schedules.has('auction-end-both'), 'still there after the failed delete');
  // New wants do not wait for the backoff: a create again (say a recovery), then a cancel, in order.
  s.schedule('both', T0 + 3_600_000);
  s.cancel('both');
  await s.settled();
  t.equal(api.schedules.size, 0, 'gone in the end');
  t.same(requestsFor('both'), ['POST', 'DELETE', 'POST', 'PUT', 'DELETE'], 'one request at a time, the latest want last');
  await new Promise((r) => setTimeout(r, 100));
  t.equal(api.schedules.size, 0, 'and no retry of an old want comes later');
});

t.test('EventBridge: a due close sent to the queue is retried until the send succeeds', async (t) => {
  let sqsFails = 3;
  let schedulerFails = 0;
  const sent: unknown[] = [];
  const calls: string[] = [];
  const scheduler = {
    async send(cmd: { constructor: { name: string } }) {
      calls.push(cmd.constructor.name);
      if (schedulerFails-- > 0) throw Object.assign(new Error('down'), { name: 'InternalServerException' });
      return {};
    },
  } as unknown as SchedulerClient;
  const sqs = {
    async send(cmd: { input: { MessageBody?: string } }) {
      calls.push('SendMessage');
      if (sqsFails-- > 0) throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
      sent.push(JSON.parse(String(cmd.input.MessageBody)));
      return {};
    },
  } as unknown as SQSClient;
  const clock = new ManualClock(T0);
  const errors: string[] = [];
  const s = new EventBridgeCloseScheduler({
    clock, scheduler, sqs, queueUrl: 'q', queueArn: 'arn', roleArn: 'role', group: 'okj', retryBaseMs: 1, retryMaxMs: 5, onError: (_e, a) => errors.push(a),
  }).bind();
  t.teardown(() => s.stop());
  s.schedule('due', T0 - 1);
  await s.settled();
  t.same(sent, [{ auction: 'due', at: T0 - 1 }], 'sent once it could be');
  t.equal(errors.length, 3);
  t.same(calls.filter((c) => c === 'SendMessage').length, 4);

  // A create that fails until the end is near: it goes to the queue instead.
  calls.length = 0;
  schedulerFails = 2;
  s.schedule('soon', T0 + 60_000);
  await new Promise((r) => setTimeout(r, 1));
  clock.set(T0 + 58_000);
  await s.settled();
  t.same(sent.at(-1), { auction: 'soon', at: T0 + 60_000 }, 'sent directly once within 5 s of its end');
  t.equal(calls.at(-1), 'SendMessage');
});

t.test('EventBridge: requests in flight are bounded; a stopped scheduler stops retrying', async (t) => {
  let inFlight = 0;
  let most = 0;
  let fails = 20;
  const created = new Set<string>();
  const scheduler = {
    async send(cmd: { input: { Name?: string } }) {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      if (fails-- > 0) throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      created.add(String(cmd.input.Name));
      return {};
    },
  } as unknown as SchedulerClient;
  const clock = new ManualClock(T0);
  const s = new EventBridgeCloseScheduler({
    clock, scheduler, sqs: {} as SQSClient, queueUrl: 'q', queueArn: 'arn', roleArn: 'role', group: 'okj', concurrency: 4, retryBaseMs: 1, retryMaxMs: 5,
  }).bind();
  // The mass re-assert at a start: every open auction at once.
  for (let i = 0; i < 200; i++) s.schedule(`a${i}`, T0 + 3_600_000 + i);
  await s.settled();
  t.equal(created.size, 200, 'every schedule made, failures retried');
  t.ok(most <= 4, `at most 4 requests at once (${most})`);
  t.equal(most, 4, 'and the pool is used');

  // Stopped (shutdown): a failing want is not retried for ever, settled() returns.
  fails = Infinity;
  const slow = new EventBridgeCloseScheduler({
    clock, scheduler, sqs: {} as SQSClient, queueUrl: 'q', queueArn: 'arn', roleArn: 'role', group: 'okj', retryBaseMs: 60_000,
  }).bind();
  slow.schedule('never', T0 + 3_600_000);
  await new Promise((r) => setTimeout(r, 20));
  slow.stop();
  await slow.settled();
  t.equal(slow.pending, 1, 'left for recovery at the next start');
  slow.schedule('late', T0 + 3_600_000);
  t.equal(slow.pending, 1, 'nothing taken after the stop');
});
