// The SQS close consumer (CLOSE_SCHEDULER=eventbridge): long-polls the close queue, closes each named
// auction through its actor, and deletes what it handled in one batch call. SQS delivers at least once,
// so a message may come twice or be redelivered: the actor refuses a second close (AUCTION_CLOSED), and
// that counts as handled. A close that could not be stored (STORE_UNAVAILABLE, OVERLOADED) is left on
// the queue, to come back after its visibility timeout. A message that arrives before the end (the
// auction was extended) is hidden until the new end. Every SQS request goes through send().
import {
  ChangeMessageVisibilityCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message,
} from '@aws-sdk/client-sqs';
import type { AuctionId, Clock, Millis, Reply } from '../../engine/index.ts';
import type { CloseMessage } from '../../storage/auction/closes/eventbridge.ts';
import type { Logger } from '../../engine/logger.ts';

export interface CloseConsumerOptions {
  sqs: SQSClient;
  queueUrl: string;
  /** Submit the close command; resolves with the actor's reply once durable. */
  close(auction: AuctionId): Promise<Reply>;
  /** The auction's current end, for a message that came early. */
  endsAt(auction: AuctionId): Promise<Millis | null>;
  clock: Clock;
  log: Logger;
  /** Long-poll wait per receive, seconds (SQS allows up to 20). */
  waitSeconds?: number;
  /** Pause after a failed receive. */
  backoffMs?: number;
}

/** Outcomes of one message. */
export type Handled = 'closed' | 'duplicate' | 'early' | 'retry' | 'poison';

const DONE_CODES = new Set(['AUCTION_CLOSED', 'AUCTION_NOT_FOUND', 'INVALID_TRANSITION']);
const MAX_VISIBILITY_S = 12 * 3600;

export class SqsCloseConsumer {
  private running: Promise<void> | null = null;
  private abort = new AbortController();
  readonly stats: Record<Handled, number> = { closed: 0, duplicate: 0, early: 0, retry: 0, poison: 0 };

  constructor(private readonly o: CloseConsumerOptions) {}

  start(): void {
    if (this.running !== null) return;
    this.abort = new AbortController();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.poll();
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.o.log.warn({ err }, 'close queue receive failed');
        await new Promise((r) => setTimeout(r, this.o.backoffMs ?? 1000).unref());
      }
    }
  }

  /** One receive, handle, delete round. */
  async poll(): Promise<number> {
    const out = await this.send<{ Messages?: Message[] }>(new ReceiveMessageCommand({
      QueueUrl: this.o.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: this.o.waitSeconds ?? 20,
    }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return 0;
    const results = await Promise.all(messages.map((m) => this.handle(m)));
    const done = messages.filter((m, i) => results[i] !== 'retry' && results[i] !== 'early' && m.ReceiptHandle !== undefined);
    if (done.length > 0) {
      const res = await this.send<{ Failed?: { Id?: string; Message?: string }[] }>(new DeleteMessageBatchCommand({
        QueueUrl: this.o.queueUrl,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }));
      // An undeleted message comes back and is then a duplicate: harmless.
      if (res.Failed !== undefined && res.Failed.length > 0) this.o.log.warn({ failed: res.Failed }, 'some close messages were not deleted');
    }
    return messages.length;
  }

  private async handle(m: Message): Promise<Handled> {
    const outcome = await this.decide(m);
    this.stats[outcome]++;
    return outcome;
  }

  private async decide(m: Message): Promise<Handled> {
    let auction: unknown;
    try {
      auction = (JSON.parse(m.Body ?? '') as Partial<CloseMessage>).auction;
    } catch {
      auction = undefined;
    }
    if (typeof auction !== 'string' || auction === '') {
      this.o.log.warn({ body: m.Body?.slice(0, 200) }, 'close message without an auction id: dropped');
      return 'poison';
    }
    const reply = await this.o.close(auction);
    if (reply.ok) return 'closed';
    if (DONE_CODES.has(reply.code)) return 'duplicate';
    if (reply.code === 'AUCTION_NOT_ENDED') {
      const end = await this.o.endsAt(auction).catch(() => null);
      if (end !== null && m.ReceiptHandle !== undefined) {
        const wait = Math.min(MAX_VISIBILITY_S, Math.max(1, Math.ceil((end - this.o.clock.now()) / 1000)));
        await this.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.o.queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: wait }))
          .catch((err: unknown) => this.o.log.warn({ err, auction }, 'could not delay an early close message'));
      }
      return 'early';
    }
    return 'retry';
  }

  private send<T = unknown>(cmd: ReceiveMessageCommand | DeleteMessageBatchCommand | ChangeMessageVisibilityCommand): Promise<T> {
    return this.o.sqs.send(cmd as never, { abortSignal: this.abort.signal }) as Promise<T>;
  }
}
