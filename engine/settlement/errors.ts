// Settlement's codes (SPEC §6).
import type { ErrorFragment } from '../error-info.ts';

export const SETTLEMENT_ERRORS = {
  PERIOD_INVALID: { status: 400, socket: 'error', message: 'a period is a date in Asia/Seoul written YYYY-MM-DD' },
  PERIOD_NOT_ENDED: { status: 409, socket: 'error', message: 'this period has not ended yet (its cutoff is the end of that day, Seoul time)' },
  SETTLEMENT_NOT_FOUND: { status: 404, socket: 'error', message: 'no such settlement' },
  FEE_POLICY_INVALID: { status: 400, socket: 'error', message: 'a fee policy needs a plan (AUTO or IMMEDIATELY), rateBps 0-10000, minFee and effectiveFrom as whole numbers' },
  PAYOUT_ACCOUNT_INVALID: { status: 400, socket: 'error', message: 'a payout account needs a bank code, an account number of digits and a holder name' },
  FEE_POLICY_NOT_FOUND: { status: 404, socket: 'error', message: 'no such fee policy' },
  RECONCILIATION_NOT_CONFIGURED: { status: 501, socket: 'error', message: 'reconciliation needs Toss Payments, which is not configured on this server (TOSS_SECRET_KEY)' },
  RECONCILIATION_UNAVAILABLE: { status: 503, socket: 'error', message: 'Toss did not answer the transaction list; retry shortly', retryable: true },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, socket: 'error', message: 'the webhook is not signed by Toss with this server\'s security key; nothing was changed' },
} as const satisfies ErrorFragment;
