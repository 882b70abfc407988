// The marketplace runtime, chosen from configuration: its store (given: the SQL database's, opened by app/stores.ts; or memory),
// the image store (disk under DATA_DIR, or S3 behind a CDN), the close scheduler (embedded, or
// EventBridge Scheduler with the SQS close consumer), the projector behind the journal, the view
// counter, and the outbox publisher when a queue is configured.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { meteredAwsClient } from '../metered.ts';
import type { Metrics } from '../metrics.ts';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AuctionId, Clock } from '../../engine/index.ts';
import { DiskImages } from '../../storage/market/images/disk.ts';
import { EmbeddedCloseScheduler } from '../../storage/auction/closes/embedded.ts';
import type { CloseScheduler } from '../../storage/auction/closes/ports.ts';
import { MemoryMarket } from '../../storage/market/memory.ts';
import type { Catalogue, CloseSchedules, ImageStore, Market } from '../../storage/market/ports.ts';
import type { BidJournal } from '../../storage/auction/ports.ts';
import type { MarketConfig } from './config.ts';
import { replyTo, type AuctionCommands, type AuctionFeed, type AuctionQueries } from '../../engine/auction/api.ts';
import type { Authenticator } from '../../engine/accounts/identity.ts';
import type { Logger } from '../../engine/logger.ts';
import type { MarketHttpDeps } from '../../http/market/index.ts';
import { listingHooks } from './listing-hooks.ts';
import { MarketService, type MarketServiceOptions } from './service.ts';
import type { SqsCloseConsumer } from './close-consumer.ts';
import { readOutbox } from './outbox.ts';
import type { SqsOutboxRelay } from './outbox-relay.ts';
import { Projector } from './projector.ts';
import { ViewCounter } from './view-counter.ts';

export type MarketStore = Catalogue & Market & CloseSchedules;

export interface MarketOptions {
  config: MarketConfig;
  dataDir: string;
  clock: Clock;
  log: Logger;
  journal: BidJournal;
  /** The marketplace's store (app/stores.ts opens it on the SQL database); memory when not given. */
  store?: MarketStore;
  images?: ImageStore;
  /** How often the embedded scheduler checks due closes. */
  closeTickMs?: number;
  /** First wait before a failed EventBridge schedule request is tried again (tests; default 200 ms). */
  closeRetryMs?: number;
  /** Counts every SQS and Scheduler call (app/metrics.ts). */
  metrics?: Metrics;
}

type Aws = typeof import('./aws.ts');

/** Whether `config` names an AWS service (S3 images, EventBridge closes, an SQS outbox queue). */
function usesAws(config: MarketConfig): boolean {
  return config.s3 !== null || config.eventBridge !== null || config.outboxQueueUrl !== null;
}

export const IMAGE_PATH = '/api/v1/images';

export class MarketRuntime {
  readonly store: MarketStore;
  readonly images: ImageStore;
  readonly serveImages: boolean;
  readonly scheduler: CloseScheduler;
  readonly views: ViewCounter;
  /** Where uploads are spooled while they are received; what a crash left there is deleted at start. */
  readonly uploadDir: string;
  projector: Projector | null = null;
  consumer: SqsCloseConsumer | null = null;
  relay: SqsOutboxRelay | null = null;
  private readonly sqs: SQSClient | null;
  private readonly schedulerClient: SchedulerClient | null = null;

  /** Loads the AWS SDK only when the configuration uses AWS. */
  static async open(o: MarketOptions): Promise<MarketRuntime> {
    return new MarketRuntime(o, usesAws(o.config) ? await import('./aws.ts') : null);
  }

