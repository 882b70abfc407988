// The mail queue: a message leaves the request path here. `enqueue` returns at once; up to `concurrency`
// messages are sent at a time, each tried `attempts` times with growing waits between tries. A failed
// try is logged with the message's kind, the attempt and the transport's error code (never the
// message's text, which may carry a verification link); a message still failing after its last try is
// dropped and logged. The queue is this process's memory: messages waiting at a stop are lost (logged),
// and the person asks again (a new signup mails a new link).
//
// Invariants: every message is in exactly one of `ready` (waiting for a sender), `sending` (a try in
// flight) or `retrying` (a timer until its next try); `size()` is their sum and never exceeds
// `maxQueued`; `idle()` resolves when it reaches zero.
import type { Logger } from '../../engine/logger.ts';
import type { Mailer, MailMessage } from '../../storage/accounts/mail/ports.ts';

export interface MailQueueOptions {
  /** Tries per message, the first included (default 5). */
  attempts?: number;
  /** Waits before the 2nd, 3rd, ... try (ms); the last one repeats (default 1 s, 5 s, 30 s, 2 min). */
  retryDelaysMs?: readonly number[];
  /** Sends in flight at once (default 4). */
  concurrency?: number;
  /** Messages held at most (default 10,000); past it a new one is dropped and logged. */
  maxQueued?: number;
}

interface Item {
  message: MailMessage;
  /** Tries made so far. */
  tries: number;
}

/** Anything that looks like a token in a transport's error text is masked before it is logged. */
function scrub(text: string): string {
  return text.replace(/(token=)[^&\s]*/gi, '$1[redacted]').slice(0, 300);
}

export class MailQueue {
  private readonly attempts: number;
  private readonly delays: readonly number[];
  private readonly concurrency: number;
  private readonly maxQueued: number;
  private readonly ready: Item[] = [];
  private sending = 0;
  private readonly retrying = new Map<NodeJS.Timeout, Item>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly mailer: Mailer, private readonly log: Logger, o: MailQueueOptions = {}) {
    this.attempts = Math.max(1, o.attempts ?? 5);
    this.delays = o.retryDelaysMs ?? [1000, 5000, 30_000, 120_000];
    this.concurrency = Math.max(1, o.concurrency ?? 4);
    this.maxQueued = Math.max(1, o.maxQueued ?? 10_000);
  }

  /** Messages queued, being sent or waiting for a retry. */
  size(): number {
    return this.ready.length + this.sending + this.retrying.size;
  }

  /** Queue a message for sending; false (and logged) when the queue is closed or full. */
  enqueue(message: MailMessage): boolean {
    if (this.closed || this.size() >= this.maxQueued) {
      this.log.error({ kind: message.kind, queued: this.size(), closed: this.closed }, 'mail dropped: the queue is full or closed');
      return false;
    }
    this.ready.push({ message, tries: 0 });
    this.pump();
    return true;
  }

  /** Resolves when no message is queued, being sent or waiting for a retry. */
  idle(): Promise<void> {
    if (this.size() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Take no more messages, give those queued up to `graceMs` to go out, then drop the rest (logged)
   * and close the mailer.
   */
  async close(graceMs = 2000): Promise<void> {
    this.closed = true;
    // Retries waiting for their timer are tried once more now, within the grace.
    for (const [timer, item] of this.retrying) {
      clearTimeout(timer);
      this.retrying.delete(timer);
      this.ready.push(item);
    }
    this.pump();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const left = this.size();
    if (left > 0) this.log.error({ messages: left }, 'mail dropped at shutdown');
    this.ready.length = 0;
    for (const t of this.retrying.keys()) clearTimeout(t);
    this.retrying.clear();
    await this.mailer.close();
  }

  private pump(): void {
    while (this.sending < this.concurrency && this.ready.length > 0) {
      const item = this.ready.shift() as Item;
      this.sending++;
      void this.attempt(item).finally(() => {
        this.sending--;
        this.pump();
        this.resolveIfIdle();
      });
    }
  }

  private async attempt(item: Item): Promise<void> {
    item.tries++;
    const { kind } = item.message;
    try {
      await this.mailer.send(item.message);
      this.log.info({ kind, attempt: item.tries }, 'mail sent');
      return;
    } catch (err) {
      const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
      const detail = {
        kind, attempt: item.tries, attempts: this.attempts,
        code: typeof e.code === 'string' ? e.code : undefined,
        responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
        error: typeof e.message === 'string' ? scrub(e.message) : undefined,
      };
      if (item.tries >= this.attempts || this.closed) {
        this.log.error(detail, 'mail send failed; giving up');
        return;
      }
      this.log.warn(detail, 'mail send failed; will retry');
      const delay = this.delays[Math.min(item.tries - 1, this.delays.length - 1)] ?? 1000;
      const timer: NodeJS.Timeout = setTimeout(() => {
        this.retrying.delete(timer);
        this.ready.push(item);
        this.pump();
      }, delay);
      this.retrying.set(timer, item);
    }
  }

  private resolveIfIdle(): void {
    if (this.size() > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
