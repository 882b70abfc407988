// Who a request or a socket speaks for, once its access token is verified, and what the transports ask
// to learn it. Pure: verifying a token is the accounts service's job (app/accounts/tokens.ts), handed to
// the HTTP API and the socket as an Authenticator.
import { OkjError } from '../errors.ts';
import type { UserId } from '../kernel.ts';

export type TokenRole = 'user' | 'admin';

/** Why a session's tokens are refused: revoked, or unknown to the store or past its end. */
export type SessionEnd = 'revoked' | 'ended';

export interface Identity {
  userId: UserId;
  role: TokenRole;
  /** Expiry, epoch seconds: a socket authenticated long ago stops bidding when it passes. */
  exp: number;
  /** The session the token belongs to, when it has one. */
  sessionId?: string;
  /** How the session ended once this process knows (a socket authenticated before a logout stops bidding); null before. */
  sessionEnd?: () => SessionEnd | null;
}

/** Verifies access tokens; rejects with OkjError UNAUTHENTICATED or SESSION_REVOKED. */
export interface Authenticator {
  verify(token: string): Promise<Identity>;
}

/** The engine's role for a token's role. */
export function engineRole(role: TokenRole): 'user' | 'operator' {
  return role === 'admin' ? 'operator' : 'user';
}

export function sessionRefusal(end: SessionEnd): OkjError {
  return end === 'revoked'
    ? new OkjError('SESSION_REVOKED', 'the session of this access token was revoked (signed out, withdrawn, or its password changed); sign in again')
    : new OkjError('UNAUTHENTICATED', 'the session of this access token has ended; sign in again');
}

/** Why an identity verified earlier can no longer be used (its session ended, its token expired); null while it can. */
export function refusal(id: Identity, nowMs: number = Date.now()): OkjError | null {
  const end = id.sessionEnd?.() ?? null;
  if (end !== null) return sessionRefusal(end);
  return id.exp * 1000 > nowMs ? null : new OkjError('UNAUTHENTICATED', 'the access token has expired');
}
