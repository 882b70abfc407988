// Chat with sellers in real headless Chromium against a real server in this process: a buyer opens the
// room from the live auction page; buyer and seller, in two browser contexts, each see the other's
// message within a second; the seller's unread count shows live and clears once read (also after a
// reload, from the server); read receipt and typing indicator; markup stays text; a cut socket resumes
// without a gap or a duplicate; history by cursor; a report; a block refuses the buyer's next message
// with a readable error; once unblocked, an offline seller finds the message through the inbox's item.
// No page may break its Content-Security-Policy.
import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import t from 'tap';
import { person, signUpAndVerify } from '../accounts/helpers.ts';
import { api, boot, HOUR, rid } from '../gateway/harness.ts';
import { toolMissing } from '../helpers/tools.ts';
import { CHROMIUM, launchChromium, signedIn as signIn } from './signed-in.ts';
import { eventually } from '../market/fixtures.ts';

const SEEN_WITHIN_MS = 1000;

if (!existsSync(CHROMIUM)) {
  toolMissing(t, CHROMIUM, 'chromium');
} else {
  // Pages of three, so the history's older pages are asked for by cursor.
  const s = await boot({ CHAT_PAGE_SIZE: '3' });
  t.teardown(() => s.stop());
  const browser: Browser = await launchChromium(t);

  const problems: string[] = [];
  const signedIn = (email: string, prepare?: (c: BrowserContext) => Promise<void>): Promise<Page> => signIn(browser, email, { baseURL: s.http, problems, prepare });

  const sellerP = person();
  const token = (await signUpAndVerify(s, sellerP)).body.accessToken as string;
  const product = await api(s.http, 'POST', '/api/v1/products', { token, body: { name: '옥장판 싱글' } });
  const now = Date.now();
  const created = await api(s.http, 'POST', '/api/v1/auctions', {
    token, key: rid('c'), body: { productId: product.body.id, startPrice: 10_000, startsAt: now, endsAt: now + HOUR },
  });
  const auction = created.body.id as string;
  const opened = await api(s.http, 'POST', `/api/v1/auctions/${auction}/open`, { token, key: rid('o') });
  if (opened.status !== 200) throw new Error(`open: ${opened.status} ${JSON.stringify(opened.body)}`);
  const buyerP = person();
  await signUpAndVerify(s, buyerP);
  // The buyer's socket passes through the test, which can cut it and refuse new ones for a while.
  let link: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  let refusing = false;
  const throughTest = (c: BrowserContext) => c.routeWebSocket(/\/ws$/, (ws) => {
    if (refusing) return void ws.close({ code: 1011, reason: 'test: down' });
    link = { page: ws, server: ws.connectToServer() };
  });
  const [seller, buyer] = await Promise.all([signedIn(sellerP.email), signedIn(buyerP.email, throughTest)]);

  /** `from` sends `text` with Enter; `to` must show it within a second. Returns that delay. */
  async function sentSeen(from: Page, to: Page, text: string): Promise<number> {
    await from.getByRole('textbox', { name: '메시지' }).fill(text);
    const seen = to.locator('.chat-text', { hasText: text }).waitFor({ timeout: SEEN_WITHIN_MS });
    const started = Date.now();
    await from.getByRole('textbox', { name: '메시지' }).press('Enter');
    await seen;
    return Date.now() - started;
  }

  t.test('buyer and seller chat, each seeing the other within a second; unread clears when read', async (t) => {
    await buyer.goto(`/auctions/${auction}`);
    await buyer.getByRole('button', { name: '판매자에게 문의하기' }).click();
    await buyer.waitForURL(/\/chat\/[^/]+$/);
    const room = decodeURIComponent(new URL(buyer.url()).pathname.split('/')[2]);
    await buyer.getByText('아직 메시지가 없습니다.').waitFor();
    await buyer.locator('.conn-live').waitFor();

    await seller.goto('/chat');
    const row = seller.locator(`.chat-rooms li[data-room="${room}"]`);
    await row.waitFor();
    await seller.locator('.conn-live').waitFor();
    t.equal(await row.locator('.chat-unread').count(), 0, 'no unread yet');

    // The list follows its rooms live: the buyer's message counts as unread at once.
    const unread = row.locator('.chat-unread[data-unread="1"]').waitFor({ timeout: SEEN_WITHIN_MS });
    await buyer.getByRole('textbox', { name: '메시지' }).fill('안녕하세요, 아직 판매 중인가요?');
    await buyer.getByRole('textbox', { name: '메시지' }).press('Enter');
    await unread;
    t.match(await row.locator('.chat-last').textContent(), '아직 판매 중인가요?', 'with the last message');

    await row.getByRole('link').click();
    await seller.locator('.chat-text', { hasText: '아직 판매 중인가요?' }).waitFor();
    await buyer.locator('.chat-msg.mine .chat-seen').waitFor({ timeout: SEEN_WITHIN_MS });
    t.pass('the buyer sees the read receipt');

    await seller.getByRole('textbox', { name: '메시지' }).pressSequentially('네');
    await buyer.getByText('상대가 입력하고 있습니다…').waitFor({ timeout: SEEN_WITHIN_MS });
    t.pass('the buyer sees the seller typing');
    const reply = await sentSeen(seller, buyer, '네, 판매 중입니다. 직거래도 됩니다.');
    t.ok(reply < SEEN_WITHIN_MS, `the buyer saw the seller's message in ${reply} ms`);
    const ask = await sentSeen(buyer, seller, '내일 저녁에 가능할까요?\n부산입니다.');
    t.ok(ask < SEEN_WITHIN_MS, `the seller saw the buyer's message in ${ask} ms`);

    const markup = '<b>굵게</b> & <img src=x>';
    await sentSeen(buyer, seller, markup);
    t.equal(await seller.locator('.chat-log b, .chat-log img').count(), 0, 'markup is not interpreted');
    t.equal(await seller.locator('.chat-text').last().textContent(), markup, 'it is shown as text');
    t.same(await seller.locator('.chat-msg').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-seq')))), [1, 2, 3, 4], 'in order, once each');

    await seller.getByRole('link', { name: '채팅 목록' }).click();
    await row.waitFor();
    t.equal(await row.locator('.chat-unread').count(), 0, 'read: no unread count');
    await seller.reload();
    await row.waitFor();
    t.equal(await row.locator('.chat-unread').count(), 0, 'nor from the server after a reload');
  });

  t.test('the buyer\'s socket drops: what came meanwhile arrives once, in order; what the buyer sent is delivered once', async (t) => {
    if (link === null) throw new Error('the buyer\'s socket did not pass through the test');
    await seller.locator('.chat-rooms a').first().click();
    await seller.locator('.chat-msg[data-seq="4"]').waitFor();
    const before = 4;
    refusing = true;
    const { page, server } = link as { page: WebSocketRoute; server: WebSocketRoute };
    await server.close();
    await page.close({ code: 1001, reason: 'test: cut' });
    await buyer.locator('.conn-down').waitFor();
    await seller.getByRole('textbox', { name: '메시지' }).fill('연결이 끊긴 사이에 보낸 메시지');
    await seller.getByRole('textbox', { name: '메시지' }).press('Enter');
    await seller.locator('.chat-text', { hasText: '연결이 끊긴 사이에 보낸 메시지' }).waitFor();
    await buyer.getByRole('textbox', { name: '메시지' }).fill('끊긴 동안 쓴 답장');
    await buyer.getByRole('textbox', { name: '메시지' }).press('Enter');
    refusing = false;
    await buyer.locator('.conn-live').waitFor({ timeout: 20_000 });
    await buyer.locator('.chat-text', { hasText: '연결이 끊긴 사이에 보낸 메시지' }).waitFor();
    await seller.locator('.chat-text', { hasText: '끊긴 동안 쓴 답장' }).waitFor();
    const seqs = (p: Page) => p.locator('.chat-msg').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-seq'))));
    await buyer.locator('.chat-text', { hasText: '끊긴 동안 쓴 답장' }).waitFor();
    t.same(await seqs(buyer), Array.from({ length: before + 2 }, (_, i) => i + 1), 'the buyer has every message once, in order');
    t.same(await seqs(seller), [2, 3, 4, 5, 6], 'so has the seller, from the latest page it opened the room with');
  });

  t.test('a reload shows the latest page; older ones by cursor; a message is reported', async (t) => {
    await buyer.reload();
    await buyer.locator('.chat-msg').first().waitFor();
    const all = 6;
    const seqs = () => buyer.locator('.chat-msg').evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-seq'))));
    t.same(await seqs(), [all - 2, all - 1, all], 'the latest three');
    while (await buyer.getByRole('button', { name: '이전 메시지 더 보기' }).isVisible()) {
      const had = (await seqs()).length;
      await buyer.getByRole('button', { name: '이전 메시지 더 보기' }).click();
      await buyer.locator('.chat-msg').nth(had).waitFor();
    }
    t.same(await seqs(), Array.from({ length: all }, (_, i) => i + 1), 'every message, once, in order');

    await buyer.locator('.chat-msg.theirs').first().getByRole('button', { name: /신고/ }).click();
    await buyer.getByLabel('신고 사유').fill('연락처를 계속 요구합니다');
    await buyer.getByRole('button', { name: '신고하기' }).click();
    await buyer.locator('.toast', { hasText: '신고했습니다' }).waitFor();
    t.equal(await buyer.getByLabel('신고 사유').count(), 0, 'the form closes');
  });

  t.test('a block refuses the buyer\'s message with a readable error', async (t) => {
    await seller.getByRole('button', { name: '차단하기' }).click();
    await seller.getByRole('button', { name: '차단 해제' }).waitFor();
    await buyer.getByRole('textbox', { name: '메시지' }).fill('여보세요?');
    await buyer.getByRole('textbox', { name: '메시지' }).press('Enter');
    await buyer.getByRole('alert').filter({ hasText: '차단해' }).waitFor();
    t.equal(await buyer.getByRole('textbox', { name: '메시지' }).inputValue(), '여보세요?', 'the text is kept to send again');
    t.equal(await seller.locator('.chat-text', { hasText: '여보세요?' }).count(), 0, 'nothing reached the seller');
  });

  t.test('unblocked, offline: the message waits in the seller\'s inbox, whose item opens the room', async (t) => {
    await seller.getByRole('button', { name: '차단 해제' }).click();
    await seller.getByRole('button', { name: '차단하기' }).waitFor();
    const context = seller.context();
    await seller.close();
    await buyer.getByRole('textbox', { name: '메시지' }).fill('오프라인일 때 보낸 메시지');
    await buyer.getByRole('textbox', { name: '메시지' }).press('Enter');
    await buyer.locator('.chat-text', { hasText: '오프라인일 때 보낸 메시지' }).waitFor();
    await eventually(async () => {
      const items = (await api(s.http, 'GET', '/api/v1/inbox', { token })).body.items as { kind: string }[];
      return items.some((i) => i.kind === 'chat') || undefined;
    }, 5000, 'a chat item in the seller\'s inbox');
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto('/me/inbox');
    await page.getByRole('link', { name: '이 경매에 관한 새 채팅 메시지' }).click();
    await page.waitForURL(/\/chat\/[^/]+$/);
    await page.locator('.chat-text', { hasText: '오프라인일 때 보낸 메시지' }).waitFor();
    t.pass('the inbox item opened the room with the message');
  });

  t.test('no page broke its Content-Security-Policy or threw', async (t) => {
    t.same(problems, []);
  });
}
