// A phone-sized Korean browser context signed in through the page's own form, for the web app's tests.
// Page errors and Content-Security-Policy refusals are collected in `problems`, which each test asserts
// empty at its end.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PASSWORD } from '../accounts/helpers.ts';

export interface SignInOptions {
  baseURL: string;
  problems: string[];
  /** Set up the context before the first page (routes, for one). */
  prepare?: (c: BrowserContext) => Promise<void>;
}

export async function signedIn(browser: Browser, email: string, o: SignInOptions): Promise<Page> {
  const context = await browser.newContext({ baseURL: o.baseURL, viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
  await o.prepare?.(context);
  const page = await context.newPage();
  page.on('pageerror', (e) => o.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) o.problems.push(`policy: ${m.text()}`);
  });
  await page.goto('/signin');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  return page;
}
