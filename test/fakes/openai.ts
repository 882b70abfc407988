// A loopback fake of the OpenAI API's Chat Completions (POST /v1/chat/completions), answering as the API
// reference shows: `Authorization: Bearer <key>` checked first (401 invalid_api_key, whose message quotes
// part of the key as the real one does); the body's model and messages required; a strict json_schema
// response_format checked the way the API checks it (every object closed with additionalProperties
// false, every property required); a chat.completion whose choices[0].message.content is the answer as
// a JSON string, with refusal and usage. Errors are `{error: {message, type, param, code}}`.
// The answer for a product is seeded by name (read from the user message's JSON document); a product
// with no seeded answer gets a refusal. failNext() scripts the failures a real deployment meets.
import { listen, sendJson, transportFault, type SeenRequest, type TransportFault } from './pricing-server.ts';

export const OPENAI_TEST_KEY = 'sk-test-placeholder-not-a-real-key';

export type OpenAiFault =
  | TransportFault // hang, stall-body, garbage (an HTML page with a 200)
  | 'unauthorized' // 401 invalid_api_key
  | 'quota' // 429 insufficient_quota (billing)
  | 'rate-limited' // 429 rate_limit_exceeded
  | 'server-error' // 500 server_error
  | 'overloaded' // 503
  | 'bad-request' // 400 invalid_request_error
  | 'model-not-found' // 404 model_not_found
  | 'garbage-json' // 200 application/json whose body does not parse
  | 'wrong-shape' // 200 JSON that is not a chat.completion
  | 'refusal' // message.refusal set, content null
  | 'content-filter' // finish_reason content_filter
  | 'length' // finish_reason length, content cut mid-JSON
  | 'prose' // content is prose, not JSON
  | 'off-schema' // content is JSON with a missing field and a price as a string
  | 'inconsistent' // content fits the shape but low > high
  | 'extra-field'; // content has a property the schema does not allow

export interface ChatRequest {
  headers: SeenRequest['headers'];
  /** The parsed request body. */
  body: {
    model?: unknown;
    messages?: { role: string; content: string }[];
    response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
    [k: string]: unknown;
  };
}

export interface OpenAiFake {
  /** The base URL to give the SDK (ends in /v1). */
  baseURL: string;
  /** Chat completion requests that reached the handler, parsed. */
  requests: ChatRequest[];
  /** Every HTTP request received, scripted failures included. */
  readonly calls: number;
  /** Requests the client gave up on before the answer was complete; abortedAtLeast(n) awaits n of them. */
  readonly aborted: number;
  abortedAtLeast(n: number): Promise<void>;
  /** Usage reported on the last answer. */
  readonly lastUsage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  /** The answer (any JSON) for a product name, matched after trimming and lowercasing. */
  answer(productName: string, content: unknown): void;
  failNext(fault: OpenAiFault, times?: number): void;
  close(): Promise<void>;
}

function apiError(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, param, code } };
}

