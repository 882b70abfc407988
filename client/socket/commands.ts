// Commands waiting for their reply, by rid, in the order they were first sent. A command stays here
// until its reply arrives, across reconnects: on every open each one is sent again with the same rid,
// and the server answers a repeated (user, rid) with its first reply without applying it twice, so a
// command is applied at most once and its caller learns the outcome exactly once.
import type { CommandFrame, InFrame } from './wire.ts';

export interface PendingCommand {
  readonly frame: CommandFrame;
  /** Replies that asked for a retry (STORE_UNAVAILABLE, OVERLOADED) so far. */
  retries: number;
  /** Times the token was renewed for it after an UNAUTHENTICATED refusal. */
  reauths: number;
  resolve(reply: InFrame): void;
  reject(err: Error): void;
}

export class Commands {
  private readonly pending = new Map<string, PendingCommand>();

  get size(): number {
    return this.pending.size;
  }

  /** Register a command; the promise settles with its reply frame. */
  add(frame: CommandFrame): { entry: PendingCommand; reply: Promise<InFrame> } {
    if (this.pending.has(frame.rid)) throw new Error(`a command with rid ${frame.rid} is already waiting`);
    let entry!: PendingCommand;
    const reply = new Promise<InFrame>((resolve, reject) => {
      entry = { frame, retries: 0, reauths: 0, resolve, reject };
    });
    this.pending.set(frame.rid, entry);
    return { entry, reply };
  }

  get(rid: string): PendingCommand | undefined {
    return this.pending.get(rid);
  }

  /** Every waiting command, oldest first. */
  all(): PendingCommand[] {
    return [...this.pending.values()];
  }

  /** Settle the command a reply names; false for a reply nobody waits for (a repeat). */
  resolve(rid: string, reply: InFrame): boolean {
    const e = this.pending.get(rid);
    if (e === undefined) return false;
    this.pending.delete(rid);
    e.resolve(reply);
    return true;
  }

  reject(rid: string, err: Error): boolean {
    const e = this.pending.get(rid);
    if (e === undefined) return false;
    this.pending.delete(rid);
    e.reject(err);
    return true;
  }

  rejectAll(err: (frame: CommandFrame) => Error): void {
    for (const rid of [...this.pending.keys()]) this.reject(rid, err((this.pending.get(rid) as PendingCommand).frame));
  }
}
