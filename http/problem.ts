// Errors as RFC 9457 problem documents: {type, title, status, code, detail} plus extension members
// (minNext, price) where they help. The code, status and title come from the one catalogue.
import type { Context, Next } from 'koa';
import { ERRORS, OkjError, type ErrorCode } from '../engine/index.ts';
import type { Logger } from '../engine/logger.ts';
import type { RequestState } from './observe.ts';

export const PROBLEM_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  [extension: string]: unknown;
}

export function problemOf(code: ErrorCode, detail?: string, extra?: Record<string, unknown>): Problem {
  const info = ERRORS[code];
  return { type: `urn:okjangpan:error:${code}`, title: info.message, status: info.status, code, detail: detail ?? info.message, ...extra };
}

export function sendProblem(ctx: Context, p: Problem): void {
  ctx.status = p.status;
  ctx.type = PROBLEM_TYPE;
  ctx.body = p;
  if (p.status === 401) ctx.set('WWW-Authenticate', 'Bearer');
  if (typeof p.retryAfter === 'number') ctx.set('Retry-After', String(p.retryAfter));
  else if ('retryable' in ERRORS[p.code]) ctx.set('Retry-After', '1');
}

/** Outermost middleware: anything thrown below becomes a problem document; unknown errors are 500s. */
export function problems(log: Logger) {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) sendProblem(ctx, problemOf('NOT_FOUND', `no route for ${ctx.method} ${ctx.path}`));
    } catch (err) {
      if (err instanceof OkjError) return sendProblem(ctx, problemOf(err.code, err.message, err.details));
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        const code: ErrorCode = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
        return sendProblem(ctx, problemOf(code));
      }
      log.error({ err, reqId: (ctx.state as Partial<RequestState>).reqId, method: ctx.method, path: ctx.path }, 'request failed');
      sendProblem(ctx, problemOf('INTERNAL'));
    }
  };
}
