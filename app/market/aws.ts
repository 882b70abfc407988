// Everything of the marketplace that speaks to AWS, in one module that app/market/index.ts imports only
// when S3, EventBridge or an SQS queue is configured: the SDK takes a noticeable share of a start, and
// the embedded default (and every test server) never needs it.
export { SchedulerClient } from '@aws-sdk/client-scheduler';
export { SQSClient } from '@aws-sdk/client-sqs';
export { S3Images } from '../../storage/market/images/s3.ts';
export { EventBridgeCloseScheduler } from '../../storage/auction/closes/eventbridge.ts';
export { SqsCloseConsumer } from './close-consumer.ts';
export { SqsOutboxRelay } from './outbox-relay.ts';
