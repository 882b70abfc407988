// The Toss payouts gateway against the loopback fake speaking Toss's wire format: encrypted requests
// and answers, errors, time-outs and unreadable bodies; and the payout.changed webhook signature.
import t from 'tap';
import type { Payout } from '../../engine/settlement/model.ts';
import { TossPayouts } from '../../storage/settlement/payouts/toss.ts';
import { verifyWebhook, webhookSignature } from '../../storage/settlement/payouts/toss-crypto.ts';
import { FakeTossPayouts, PAYOUT_SECRET_KEY, SECURITY_KEY } from '../fakes/toss-payouts.ts';

const payout = (id: string, amount = 9_500): Payout => ({
  id, sellerId: `seller-${id}`, period: '2026-12-01', amount, account: { bankCode: '088', accountNumber: '110123456789', holderName: 'Kim' },
  status: 'PENDING', reference: null, failure: null, updatedAt: 0,
});

t.test('payouts are sent encrypted and answered requested; a resend pays nothing twice', async (t) => {
  const fake = await FakeTossPayouts.start();
  t.teardown(() => fake.close());
  const gw = new TossPayouts({ secretKey: PAYOUT_SECRET_KEY, securityKey: SECURITY_KEY, baseUrl: fake.baseUrl, timeoutMs: 2_000 });
  const out = await gw.send('2026-12-01', [payout('p1'), payout('p2', 100)]);
  t.match(out.get('p1'), { kind: 'requested', reference: /^FPA_/ });
  t.match(out.get('p2'), { kind: 'requested' });
  const seen = fake.requests[0];
  t.match(seen.jweHeader, { alg: 'dir', enc: 'A256GCM', iat: String, nonce: String });
  t.equal(seen.headers['tosspayments-api-security-mode'], 'ENCRYPTION');
  t.match(seen.body, [{ refPayoutId: 'p1', destination: 'seller-p1', scheduleType: 'EXPRESS', amount: { currency: 'KRW', value: 9_500 } }, { refPayoutId: 'p2' }]);
  const again = await gw.send('2026-12-01', [payout('p1')]);
  t.match(again.get('p1'), { kind: 'requested' }, 'Toss refuses the refPayoutId twice: the webhook decides');
  t.equal(fake.payouts.size, 2, 'paid once');
});

t.test('errors, time-outs and unreadable answers', async (t) => {
  const fake = await FakeTossPayouts.start();
  t.teardown(() => fake.close());
  const gw = new TossPayouts({ secretKey: PAYOUT_SECRET_KEY, securityKey: SECURITY_KEY, baseUrl: fake.baseUrl, timeoutMs: 300 });
  fake.failNext({ status: 400, body: JSON.stringify({ version: '2022-11-16', traceId: 'x', error: { code: 'INVALID_DESTINATION', message: 'no such seller' } }) });
  t.match((await gw.send('2026-12-01', [payout('a')])).get('a'), { kind: 'failed', reason: /INVALID_DESTINATION/ });
  fake.failNext({ status: 500, body: JSON.stringify({ error: { code: 'PROVIDER_ERROR', message: 'oops' } }) });
  t.match((await gw.send('2026-12-01', [payout('b')])).get('b'), { kind: 'unknown' });
  fake.failNext({ status: 200, body: 'not json and not a JWE' });
  t.match((await gw.send('2026-12-01', [payout('c')])).get('c'), { kind: 'unknown', reason: /unreadable/ });
  fake.failNext('hold');
  t.match((await gw.send('2026-12-01', [payout('d')])).get('d'), { kind: 'unknown', reason: /timed out/ });
  const wrong = new TossPayouts({ secretKey: 'test_gsk_wrong', securityKey: SECURITY_KEY, baseUrl: fake.baseUrl, timeoutMs: 2_000 });
  const refused = (await wrong.send('2026-12-01', [payout('e')])).get('e');
  t.match(refused, { kind: 'failed', reason: /UNAUTHORIZED_KEY/ });
  t.notMatch(JSON.stringify(refused), /test_gsk_wrong/, 'no secret in the reason');
  const other = new TossPayouts({ secretKey: PAYOUT_SECRET_KEY, securityKey: 'b2'.repeat(32), baseUrl: fake.baseUrl, timeoutMs: 2_000 });
  t.match((await other.send('2026-12-01', [payout('f')])).get('f'), { kind: 'failed', reason: /INVALID_ENCRYPTION/ }, 'encrypted with another key');
  t.equal(fake.payouts.size, 0, 'nothing was taken');
  t.throws(() => new TossPayouts({ secretKey: 'x', securityKey: 'short', baseUrl: fake.baseUrl }), /64 hexadecimal/);
});

t.test('the webhook signature: HMAC-SHA256 over body:time, any v1 value, constant-time', async (t) => {
  const body = '{"eventType":"payout.changed","data":{"refPayoutId":"p1","status":"COMPLETED"}}';
  const time = '2026-12-02T04:00:00+09:00';
  const sig = webhookSignature(SECURITY_KEY, body, time);
  t.equal(verifyWebhook(SECURITY_KEY, body, time, `v1:${sig}`), true);
  t.equal(verifyWebhook(SECURITY_KEY, body, time, `v1:AAAA,v1:${sig}`), true, 'either value');
  t.equal(verifyWebhook(SECURITY_KEY, body.replace('COMPLETED', 'FAILED'), time, `v1:${sig}`), false, 'a changed body');
  t.equal(verifyWebhook(SECURITY_KEY, body, '2026-12-02T04:00:01+09:00', `v1:${sig}`), false, 'another time');
  t.equal(verifyWebhook(SECURITY_KEY, body, time, `v1:${webhookSignature('c3'.repeat(32), body, time)}`), false, 'another key');
  t.equal(verifyWebhook(SECURITY_KEY, body, time, undefined), false);
  t.equal(verifyWebhook(SECURITY_KEY, body, time, sig), false, 'without v1:');
  t.equal(verifyWebhook(SECURITY_KEY, body, '', `v1:${sig}`), false);
});
