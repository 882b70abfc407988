// The settlement routes (http/settlement/) in the OpenAPI document.
import { fromZod } from '../openapi-zod.ts';
import { problem, type ApiFragment, type Json } from '../openapi-kit.ts';
import { FeePolicyBody, PayoutAccountBody, PlanBody, RunBody } from './schemas.ts';

interface Op {
  summary: string;
  body?: Json;
  ok?: number;
  query?: Array<{ name: string; schema: Json; description: string }>;
  media?: string;
  problems?: Record<number, string>;
  /** Not a user's call (a provider's webhook): no bearer token. */
  open?: boolean;
}

function operation(path: string, o: Op): Json {
  const params: Json[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  for (const q of o.query ?? []) params.push({ ...q, in: 'query', required: false });
  const ok = o.ok ?? 200;
  const responses: Json = {
    [ok]: ok === 204 ? { description: 'done' } : { description: 'OK', content: { [o.media ?? 'application/json']: { schema: o.media ? { type: 'string' } : { type: 'object' } } } },
    400: problem('invalid request'),
    401: problem('no valid access token'),
    403: problem('not allowed (FORBIDDEN: an admin route, or another seller\'s settings)'),
    404: problem('not found'),
  };
  for (const [status, description] of Object.entries(o.problems ?? {})) responses[status] = problem(description);
  return {
    summary: o.summary, tags: ['settlement'], ...(o.open ? {} : { security: [{ bearer: [] }] }),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(o.body ? { requestBody: { required: true, content: { 'application/json': { schema: o.body } } } } : {}),
    responses,
  };
}

const period = { name: 'period', schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, description: 'a day in Asia/Seoul, YYYY-MM-DD' };

const ROUTES: [string, string, Op][] = [
  ['get', '/api/v1/settlements', {
    summary: 'my settlements, newest first (admins: every seller\'s with all=true)',
    query: [{ name: 'all', schema: { type: 'boolean' }, description: 'every seller\'s (admin)' }, { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 500 }, description: 'at most' }],
  }],
  ['get', '/api/v1/settlements/{id}', { summary: 'a settlement with a line per order (price, fee, net); its seller or an admin; `{id}.csv` answers it as CSV', problems: { 404: 'SETTLEMENT_NOT_FOUND (also another seller\'s)' } }],
  ['post', '/api/v1/admin/settlements/run', {
    summary: 'run a period: pay each seller once for orders confirmed before its cutoff (admin)', body: fromZod(RunBody),
    problems: { 409: 'PERIOD_NOT_ENDED', 400: 'PERIOD_INVALID or VALIDATION_FAILED' },
  }],
  ['get', '/api/v1/admin/settlements/reconciliation', {
    summary: 'the ledger against Toss\'s transactions of a period, per order (admin)', query: [period],
    problems: { 501: 'RECONCILIATION_NOT_CONFIGURED', 503: 'RECONCILIATION_UNAVAILABLE' },
  }],
  ['get', '/api/v1/admin/ledger/balances', {
    summary: 'ledger balances, every account or those named (admin)',
    query: [{ name: 'account', schema: { type: 'string' }, description: 'an account (repeatable): clearing, fee_revenue, refunds, escrow:<order>, payable:<seller>, in_transit:<seller>, paid_out:<seller>' }],
  }],
  ['get', '/api/v1/admin/fee-policies', { summary: 'fee policies (admin)' }],
  ['post', '/api/v1/admin/fee-policies', { summary: 'add a fee policy (admin); a confirmed order keeps its fee', body: fromZod(FeePolicyBody), ok: 201 }],
  ['delete', '/api/v1/admin/fee-policies/{id}', { summary: 'delete a fee policy (admin)', ok: 204 }],
  ['get', '/api/v1/sellers/{id}/settlement', { summary: 'a seller\'s plan, payout account and holds (the seller or an admin)' }],
  ['put', '/api/v1/sellers/{id}/settlement/plan', { summary: 'choose AUTO or IMMEDIATELY (the seller or an admin)', body: fromZod(PlanBody) }],
  ['put', '/api/v1/sellers/{id}/settlement/payout-account', { summary: 'set the payout account (the seller or an admin)', body: fromZod(PayoutAccountBody), problems: { 400: 'PAYOUT_ACCOUNT_INVALID or VALIDATION_FAILED' } }],
  ['post', '/api/v1/settlement/webhooks/toss', {
    summary: 'Toss\'s payout.changed webhook, signed (tosspayments-webhook-signature over body:transmission-time); answered once stored',
    body: { type: 'object' }, open: true, problems: { 401: 'WEBHOOK_SIGNATURE_INVALID (also when Toss payouts are not configured)' },
  }],
];

export function settlementApi(): ApiFragment {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [method, path, op] of ROUTES) (paths[path] ??= {})[method] = operation(path, op);
  return { paths, schemas: {} };
}
