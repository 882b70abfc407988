// The one error catalogue. Every code is stable: never renamed, never reused once retired.
// `status` is the HTTP status of the problem document; `socket` says how the WebSocket answers it:
//   ack   - the command's `ack` carries ok:false with this code (a rule said no; nothing changed)
//   error - an `{t:"error"}` frame (protocol-level; no command was applied)
//   close - the socket is closed with the matching close code after an `error` frame

export type SocketMeaning = 'ack' | 'error' | 'close';

interface CodeInfo {
  readonly status: number;
  readonly socket: SocketMeaning;
  readonly message: string;
  /** A client may retry the same command (same rid) later and it may succeed. */
  readonly retryable?: boolean;
}

export const ERRORS = {
  // Auction rules (SPEC §1), in the order the checks run.
  INVALID_RID: { status: 400, socket: 'ack', message: 'rid must be a string of 1 to 64 characters' },
  AUCTION_NOT_FOUND: { status: 404, socket: 'ack', message: 'no such auction' },
  AUCTION_NOT_STARTED: { status: 409, socket: 'ack', message: 'the auction has not started yet' },
  AUCTION_CLOSED: { status: 409, socket: 'ack', message: 'the auction is closed' },
  SELF_BID: { status: 403, socket: 'ack', message: 'a seller cannot bid on their own auction' },
  INVALID_AMOUNT: { status: 400, socket: 'ack', message: 'amounts are whole won from 1 to 10^12, and max is at least amount' },
  BID_TOO_LOW: { status: 409, socket: 'ack', message: 'the bid is below the minimum next bid' },
  BUY_NOW_UNAVAILABLE: { status: 409, socket: 'ack', message: 'buy-now is not available on this auction' },
  NOT_SELLER: { status: 403, socket: 'ack', message: 'only the seller or an operator may do this' },
  CANCEL_NOT_ALLOWED: { status: 409, socket: 'ack', message: 'a seller may cancel only while no bid stands' },
  INVALID_TRANSITION: { status: 409, socket: 'ack', message: 'the auction is not in a state that allows this' },
  AUCTION_NOT_ENDED: { status: 409, socket: 'ack', message: 'the auction has not reached its end time', retryable: true },
  INVALID_AUCTION: { status: 400, socket: 'ack', message: 'the auction settings are invalid' },
  AUCTION_EXISTS: { status: 409, socket: 'ack', message: 'an auction with this id already exists' },

  // Marketplace (http/market/): uploads and the catalogue.
  IMAGE_INVALID: { status: 415, socket: 'error', message: 'an upload is not a JPEG, PNG, WebP or GIF image' },
  TOO_MANY_FILES: { status: 413, socket: 'error', message: 'too many files in one upload' },
  // Uploads in flight, capped so that concurrent uploads cannot exhaust the server (UPLOAD_MAX_IN_FLIGHT*).
  TOO_MANY_UPLOADS: { status: 429, socket: 'error', message: 'this user has as many uploads in progress as allowed; retry when one has finished', retryable: true },
  UPLOADS_BUSY: { status: 503, socket: 'error', message: 'the server is taking as many uploads as it can; retry shortly', retryable: true },

  // Durability and load.
  STORE_UNAVAILABLE: { status: 503, socket: 'ack', message: 'the journal is unavailable; nothing was applied, retry with the same rid', retryable: true },
  OVERLOADED: { status: 503, socket: 'ack', message: 'the engine is over capacity; retry with the same rid', retryable: true },

  // Protocol and HTTP boundary.
  BAD_FRAME: { status: 400, socket: 'error', message: 'the frame could not be decoded' },
  UNKNOWN_TYPE: { status: 400, socket: 'error', message: 'unknown message type' },
  VALIDATION_FAILED: { status: 400, socket: 'error', message: 'the request does not match its schema' },
  // A JSON body or a socket frame (JSON or MessagePack) nesting arrays and objects past the bound in http/depth.ts.
  NESTING_TOO_DEEP: { status: 400, socket: 'error', message: 'the body or frame nests arrays and objects deeper than allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, socket: 'close', message: 'the message is larger than allowed' },
  RATE_LIMITED: { status: 429, socket: 'error', message: 'too many commands; slow down', retryable: true },
  TOO_MANY_SUBS: { status: 400, socket: 'error', message: 'too many subscriptions on this connection' },
  UNAUTHENTICATED: { status: 401, socket: 'error', message: 'authentication required or token invalid' },
  FORBIDDEN: { status: 403, socket: 'error', message: 'not allowed' },
  NOT_FOUND: { status: 404, socket: 'error', message: 'no such resource' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, socket: 'error', message: 'this Idempotency-Key was used with a different request' },
  INTERNAL: { status: 500, socket: 'error', message: 'internal error' },

  // Accounts, authentication and sessions (http/accounts/). Messages never say whether an email is registered.
  INVALID_CREDENTIALS: { status: 401, socket: 'error', message: 'the email or password is wrong' },
  TOO_MANY_ATTEMPTS: { status: 429, socket: 'error', message: 'too many failed sign-in attempts; wait and try again' },
  WEAK_PASSWORD: { status: 400, socket: 'error', message: 'the password does not meet the password policy' },
  NICKNAME_TAKEN: { status: 409, socket: 'error', message: 'this nickname is taken' },
  // The token itself is sound, but its session was ended (logout, withdrawal, a password change, a reused refresh token).
  SESSION_REVOKED: { status: 401, socket: 'error', message: 'the session of this access token was revoked; sign in again' },
  REFRESH_TOKEN_INVALID: { status: 401, socket: 'error', message: 'the refresh token is invalid, expired or revoked; sign in again' },
  PASSWORD_ALREADY_SET: { status: 409, socket: 'error', message: 'this account already has a password; change it instead' },
  WITHDRAWAL_BLOCKED: { status: 409, socket: 'error', message: 'an account cannot be withdrawn while it leads an open auction or sells one with bids' },
  OAUTH_NOT_CONFIGURED: { status: 501, socket: 'error', message: 'Google sign-in is not configured on this server' },
  OAUTH_STATE_INVALID: { status: 400, socket: 'error', message: 'the sign-in state is unknown, expired, already used or not bound to this browser; start again' },
  OAUTH_FAILED: { status: 401, socket: 'error', message: 'the identity provider did not confirm the sign-in' },
  // 401 as in RFC 9470 (step-up): the token is valid, but this action needs a fresher sign-in; a refresh does not help.
  RECENT_SIGN_IN_REQUIRED: { status: 401, socket: 'error', message: 'this action needs a recent sign-in; sign in again' },
  // One answer for an unknown, used, expired or forged token and for a password that is not the signup's.
  VERIFICATION_FAILED: { status: 400, socket: 'error', message: 'the verification link is invalid, expired or already used, or the password does not match; sign up again for a new link' },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERRORS, code);
}

/** An error carrying a catalogue code; thrown at boundaries (HTTP, config, storage), never inside rules. */
export class OkjError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.name = 'OkjError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}
