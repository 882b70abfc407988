// The default PayoutGateway: a bank-transfer file (CSV, one line per seller) for an operator to upload to
// the bank, stored in the file store. Each call writes one file named by the period and the payouts in it
// (a digest of their ids), so a run retried after a crash rewrites the same file rather than adding a
// second one that would pay the same sellers again; the service marks a file's payouts together.
import { createHash } from 'node:crypto';
import type { Payout, Period } from '../../../engine/settlement/model.ts';
import type { FileStore, PayoutGateway, PayoutOutcome } from '../ports.ts';

export const CSV_HEADER = 'payout_id,seller_id,bank_code,account_number,holder_name,amount_krw';

/** A CSV field: quoted when it holds a comma, quote or line break; a leading formula character is defused. */
function field(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // a spreadsheet must not run it
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function payoutCsv(payouts: readonly Payout[]): string {
  const lines = [CSV_HEADER];
  for (const p of payouts) lines.push([p.id, p.sellerId, p.account.bankCode, p.account.accountNumber, p.account.holderName, p.amount].map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function payoutFileKey(period: Period, payouts: readonly Payout[]): string {
  const digest = createHash('sha256').update([...payouts.map((p) => p.id)].sort().join('\n')).digest('hex').slice(0, 16);
  return `payouts/${period}/${digest}.csv`;
}

export class CsvPayouts implements PayoutGateway {
  readonly name = 'csv';

  constructor(private readonly files: FileStore) {}

  async send(period: Period, payouts: readonly Payout[]): Promise<Map<string, PayoutOutcome>> {
    const out = new Map<string, PayoutOutcome>();
    if (payouts.length === 0) return out;
    const key = payoutFileKey(period, payouts);
    try {
      await this.files.put(key, Buffer.from(payoutCsv(payouts), 'utf8'));
    } catch (err) {
      for (const p of payouts) out.set(p.id, { kind: 'unknown', reason: `writing ${key}: ${(err as Error).message}` });
      return out;
    }
    for (const p of payouts) out.set(p.id, { kind: 'completed', reference: key });
    return out;
  }
}
