// The OpenAPI 3.1 document of every HTTP route, served at /openapi.json. Request bodies come from the
// zod schemas that parse them (./openapi-zod.ts); the rest is written out here. `undocumented()` lists
// the routes a router serves that the document lacks: the app refuses to start with any, so the
// document cannot fall behind the code.
import type { Router } from '@koa/router';
import { ERROR_CODES } from '../engine/index.ts';
import {
  AGE_BANDS, GENDERS, LoginBody, PasswordChangeBody, PasswordSetBody, ProfilePatch, REGIONS, RefreshBody, RoleBody, SignupBody, VerifyBody,
  WithdrawBody,
} from './accounts/schemas.ts';
import { AuctionCreateBody, AuctionEditBody, BidBody } from './auction/schemas.ts';
import { marketPaths } from './market/openapi.ts';
import { fromZod } from './openapi-zod.ts';

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const json = (schema: Json, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const body = (schema: Json, required = true) => ({ required, content: { 'application/json': { schema } } });

const P400 = problem('invalid request (VALIDATION_FAILED, BAD_FRAME, ...)');
const P401 = problem('no valid access token (UNAUTHENTICATED), or its session was revoked (SESSION_REVOKED)');
const P403 = problem('not allowed (FORBIDDEN)');
const P404 = problem('not found');
const P409 = problem('conflict');
const P413 = problem('body larger than HTTP_BODY_LIMIT_BYTES (PAYLOAD_TOO_LARGE)');
const P429 = problem('too many attempts (TOO_MANY_ATTEMPTS); see Retry-After');
const signupAccepted = {
  type: 'object', required: ['status', 'detail'],
  properties: { status: { const: 'accepted' }, detail: { type: 'string' } },
};
const P503 = problem('store unavailable or overloaded; retry');

const bearer = [{ bearer: [] }];
const idParam = (what: string) => ({ name: 'id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 64 }, description: what });
const accountId = idParam('an account id, or `me`');
const auctionId = idParam('the auction id');
const idempotency = (required: boolean) => ({
  name: 'Idempotency-Key', in: 'header', required, schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,64}$' },
  description: 'becomes the command rid: a retry gets the first reply',
});

const won = { type: 'integer', minimum: 1, maximum: 1e12 };
const millis = { type: 'integer', description: 'epoch milliseconds' };

const schemas: Record<string, Json> = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem document; `code` is from the catalogue (engine/errors.ts)',
    required: ['type', 'title', 'status', 'code', 'detail'],
    properties: {
      type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' },
      code: { type: 'string', enum: [...ERROR_CODES] }, detail: { type: 'string' },
      errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
      retryAfter: { type: 'integer', description: 'seconds (TOO_MANY_ATTEMPTS)' },
      maxAgeSeconds: { type: 'integer', description: 'RECENT_SIGN_IN_REQUIRED: how recent the sign-in must be' },
      minNext: won, price: won, rid: { type: 'string' },
      auctions: { type: 'array', items: { type: 'string' }, description: 'WITHDRAWAL_BLOCKED: the auctions in the way' },
    },
  },
  Tokens: {
    type: 'object',
    required: ['tokenType', 'accessToken', 'expiresIn', 'refreshToken', 'refreshExpiresIn', 'userId', 'role'],
    properties: {
      tokenType: { const: 'Bearer' },
      accessToken: { type: 'string', description: 'HS256 JWT; send as Authorization: Bearer, or in the socket `auth` frame' },
      expiresIn: { type: 'integer', description: 'seconds' },
      refreshToken: { type: 'string', description: 'opaque, single use: each refresh returns the next one' },
      refreshExpiresIn: { type: 'integer', description: 'seconds' },
      userId: { type: 'string' },
      role: { type: 'string', enum: ['USER', 'ADMIN'] },
    },
  },
  Account: {
    type: 'object',
    properties: {
      id: { type: 'string' }, email: { type: ['string', 'null'] }, nickname: { type: 'string' }, name: { type: 'string' },
      gender: { type: ['string', 'null'], enum: [...GENDERS, null] },
      ageBand: { type: ['string', 'null'], enum: [...AGE_BANDS, null] },
      region: { type: ['string', 'null'], enum: [...REGIONS, null] },
      phone: { type: ['string', 'null'] }, preferredCategory: { type: ['string', 'null'] },
      payoutAccount: { type: ['string', 'null'], description: 'masked: only the last 4 characters show' },
      role: { type: 'string', enum: ['USER', 'ADMIN'] }, status: { type: 'string', enum: ['ACTIVE', 'WITHDRAWN'] },
      hasPassword: { type: 'boolean' }, googleLinked: { type: 'boolean' },
      emailVerifiedAt: { type: ['integer', 'null'], description: 'when the email was proven (verification link or Google); null once withdrawn' },
      createdAt: millis, updatedAt: millis, withdrawnAt: { type: ['integer', 'null'] },
    },
  },
  SignupRequest: fromZod(SignupBody),
  LoginRequest: fromZod(LoginBody),
  VerifyRequest: fromZod(VerifyBody),
  SignupAccepted: signupAccepted,
  RefreshRequest: fromZod(RefreshBody),
  ProfilePatch: fromZod(ProfilePatch),
  PasswordChange: fromZod(PasswordChangeBody),
  PasswordSet: fromZod(PasswordSetBody),
  WithdrawRequest: fromZod(WithdrawBody),
  RoleRequest: fromZod(RoleBody),
  AuctionCreate: fromZod(AuctionCreateBody),
  AuctionEdit: fromZod(AuctionEditBody),
  BidRequest: fromZod(BidBody),
  Accepted: {
    type: 'object', required: ['ok', 'rid', 'seq', 'price', 'leading', 'endsAt'],
    properties: { ok: { const: true }, rid: { type: 'string' }, seq: { type: 'integer' }, price: won, leading: { type: 'boolean' }, endsAt: millis, id: { type: 'string' } },
  },
  AuctionView: {
    type: 'object',
    required: ['auction', 'seq', 'status', 'price', 'bidCount', 'leader', 'minNext', 'endsAt', 'buyNowPrice', 'reserveMet'],
    properties: {
      auction: { type: 'string' }, seq: { type: 'integer' }, status: { type: 'string', enum: ['PENDING', 'OPEN', 'SOLD', 'UNSOLD', 'CANCELED'] },
      price: won, bidCount: { type: 'integer' }, leader: { type: ['string', 'null'], description: 'masked' }, minNext: won, endsAt: millis,
      buyNowPrice: { type: ['integer', 'null'] }, reserveMet: { type: 'boolean' },
    },
  },
  Status: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
};