  private constructor(private readonly o: MarketOptions, private readonly aws: Aws | null) {
    const { config, clock, log } = o;
    this.store = o.store ?? new MemoryMarket();
    const where = { region: config.aws.region, ...(config.aws.endpoint !== null ? { endpoint: config.aws.endpoint } : {}) };
    if (o.images !== undefined) {
      this.images = o.images;
      this.serveImages = true;
    } else if (config.s3 !== null && aws !== null) {
      this.images = new aws.S3Images({ bucket: config.s3.bucket, cdnBaseUrl: config.s3.cdnBaseUrl, ...where });
      this.serveImages = false;
    } else {
      this.images = new DiskImages(path.join(o.dataDir, 'images'), IMAGE_PATH);
      this.serveImages = true;
    }
    this.sqs = aws !== null && (config.eventBridge !== null || config.outboxQueueUrl !== null) ? meteredAwsClient(new aws.SQSClient(where), 'sqs', o.metrics) : null;
    // Either adapter retries what failed until it succeeds; each failure is logged.
    const onError = (err: unknown, auction?: AuctionId) => log.warn({ err, auction }, 'close scheduling failed; retrying');
    if (config.eventBridge !== null && this.sqs !== null && aws !== null) {
      this.schedulerClient = meteredAwsClient(new aws.SchedulerClient(where), 'scheduler', o.metrics);
      this.scheduler = new aws.EventBridgeCloseScheduler({ clock, scheduler: this.schedulerClient, sqs: this.sqs, ...config.eventBridge, retryBaseMs: o.closeRetryMs, onError });
    } else {
      this.scheduler = new EmbeddedCloseScheduler({ clock, rows: this.store, tickMs: o.closeTickMs, onError });
    }
    this.views = new ViewCounter({ market: this.store, clock, log });
    this.uploadDir = path.join(o.dataDir, 'tmp', 'uploads');
  }

  /** Behind the service: project its commits. Call before recovery. */
  attach(service: AuctionCommands & AuctionQueries & AuctionFeed): void {
    const { config, clock, log } = this.o;
    const projector = new Projector({
      market: this.store, journal: this.o.journal, paymentMs: config.orderPaymentMs, log,
      auctions: service,
    });
    this.projector = projector;
    service.onCommit((batch) => projector.committed(batch));
    const aws = this.aws;
    if (config.eventBridge !== null && this.sqs !== null && aws !== null) {
      this.consumer = new aws.SqsCloseConsumer({
        sqs: this.sqs, queueUrl: config.eventBridge.queueUrl, clock, log,
        close: (auction) => replyTo(service, { t: 'close', auction }),
        endsAt: async (auction) => (await service.lookup(auction))?.endsAt ?? null,
      });
    }
    if (config.outboxQueueUrl !== null && this.sqs !== null && aws !== null) {
      this.relay = new aws.SqsOutboxRelay({ market: this.store, journal: this.o.journal, sqs: this.sqs, queueUrl: config.outboxQueueUrl, clock, log });
    }
  }

  /** After recovery: re-arm stored closes, catch the projection up, start consuming and publishing. */
  async start(): Promise<void> {
    await rm(this.uploadDir, { recursive: true, force: true });
    await this.scheduler.restore();
    const projected = await this.projector?.catchUp();
    if (projected) this.o.log.info({ auctions: projected }, 'marketplace projection caught up');
    this.consumer?.start();
    this.relay?.start();
  }

  /** The marketplace's service over its stores, reading auctions through `queries`; `recommendation` ranks the overview's list and hears of wishes; `pricing` prices products. */
  service(queries: Pick<AuctionQueries, 'lookup' | 'history'>, recommendation?: MarketServiceOptions['recommendation'], pricing?: MarketServiceOptions['pricing']): MarketService {
    const journal = this.o.journal;
    return new MarketService({
      catalogue: this.store, listings: this.store, orders: this.store, inbox: this.store, images: this.images,
      views: this.views, auctions: queries, clock: this.o.clock, outbox: (after, limit) => readOutbox(journal, after, limit),
      ...(recommendation !== undefined ? { recommendation } : {}),
      ...(pricing !== undefined ? { pricing } : {}),
    });
  }

  /** What the HTTP routes need. */
  httpDeps(market: MarketService, auth: Authenticator, bodyLimitBytes: number): MarketHttpDeps {
    return {
      market, listings: listingHooks(this.store, this.store, this.o.clock), auth, serveImages: this.serveImages,
      upload: { ...this.o.config.upload, tmpDir: this.uploadDir }, bodyLimitBytes,
    };
  }

  /** Before the service stops: take no more closes from the queue. */
  async stopIntake(): Promise<void> {
    await this.consumer?.stop();
  }

  /** After the service has drained: flush what is pending and stop. */
  async stop(): Promise<void> {
    await this.stopIntake();
    // The service's shutdown stopped it already; stopped, settled() waits for no retry (recovery at the
    // next start re-asserts every open auction's close).
    this.scheduler.stop();
    await this.scheduler.settled();
    await this.projector?.drain();
    this.projector?.stop();
    await this.views.stop();
    await this.relay?.stop();
    this.sqs?.destroy();
    this.schedulerClient?.destroy();
    (this.images as { close?: () => void }).close?.();
  }
}
