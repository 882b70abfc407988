// The production CloseScheduler: one EventBridge Scheduler one-time schedule per open auction,
// `auction-end-{id}`, at its end, targeting the close queue (SQS); the schedule deletes itself after it
// runs (ActionAfterCompletion DELETE) and is deleted on buy-now or cancel. A soft-close extension moves
// it (UpdateSchedule). An end already past is sent straight to the queue. The SQS consumer
// (app/market/close-consumer.ts) closes the auction through its actor, so duplicates are harmless.
//
// schedule() and cancel() record what is wanted per auction; a bounded pool of workers makes it so,
// one request per auction at a time (so a create never overtakes the delete after it), always for the
// latest want. A failed request is retried with backoff until it succeeds: a lost schedule would leave
// the auction OPEN past its end, and a want is only recorded as done once EventBridge has it. A newer
// want (a cancel, a move) wakes a retry that is waiting. The pool also bounds the mass re-assert of
// every open auction at start. Every Scheduler request goes through send(), and every SQS one through
// sendNow(): the one place each to count or time them.
import {
  ConflictException, CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, SchedulerClient,
  UpdateScheduleCommand, type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AuctionId, Clock, Millis } from '../../../engine/index.ts';
import type { CloseScheduler } from './ports.ts';

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
  /** Requests in flight at most (the SDK's own retries happen within one). Default 16. */
  concurrency?: number;
  /** First wait before a failed request is tried again, doubling up to retryMaxMs. Defaults 200 ms, 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Every failed request (it is retried). */
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

/** What is wanted of an auction's schedule: to fire at a time, or to be gone (null). */
type Want = Millis | null;

export class EventBridgeCloseScheduler implements CloseScheduler {
  /** Wants not yet known to be done. */
  private readonly want = new Map<AuctionId, Want>();
  /** Times EventBridge (or the queue) is known to have, so an unchanged schedule() sends nothing. */
  private readonly done = new Map<AuctionId, Millis>();
  /** Waiting for a worker, in order. */
  private readonly ready = new Set<AuctionId>();
  /** A request in flight (at most one per auction). */
  private readonly busy = new Set<AuctionId>();
  /** Failed, waiting to be tried again. */
  private readonly backoff = new Map<AuctionId, NodeJS.Timeout>();
  private readonly failures = new Map<AuctionId, number>();
  private idle: (() => void)[] = [];
  private stopped = false;

  constructor(private readonly o: EventBridgeOptions) {}

  /** Schedules not yet known to be in place (a gauge, tests). */
  get pending(): number {
    return this.want.size;
  }

  bind(): this {
    return this;
  }

  async restore(): Promise<void> {
    // The schedules live in EventBridge; recovery re-asserts every open auction's through schedule(),
    // at most `concurrency` requests at a time.
  }

  schedule(auction: AuctionId, at: Millis): void {
    if (this.stopped) return;
    const want = this.want.get(auction);
    if (want === at || (want === undefined && this.done.get(auction) === at)) return;
    this.ask(auction, at);
  }

  cancel(auction: AuctionId): void {
    if (this.stopped || this.want.get(auction) === null) return;
    // Even when none is known: one may be left from before a restart, or from a create whose answer was lost.
    this.ask(auction, null);
  }

  /** No new wants; pending ones get one more try (recovery at the next start re-asserts the rest). */
  stop(): void {
    this.stopped = true;
    for (const timer of this.backoff.values()) clearTimeout(timer);
    this.backoff.clear();
    this.wake();
  }

  /**
   * Resolves when every want so far is done (retrying as long as it takes), or once stopped, when the
   * requests started or queued before the stop have had their last try (shutdown).
   */
  async settled(): Promise<void> {
    while (this.busy.size > 0 || this.ready.size > 0 || (!this.stopped && this.want.size > 0)) {
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  private ask(auction: AuctionId, want: Want): void {
    this.want.set(auction, want);
    if (this.busy.has(auction)) return; // the worker takes the new want when its request ends
    const timer = this.backoff.get(auction);
    if (timer !== undefined) {
      // A retry was waiting: the new want goes now (a cancel wins over a create that keeps failing).
      clearTimeout(timer);
      this.backoff.delete(auction);
    }
    this.ready.add(auction);
    this.pump();
  }

  private pump(): void {
    const limit = this.o.concurrency ?? 16;
    for (const auction of this.ready) {
      if (this.busy.size >= limit) return;
      this.ready.delete(auction);
      void this.work(auction);
    }
  }

  private async work(auction: AuctionId): Promise<void> {
    const want = this.want.get(auction);
    if (want === undefined) return;
    this.busy.add(auction);
    let failed = false;
    try {
      await (want === null ? this.remove(auction) : this.put(auction, want));
    } catch (err) {
      failed = true;
      this.o.onError?.(err, auction);
    }
    this.busy.delete(auction);
    if (this.want.get(auction) !== want) {
      if (!this.stopped) this.ready.add(auction); // a newer want came meanwhile: it goes next
    } else if (!failed) {
      this.want.delete(auction);
      this.failures.delete(auction);
      if (want === null) this.done.delete(auction);
      else this.done.set(auction, want);
    } else if (!this.stopped) {
      this.retryLater(auction);
    }
    this.pump();
    this.wake();
  }

  private retryLater(auction: AuctionId): void {
    const n = this.failures.get(auction) ?? 0;
    this.failures.set(auction, n + 1);
    // Exponential with jitter, so a Scheduler outage is not answered by every auction at once.
    const ms = Math.min((this.o.retryBaseMs ?? 200) * 2 ** Math.min(n, 20), this.o.retryMaxMs ?? 30_000) * (0.5 + Math.random() / 2);
    // Not unref'd: a close not yet scheduled is work left, and stop() clears these.
    const timer = setTimeout(() => {
      this.backoff.delete(auction);
      this.ready.add(auction);
      this.pump();
    }, ms);
    this.backoff.set(auction, timer);
  }

  private wake(): void {
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }

  private async put(auction: AuctionId, at: Millis): Promise<void> {
    // Measured at each try: an end that came within reach while retrying goes to the queue directly.
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
