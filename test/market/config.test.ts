// The marketplace's configuration: defaults, and every problem reported at once naming the variable.
import t from 'tap';
import { ConfigError, loadConfig, queueArnOf } from '../../app/config.ts';

t.test('defaults: embedded scheduler, disk images, 72 hours to pay', async (t) => {
  const c = loadConfig({});
  t.match(c.market, { closeScheduler: 'embedded', eventBridge: null, s3: null, outboxQueueUrl: null, orderPaymentMs: 72 * 3_600_000, upload: { maxBytes: 10 * 1024 * 1024, maxFiles: 10, maxInFlight: 16, maxInFlightPerUser: 2 } });
});

t.test('uploads in flight: bounded, per user no more than in all, each problem naming its variable', async (t) => {
  t.match(loadConfig({ UPLOAD_MAX_IN_FLIGHT: '4', UPLOAD_MAX_IN_FLIGHT_PER_USER: '4' }).market.upload, { maxInFlight: 4, maxInFlightPerUser: 4 });
  t.throws(() => loadConfig({ UPLOAD_MAX_IN_FLIGHT: '0' }), /UPLOAD_MAX_IN_FLIGHT:/);
  t.throws(() => loadConfig({ UPLOAD_MAX_IN_FLIGHT_PER_USER: 'many' }), /UPLOAD_MAX_IN_FLIGHT_PER_USER:/);
  const err = t.throws(() => loadConfig({ UPLOAD_MAX_IN_FLIGHT: '2', UPLOAD_MAX_IN_FLIGHT_PER_USER: '3' })) as ConfigError;
  t.match(err.message, /UPLOAD_MAX_IN_FLIGHT_PER_USER: must not exceed UPLOAD_MAX_IN_FLIGHT \(2\)/);
});

t.test('eventbridge needs its queue and role; S3 needs a CDN URL', async (t) => {
  const err = t.throws(() => loadConfig({ CLOSE_SCHEDULER: 'eventbridge', S3_BUCKET: 'okj-images' })) as ConfigError;
  t.type(err, ConfigError);
  for (const v of ['SQS_CLOSE_QUEUE_URL', 'SCHEDULER_ROLE_ARN', 'CDN_BASE_URL']) t.match(err.message, v, `names ${v}`);
  t.throws(() => loadConfig({ ORDER_PAYMENT_HOURS: '0' }), /ORDER_PAYMENT_HOURS/);
});

t.test('a full AWS setup', async (t) => {
  const c = loadConfig({
    CLOSE_SCHEDULER: 'eventbridge', SQS_CLOSE_QUEUE_URL: 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/okj-close',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/okj-scheduler', S3_BUCKET: 'okj-images', CDN_BASE_URL: 'https://cdn.example.com',
  });
  t.same(c.market.eventBridge, {
    queueUrl: 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/okj-close', queueArn: 'arn:aws:sqs:ap-northeast-2:123456789012:okj-close',
    roleArn: 'arn:aws:iam::123456789012:role/okj-scheduler', group: 'default',
  });
  t.same(c.market.s3, { bucket: 'okj-images', cdnBaseUrl: 'https://cdn.example.com' });
  t.equal(queueArnOf('http://sqs.us-east-1.127.0.0.1:4566/000000000000/q', 'eu-west-1'), 'arn:aws:sqs:us-east-1:000000000000:q');
  t.equal(queueArnOf('not a url', 'eu-west-1'), null);
});
