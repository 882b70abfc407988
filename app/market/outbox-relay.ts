// Publishes the outbox (the journal, read by position: ./outbox.ts) to SQS (OUTBOX_SQS_QUEUE_URL), in
// position order, ten per SendMessageBatch; the relay's position is saved once SQS took everything up
// to it. At least once: a crash between the send and the save, or a refused entry, sends some events
// again, so consumers dedupe on (auctionId, seq). Every SQS request goes through send().
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock } from '../../engine/index.ts';
import type { Market, OutboxRow } from '../../storage/market/ports.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import type { Logger } from '../../engine/logger.ts';
import { PollLoop } from '../poll-loop.ts';
import { readOutbox } from './outbox.ts';

/** The relay's name in the store's cursors. */
export const SQS_RELAY = 'sqs';
/** Journal events read per page. */
const PAGE = 100;
/** SQS takes at most ten entries per SendMessageBatch. */
const SQS_BATCH = 10;

export interface OutboxRelayOptions {
  market: Pick<Market, 'relayPosition' | 'saveRelayPosition'>;
  journal: Pick<BidJournal, 'after'>;
  sqs: SQSClient;
  queueUrl: string;
  clock: Clock;
  log: Logger;
  everyMs?: number;
}

export class SqsOutboxRelay {
  private readonly loop: PollLoop;

  constructor(private readonly o: OutboxRelayOptions) {
    this.loop = new PollLoop(() => this.publish(), o.everyMs ?? 1000, (err) => o.log.warn({ err }, 'outbox publish failed'));
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Publish what is unpublished now; returns how many rows went out. */
  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }

  private async publish(): Promise<number> {
    let total = 0;
    let position = await this.o.market.relayPosition(SQS_RELAY);
    for (;;) {
      const page = await readOutbox(this.o.journal, position, PAGE);
      if (page.next === position) return total;
      // Everything up to `upTo` went out; a refused entry stops the page there, to be sent again next run.
      let upTo = page.next;
      for (let i = 0; i < page.items.length && upTo === page.next; i += SQS_BATCH) {
        const chunk = page.items.slice(i, i + SQS_BATCH);
        const sent = new Set(await this.sendBatch(chunk));
        for (const r of chunk) {
          if (!sent.has(r.id)) {
            upTo = r.id - 1;
            break;
          }
          total++;
        }
      }
      if (upTo > position) await this.o.market.saveRelayPosition(SQS_RELAY, upTo, this.o.clock.now());
      if (upTo !== page.next) return total; // some refused: try again on the next run
      position = upTo;
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
