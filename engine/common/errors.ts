// Codes every domain and both transports share: durability and load, the socket protocol, the HTTP
// boundary.
import type { ErrorFragment } from '../error-info.ts';

export const COMMON_ERRORS = {
  // Durability and load.
  STORE_UNAVAILABLE: { status: 503, socket: 'ack', message: 'the journal is unavailable; nothing was applied, retry with the same rid', retryable: true },
  OVERLOADED: { status: 503, socket: 'ack', message: 'the engine is over capacity; retry with the same rid', retryable: true },

  // Protocol and HTTP boundary.
  BAD_FRAME: { status: 400, socket: 'error', message: 'the frame could not be decoded' },
  UNKNOWN_TYPE: { status: 400, socket: 'error', message: 'unknown message type' },
  VALIDATION_FAILED: { status: 400, socket: 'error', message: 'the request does not match its schema' },
  NESTING_TOO_DEEP: { status: 400, socket: 'error', message: 'the body or frame nests arrays and objects deeper than allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, socket: 'close', message: 'the message is larger than allowed' },
  RATE_LIMITED: { status: 429, socket: 'error', message: 'too many commands; slow down', retryable: true },
  TOO_MANY_SUBS: { status: 400, socket: 'error', message: 'too many subscriptions on this connection' },
  UNAUTHENTICATED: { status: 401, socket: 'error', message: 'authentication required or token invalid' },
  FORBIDDEN: { status: 403, socket: 'error', message: 'not allowed' },
  NOT_FOUND: { status: 404, socket: 'error', message: 'no such resource' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, socket: 'error', message: 'this Idempotency-Key was used with a different request' },
  INTERNAL: { status: 500, socket: 'error', message: 'internal error' },
} as const satisfies ErrorFragment;
