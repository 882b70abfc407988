// Refusals that ask for the same command again later: the ones the engine's catalogue marks retryable
// and answers in an ack. Derived from the catalogue's type, so a code added, removed or renamed there
// fails to compile here.
import type { ERRORS } from '../../engine/index.ts';

type Catalogue = typeof ERRORS;
type RetryableAck = { [K in keyof Catalogue]: Catalogue[K] extends { retryable: true; socket: 'ack' } ? K : never }[keyof Catalogue];

const RETRYABLE: Record<RetryableAck, true> = { STORE_UNAVAILABLE: true, OVERLOADED: true, AUCTION_NOT_ENDED: true, CHAT_RATE_LIMITED: true };

export function retryable(code: unknown): boolean {
  return typeof code === 'string' && Object.hasOwn(RETRYABLE, code);
}
