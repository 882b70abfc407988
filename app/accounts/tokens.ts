// Access tokens: HS256 JWTs, shared by the socket and the HTTP API. The algorithm is pinned (no `none`,
// no RS/HS confusion), issuer, audience and expiry are required; `sub` is the user id and `role` an
// optional 'user' | 'admin'; `sid` names the session (refresh-token family) the token was issued for.
// A token with a `sid` is refused once its session is revoked (logout, withdrawal, refresh-token reuse),
// with SESSION_REVOKED, so a client knows a refresh will not help; a session the store does not know or
// that passed its end is UNAUTHENTICATED. The check (./revocation.ts) is given to AccessTokens when it is
// built, so the HTTP API and the socket, which both verify through it, refuse it alike. Tokens without `sid` (signed for tests and tools holding the key) are not tied to a session.
import { randomBytes } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { OkjError, type UserId } from '../../engine/index.ts';
import { sessionRefusal, type Authenticator, type Identity, type SessionEnd, type TokenRole } from '../../engine/accounts/identity.ts';

export type { Identity, SessionEnd, TokenRole };
import type { Config } from '../config.ts';

/** Tells whether a session may still use its access tokens. */
export interface SessionCheck {
  /** 'active', or why not. */
  standing(sessionId: string): Promise<'active' | SessionEnd>;
  /** Synchronous and cheap: how the session ended, if this process knows it did; else null. */
  knownEnd(sessionId: string): SessionEnd | null;
}

export interface TokenKeys {
  secret: Uint8Array;
  issuer: string;
  audience: string;
  /** The session check; absent, `sid` is not checked (tests of the token alone). */
  sessions?: SessionCheck;
}

const ALG = 'HS256';
const encoder = new TextEncoder();

/** Keys from config; with no JWT_SECRET (development) a random one, so tokens die with the process. */
export function tokenKeys(jwt: Config['jwt'], warn: (msg: string) => void = () => {}): TokenKeys {
  if (jwt.secret === null) {
    warn('JWT_SECRET is not set: using a random key for this process; every token dies with it (set JWT_SECRET)');
    return { secret: randomBytes(32), issuer: jwt.issuer, audience: jwt.audience };
  }
  return { secret: encoder.encode(jwt.secret), issuer: jwt.issuer, audience: jwt.audience };
}

const ID = /^.{1,64}$/su;

/** Verify an access token; throws OkjError UNAUTHENTICATED or SESSION_REVOKED (never saying more than why, never the token). */
export async function verifyAccessToken(keys: TokenKeys, token: string): Promise<Identity> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keys.secret, {
      algorithms: [ALG],
      issuer: keys.issuer,
      audience: keys.audience,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (err) {
    const why = err instanceof joseErrors.JWTExpired ? 'the access token has expired' : 'the access token is invalid';
    throw new OkjError('UNAUTHENTICATED', why);
  }
  const { sub, role, exp, sid } = payload;
  if (typeof sub !== 'string' || !ID.test(sub)) throw new OkjError('UNAUTHENTICATED', 'the access token has no valid subject');
  if (role !== undefined && role !== 'user' && role !== 'admin') throw new OkjError('UNAUTHENTICATED', 'the access token has an unknown role');
  const identity: Identity = { userId: sub, role: role ?? 'user', exp: exp as number };
  if (sid !== undefined) {
    if (typeof sid !== 'string' || !ID.test(sid)) throw new OkjError('UNAUTHENTICATED', 'the access token has an invalid session');
    const standing = keys.sessions === undefined ? 'active' : await keys.sessions.standing(sid);
    if (standing !== 'active') throw sessionRefusal(standing);
    identity.sessionId = sid;
    const check = keys.sessions;
    if (check !== undefined) identity.sessionEnd = () => check.knownEnd(sid);
  }
  return identity;
}

export interface SignOptions {
  role?: TokenRole;
  /** Lifetime; 15 minutes by default. Negative makes an already expired token (tests). */
  ttlSeconds?: number;
  /** The session (`sid`) the token is issued for. */
  sessionId?: string;
}

export async function signAccessToken(keys: TokenKeys, userId: UserId, opts: SignOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {};
  if (opts.role !== undefined) claims.role = opts.role;
  if (opts.sessionId !== undefined) claims.sid = opts.sessionId;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(keys.issuer)
    .setAudience(keys.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? 15 * 60))
    .sign(keys.secret);
}

/**
 * The one verifier of access tokens, built once from the keys and the session check: handed to the HTTP
 * API and the socket as their Authenticator, and to the account service to sign with.
 */
export class AccessTokens implements Authenticator {
  readonly keys: TokenKeys;

  constructor(keys: Omit<TokenKeys, 'sessions'>, sessions?: SessionCheck) {
    this.keys = Object.freeze({ ...keys, ...(sessions === undefined ? {} : { sessions }) });
  }

  verify(token: string): Promise<Identity> {
    return verifyAccessToken(this.keys, token);
  }

  sign(userId: UserId, opts: SignOptions = {}): Promise<string> {
    return signAccessToken(this.keys, userId, opts);
  }
}
