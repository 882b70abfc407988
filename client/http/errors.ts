// An HTTP answer outside 2xx. The server answers errors as application/problem+json with a stable `code`
// (SPEC §3); `code` is null only when something else answered (a proxy's HTML page, say).
import type { Problem } from '../api-types.ts';

export type ProblemCode = Problem['code'];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode | null,
    readonly problem: Problem | null,
    /** Seconds to wait, from Retry-After, when the server gave one. */
    readonly retryAfter: number | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}
