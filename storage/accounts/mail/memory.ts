// Mail kept in memory, for tests: every message sent, and an inbox to take them from as they arrive
// (sending happens in the background, so a test waits for the message it expects). `failNext` makes
// the next sends throw, to exercise the queue's retries.
import type { Mailer, MailMessage } from './ports.ts';

export class MemoryMailer implements Mailer {
  /** Every message sent, in order. */
  readonly sent: MailMessage[] = [];
  /** Sent and not taken yet. */
  private readonly inbox: MailMessage[] = [];
  private readonly waiters = new Set<() => void>();
  /** How many of the next sends fail (tests of retries). */
  failNext = 0;
  private closed = false;

  async send(message: MailMessage): Promise<void> {
    if (this.closed) throw new Error('the memory mailer is closed');
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('the memory mailer refused the message (failNext)'), { code: 'EFAILNEXT' });
    }
    this.sent.push({ ...message });
    this.inbox.push({ ...message });
    for (const wake of this.waiters) wake();
  }

  /** The first message not taken yet that matches `pred`, removed from the inbox; waits up to `ms`. */
  async take(pred: (m: MailMessage) => boolean, ms = 5000): Promise<MailMessage> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.inbox.findIndex(pred);
      if (i >= 0) return this.inbox.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no such mail within ${ms} ms; waiting: ${this.inbox.map((m) => `${m.kind} to ${m.to}`).join(', ') || 'none'}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  /** The next message to `to` (compared case-insensitively), taken from the inbox. */
  takeTo(to: string, ms?: number): Promise<MailMessage> {
    const want = to.trim().toLowerCase();
    return this.take((m) => m.to.toLowerCase() === want, ms);
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
