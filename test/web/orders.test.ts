// Orders on my page in real headless Chromium against a real server and the loopback fake Toss: the
// winner opens the checkout, which loads the fake's payment-window SDK; a cancelled window lands on the
// fail page with Toss's code; a paid one redirects to /orders/pay/success, which shows the order PAID,
// and a reload confirms nothing twice; the seller ships it with a tracking number; the buyer confirms
// receipt; each side's orders tab shows the state as it changes. Without Toss keys, the checkout reads as
// a sentence (501 PAYMENTS_NOT_CONFIGURED). No page may break its Content-Security-Policy.
import { existsSync } from 'node:fs';
import { type Page } from 'playwright-core';
import t from 'tap';
import { newUser } from '../accounts/helpers.ts';
import { FakeToss } from '../fakes/toss.ts';
import { api, boot, type Booted } from '../gateway/harness.ts';
import { soldOrder } from '../helpers/sold.ts';
import { toolMissing } from '../helpers/tools.ts';
import { CHROMIUM, launchChromium, signedIn as signIn } from './signed-in.ts';

if (!existsSync(CHROMIUM)) {
  toolMissing(t, CHROMIUM, 'chromium');
} else {
  const fake = await FakeToss.start();
  t.teardown(() => fake.close());
  const s = await boot(
    { TOSS_SECRET_KEY: fake.secretKey, TOSS_CLIENT_KEY: 'test_ck_web', TOSS_API_BASE: fake.baseUrl, TOSS_SDK_URL: `${fake.baseUrl}/v2/standard` },
    { payments: { tickMs: 50, tossTimeoutMs: 500 } },
  );
  t.teardown(() => s.stop());
  const browser = await launchChromium(t);
  const problems: string[] = [];
  const signedIn = (email: string, on: Booted = s): Promise<Page> => signIn(browser, email, { baseURL: on.http, problems });

  t.test('the buyer pays through the success redirect, the seller ships, the buyer confirms receipt', async (t) => {
    const seller = await newUser(s);
    const buyer = await newUser(s);
    const order = (await soldOrder(s.http, seller.access, buyer.access)).order;

    const bp = await signedIn(buyer.person.email);
    const sp = await signedIn(seller.person.email);
    const row = (p: Page) => p.locator(`tr[data-order="${order}"]`);

    // The buyer's row offers to pay: a full load of the checkout, whose policy alone lets Toss's script in.
    await bp.goto('/me/orders');
    await row(bp).getByText('결제 대기').waitFor();
    const openCheckout = async () => {
      await row(bp).getByRole('link', { name: '결제하기' }).click();
      await bp.waitForURL(`**/orders/${order}/pay`);
      await bp.locator('.checkout-amount', { hasText: '12,000원' }).waitFor();
    };
    await openCheckout();
    const policy = String((await bp.request.get(`/orders/${order}/pay`)).headers()['content-security-policy']);
    t.match(policy, new RegExp(`script-src 'self' ${fake.baseUrl.replace(/[.]/g, '\\.')}(;|$)`), "the checkout's policy names Toss's SDK origin");
    const elsewhere = String((await bp.request.get('/me/orders')).headers()['content-security-policy']);
    t.notOk(elsewhere.includes(fake.baseUrl) || elsewhere.includes('tosspayments'), 'no other page does');

    // The buyer closes Toss's window: Toss sends them to the fail page with its code; nothing is charged.
    fake.nextWindow = 'cancel';
    await bp.getByRole('button', { name: '토스로 12,000원 결제' }).click();
    await bp.waitForURL('**/orders/pay/fail?**');
    await bp.getByText('PAY_PROCESS_CANCELED').waitFor();
    await bp.getByText('사용자에 의해 결제가 취소되었습니다.').waitFor();
    t.equal(fake.toss.charges(order), 0, 'a cancelled window charges nothing');

    // Again, reached by the app's own navigation this time (as after signing in): the page reloads itself
    // as the checkout document, else its policy would refuse Toss's script. The buyer pays: Toss
    // redirects to the success page, which confirms it.
    await bp.goto('/me/orders');
    await row(bp).getByText('결제 대기').waitFor();
    await bp.evaluate((id) => {
      history.pushState(null, '', `/orders/${id}/pay`);
      dispatchEvent(new PopStateEvent('popstate'));
    }, order);
    await bp.locator('.checkout-amount', { hasText: '12,000원' }).waitFor();
    await bp.getByRole('button', { name: '토스로 12,000원 결제' }).click();
    await bp.waitForURL('**/orders/pay/success?**');
    await bp.locator('.pay-result[data-status="PAID"]').waitFor();
    t.match(await bp.locator('.pay-result').textContent(), /12,000원 · 결제 완료/);
    t.match(fake.windows.at(-1), {
      clientKey: 'test_ck_web', orderId: order, amount: 12_000, successUrl: `${s.http}/orders/pay/success`, failUrl: `${s.http}/orders/pay/fail`,
    }, "Toss's window was asked for the order's amount, to come back to this origin");
    await bp.reload(); // the same redirect again: the same write, answered as before
    await bp.locator('.pay-result[data-status="PAID"]').waitFor();
    t.equal(fake.toss.charges(order), 1, 'charged once');
    t.equal(fake.requests.filter((r) => r.url === '/v1/payments/confirm').length, 1, 'confirmed at Toss once across the reload');

    // The seller ships with a tracking number.
    await sp.goto('/me/orders');
    await row(sp).getByText('결제 완료').waitFor();
    await row(sp).getByRole('button', { name: '발송하기' }).click();
    await row(sp).getByLabel('택배사').fill('CJ대한통운');
    await row(sp).getByLabel('운송장 번호').fill('1234-5678');
    await row(sp).getByRole('button', { name: '발송 등록' }).click();
    await row(sp).locator('.order-status', { hasText: '배송 중' }).waitFor();
    t.match(await row(sp).locator('.order-status').textContent(), /CJ대한통운 1234-5678/);

    // The buyer sees it shipped and confirms receipt.
    await bp.goto('/me/orders');
    await row(bp).locator('.order-status', { hasText: '배송 중' }).waitFor();
    await row(bp).getByRole('button', { name: '수령 확인' }).click();
    await row(bp).locator('.order-status', { hasText: '구매 확정' }).waitFor();
    t.equal(await row(bp).getByRole('button').count(), 0, 'nothing left to do');
    t.match((await api(s.http, 'GET', `/api/v1/orders/${order}`, { token: buyer.access })).body, { status: 'CONFIRMED' });

    t.same(problems, [], 'no page error, nothing the policy refused');
  });

  t.test('without Toss keys, paying says payments are not set up', async (t) => {
    const bare = await boot();
    t.teardown(() => bare.stop());
    const seller = await newUser(bare);
    const buyer = await newUser(bare);
    const order = (await soldOrder(bare.http, seller.access, buyer.access)).order;
    const bp = await signedIn(buyer.person.email, bare);
    await bp.goto('/me/orders');
    const row = bp.locator(`tr[data-order="${order}"]`);
    await row.getByRole('link', { name: '결제하기' }).click();
    await bp.waitForURL(`**/orders/${order}/pay`);
    const alert = bp.locator('.form-error[role="alert"]');
    await alert.waitFor();
    t.equal(await alert.textContent(), '이 서버에는 결제가 설정되어 있지 않습니다(토스 키 없음).', 'the 501 in words');
    t.same(problems, [], 'no page error, nothing the policy refused');
  });
}
