// The payments section of the configuration: Toss Payments' keys, API and browser SDK, the redirects, the
// order's timers and the non-payment rule (docs/payments.md).
import { z } from 'zod';
import { int, type EnvOf } from '../config-env.ts';

export const paymentsEnv = {
  TOSS_SECRET_KEY: z.string().min(1).optional(),
  TOSS_CLIENT_KEY: z.string().min(1).optional(),
  TOSS_API_BASE: z.string().regex(/^https?:\/\/[^\s?#]+$/, 'must be an http(s) URL without query or fragment').default('https://api.tosspayments.com'),
  // Toss's payment-window SDK, which the web app's checkout loads (and its policy allows) in the browser.
  TOSS_SDK_URL: z.string().regex(/^https?:\/\/[^\s?#]+$/, 'must be an http(s) URL without query or fragment').default('https://js.tosspayments.com/v2/standard'),
  ORDER_AUTO_CONFIRM_DAYS: int(7, 1, 60),
  NONPAYMENT_STRIKES_MAX: int(3, 1, 100),
};

export interface PaymentsConfig {
  /** Both keys, or null: then payment routes answer 501 PAYMENTS_NOT_CONFIGURED and the rest works. */
  toss: { secretKey: string; clientKey: string; apiBase: string; sdkUrl: string } | null;
  /** Where Toss's widget sends the buyer back (under PUBLIC_BASE_URL). */
  successUrl: string;
  failUrl: string;
  autoConfirmMs: number;
  strikesMax: number;
}

interface Shared {
  PUBLIC_BASE_URL?: string;
  PORT: number;
}

export function paymentsConfig(e: EnvOf<typeof paymentsEnv> & Shared, problems: string[]): PaymentsConfig {
  const hasSecret = e.TOSS_SECRET_KEY !== undefined;
  const hasClient = e.TOSS_CLIENT_KEY !== undefined;
  if (hasSecret !== hasClient) problems.push(`${hasSecret ? 'TOSS_CLIENT_KEY' : 'TOSS_SECRET_KEY'}: required with ${hasSecret ? 'TOSS_SECRET_KEY' : 'TOSS_CLIENT_KEY'} (payments need both keys, or neither)`);
  const base = (e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    toss: hasSecret && hasClient ? { secretKey: e.TOSS_SECRET_KEY!, clientKey: e.TOSS_CLIENT_KEY!, apiBase: e.TOSS_API_BASE.replace(/\/+$/, ''), sdkUrl: e.TOSS_SDK_URL } : null,
    successUrl: `${base}/orders/pay/success`,
    failUrl: `${base}/orders/pay/fail`,
    autoConfirmMs: e.ORDER_AUTO_CONFIRM_DAYS * 86_400_000,
    strikesMax: e.NONPAYMENT_STRIKES_MAX,
  };
}
