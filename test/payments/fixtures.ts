// A payments service over memory stores and the memory Toss, with a clock the test moves and a source
// of marketplace orders the test opens.
import { silentLogger } from '../../engine/logger.ts';
import type { Actor } from '../../engine/market/api.ts';
import type { OrderOpening } from '../../engine/payments/model.ts';
import { PaymentsService, type PaymentsHooks } from '../../app/payments/service.ts';
import { PaymentsWorker } from '../../app/payments/worker.ts';
import type { PaymentsConfig } from '../../app/payments/config.ts';
import { MemoryPayments } from '../../storage/payments/memory.ts';
import { MemoryPaymentStores } from '../../storage/payments/memory-orders.ts';
import type { OrderSource } from '../../storage/payments/ports.ts';

export const T0 = Date.UTC(2026, 0, 5, 3, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const BUYER: Actor = { userId: 'bob', role: 'user' };
export const SELLER: Actor = { userId: 'sam', role: 'user' };
export const ADMIN: Actor = { userId: 'root', role: 'admin' };
export const STRANGER: Actor = { userId: 'eve', role: 'user' };

export class MemorySource implements OrderSource {
  readonly rows = new Map<string, OrderOpening>();
  async opening(id: string) {
    return this.rows.get(id) ?? null;
  }
  async idsOf(user: string, limit: number) {
    return [...this.rows.values()].filter((o) => o.buyerId === user || o.sellerId === user)
      .sort((a, b) => b.createdAt - a.createdAt).slice(0, limit).map((o) => o.id);
  }
}

export const testConfig: PaymentsConfig = {
  toss: { secretKey: 'test_sk_x', clientKey: 'test_ck_x', apiBase: 'http://127.0.0.1:1', sdkUrl: 'http://127.0.0.1:1/v2/standard' },
  successUrl: 'http://localhost/orders/pay/success', failUrl: 'http://localhost/orders/pay/fail',
  autoConfirmMs: 7 * DAY, strikesMax: 3,
};

export function world(opts: { configured?: boolean } = {}) {
  let now = T0;
  const clock = { now: () => now };
  const stores = new MemoryPaymentStores();
  const gateway = new MemoryPayments({ now: clock.now });
  const source = new MemorySource();
  const findings: string[] = [];
  const told: string[] = [];
  const hooks: PaymentsHooks = {
    finding: (k) => findings.push(k),
    changed: (o, e) => told.push(`${o.id}:${e.type}`),
  };
  const configured = opts.configured ?? true;
  const config = configured ? testConfig : { ...testConfig, toss: null };
  const bids = new Map<string, Array<{ bidder: string; ceiling: number }>>();
  const service = new PaymentsService({
    stores, source, gateway: configured ? gateway : null, config, clock, log: silentLogger, hooks,
    bids: { bestBids: async (auction) => bids.get(auction) ?? [] }, orderPaymentMs: 72 * HOUR,
  });
  const worker = new PaymentsWorker({ service, stores, gateway: configured ? gateway : null, clock, log: silentLogger, hooks, backoffMs: 1_000 });
  let n = 0;
  const order = (over: Partial<OrderOpening> = {}): OrderOpening => {
    const o = { id: `ord_test${String(++n).padStart(6, "0")}`, auctionId: `auc${n}`, productId: `prd${n}`, buyerId: 'bob', sellerId: 'sam', amount: 50_000, payBy: now + 72 * HOUR, createdAt: now, ...over };
    source.rows.set(o.id, o);
    return o;
  };
  return { bids, clock, advance: (ms: number) => { now += ms; }, stores, gateway, toss: gateway.toss, source, service, worker, order, findings, told };
}