/** What the API says of a schema strict mode cannot take, or null when it is fine. */
export function strictSchemaProblem(schema: unknown, context: string[] = []): string | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  const where = `In context=(${context.map((c) => `'${c}'`).join(', ')})`;
  if (s.type === 'object') {
    if (s.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const props = Object.keys((s.properties ?? {}) as object);
    const required = Array.isArray(s.required) ? s.required : [];
    const missing = props.filter((p) => !required.includes(p));
    if (missing.length > 0) return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const p of props) {
      const inner = strictSchemaProblem((s.properties as Record<string, unknown>)[p], [...context, 'properties', p]);
      if (inner !== null) return inner;
    }
  }
  if (s.type === 'array') return strictSchemaProblem(s.items, [...context, 'items']);
  return null;
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export async function openAiFake(opts: { apiKey?: string } = {}): Promise<OpenAiFake> {
  const apiKey = opts.apiKey ?? OPENAI_TEST_KEY;
  const requests: ChatRequest[] = [];
  const answers = new Map<string, unknown>();
  const faults: OpenAiFault[] = [];
  let calls = 0;
  let served = 0;
  let lastUsage: OpenAiFake['lastUsage'] = null;
  const key = (name: string) => name.trim().toLowerCase();

  const server = await listen((req, res) => {
    calls++;
    const headers = { 'x-request-id': `req_fake_${calls}` };
    const err = (status: number, body: unknown) => sendJson(res, status, body, headers);
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${apiKey}`) {
      const given = (auth ?? '').replace(/^Bearer /, '');
      const masked = given.length > 8 ? `${given.slice(0, 4)}${'*'.repeat(given.length - 8)}${given.slice(-4)}` : given;
      return err(401, apiError(`Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', 'invalid_api_key'));
    }
    if (req.method !== 'POST' || req.path !== '/v1/chat/completions') {
      return err(404, apiError(`Invalid URL (${req.method} ${req.path})`, 'invalid_request_error', null));
    }
    let body: ChatRequest['body'];
    try {
      body = JSON.parse(req.body) as ChatRequest['body'];
    } catch {
      return err(400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
    }
    requests.push({ headers: req.headers, body });

    const fault = faults.shift();
    if (transportFault(res, fault, '<html><body>Bad gateway</body></html>')) return;
    switch (fault) {
      case 'garbage-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"id": "chatcmpl-fake", "choices": [');
      case 'wrong-shape': return sendJson(res, 200, { object: 'list', data: [] }, headers);
      case 'unauthorized': return err(401, apiError('Incorrect API key provided: sk-t****************-key.', 'invalid_request_error', 'invalid_api_key'));
      case 'quota': return err(429, apiError('You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'insufficient_quota', 'insufficient_quota'));
      case 'rate-limited': return err(429, apiError('Rate limit reached for requests per min (RPM). Please try again in 20s.', 'requests', 'rate_limit_exceeded'));
      case 'server-error': return err(500, apiError('The server had an error while processing your request. Sorry about that!', 'server_error', null));
      case 'overloaded': return err(503, apiError('The engine is currently overloaded, please try again later.', 'server_error', null));
      case 'bad-request': return err(400, apiError("Invalid value for 'response_format'.", 'invalid_request_error', null, 'response_format'));
      case 'model-not-found': return err(404, apiError(`The model \`${String(body.model)}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'));
      default: break;
    }

    if (typeof body.model !== 'string' || body.model === '') return err(400, apiError('you must provide a model parameter', 'invalid_request_error', null));
    if (!Array.isArray(body.messages) || body.messages.length === 0) return err(400, apiError("Missing required parameter: 'messages'.", 'invalid_request_error', 'missing_required_parameter', 'messages'));
    const rf = body.response_format;
    if (rf?.type === 'json_schema' && rf.json_schema?.strict === true) {
      const problem = strictSchemaProblem(rf.json_schema.schema);
      if (problem !== null) return err(400, apiError(`Invalid schema for response_format '${rf.json_schema.name}': ${problem}`, 'invalid_request_error', 'invalid_json_schema', 'response_format'));
    }

    let name = '';
    try {
      const data = JSON.parse(body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '') as { product?: { name?: unknown } };
      if (typeof data.product?.name === 'string') name = data.product.name;
    } catch {
      // not a JSON document: no product to answer for
    }
    const seeded = answers.has(key(name)) ? answers.get(key(name)) : undefined;
    let content: string | null = seeded === undefined ? null : JSON.stringify(seeded);
    let refusal: string | null = seeded === undefined ? "I'm sorry, but I can't help with that request." : null;
    let finish = 'stop';
    switch (fault) {
      case 'refusal': content = null; refusal = "I'm sorry, but I can't help with that request."; break;
      case 'content-filter': content = null; refusal = null; finish = 'content_filter'; break;
      case 'length': content = (content ?? '{"today":{"low":').slice(0, 12); refusal = null; finish = 'length'; break;
      case 'prose': content = 'It would probably sell for a fair price.'; refusal = null; break;
      case 'off-schema': content = JSON.stringify({ today: { low: 'cheap', high: 2 }, confidence: 0.5 }); refusal = null; break;
      case 'inconsistent': content = JSON.stringify({ today: { low: 9, typical: 5, high: 1 }, threeMonths: { low: 3, high: 2 }, confidence: 0.5 }); refusal = null; break;
      case 'extra-field': content = JSON.stringify({ today: { low: 1, typical: 2, high: 3 }, threeMonths: { low: 1, high: 2 }, confidence: 0.5, note: 'x' }); refusal = null; break;
      default: break;
    }
    const promptTokens = body.messages.reduce((n, m) => n + tokens(String(m.content)), 0);
    const completionTokens = tokens(content ?? refusal ?? '');
    lastUsage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    served++;
    sendJson(res, 200, {
      id: `chatcmpl-fake-${served}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal, annotations: [] }, logprobs: null, finish_reason: finish }],
      usage: {
        ...lastUsage,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      service_tier: 'default',
      system_fingerprint: 'fp_fake',
    }, headers);
  });

  return {
    baseURL: `${server.origin}/v1`,
    requests,
    get calls() { return calls; },
    get aborted() { return server.aborted; },
    abortedAtLeast: (n: number) => server.abortedAtLeast(n),
    get lastUsage() { return lastUsage; },
    answer(productName, content) { answers.set(key(productName), content); },
    failNext(fault, times = 1) { for (let i = 0; i < times; i++) faults.push(fault); },
    close: () => server.close(),
  };
}
