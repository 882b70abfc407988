// Publishes the outbox to SQS (OUTBOX_SQS_QUEUE_URL): unpublished rows in id order, ten per
// SendMessageBatch, each marked published once SQS took it. At least once: a crash between the send and
// the mark sends a row again, so consumers dedupe on (auctionId, seq). Every SQS request goes through send().
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../engine/index.ts';
import type { Market, OutboxRow } from '../../storage/market/ports.ts';
import type { Logger } from '../service.ts';

export interface OutboxRelayOptions {
  market: Pick<Market, 'unpublished' | 'markPublished'>;
  sqs: SQSClient;
  queueUrl: string;
  clock: Clock;
  log: Logger;
  everyMs?: number;
}

export class SqsOutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(private readonly o: OutboxRelayOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce().catch((err: unknown) => this.o.log.warn({ err }, 'outbox publish failed')), this.o.everyMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** Publish what is unpublished now; returns how many rows went out. */
  runOnce(): Promise<number> {
    this.running ??= this.publish().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async publish(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await this.o.market.unpublished(100);
      if (rows.length === 0) return total;
      const sent: number[] = [];
      for (let i = 0; i < rows.length; i += 10) sent.push(...(await this.sendBatch(rows.slice(i, i + 10))));
      await this.o.market.markPublished(sent, this.o.clock.now());
      total += sent.length;
      if (sent.length < rows.length) return total; // some refused: try again on the next run
    }
  }

  private async sendBatch(rows: OutboxRow[]): Promise<number[]> {
    const res = await this.send(new SendMessageBatchCommand({
      QueueUrl: this.o.queueUrl,
      Entries: rows.map((r) => ({
        Id: String(r.id),
        MessageBody: JSON.stringify({ id: r.id, type: r.type, auctionId: r.auctionId, seq: r.seq, at: r.at, data: r.data }),
        MessageAttributes: { type: { DataType: 'String', StringValue: r.type } },
      })),
    }));
    return (res.Successful ?? []).map((s) => Number(s.Id));
  }

  private send(cmd: SendMessageBatchCommand): Promise<{ Successful?: { Id?: string }[] }> {
    return this.o.sqs.send(cmd);
  }
}
