// The buyer's side of the loopback Toss: the payment-window SDK a browser loads (`GET /v2/standard`, the
// v2 global `TossPayments(clientKey).payment({ customerKey }).requestPayment(...)`) and the window it opens
// (`GET /v2/window`), which authorises a session on the simulated Toss and redirects to successUrl with
// paymentKey, orderId, amount and paymentType, as Toss's does; or, told so, to failUrl with Toss's
// cancel code. Real Toss shows the window in a frame on a PC and as a page on a phone; this one is always
// a page, which is the phone's flow.
import type http from 'node:http';
import type { SimulatedToss } from '../../storage/payments/simulated-toss.ts';

/** What the next window does: the buyer pays, or closes it. */
export type WindowOutcome = 'pay' | 'cancel';

export interface WindowRequest {
  clientKey: string;
  customerKey: string;
  orderId: string;
  orderName: string;
  amount: number;
  successUrl: string;
  failUrl: string;
}

/** The SDK's source: a global `TossPayments` that checks its arguments as Toss's does, then leaves for the window. */
function sdkSource(base: string): string {
  return `(() => {
  const base = ${JSON.stringify(base)};
  const fail = (code, message) => Object.assign(new Error(message), { code });
  window.TossPayments = (clientKey) => {
    if (typeof clientKey !== 'string' || clientKey === '') throw fail('INVALID_CLIENT_KEY', '클라이언트 키가 올바르지 않습니다.');
    return {
      payment: ({ customerKey } = {}) => ({
        requestPayment: (p) => new Promise((_resolve, reject) => {
          const ok = typeof customerKey === 'string' && customerKey !== '' && p && p.method === 'CARD'
            && p.amount && p.amount.currency === 'KRW' && Number.isSafeInteger(p.amount.value) && p.amount.value > 0
            && typeof p.orderId === 'string' && typeof p.orderName === 'string'
            && /^https?:\\/\\//.test(p.successUrl) && /^https?:\\/\\//.test(p.failUrl);
          if (!ok) return reject(fail('INVALID_PARAMETERS', '결제 요청 값이 올바르지 않습니다.'));
          const q = new URLSearchParams({ clientKey, customerKey, orderId: p.orderId, orderName: p.orderName,
            amount: String(p.amount.value), successUrl: p.successUrl, failUrl: p.failUrl });
          window.location.assign(base + '/v2/window?' + q);
        }),
      }),
    };
  };
})();
`;
}

/** Serves the SDK and the window; false when the request is neither (then it is an API call). */
export function serveWindow(
  req: http.IncomingMessage, res: http.ServerResponse, url: URL,
  o: { base: string; toss: SimulatedToss; seen: WindowRequest[]; next: () => WindowOutcome },
): boolean {
  if (req.method !== 'GET') return false;
  if (url.pathname === '/v2/standard') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(sdkSource(o.base));
    return true;
  }
  if (url.pathname !== '/v2/window') return false;
  const q = url.searchParams;
  const w: WindowRequest = {
    clientKey: q.get('clientKey') ?? '', customerKey: q.get('customerKey') ?? '', orderId: q.get('orderId') ?? '',
    orderName: q.get('orderName') ?? '', amount: Number(q.get('amount')), successUrl: q.get('successUrl') ?? '', failUrl: q.get('failUrl') ?? '',
  };
  o.seen.push(w);
  const back = (to: string, params: Record<string, string>) => {
    const u = new URL(to);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
    res.writeHead(302, { location: u.href }).end();
  };
  if (o.next() === 'cancel') {
    back(w.failUrl, { code: 'PAY_PROCESS_CANCELED', message: '사용자에 의해 결제가 취소되었습니다.', orderId: w.orderId });
  } else {
    const paymentKey = o.toss.authorise({ orderId: w.orderId, amount: w.amount, orderName: w.orderName });
    back(w.successUrl, { paymentKey, orderId: w.orderId, amount: String(w.amount), paymentType: 'NORMAL' });
  }
  return true;
}
