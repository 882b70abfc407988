// The accounts routes (http/accounts/routes.ts) in the OpenAPI document: request bodies from the zod
// schemas that parse them, answers written out.
import {
  AGE_BANDS, CookieRefreshBody, GENDERS, LoginBody, PasswordChangeBody, PasswordSetBody, ProfilePatch, REGIONS, RefreshBody, RoleBody, SignupBody, VerifyBody,
  WithdrawBody,
} from './schemas.ts';
import { fromZod } from '../openapi-zod.ts';
import {
  bearer, body, idParam, json, millis, P400, P401, P403, P404, P409, P413, P429, P503, problem, ref, type ApiFragment,
} from '../openapi-kit.ts';

const accountId = idParam('an account id, or `me`');
/** Cookie mode (the web app): see http/accounts/cookie.ts and docs/web.md. */
const sessionMode = {
  name: 'Okj-Session', in: 'header', required: false, schema: { const: 'cookie' },
  description: 'cookie mode, for the web app: the refresh token travels in the HttpOnly `okj_refresh` cookie (Path=/api/v1/auth/refresh, '
    + 'SameSite=Strict, Secure outside loopback) instead of the JSON, which then has no `refreshToken`; '
    + 'refused with CROSS_SITE_REFUSED when the browser says the request comes from another origin',
};
const setsCookie = {
  'Set-Cookie': { description: 'cookie mode only: `okj_refresh`, the next refresh token (HttpOnly, SameSite=Strict)', schema: { type: 'string' } },
};
const signedIn = (description = 'OK') => ({ ...json(ref('Tokens'), description), headers: setsCookie });
const P403Cross = problem('CROSS_SITE_REFUSED: cookie mode from a page of another origin');
const signupAccepted = {
  type: 'object', required: ['status', 'detail'],
  properties: { status: { const: 'accepted' }, detail: { type: 'string' } },
};

export function accountsApi(): ApiFragment {
  return {
    schemas: {
      Tokens: {
        type: 'object',
        required: ['tokenType', 'accessToken', 'expiresIn', 'refreshExpiresIn', 'userId', 'role'],
        properties: {
          tokenType: { const: 'Bearer' },
          accessToken: { type: 'string', description: 'HS256 JWT; send as Authorization: Bearer, or in the socket `auth` frame' },
          expiresIn: { type: 'integer', description: 'seconds' },
          refreshToken: { type: 'string', description: 'opaque, single use: each refresh returns the next one; absent in cookie mode (`Okj-Session: cookie`), where it is in the cookie' },
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
      CookieRefreshRequest: fromZod(CookieRefreshBody),
      ProfilePatch: fromZod(ProfilePatch),
      PasswordChange: fromZod(PasswordChangeBody),
      PasswordSet: fromZod(PasswordSetBody),
      WithdrawRequest: fromZod(WithdrawBody),
      RoleRequest: fromZod(RoleBody),
    },
    paths: {
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
          parameters: [sessionMode],
          requestBody: body(ref('VerifyRequest')),
          responses: {
            200: signedIn('the account was made; signed in'),
            400: problem('VERIFICATION_FAILED or VALIDATION_FAILED'), 403: P403Cross,
            409: problem('NICKNAME_TAKEN: the nickname was taken since signup; the token still works: send another `nickname`'),
            413: P413,
            429: problem('TOO_MANY_ATTEMPTS: too many failed verifications from this address; see Retry-After'),
          },
        },
      },
      '/api/v1/auth/login': {
        post: {
          summary: 'sign in with email and password', tags: ['auth'], parameters: [sessionMode], requestBody: body(ref('LoginRequest')),
          responses: { 200: signedIn(), 400: P400, 401: problem('INVALID_CREDENTIALS'), 403: P403Cross, 413: P413, 429: P429 },
        },
      },
      '/api/v1/auth/refresh': {
        post: {
          summary: 'spend a refresh token for a new pair (rotation; a reused token revokes its session)', tags: ['auth'],
          description: 'In JSON mode the body names the refresh token. In cookie mode (`Okj-Session: cookie`) the body is empty or `{}`, '
            + 'the token comes in the `okj_refresh` cookie and the next one is set there; a refused one clears the cookie.',
          parameters: [sessionMode, { name: 'okj_refresh', in: 'cookie', required: false, schema: { type: 'string' }, description: 'cookie mode: the refresh token' }],
          requestBody: body({ oneOf: [ref('RefreshRequest'), ref('CookieRefreshRequest')] }, false),
          responses: { 200: signedIn(), 400: P400, 401: problem('REFRESH_TOKEN_INVALID'), 403: P403Cross },
        },
      },
      '/api/v1/auth/logout': {
        post: {
          summary: 'revoke the session of this access token', tags: ['auth'], security: bearer, parameters: [sessionMode],
          responses: { 204: { description: 'signed out; in cookie mode the refresh cookie is cleared', headers: setsCookie }, 401: P401, 403: P403Cross },
        },
      },
      '/api/v1/auth/google/start': {
        get: {
          summary: 'begin Google sign-in (authorization code + PKCE)', tags: ['auth'],
          parameters: [{
            name: 'mode', in: 'query', required: false, schema: { const: 'cookie' },
            description: 'the web app\'s sign-in: the callback then sets the refresh cookie and redirects to the app instead of answering JSON',
          }],
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
          responses: {
            200: json(ref('Tokens')),
            303: { description: 'started with `mode=cookie`: to `/` with the refresh cookie set, or to `/signin?error=CODE`', headers: setsCookie },
            400: problem('OAUTH_STATE_INVALID or VALIDATION_FAILED'), 401: problem('OAUTH_FAILED'), 501: problem('OAUTH_NOT_CONFIGURED'),
          },
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
    },
  };
}
