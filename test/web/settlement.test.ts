// Settlement in real headless Chromium against a real server in this process: a seller enters a payout
// account on my page; money is seeded through the LedgerPostings seam (as payments posts it); an admin
// runs the period from the admin page and reads its report, every settlement and the ledger; the seller
// sees the settlement, its lines and its CSV. Refusals read as sentences: a non-admin at the admin page,
// a period that has not ended. No page may break its Content-Security-Policy. One browser, one test;
// screenshots of both pages are written under .tap/web/.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type Page } from 'playwright-core';
import t from 'tap';
import { feeOf } from '../../engine/settlement/fees.ts';
import { lastEndedPeriod } from '../../engine/settlement/periods.ts';
import { newUser } from '../accounts/helpers.ts';
import { boot } from '../gateway/harness.ts';
import { toolMissing } from '../helpers/tools.ts';
import { CHROMIUM, launchChromium, signedIn as signIn } from './signed-in.ts';

const DAY = 86_400_000;
const OUT = path.resolve(import.meta.dirname, '../../.tap/web');

if (!existsSync(CHROMIUM)) {
  toolMissing(t, CHROMIUM, 'chromium');
} else {
  const s = await boot();
  t.teardown(() => s.stop());
  const browser = await launchChromium(t);
  const problems: string[] = [];
  const signedIn = (email: string): Promise<Page> => signIn(browser, email, { baseURL: s.http, problems });

  t.test('an admin runs a settlement from the page; the seller sees it, its lines and its CSV', async (t) => {
    const seller = await newUser(s);
    const admin = await newUser(s);
    await s.server.accounts.setRole(admin.userId, 'ADMIN'); // as `npm run admin:grant` does, before signing in

    // The seller's payout account, through my page.
    const sp = await signedIn(seller.person.email);
    await sp.goto('/me/settlements');
    await sp.getByText('정산 내역이 없습니다.').waitFor();
    await sp.getByLabel('은행 코드').fill('088');
    await sp.getByLabel('계좌번호 (숫자만)').fill('110123456789');
    await sp.getByLabel('예금주').fill('김민지');
    await sp.getByRole('button', { name: '저장' }).nth(1).click();
    await sp.getByText('계좌를 등록해야').waitFor({ state: 'detached' });

    // A non-admin at the admin page is told so, in words, and offered no run.
    await sp.goto('/admin/settlement');
    await sp.getByText('관리자만').first().waitFor();
    t.equal(await sp.getByRole('button', { name: '정산 실행하기' }).count(), 0, 'no run button for a seller');

    // Two orders paid and confirmed yesterday (Seoul), one of them partly refunded.
    const rt = s.server.settlement;
    const period = lastEndedPeriod(Date.now());
    const at = Date.parse(`${period}T03:00:00Z`); // noon in Seoul
    const orders = [{ id: `o-${seller.userId}-1`, paid: 12_000, kept: 12_000 }, { id: `o-${seller.userId}-2`, paid: 30_000, kept: 20_000 }];
    for (const o of orders) {
      await rt.store.post(rt.service.captured({ orderId: o.id, sellerId: seller.userId, amount: o.paid, at }));
      if (o.kept < o.paid) await rt.store.post(rt.service.refunded({ orderId: o.id, sellerId: seller.userId, refundId: `${o.id}-r`, amount: o.paid - o.kept, at: at + 1 }));
      await rt.store.post(await rt.service.confirmed({ orderId: o.id, sellerId: seller.userId, categoryId: null, price: o.kept, at: at + 2 }));
    }
    const fees = orders.map((o) => feeOf(o.kept, 500, 100)); // AUTO's built-in 5 %, at least 100 won
    const total = orders.reduce((sum, o, i) => sum + o.kept - fees[i], 0);
    const wonText = (n: number) => `${n.toLocaleString('ko-KR')}원`;

    // The admin: a period that has not ended is refused readably; the ended one runs.
    const ap = await signedIn(admin.person.email);
    await ap.goto('/admin/settlement');
    const periodField = ap.getByLabel('정산 기간 (날짜)');
    t.equal(await periodField.inputValue(), period, 'the form offers the period that ended last');
    await periodField.fill(lastEndedPeriod(Date.now() + 2 * DAY));
    await ap.getByRole('button', { name: '정산 실행하기' }).click();
    await ap.getByRole('alert').filter({ hasText: '아직 끝나지 않은 날입니다' }).waitFor();
    await periodField.fill(period);
    await ap.getByRole('button', { name: '정산 실행하기' }).click();
    const report = ap.getByRole('region', { name: `${period} 정산 결과` });
    await report.waitFor();
    t.match(await report.textContent(), new RegExp(`새 정산1.*지급액${wonText(total)}.*계좌 없어 보류0.*지급 완료1`), 'the report: one settlement, paid');
    const all = ap.getByRole('table', { name: '전체 정산' });
    await all.getByText(seller.userId, { exact: true }).waitFor();
    t.match(await all.textContent(), new RegExp(`${period}${wonText(total)}지급 완료2`), 'every settlement, with its two orders');
    await all.getByText('2', { exact: true }).click(); // the row's orders, opened from its summary
    t.same(await all.locator('.lines li code').allTextContents(), orders.map((o) => o.id), 'the admin sees its lines');
    const balances = ap.getByRole('table', { name: '원장 잔액' });
    await balances.getByText(`paid_out:${seller.userId}`).waitFor();
    t.match(await balances.locator('tr', { hasText: `paid_out:${seller.userId}` }).textContent(), wonText(total), 'the ledger shows it paid out');

    // Fee policies: add one, see it, delete it.
    await ap.getByRole('link', { name: '수수료 정책' }).click();
    await ap.getByLabel('수수료율 (%)').fill('3.5');
    await ap.getByLabel('최소 수수료 (원)').fill('200');
    await ap.getByRole('button', { name: '추가' }).click();
    const row = ap.locator('.rows li', { hasText: '3.5% (최소 200원)' });
    await row.waitFor();
    await row.getByRole('button', { name: /삭제$/ }).click();
    await ap.getByText('등록된 정책이 없습니다.').waitFor();

    // The seller sees the settlement, its lines and its CSV.
    await sp.goto('/me/settlements');
    const card = sp.getByRole('article', { name: `${period} 정산` });
    await card.waitFor();
    t.match(await card.locator('.settlement-amount').textContent(), wonText(total), 'the seller sees what was paid');
    await card.getByText('지급 완료').waitFor();
    const lines = await card.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent)));
    t.same(lines, orders.map((o, i) => [o.id, wonText(o.kept), wonText(fees[i]), wonText(o.kept - fees[i])]), 'a line per order: price, fee, net');
    const [download] = await Promise.all([sp.waitForEvent('download'), card.getByRole('button', { name: `${period} 정산 CSV 내려받기` }).click()]);
    const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r?\n/).map((r) => r.split(','));
    t.equal(csv.length, 4, 'header, two orders, total');
    t.equal(Number(csv.at(-1)![4]), total, 'the CSV adds up to what was paid');

    // The plan, chosen on the same page, is kept (it applies to orders confirmed from now on).
    await sp.getByLabel('정산 방식 선택').selectOption('IMMEDIATELY');
    await sp.getByRole('button', { name: '저장' }).first().click();
    await sp.getByText('저장했습니다.').first().waitFor();
    await sp.reload();
    await sp.getByRole('article', { name: `${period} 정산` }).waitFor();
    t.equal(await sp.getByLabel('정산 방식 선택').inputValue(), 'IMMEDIATELY', 'the plan is kept');

    mkdirSync(OUT, { recursive: true });
    const shots = { seller: path.join(OUT, 'settlements-seller.png'), admin: path.join(OUT, 'settlements-admin.png') };
    await sp.screenshot({ path: shots.seller, fullPage: true });
    await ap.goto('/admin/settlement');
    await ap.getByRole('table', { name: '원장 잔액' }).waitFor();
    await ap.screenshot({ path: shots.admin, fullPage: true });
    console.log(`# screenshots of the settlement pages: ${shots.seller} ${shots.admin}`);

    t.same(problems, [], 'no page broke its Content-Security-Policy or threw');
  });
}
