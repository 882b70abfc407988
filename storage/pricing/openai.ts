// PriceEstimator over the OpenAI API (the `openai` package, v6): Chat Completions with strict structured
// output (response_format json_schema), the fixed instructions of ./prompt.ts and the product as a JSON
// document. Chat Completions rather than the Responses API: both are in the v6 SDK, this one is also what
// OpenAI-compatible gateways serve, and the loopback fake speaks it.
//
// How each failure is told:
//   not-configured   no API key: no client is built, no call is made
//   unauthorized     AuthenticationError (401) or PermissionDeniedError (403)
//   quota            RateLimitError (429) whose code or type is insufficient_quota (billing; not retried)
//   rate-limited     any other RateLimitError (429)
//   rejected         any other 4xx (400 invalid_request_error, 404 model_not_found, 422)
//   upstream         InternalServerError (5xx)
//   timeout          timeoutMs passed (the whole call: retries and the body too; the SDK's own timeout
//                    only covers the wait for headers) or the SDK's APIConnectionTimeoutError
//   network          APIConnectionError
//   malformed        a body that is not JSON, or JSON without the chat.completion shape
//   refused          message.refusal set, or finish_reason content_filter
//   schema-mismatch  finish_reason length (cut short), empty content, content not JSON, or off the schema
//   unexpected       anything else, reported rather than thrown
// Messages are built from the status and OpenAI's error code and type, never from its message text: a
// 401's message quotes part of the key.
import OpenAI from 'openai';
import { z } from 'zod';
import { parseEstimate } from './answer.ts';
import {
  failure, type EstimateAnswer, type EstimateRequest, type PriceEstimator, type ProviderResult, type TokenUsage,
} from './ports.ts';
import { ESTIMATE_JSON_SCHEMA, ESTIMATE_SCHEMA_NAME, estimateMessages } from './prompt.ts';
import { scrub } from './text.ts';

export interface OpenAiEstimatorOptions {
  /** Unset or empty: every estimate answers not-configured. */
  apiKey?: string;
  model: string;
  /** Default https://api.openai.com/v1; an OpenAI-compatible gateway, or a loopback fake in tests. */
  baseURL?: string;
  /** The whole call, retries and body included. */
  timeoutMs: number;
  /** Retries of 408/409/429/5xx and connection failures, with the SDK's backoff, inside timeoutMs. */
  maxRetries: number;
  /** Cap on the answer's tokens (max_completion_tokens). */
  maxOutputTokens?: number;
}

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/** The part of a chat.completion the adapter reads; anything else in the body is ignored. */
const completion = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({
    finish_reason: z.string().nullable().optional(),
    message: z.object({ content: z.string().nullable().optional(), refusal: z.string().nullable().optional() }),
  })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).nullable().optional(),
});

class Deadline extends Error {}

export class OpenAiEstimator implements PriceEstimator {
  readonly provider = 'openai';
  private readonly client: OpenAI | null;

  constructor(private readonly o: OpenAiEstimatorOptions) {
    // Every setting passed explicitly: the SDK otherwise reads OPENAI_BASE_URL, OPENAI_ORG_ID and
    // OPENAI_PROJECT_ID from the environment, behind the configuration's back.
    this.client = !o.apiKey ? null : new OpenAI({
      apiKey: o.apiKey,
      baseURL: o.baseURL ?? OPENAI_DEFAULT_BASE_URL,
      organization: null,
      project: null,
      timeout: o.timeoutMs,
      maxRetries: o.maxRetries,
      logLevel: 'off', // failures come back as values and the service logs them
    });
  }

  async estimate(request: EstimateRequest): Promise<ProviderResult<EstimateAnswer>> {
    if (this.client === null) return failure('not-configured', 'OpenAI API key is not set');
    const { system, user } = estimateMessages(request);
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new Deadline());
      }, this.o.timeoutMs);
    });
    const call = this.client.chat.completions.create({
      model: this.o.model,
      messages: [{ role: 'system', content: system }, { role: 'user', content: user }],
      response_format: { type: 'json_schema', json_schema: { name: ESTIMATE_SCHEMA_NAME, strict: true, schema: ESTIMATE_JSON_SCHEMA } },
      max_completion_tokens: this.o.maxOutputTokens ?? 1000,
      store: false,
    }, { signal: abort.signal });
    call.catch(() => {}); // lost the race to the deadline: its rejection is expected and ignored
    try {
      // The race returns at the deadline even while the SDK sleeps between retries.
      return this.read(await Promise.race([call, deadline]));
    } catch (err) {
      return this.classify(err);
    } finally {
      clearTimeout(timer);
      abort.abort(); // ends a body still streaming in
    }
  }

  private read(body: unknown): ProviderResult<EstimateAnswer> {
    const parsed = completion.safeParse(body);
    if (!parsed.success) {
      const what = typeof body === 'string' ? `a non-JSON body (${body.length} characters)` : 'JSON that is not a chat.completion';
      return failure('malformed', `OpenAI sent ${what}`, { status: 200 });
    }
    const c = parsed.data;
    const usage: TokenUsage | null = c.usage == null ? null
      : { input: c.usage.prompt_tokens, output: c.usage.completion_tokens, total: c.usage.total_tokens };
    const choice = c.choices[0];
    const extra = { status: 200, usage };
    if (choice.message.refusal) return failure('refused', 'the model refused to estimate', { ...extra, code: 'refusal' });
    if (choice.finish_reason === 'content_filter') return failure('refused', 'the content filter stopped the answer', { ...extra, code: 'content_filter' });
    if (choice.finish_reason === 'length') return failure('schema-mismatch', 'the answer was cut off at the token limit', { ...extra, code: 'length' });
    if (!choice.message.content) return failure('schema-mismatch', 'the answer is empty', extra);
    const answer = parseEstimate(choice.message.content);
    if (!answer.ok) return failure('schema-mismatch', answer.message, extra);
    return { ok: true, value: { estimate: answer.estimate, model: c.model ?? this.o.model, usage } };
  }

  private classify(err: unknown): ProviderResult<EstimateAnswer> {
    if (err instanceof Deadline || err instanceof OpenAI.APIConnectionTimeoutError || err instanceof OpenAI.APIUserAbortError) {
      return failure('timeout', `OpenAI gave no whole answer within ${this.o.timeoutMs} ms`);
    }
    if (err instanceof OpenAI.APIConnectionError) return failure('network', 'OpenAI unreachable');
    if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
      const status = err.status;
      const code = typeof err.code === 'string' ? err.code : null;
      const type = typeof err.type === 'string' ? err.type : null;
      const message = `OpenAI answered ${status}${code === null ? '' : ` ${code}`}${type === null || type === code ? '' : ` (${type})`}`;
      const extra = { status, code: code ?? type };
      if (status === 401 || status === 403) return failure('unauthorized', message, extra);
      if (status === 429) return failure(code === 'insufficient_quota' || type === 'insufficient_quota' ? 'quota' : 'rate-limited', message, extra);
      if (status >= 500) return failure('upstream', message, extra);
      return failure('rejected', message, extra);
    }
    // A JSON content type over a body that is not JSON: the SDK's parse throws a SyntaxError.
    if (err instanceof SyntaxError) return failure('malformed', 'OpenAI sent a body that is not JSON', { status: 200 });
    const name = err instanceof Error ? err.name : typeof err;
    return failure('unexpected', scrub(`OpenAI call failed: ${name}`, [this.o.apiKey]));
  }
}
