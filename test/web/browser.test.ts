// The web app in real headless Chromium (Debian's, driven by playwright-core) against a real server in
// this process: a seller signs in and lists an auction with a picture through the sell page; a newcomer
// signs up through the link the server mailed; two bidders in two browser contexts bid against each
// other and each sees the other's bid within a second; the outbid toast; a soft-close extension moves
// the countdown; a reload keeps the session (and the socket bids again as that user); a screenshot of
// the live auction page is written under .tap/web/. No page may break its Content-Security-Policy.
// Every wait is on a condition, never a fixed sleep.
import { existsSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import t from 'tap';
import { PASSWORD, person, signUpAndVerify } from '../accounts/helpers.ts';
import { boot, type Booted } from '../gateway/harness.ts';
import { toolMissing } from '../helpers/tools.ts';
import { matPng } from './png.ts';
import { CHROMIUM, launchChromium, phonePage } from './signed-in.ts';

const OUT = path.resolve(import.meta.dirname, '../../.tap/web');
const SEEN_WITHIN_MS = 1000;

/** A port for the server, known before it starts, so the mailed links name it (PUBLIC_BASE_URL). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

if (!existsSync(CHROMIUM)) {
  toolMissing(t, CHROMIUM, 'chromium');
} else {
  const port = await freePort();
  const s: Booted = await boot({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
  t.teardown(() => s.stop());
  const browser: Browser = await launchChromium(t);

  /** Page errors and policy violations, per page; each must stay empty. */
  const problems: string[] = [];
  const open = (): Promise<{ context: BrowserContext; page: Page }> => phonePage(browser, { baseURL: s.http, problems });

  async function signInThroughPage(page: Page, email: string): Promise<void> {
    await page.goto('/signin');
    await page.getByLabel('이메일').fill(email);
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await page.getByRole('button', { name: '로그인' }).click();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
  }

  const priceIs = (page: Page, won: number, timeout = SEEN_WITHIN_MS) =>
    page.waitForFunction((w) => document.querySelector('.price')?.getAttribute('data-price') === String(w), won, { timeout });
  const leftMs = async (page: Page) => Number(await page.locator('.countdown').getAttribute('data-left-ms'));

  /** `bidder` bids `amount`; `watcher` must show it within a second of the click. Returns that delay. */
  async function bidSeen(bidder: Page, watcher: Page, amount: number): Promise<number> {
    await bidder.getByLabel('입찰가 (원)').fill(String(amount));
    const seen = priceIs(watcher, amount);
    const started = Date.now();
    await bidder.getByRole('button', { name: '입찰', exact: true }).click();
    await seen;
    return Date.now() - started;
  }

  let auctionUrl = '';
  const seller = await open();
  const alice = await open();
  const bob = await open();

  t.test('a seller lists an auction with a picture through the sell page', async (t) => {
    const p = person();
    await signUpAndVerify(s, p);
    const page = seller.page;
    await signInThroughPage(page, p.email);
    await page.getByRole('link', { name: '판매하기' }).first().click();
    await page.getByLabel('상품명').fill('옥장판 전기매트 퀸사이즈');
    await page.getByLabel('설명').fill('두 달 사용했습니다. 온도 조절 잘 됩니다. 직거래 환영.');
    await page.getByLabel('사진').setInputFiles({ name: 'mat.png', mimeType: 'image/png', buffer: matPng() });
    await page.getByRole('img', { name: /사진 1/ }).waitFor();
    await page.getByLabel('시작가 (원)').fill('10000');
    await page.getByLabel('입찰 단위 (원, 선택)').fill('1000');
    await page.getByLabel('즉시 구매가 (원, 선택)').fill('100000');
    await page.getByLabel('기간').selectOption('h1');
    // Every bid in the last two hours of a one-hour auction extends it by a minute, without limit.
    await page.getByText('마감 연장 규칙').click();
    await page.getByLabel('마감 전 몇 분 안의 입찰에 연장할지 (분)').fill('120');
    await page.getByLabel('연장 시간 (분)').fill('1');
    await page.getByLabel('최대 연장 횟수').fill('');
    await page.getByRole('button', { name: '등록하기' }).click();
    await page.waitForURL(/\/auctions\/[^/]+$/);
    auctionUrl = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: '옥장판 전기매트 퀸사이즈' }).waitFor();
    await page.getByText('내가 올린 경매입니다.').waitFor();
    t.match(await page.locator('.gallery-main').getAttribute('src'), /^\/api\/v1\/images\/p\//, 'the picture is shown from the server');
  });

  t.test('a newcomer signs up through the mailed link', async (t) => {
    const p = person();
    const page = alice.page;
    await page.goto('/');
    await page.getByRole('link', { name: '회원가입' }).click();
    await page.getByLabel('이메일').fill(p.email);
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await page.getByLabel('닉네임').fill(p.nickname);
    await page.getByLabel('이름', { exact: true }).fill('김민지');
    await page.getByLabel('지역').selectOption('BUSAN');
    await page.getByRole('button', { name: '가입하기' }).click();
    await page.getByRole('heading', { name: '메일을 확인하세요' }).waitFor();

    const mail = await s.mail.take((m) => m.to === p.email && m.kind === 'verify-email');
    const link = /https?:\/\/\S+#token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0] ?? '';
    t.match(link, `${s.http}/verify-email#token=`, 'the mail links to this server\'s verify-email page');
    await page.goto(link);
    await page.getByRole('heading', { name: '이메일 인증' }).waitFor();
    t.equal(new URL(page.url()).hash, '', 'the token is taken out of the address bar');
    await page.getByLabel('비밀번호').fill(PASSWORD);
    await page.getByRole('button', { name: '인증하고 시작하기' }).click();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await page.getByText('가입이 끝났습니다').waitFor();
    t.equal(new URL(page.url()).pathname, '/');
    const cookies = await alice.context.cookies();
    const refresh = cookies.find((c) => c.name === 'okj_refresh');
    t.match(refresh, { httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth/refresh' }, 'the session is an HttpOnly cookie');
    t.equal(await page.evaluate(() => document.cookie), '', 'which the page cannot read');
  });

  t.test('two bidders see each other\'s bids within a second; outbid toasts; the extension moves the countdown', async (t) => {
    const b = person();
    await signUpAndVerify(s, b);
    await signInThroughPage(bob.page, b.email);
    for (const { page } of [alice, bob]) {
      await page.goto(auctionUrl);
      await page.getByRole('heading', { name: '입찰하기' }).waitFor();
      await page.locator('.conn-live').waitFor();
    }
    const before = await leftMs(bob.page);

    const first = await bidSeen(alice.page, bob.page, 10_000);
    t.ok(first < SEEN_WITHIN_MS, `bob saw alice's bid in ${first} ms`);
    await alice.page.getByText('최고 입찰자입니다').first().waitFor();
    // Soft close: the bid came within the window, so the end moved a minute later, for every watcher.
    await bob.page.waitForFunction((b) => Number(document.querySelector('.countdown')?.getAttribute('data-left-ms')) > b + 50_000, before);
    t.ok((await leftMs(bob.page)) - before > 50_000, 'bob\'s countdown moved by the extension');
    await bob.page.locator('.extended', { hasText: '연장되었습니다' }).waitFor();

    const second = await bidSeen(bob.page, alice.page, 11_000);
    t.ok(second < SEEN_WITHIN_MS, `alice saw bob's bid in ${second} ms`);
    const outbid = alice.page.locator('[role="alert"] .toast', { hasText: '상위 입찰이 나왔습니다' });
    await outbid.waitFor();
    t.match(await outbid.textContent(), /현재가 11,000원/, 'alice is told at once, with the new price');

    const third = await bidSeen(alice.page, bob.page, 12_000);
    t.ok(third < SEEN_WITHIN_MS, `bob saw alice's answer in ${third} ms`);
    await bob.page.locator('[role="alert"] .toast', { hasText: '상위 입찰이 나왔습니다' }).waitFor();
    await bob.page.locator('.history tbody tr').nth(2).waitFor();
    t.equal(await bob.page.locator('.history tbody tr').count(), 3, 'three bids in the history');
    t.notMatch(await bob.page.locator('.history tbody').textContent(), new RegExp(b.nickname), 'bidders are masked');
  });

  t.test('the list recommends the auction being bid on to a visitor', async (t) => {
    const visitor = await open();
    t.teardown(() => visitor.context.close());
    const link = visitor.page.locator(`.recommended a[href="${auctionUrl}"]`);
    // Popularity is taken from the bids as the server's consumer reads them: reload until it has.
    for (let i = 0; ; i++) {
      await visitor.page.goto('/');
      await visitor.page.getByRole('heading', { name: '진행 중인 경매' }).waitFor();
      if (await link.waitFor({ timeout: 1_000 }).then(() => true, () => false)) break;
      if (i === 20) throw new Error('no recommendation after 20 loads');
    }
    t.equal(await visitor.page.getByRole('heading', { name: '추천 경매' }).count(), 1, 'under its heading');
    await link.first().click();
    await visitor.page.getByRole('heading', { name: '옥장판 전기매트 퀸사이즈' }).waitFor();
    t.equal(new URL(visitor.page.url()).pathname, auctionUrl, 'and the card opens it');
  });

  t.test('a reload keeps the session, and the page bids as the same user', async (t) => {
    const page = alice.page;
    await page.reload();
    await page.getByRole('button', { name: '로그아웃' }).waitFor();
    await page.getByRole('heading', { name: '입찰하기' }).waitFor();
    await page.locator('.conn-live').waitFor();
    const after = await bidSeen(page, bob.page, 14_000);
    t.ok(after < SEEN_WITHIN_MS, `after the reload, bob saw alice's bid in ${after} ms`);
    await page.getByText('최고 입찰자입니다').first().waitFor();

    mkdirSync(OUT, { recursive: true });
    const shot = path.join(OUT, 'live-auction.png');
    // A laptop's width, where the picture and the live box sit side by side and toasts keep to a corner.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`# screenshot of the live auction page: ${shot}`);
    t.ok(existsSync(shot), shot);
  });

  t.test('English on request, remembered; keyboard first stop is the skip link', async (t) => {
    const page = bob.page;
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Open auctions' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Open auctions' }).waitFor();
    t.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.keyboard.press('Tab');
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.getByRole('link', { name: '옥장판 전기매트 퀸사이즈' }).first().waitFor(); // recommended, and in the list
  });

  t.test('no page broke its Content-Security-Policy or threw', async (t) => {
    t.same(problems, []);
  });
}
