// /openapi.json: a valid OpenAPI 3.1 document (checked by a real validator), describing every route
// the server serves, with the account bodies from the same zod schemas that validate requests.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Router } from '@koa/router';
import t from 'tap';
import { openApiDocument, undocumented } from '../../http/openapi.ts';
import { api } from '../gateway/harness.ts';
import { backends } from './helpers.ts';

t.test('the served document is valid OpenAPI 3.1 and covers every route', async (t) => {
  const s = await backends[0].start(t);
  if (s === null) return;
  const r = await api(s.http, 'GET', '/openapi.json');
  t.equal(r.status, 200);
  t.match(r.type, /application\/json/);
  const validator = new Validator();
  const res = await validator.validate(r.body);
  t.ok(res.valid, `valid: ${JSON.stringify(res.errors ?? null).slice(0, 2000)}`);
  t.equal(validator.version, '3.1');

  const paths = Object.keys(r.body.paths);
  for (const p of ['/healthz', '/readyz', '/openapi.json', '/api/v1/auctions', '/api/v1/auctions/{id}', '/api/v1/auctions/{id}/bids',
    '/api/v1/auctions/{id}/buy-now', '/api/v1/auctions/{id}/open', '/api/v1/auth/signup', '/api/v1/auth/verify', '/api/v1/auth/login', '/api/v1/auth/refresh',
    '/api/v1/auth/logout', '/api/v1/auth/google/start', '/api/v1/auth/google/callback', '/api/v1/accounts/{id}',
    '/api/v1/accounts/{id}/password', '/api/v1/admin/accounts/{id}/role']) {
    t.ok(paths.includes(p), p);
  }
  t.match(r.body.components.schemas.SignupRequest, { type: 'object', additionalProperties: false, required: ['email', 'password', 'nickname', 'name', 'gender', 'ageBand', 'region'] });
  t.match(r.body.components.schemas.VerifyRequest, { type: 'object', additionalProperties: false, required: ['token', 'password'] });
  t.match(r.body.paths['/api/v1/auth/verify'].post.responses, { 200: Object, 400: Object, 409: Object, 429: Object }, 'verify: tokens, or VERIFICATION_FAILED');
  t.strictSame(r.body.components.schemas.Problem.properties.code.enum.includes('WITHDRAWAL_BLOCKED'), true, 'error codes from the catalogue');

  // Every operation says what it answers, and the dereferenced document still validates.
  for (const [p, ops] of Object.entries(r.body.paths as Record<string, Record<string, { responses: object }>>)) {
    for (const [m, op] of Object.entries(ops)) t.ok(Object.keys(op.responses).length > 0, `${m.toUpperCase()} ${p} has responses`);
  }
  t.ok(validator.resolveRefs(), 'every $ref resolves');

  // The validator is not a rubber stamp: a response without its description is refused.
  const broken = structuredClone(r.body);
  delete broken.paths['/healthz'].get.responses['200'].description;
  t.equal((await new Validator().validate(broken)).valid, false, 'a broken copy is invalid');
});

t.test('a route missing from the document is found (the server refuses to start with one)', async (t) => {
  const doc = openApiDocument();
  const router = new Router({ prefix: '/api/v1' });
  router.get('/auctions/:id', () => {});
  router.delete('/auctions/:id', () => {});
  router.get('/nowhere', () => {});
  const nested = new Router();
  nested.post('/auth/whatever', () => {});
  router.use(nested.routes());
  t.strictSame(undocumented(doc, [router]).sort(), ['DELETE /api/v1/auctions/{id}', 'GET /api/v1/nowhere', 'POST /api/v1/auth/whatever']);
});