const command = (summary: string, req: Json | null, keyRequired: boolean) => ({
  summary, security: bearer, tags: ['auctions'],
  parameters: [auctionId, idempotency(keyRequired)],
  ...(req === null ? {} : { requestBody: body(req) }),
  responses: { 200: json(ref('Accepted'), 'accepted, durable'), 400: P400, 401: P401, 403: P403, 404: P404, 409: P409, 413: P413, 422: problem('IDEMPOTENCY_KEY_REUSED'), 503: P503 },
});

const paths: Record<string, Json> = {
  '/healthz': { get: { summary: 'liveness', tags: ['probes'], responses: { 200: json(ref('Status')) } } },
  '/readyz': { get: { summary: 'readiness: stores answer and recovery is done', tags: ['probes'], responses: { 200: json(ref('Status')), 503: P503 } } },
  '/openapi.json': { get: { summary: 'this document', tags: ['probes'], responses: { 200: json({ type: 'object' }) } } },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (text exposition format); on this port only with METRICS_PUBLIC=1 (else on METRICS_PORT)', tags: ['probes'],
      responses: { 200: { description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, 404: problem('not served on this port (NOT_FOUND)') },
    },
  },

  '/api/v1/auctions': {
    post: {
      summary: 'create an auction (the caller is the seller)', security: bearer, tags: ['auctions'], parameters: [idempotency(true)],
      requestBody: body(ref('AuctionCreate')),
      responses: { 201: json(ref('Accepted'), 'created; Location names it'), 400: P400, 401: P401, 409: P409, 413: P413, 422: problem('IDEMPOTENCY_KEY_REUSED'), 503: P503 },
    },
  },
  '/api/v1/auctions/{id}': {
    get: { summary: 'an auction\'s public view', tags: ['auctions'], parameters: [auctionId], responses: { 200: json(ref('AuctionView')), 404: P404, 503: P503 } },
  },
  '/api/v1/auctions/{id}/open': { post: command('open a PENDING auction (seller or operator)', null, false) },
  '/api/v1/auctions/{id}/bids': { post: command('bid, answered by the same actor as the socket', ref('BidRequest'), true) },
  '/api/v1/auctions/{id}/buy-now': { post: command('buy at the buy-now price', null, true) },

  '/api/v1/auth/signup': {
    post: {
      summary: 'sign up: mails a verification link (no account exists until it is used)', tags: ['auth'],
      description: 'Answers 202 with the same body, after the same work, whether or not the email has an account. '
        + 'A new email gets a mail with a single-use link valid for 24 hours (`{PUBLIC_BASE_URL}/verify-email#token=...`); '
        + 'an email with an account gets a mail saying someone tried to sign up with it, and nothing is stored.',
      requestBody: body(ref('SignupRequest')),
      responses: {
        202: json(ref('SignupAccepted'), 'accepted: the mail sent to the address says how to go on'),
        400: problem('VALIDATION_FAILED or WEAK_PASSWORD'), 409: problem('NICKNAME_TAKEN'), 413: P413,
        429: problem('TOO_MANY_ATTEMPTS: too many signups from this address (SIGNUP_MAX_PER_ADDRESS); see Retry-After'),
      },
    },
  },
  '/api/v1/auth/verify': {
    post: {
      summary: 'prove the email: the link\'s token and the signup\'s password make the account, and sign it in', tags: ['auth'],
      description: 'The token works once; using it drops every other pending signup of the email. '
        + 'An unknown, used, expired or forged token, a wrong password, and an email that has an account by now all get VERIFICATION_FAILED, and nothing changes.',
      requestBody: body(ref('VerifyRequest')),
      responses: {
        200: json(ref('Tokens'), 'the account was made; signed in'),
        400: problem('VERIFICATION_FAILED or VALIDATION_FAILED'),
        409: problem('NICKNAME_TAKEN: the nickname was taken since signup; the token still works: send another `nickname`'),
        413: P413,
        429: problem('TOO_MANY_ATTEMPTS: too many failed verifications from this address; see Retry-After'),
      },
    },
  },
  '/api/v1/auth/login': {
    post: {
      summary: 'sign in with email and password', tags: ['auth'], requestBody: body(ref('LoginRequest')),
      responses: { 200: json(ref('Tokens')), 400: P400, 401: problem('INVALID_CREDENTIALS'), 413: P413, 429: P429 },
    },
  },
  '/api/v1/auth/refresh': {
    post: {
      summary: 'spend a refresh token for a new pair (rotation; a reused token revokes its session)', tags: ['auth'],
      requestBody: body(ref('RefreshRequest')), responses: { 200: json(ref('Tokens')), 400: P400, 401: problem('REFRESH_TOKEN_INVALID') },
    },
  },
  '/api/v1/auth/logout': {
    post: { summary: 'revoke the session of this access token', tags: ['auth'], security: bearer, responses: { 204: { description: 'signed out' }, 401: P401 } },
  },
  '/api/v1/auth/google/start': {
    get: {
      summary: 'begin Google sign-in (authorization code + PKCE)', tags: ['auth'],
      responses: { 302: { description: 'to the provider; sets the okj_oauth binding cookie' }, 501: problem('OAUTH_NOT_CONFIGURED') },
    },
  },
  '/api/v1/auth/google/callback': {
    get: {
      summary: 'finish Google sign-in', tags: ['auth'],
      parameters: [
        { name: 'code', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'state', in: 'query', required: true, schema: { type: 'string' } },
        { name: 'okj_oauth', in: 'cookie', required: true, schema: { type: 'string' } },
      ],
      responses: { 200: json(ref('Tokens')), 400: problem('OAUTH_STATE_INVALID or VALIDATION_FAILED'), 401: problem('OAUTH_FAILED'), 501: problem('OAUTH_NOT_CONFIGURED') },
    },
  },
  '/api/v1/accounts/{id}': {
    get: { summary: 'an account (its owner, or an admin)', tags: ['accounts'], security: bearer, parameters: [accountId], responses: { 200: json(ref('Account')), 401: P401, 403: P403, 404: P404 } },
    patch: {
      summary: 'change one\'s profile', tags: ['accounts'], security: bearer, parameters: [accountId], requestBody: body(ref('ProfilePatch')),
      responses: { 200: json(ref('Account')), 400: P400, 401: P401, 403: P403, 404: P404, 409: problem('NICKNAME_TAKEN'), 413: P413 },
    },
    delete: {
      summary: 'withdraw (soft delete; personal data scrubbed; every session revoked)', tags: ['accounts'], security: bearer, parameters: [accountId],
      requestBody: body(ref('WithdrawRequest'), false),
      responses: {
        200: json({ type: 'object', properties: { status: { const: 'withdrawn' }, canceledAuctions: { type: 'array', items: { type: 'string' } } } }),
        400: P400, 401: problem('UNAUTHENTICATED, INVALID_CREDENTIALS, or RECENT_SIGN_IN_REQUIRED (an account without a password)'), 403: P403,
        409: problem('WITHDRAWAL_BLOCKED'), 429: P429,
      },
    },
  },
  '/api/v1/accounts/{id}/password': {
    put: {
      summary: 'change one\'s password (other sessions are revoked)', tags: ['accounts'], security: bearer, parameters: [accountId],
      requestBody: body(ref('PasswordChange')),
      responses: { 204: { description: 'changed' }, 400: problem('VALIDATION_FAILED or WEAK_PASSWORD'), 401: problem('UNAUTHENTICATED or INVALID_CREDENTIALS'), 403: P403, 429: P429 },
    },
    post: {
      summary: 'set a first password (accounts made through Google; needs a recent sign-in)', tags: ['accounts'], security: bearer, parameters: [accountId],
      requestBody: body(ref('PasswordSet')),
      responses: {
        204: { description: 'set' }, 400: problem('VALIDATION_FAILED or WEAK_PASSWORD'), 401: problem('UNAUTHENTICATED or RECENT_SIGN_IN_REQUIRED'), 403: P403,
        409: problem('PASSWORD_ALREADY_SET'),
      },
    },
  },
  '/api/v1/admin/accounts/{id}/role': {
    put: {
      summary: 'grant or remove ADMIN (admins only)', tags: ['admin'], security: bearer, parameters: [idParam('an account id')],
      requestBody: body(ref('RoleRequest')), responses: { 200: json(ref('Account')), 400: P400, 401: P401, 403: P403, 404: P404 },
    },
  },
};

function mergePaths(a: Record<string, Json>, b: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...a };
  for (const [path, ops] of Object.entries(b)) out[path] = { ...out[path], ...ops };
  return out;
}

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'okjangpan API', version: '1',
      description: 'Realtime auctions over HTTP (this document) and WebSocket (/ws, SPEC §2). Errors are application/problem+json with a stable code.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [{ name: 'auth' }, { name: 'accounts' }, { name: 'admin' }, { name: 'auctions' }, { name: 'market' }, { name: 'probes' }],
    paths: mergePaths(paths, marketPaths()),
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/** `METHOD /path` of every route the routers serve (OpenAPI path syntax) that `doc` does not describe. */
export function undocumented(doc: Json, routers: readonly Router[]): string[] {
  const documented = doc.paths as Record<string, Record<string, unknown>>;
  const missing: string[] = [];
  for (const r of routers) {
    for (const layer of r.stack) {
      const path = String(layer.path).replace(/:(\w+)/g, '{$1}');
      for (const m of layer.methods) {
        if (m === 'HEAD') continue; // Koa answers HEAD for every GET
        if (documented[path]?.[m.toLowerCase()] === undefined) missing.push(`${m} ${path}`);
      }
    }
  }
  return missing;
}
