// Google sign-in: OpenID Connect authorization-code flow with PKCE (S256), `state` and `nonce`
// (OAuth 2.0 Security BCP). Every endpoint and the client credentials come from configuration (GOOGLE_*).
//   start:    a fresh state, nonce and code verifier, kept here for 10 minutes under the state, and bound
//             to the browser by a random cookie (only its hash is kept); the answer redirects to Google.
//   callback: the state must be known, unexpired, unused and come with its cookie; it is spent at once
//             (a replayed callback finds nothing). The code is exchanged with the verifier and the client
//             secret; the ID token is verified against the provider's JWKS (RS256 pinned, issuer,
//             audience = client id, expiry) and must carry our nonce and a verified email.
// Pending sign-ins live in this process's memory: with several processes, route a browser's start and
// callback to the same one (or keep them in a shared store).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { OkjError } from '../../engine/index.ts';
import type { GoogleFlow, GoogleIdentity } from '../../engine/accounts/api.ts';

export type { GoogleIdentity };

const PENDING_TTL_MS = 10 * 60_000;
const MAX_PENDING = 10_000;
const EXCHANGE_TIMEOUT_MS = 10_000;

interface Pending {
  verifier: string;
  nonce: string;
  bindingHash: Buffer;
  expiresAt: number;
}


const random = () => randomBytes(32).toString('base64url');
const sha256 = (s: string) => createHash('sha256').update(s).digest();

function sameSecret(a: string, b: string): boolean {
  // Hashes first: equal lengths for timingSafeEqual, and no timing on the secret's length.
  return timingSafeEqual(sha256(a), sha256(b));
}

/** Google's OAuth client and endpoints (GOOGLE_* variables). */
export interface GoogleConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  issuer: string;
}

export class GoogleSignIn implements GoogleFlow {
  private readonly pending = new Map<string, Pending>();
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly issuers: string[];

  constructor(private readonly cfg: GoogleConfig, private readonly now: () => number = Date.now) {
    this.jwks = createRemoteJWKSet(new URL(cfg.jwksUri));
    // Google signs with either spelling of its issuer.
    this.issuers = cfg.issuer === 'https://accounts.google.com' ? [cfg.issuer, 'accounts.google.com'] : [cfg.issuer];
  }

  /** The URL to send the browser to, and the value of the cookie that binds the callback to it. */
  start(): { url: string; binding: string } {
    const now = this.now();
    for (const [k, p] of this.pending) {
      if (p.expiresAt > now && this.pending.size < MAX_PENDING) break;
      this.pending.delete(k);
    }
    const state = random();
    const binding = random();
    const verifier = random();
    const nonce = random();
    this.pending.set(state, { verifier, nonce, bindingHash: sha256(binding), expiresAt: now + PENDING_TTL_MS });
    const url = new URL(this.cfg.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.cfg.clientId,
      redirect_uri: this.cfg.redirectUri,
      scope: 'openid email profile',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), binding };
  }

  /** Check the callback, exchange the code, verify the ID token: the signed-in Google identity. */
  async finish(state: string, code: string, binding: string | undefined): Promise<GoogleIdentity> {
    const p = this.pending.get(state);
    if (p !== undefined) this.pending.delete(state); // spent whatever follows: a state is used once
    if (p === undefined || p.expiresAt <= this.now() || binding === undefined || !timingSafeEqual(p.bindingHash, sha256(binding))) {
      throw new OkjError('OAUTH_STATE_INVALID');
    }
    const idToken = await this.exchange(code, p.verifier);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.jwks, {
        algorithms: ['RS256'],
        issuer: this.issuers,
        audience: this.cfg.clientId,
        requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      }));
    } catch {
      throw new OkjError('OAUTH_FAILED', 'the ID token could not be verified');
    }
    if (typeof payload.nonce !== 'string' || !sameSecret(payload.nonce, p.nonce)) throw new OkjError('OAUTH_FAILED', 'the ID token is not for this sign-in (nonce)');
    const { sub, email, email_verified: verified, name } = payload as JWTPayload & { email?: unknown; email_verified?: unknown; name?: unknown };
    if (typeof sub !== 'string' || sub.length === 0 || sub.length > 255) throw new OkjError('OAUTH_FAILED', 'the ID token has no valid subject');
    if (typeof email !== 'string' || verified !== true) throw new OkjError('OAUTH_FAILED', 'Google has not verified this account\'s email');
    return { subject: sub, email, name: typeof name === 'string' ? name : null };
  }

  private async exchange(code: string, verifier: string): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.cfg.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: this.cfg.redirectUri,
          client_id: this.cfg.clientId,
          client_secret: this.cfg.clientSecret,
          code_verifier: verifier,
        }),
        redirect: 'error',
        signal: AbortSignal.timeout(EXCHANGE_TIMEOUT_MS),
      });
    } catch {
      throw new OkjError('OAUTH_FAILED', 'the identity provider could not be reached');
    }
    const body = (await res.json().catch(() => null)) as { id_token?: unknown } | null;
    if (!res.ok || body === null || typeof body.id_token !== 'string') {
      throw new OkjError('OAUTH_FAILED', 'the identity provider refused the authorization code');
    }
    return body.id_token;
  }
}
