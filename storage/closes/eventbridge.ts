// The production CloseScheduler: one EventBridge Scheduler one-time schedule per open auction,
// `auction-end-{id}`, at its end, targeting the close queue (SQS); the schedule deletes itself after it
// runs (ActionAfterCompletion DELETE) and is deleted on buy-now or cancel. A soft-close extension moves
// it (UpdateSchedule). An end already past is sent straight to the queue. The SQS consumer
// (app/market/close-consumer.ts) closes the auction through its actor, so duplicates are harmless.
//
// Calls to one auction's schedule are chained in order (a create never overtakes the delete after it);
// a failed call is retried with backoff. Every Scheduler request goes through send(), and every SQS one
// through sendNow(): the one place each to count or time them.
import {
  ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient,
  UpdateScheduleCommand, type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AuctionId, Clock, Millis } from '../../engine/index.ts';
import type { CloseScheduler } from './port.ts';

export interface EventBridgeOptions {
  clock: Clock;
  scheduler: SchedulerClient;
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  roleArn: string;
  group: string;
  /** Ends closer than this are sent to the queue at once instead of scheduled. Default 5 s. */
  directWithinMs?: number;
  retries?: number;
  onError?: (err: unknown, auction: AuctionId) => void;
}

/** The close message body, as the schedule's Input and as a direct send. */
export interface CloseMessage {
  auction: AuctionId;
  at: Millis;
}

export const scheduleName = (auction: AuctionId): string => `auction-end-${auction}`;

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, rounded up to the second (never early). */
export function atExpression(at: Millis): string {
  return `at(${new Date(Math.ceil(at / 1000) * 1000).toISOString().slice(0, 19)})`;
}

export class EventBridgeCloseScheduler implements CloseScheduler {
  private readonly chains = new Map<AuctionId, Promise<void>>();
  private readonly wanted = new Map<AuctionId, Millis>();
  private stopped = false;

  constructor(private readonly o: EventBridgeOptions) {}

  bind(): this {
    return this;
  }

  async restore(): Promise<void> {
    // The schedules live in EventBridge; recovery re-asserts every open auction's through schedule().
  }

  schedule(auction: AuctionId, at: Millis): void {
    if (this.stopped || this.wanted.get(auction) === at) return;
    this.wanted.set(auction, at);
    this.chain(auction, () => this.put(auction, at));
  }

  cancel(auction: AuctionId): void {
    if (this.stopped) return;
    this.wanted.delete(auction);
    this.chain(auction, () => this.remove(auction));
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves when every request made so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private chain(auction: AuctionId, step: () => Promise<void>): void {
    const prev = this.chains.get(auction) ?? Promise.resolve();
    const next = prev.then(() => this.retry(auction, step));
    this.chains.set(auction, next);
    void next.finally(() => {
      if (this.chains.get(auction) === next) this.chains.delete(auction);
    });
  }

  private async retry(auction: AuctionId, step: () => Promise<void>): Promise<void> {
    const tries = (this.o.retries ?? 5) + 1;
    for (let i = 0; i < tries; i++) {
      try {
        return await step();
      } catch (err) {
        if (i === tries - 1 || this.stopped) return this.o.onError?.(err, auction);
        await new Promise((r) => setTimeout(r, Math.min(200 * 2 ** i, 5000)).unref());
      }
    }
  }

  private async put(auction: AuctionId, at: Millis): Promise<void> {
    if (this.wanted.get(auction) !== at) return; // superseded while queued
    if (at - this.o.clock.now() <= (this.o.directWithinMs ?? 5000)) {
      await this.remove(auction);
      return this.sendNow({ auction, at });
    }
    const input: CreateScheduleCommandInput = {
      Name: scheduleName(auction),
      GroupName: this.o.group,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: this.o.queueArn, RoleArn: this.o.roleArn, Input: JSON.stringify({ auction, at } satisfies CloseMessage) },
      ActionAfterCompletion: 'DELETE',
      State: 'ENABLED',
      Description: `close auction ${auction}`,
    };
    try {
      await this.send(new CreateScheduleCommand(input));
    } catch (err) {
      if (!(err instanceof ConflictException) && (err as { name?: string }).name !== 'ConflictException') throw err;
      await this.send(new UpdateScheduleCommand(input)); // it exists (a restart, or an extension): move it
    }
  }

  private async remove(auction: AuctionId): Promise<void> {
    try {
      await this.send(new DeleteScheduleCommand({ Name: scheduleName(auction), GroupName: this.o.group }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException) && (err as { name?: string }).name !== 'ResourceNotFoundException') throw err;
    }
  }

  private send(cmd: CreateScheduleCommand | UpdateScheduleCommand | DeleteScheduleCommand): Promise<unknown> {
    return this.o.scheduler.send(cmd as never);
  }

  private async sendNow(m: CloseMessage): Promise<void> {
    await this.o.sqs.send(new SendMessageCommand({ QueueUrl: this.o.queueUrl, MessageBody: JSON.stringify(m) }));
  }
}
