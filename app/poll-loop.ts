// A worker that polls on an interval, one pass at a time: a pass asked for while one runs gets that
// one's result, so a slow pass is never overlapped. The journal's readers (the SQS outbox relay, the
// recommendation consumer) share it; stop() waits for the pass in flight.
export class PollLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runOnce().catch(this.onError), this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** One pass now (or the one in flight); resolves with what it did. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}
