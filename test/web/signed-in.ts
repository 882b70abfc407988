// The web app's browser tests: Debian's Chromium launched as this machine allows it, and a phone-sized
// Korean browser context (phonePage), signed in through the page's own form. Page errors and
// Content-Security-Policy refusals are collected in `problems`, which each test asserts empty at its end.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';
import { PASSWORD } from '../accounts/helpers.ts';

/** Debian's package: never a browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium, closed by `t`'s teardown; background networking off (this machine's network is closed). */
export async function launchChromium(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** Records the page's errors and policy refusals in `problems`. */
function watchProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Trusted Type/i.test(m.text())) problems.push(`policy: ${m.text()}`);
  });
}

export interface SignInOptions {
  baseURL: string;
  problems: string[];
  /** Set up the context before the first page (routes, for one). */
  prepare?: (c: BrowserContext) => Promise<void>;
}

/** A fresh phone-sized Korean context on `o.baseURL` and its first page, its problems watched. */
export async function phonePage(browser: Browser, o: SignInOptions): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: o.baseURL, viewport: { width: 390, height: 844 }, locale: 'ko-KR' });
  await o.prepare?.(context);
  const page = await context.newPage();
  watchProblems(page, o.problems);
  return { context, page };
}

export async function signedIn(browser: Browser, email: string, o: SignInOptions): Promise<Page> {
  const { page } = await phonePage(browser, o);
  await page.goto('/signin');
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(PASSWORD);
  await page.getByRole('button', { name: '로그인' }).click();
  await page.getByRole('button', { name: '로그아웃' }).waitFor();
  return page;
}
