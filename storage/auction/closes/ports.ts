// The CloseScheduler port: where the engine asks for an auction to be closed at a time (its CloseTimer),
// and where due closes come back to the service. Whatever the adapter, the close itself is a `close`
// command to the auction's actor, which applies it at most once (a second close is refused).
import type { AuctionId, CloseTimer } from '../../../engine/index.ts';

export type FireClose = (auction: AuctionId) => void;

export interface CloseScheduler extends CloseTimer {
  /** Where due closes go (the service's close path). Called once, before anything is scheduled. */
  bind(fire: FireClose): this;
  /** Arm what was scheduled before a restart (the embedded adapter); resolves once armed. */
  restore(): Promise<void>;
  /** Stop firing and retrying; pending durable writes and requests get one more try. */
  stop(): void;
  /**
   * Resolves when the writes or requests made so far have succeeded (tests), retrying as long as that
   * takes; once stopped, when their last try has ended (shutdown).
   */
  settled(): Promise<void>;
}
