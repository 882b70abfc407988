// The CloseScheduler adapters. Embedded: due times against the injected clock, durable rows that survive
// a restart. EventBridge: its requests checked against a loopback server that answers like the
// Scheduler API (name auction-end-{id}, SQS target, ActionAfterCompletion DELETE), and an end already
// past sent straight to the queue (fauxqs).
import t from 'tap';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ManualClock } from '../../engine/index.ts';
import { EmbeddedCloseScheduler } from '../../storage/closes/embedded.ts';
import { atExpression, EventBridgeCloseScheduler, scheduleName } from '../../storage/closes/eventbridge.ts';
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
  const s = new EventBridgeCloseScheduler({ clock, scheduler, sqs, queueUrl, queueArn, roleArn, group: 'okj', retries: 3, onError: (e) => errors.push(e) }).bind();

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
