// A settlement as CSV: a line per order (price, fee, net), then the total.
import type { Settlement } from '../../engine/settlement/model.ts';

export const SETTLEMENT_CSV_HEADER = 'order_id,confirmed_at,price_krw,fee_krw,net_krw';

export function settlementCsv(s: Settlement): string {
  const rows = [SETTLEMENT_CSV_HEADER];
  for (const l of s.lines) rows.push([l.orderId, new Date(l.confirmedAt).toISOString(), l.price, l.fee, l.net].join(','));
  rows.push(['total', '', s.lines.reduce((a, l) => a + l.price, 0), s.lines.reduce((a, l) => a + l.fee, 0), s.amount].join(','));
  return `${rows.join('\r\n')}\r\n`;
}
