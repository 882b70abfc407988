// A loopback identity provider speaking Google's wire format: /authorize redirects back with a code,
// /token exchanges it (client secret, redirect URI and PKCE S256 checked, each code good once) for an ID
// token signed RS256 with this provider's own key, and /jwks serves the public key. Tests steer the next
// identity (`user`) and can spoil the token (`spoil`) to see each check refuse it. Below it, the browser's
// side of the flow against our server.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { api, type Res } from '../gateway/harness.ts';
import type { Server } from './helpers.ts';

export interface IdpUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface Spoil {
  nonce?: string;
  audience?: string;
  /** Sign with a key the JWKS does not publish. */
  foreignKey?: boolean;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string;
  user: IdpUser;
  used: boolean;
}

export const CLIENT = { id: 'okj-test-client', secret: 'placeholder-client-secret', redirect: 'http://app.test/api/v1/auth/google/callback' };

export class FakeIdp {
  user: IdpUser = { sub: 'google-sub-1', email: 'g1@example.com', email_verified: true, name: 'Google Person' };
  spoil: Spoil = {};
  /** Token requests seen, for assertions. */
  readonly exchanges: URLSearchParams[] = [];
  private readonly grants = new Map<string, Grant>();

  private constructor(
    private readonly server: http.Server,
    readonly base: string,
    private readonly key: CryptoKey,
    private readonly foreign: CryptoKey,
    private readonly jwk: JWK,
  ) {}

  static async start(): Promise<FakeIdp> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const foreign = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'fake-idp-1', alg: 'RS256', use: 'sig' };
    let idp: FakeIdp | null = null;
    const server = http.createServer((req, res) => {
      idp!.handle(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    idp = new FakeIdp(server, base, privateKey, foreign.privateKey, jwk);
    return idp;
  }

  /** Server configuration pointing at this provider. */
  env(): Record<string, string> {
    return {
      GOOGLE_CLIENT_ID: CLIENT.id, GOOGLE_CLIENT_SECRET: CLIENT.secret, GOOGLE_REDIRECT_URI: CLIENT.redirect,
      GOOGLE_AUTHORIZATION_ENDPOINT: `${this.base}/authorize`, GOOGLE_TOKEN_ENDPOINT: `${this.base}/token`,
      GOOGLE_JWKS_URI: `${this.base}/jwks`, GOOGLE_ISSUER: this.base,
    };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (req.method === 'GET' && url.pathname === '/jwks') return send(res, 200, { keys: [this.jwk] });
    if (req.method === 'GET' && url.pathname === '/authorize') return this.authorize(url.searchParams, res);
    if (req.method === 'POST' && url.pathname === '/token') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      return this.token(new URLSearchParams(raw), res);
    }
    send(res, 404, { error: 'not_found' });
  }

  /** The user consents at once: back to the redirect URI with a code and the client's state. */
  private authorize(q: URLSearchParams, res: http.ServerResponse): void {
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge') || !q.get('nonce')) {
      return send(res, 400, { error: 'invalid_request' });
    }
    const code = randomBytes(16).toString('base64url');
    this.grants.set(code, {
      clientId: q.get('client_id') ?? '', redirectUri: q.get('redirect_uri') ?? '', challenge: q.get('code_challenge') ?? '',
      nonce: q.get('nonce') ?? '', user: { ...this.user }, used: false,
    });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.toString() }).end();
  }

  private async token(f: URLSearchParams, res: http.ServerResponse): Promise<void> {
    this.exchanges.push(f);
    const g = this.grants.get(f.get('code') ?? '');
    const verifier = f.get('code_verifier') ?? '';
    if (f.get('grant_type') !== 'authorization_code' || f.get('client_id') !== CLIENT.id || f.get('client_secret') !== CLIENT.secret) {
      return send(res, 401, { error: 'invalid_client' });
    }
    if (g === undefined || g.used || g.redirectUri !== f.get('redirect_uri') || g.clientId !== f.get('client_id')
      || createHash('sha256').update(verifier).digest('base64url') !== g.challenge) {
      return send(res, 400, { error: 'invalid_grant' });
    }
    g.used = true;
    const now = Math.floor(Date.now() / 1000);
    const { name, ...claims } = g.user;
    const idToken = await new SignJWT({ ...claims, ...(name ? { name } : {}), nonce: this.spoil.nonce ?? g.nonce, azp: CLIENT.id })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-idp-1', typ: 'JWT' })
      .setIssuer(this.base).setAudience(this.spoil.audience ?? CLIENT.id).setSubject(g.user.sub)
      .setIssuedAt(now).setExpirationTime(now + 3600)
      .sign(this.spoil.foreignKey ? this.foreign : this.key);
    send(res, 200, { access_token: 'ya29.placeholder', token_type: 'Bearer', expires_in: 3599, id_token: idToken, scope: 'openid email profile' });
  }
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export interface Flow {
  state: string;
  code: string;
  cookie: string;
  authorize: URL;
}

/** start -> the provider's /authorize (which consents at once) -> the code and state it sends back. */
export async function begin(s: Server): Promise<Flow> {
  const r = await fetch(`${s.http}/api/v1/auth/google/start`, { redirect: 'manual' });
  if (r.status !== 302) throw new Error(`start: ${r.status} ${await r.text()}`);
  const authorize = new URL(r.headers.get('location') ?? '');
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const back = await fetch(authorize, { redirect: 'manual' });
  const to = new URL(back.headers.get('location') ?? '');
  return { state: to.searchParams.get('state') ?? '', code: to.searchParams.get('code') ?? '', cookie, authorize };
}

export const callback = (s: Server, f: { state: string; code: string }, cookie?: string): Promise<Res> =>
  api(s.http, 'GET', `/api/v1/auth/google/callback?${new URLSearchParams({ code: f.code, state: f.state })}`, { headers: cookie ? { cookie } : {} });

/** The whole sign-in as `user`: the callback's answer (tokens on success). */
export async function googleSignIn(s: Server, idp: FakeIdp, user: IdpUser): Promise<Res> {
  idp.user = user;
  const f = await begin(s);
  return callback(s, f, f.cookie);
}
