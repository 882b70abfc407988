// The OpenAI adapter against its loopback fake: the request it sends, token usage, and every failure
// class with how it is told.
import t from 'tap';
import { OpenAiEstimator, type OpenAiEstimatorOptions } from '../../storage/pricing/openai.ts';
import { OPENAI_TEST_KEY as KEY, openAiFake, type OpenAiFake, type OpenAiFault } from '../fakes/openai.ts';
import { deadOrigin, failureOf, TABLET_ANSWER, TABLET_REQUEST as REQ, type Teardown } from './fixtures.ts';

async function setup(t: Teardown, over: Partial<OpenAiEstimatorOptions> = {}): Promise<{ fake: OpenAiFake; llm: OpenAiEstimator }> {
  const fake = await openAiFake();
  t.teardown(() => fake.close());
  fake.answer(REQ.product.name, TABLET_ANSWER);
  return { fake, llm: new OpenAiEstimator({ apiKey: KEY, baseURL: fake.baseURL, model: 'gpt-test-mini', timeoutMs: 5000, maxRetries: 0, ...over }) };
}

t.test('the request: strict structured output, instructions then data', async (t) => {
  const { fake, llm } = await setup(t, { maxOutputTokens: 300 });
  const r = await llm.estimate(REQ);
  t.ok(r.ok, 'the fake accepted the schema as strict-valid and answered');
  const { headers, body } = fake.requests[0];
  t.equal(headers.authorization, `Bearer ${KEY}`);
  t.equal(body.model, 'gpt-test-mini');
  t.equal(body.max_completion_tokens, 300);
  t.equal(body.store, false, 'the product text is not kept by the provider');
  t.match(body.response_format, { type: 'json_schema', json_schema: { name: 'used_price_estimate', strict: true, schema: { type: 'object' } } });
  t.same(body.messages?.map((m) => m.role), ['system', 'user']);
});

t.test('an answer reports the tokens it cost', async (t) => {
  const { fake, llm } = await setup(t);
  const r = await llm.estimate(REQ);
  if (!r.ok) throw new Error(r.failure.message);
  const u = fake.lastUsage!;
  t.same(r.value.usage, { input: u.prompt_tokens, output: u.completion_tokens, total: u.total_tokens });
  t.equal(r.value.model, 'gpt-test-mini');
  t.same(r.value.estimate, TABLET_ANSWER);
});

t.test('HTTP failures, each told apart, none thrown', async (t) => {
  const { fake, llm } = await setup(t);
  const cases: [OpenAiFault, string, number | null, string | null][] = [
    ['unauthorized', 'unauthorized', 401, 'invalid_api_key'],
    ['quota', 'quota', 429, 'insufficient_quota'],
    ['rate-limited', 'rate-limited', 429, 'rate_limit_exceeded'],
    ['server-error', 'upstream', 500, 'server_error'],
    ['overloaded', 'upstream', 503, 'server_error'],
    ['bad-request', 'rejected', 400, 'invalid_request_error'],
    ['model-not-found', 'rejected', 404, 'model_not_found'],
    ['garbage', 'malformed', 200, null],
    ['garbage-json', 'malformed', 200, null],
    ['wrong-shape', 'malformed', 200, null],
  ];
  for (const [fault, kind, status, code] of cases) {
    fake.failNext(fault);
    t.match(failureOf(await llm.estimate(REQ)), { kind, status, code, usage: null }, `${fault}: ${kind}`);
  }
});

t.test('answers that cannot be used: refused or off the schema, with the tokens they still cost', async (t) => {
  const { fake, llm } = await setup(t);
  const cases: [OpenAiFault, string, string | null][] = [
    ['refusal', 'refused', 'refusal'],
    ['content-filter', 'refused', 'content_filter'],
    ['length', 'schema-mismatch', 'length'],
    ['prose', 'schema-mismatch', null],
    ['off-schema', 'schema-mismatch', null],
    ['inconsistent', 'schema-mismatch', null],
    ['extra-field', 'schema-mismatch', null],
  ];
  for (const [fault, kind, code] of cases) {
    fake.failNext(fault);
    const f = failureOf(await llm.estimate(REQ));
    t.match(f, { kind, status: 200, code }, `${fault}: ${kind}`);
    t.same(f.usage, { input: fake.lastUsage!.prompt_tokens, output: fake.lastUsage!.completion_tokens, total: fake.lastUsage!.total_tokens }, `${fault}: tokens reported`);
  }
  fake.failNext('inconsistent');
  t.match(failureOf(await llm.estimate(REQ)).message, /low <= typical <= high|low <= high/, 'the message says which rule broke');
});

t.test('a wrong key: unauthorized, and no part of any key in the message', async (t) => {
  const { fake } = await setup(t);
  const wrong = 'sk-wrong-key-0123456789abcdef';
  const llm = new OpenAiEstimator({ apiKey: wrong, baseURL: fake.baseURL, model: 'gpt-test-mini', timeoutMs: 5000, maxRetries: 0 });
  const f = failureOf(await llm.estimate(REQ));
  t.match(f, { kind: 'unauthorized', status: 401, code: 'invalid_api_key' });
  t.notMatch(f.message, /sk-|0123|cdef|\*\*\*/, 'the fake quotes the key masked, as OpenAI does; the message does not');
});

t.test('not configured: no call is made', async (t) => {
  const { fake } = await setup(t);
  for (const apiKey of [undefined, '']) {
    const llm = new OpenAiEstimator({ apiKey, baseURL: fake.baseURL, model: 'gpt-test-mini', timeoutMs: 5000, maxRetries: 0 });
    t.equal(failureOf(await llm.estimate(REQ)).kind, 'not-configured');
  }
  t.equal(fake.calls, 0);
});

t.test('time-outs bound the whole call: headers, body and retries', async (t) => {
  for (const fault of ['hang', 'stall-body'] as const) {
    // No upper bound on the time (a loaded machine makes anything slow): a call without its time-out would
    // hang on the fake, which holds it open, and the test's own timeout would fail it. What is asserted is
    // that the time-out fired (the fake saw its request aborted), not before the deadline, and that no
    // retry followed once the deadline had passed.
    const { fake, llm } = await setup(t, { timeoutMs: 600, maxRetries: 2 });
    fake.failNext(fault, 3);
    const t0 = performance.now();
    const f = failureOf(await llm.estimate(REQ));
    const ms = performance.now() - t0;
    t.equal(f.kind, 'timeout', `${fault}: timeout`);
    t.ok(ms >= 550, `${fault}: not before the deadline (${Math.round(ms)} ms)`);
    await fake.abortedAtLeast(1);
    t.equal(fake.aborted, 1, `${fault}: the fake saw its one request aborted`);
    t.equal(fake.requests.length, 1, `${fault}: the one attempt was cut short, none followed`);
  }
});

t.test('retries come from the options', async (t) => {
  const { fake, llm } = await setup(t, { maxRetries: 1 });
  fake.failNext('server-error');
  const r = await llm.estimate(REQ);
  t.ok(r.ok, 'a 500 then an answer: the retry got it');
  t.equal(fake.calls, 2, 'one call and one retry');
});

t.test('no server: network', async (t) => {
  const llm = new OpenAiEstimator({ apiKey: KEY, baseURL: `${await deadOrigin()}/v1`, model: 'gpt-test-mini', timeoutMs: 5000, maxRetries: 0 });
  t.match(failureOf(await llm.estimate(REQ)), { kind: 'network', status: null });
});
