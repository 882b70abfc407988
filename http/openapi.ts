// The OpenAPI 3.1 document of every HTTP route, served at /openapi.json: the probes here, and each
// domain's fragment (http/<domain>/openapi.ts). Request bodies come from the zod schemas that parse them
// (./openapi-zod.ts). `undocumented()` lists the routes a router serves that the document lacks: the
// app refuses to start with any, so the document cannot fall behind the code.
import type { Router } from '@koa/router';
import { ERROR_CODES } from '../engine/index.ts';
import { accountsApi } from './accounts/openapi.ts';
import { auctionApi } from './auction/openapi.ts';
import { chatApi } from './chat/openapi.ts';
import { marketApi } from './market/openapi.ts';
import { paymentsApi } from './payments/openapi.ts';
import { settlementApi } from './settlement/openapi.ts';
import { pricingApi } from './pricing/openapi.ts';
import { recommendationApi } from './recommendation/openapi.ts';
import { json, P503, problem, ref, won, type ApiFragment, type Json } from './openapi-kit.ts';

const shared: ApiFragment = {
  schemas: {
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
    Status: { type: 'object', required: ['status'], properties: { status: { type: 'string' } } },
  },
  paths: {
    '/healthz': { get: { summary: 'liveness', tags: ['probes'], responses: { 200: json(ref('Status')) } } },
    '/readyz': { get: { summary: 'readiness: stores answer and recovery is done', tags: ['probes'], responses: { 200: json(ref('Status')), 503: P503 } } },
    '/openapi.json': { get: { summary: 'this document', tags: ['probes'], responses: { 200: json({ type: 'object' }) } } },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics (text exposition format); on this port only with METRICS_PUBLIC=1 (else on METRICS_PORT)', tags: ['probes'],
        responses: { 200: { description: 'the metrics', content: { 'text/plain': { schema: { type: 'string' } } } }, 404: problem('not served on this port (NOT_FOUND)') },
      },
    },
  },
};

/** Every domain's fragment; a new domain adds its own here. */
const FRAGMENTS: (() => ApiFragment)[] = [
  () => shared, auctionApi, accountsApi, marketApi, paymentsApi, settlementApi, chatApi, recommendationApi, pricingApi,
];

/** Fragments merged: a path may gather methods from several, but a method or a schema is described once. */
function merged(fragments: readonly ApiFragment[]): ApiFragment {
  const out: ApiFragment = { paths: {}, schemas: {} };
  for (const f of fragments) {
    for (const [name, schema] of Object.entries(f.schemas)) {
      if (name in out.schemas) throw new Error(`OpenAPI: schema ${name} is described twice`);
      out.schemas[name] = schema;
    }
    for (const [path, ops] of Object.entries(f.paths)) {
      const had = out.paths[path] ?? {};
      for (const m of Object.keys(ops)) if (m in had) throw new Error(`OpenAPI: ${m.toUpperCase()} ${path} is described twice`);
      out.paths[path] = { ...had, ...ops };
    }
  }
  return out;
}

let text: string | null = null;

/** The document as JSON text, built once per process: it depends on nothing but the code, and turning
 * the zod schemas into JSON Schema costs ~30 ms of CPU, which every server start used to pay. */
export function openApiJson(): string {
  text ??= JSON.stringify(build());
  return text;
}

/** The document (a fresh copy each call: a caller may change it). */
export function openApiDocument(): Json {
  return JSON.parse(openApiJson()) as Json;
}

function build(): Json {
  const all = merged(FRAGMENTS.map((f) => f()));
  return {
    openapi: '3.1.0',
    info: {
      title: 'okjangpan API', version: '1',
      description: 'Realtime auctions over HTTP (this document) and WebSocket (/ws, SPEC §2). Errors are application/problem+json with a stable code.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [{ name: 'auth' }, { name: 'accounts' }, { name: 'admin' }, { name: 'auctions' }, { name: 'market' }, { name: 'payments' }, { name: 'chat' }, { name: 'recommendation' }, { name: 'pricing' }, { name: 'probes' }],
    paths: all.paths,
    components: {
      schemas: all.schemas,
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
