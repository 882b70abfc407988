// A settlement world for service tests: the service over a store, money events driven through the
// LedgerPostings seam (as payments does), and the expected payouts computed independently.
import { ManualClock } from '../../engine/clock.ts';
import { feeOf } from '../../engine/settlement/fees.ts';
import type { SettlementStore } from '../../storage/settlement/ports.ts';
import { MemoryPayouts } from '../../storage/settlement/payouts/memory.ts';
import { SettlementService } from '../../app/settlement/service.ts';

export const DAY = 86_400_000;
/** 2026-12-01 00:00 Seoul. */
export const DEC1 = Date.parse('2026-11-30T15:00:00Z');
export const ACCOUNT = { bankCode: '088', accountNumber: '110123456789', holderName: 'Kim' };

export function world(store: SettlementStore, claimMs = 60_000) {
  const clock = new ManualClock(DEC1);
  const gateway = new MemoryPayouts();
  const held: Array<{ sellerId: string; period: string; amount: number }> = [];
  const service = new SettlementService({ store, gateway, clock, claimMs, payments: null, onHeld: (sellerId, period, amount) => { held.push({ sellerId, period, amount }); } });
  let n = 0;
  /** Paid now; returns its id. */
  const pay = async (sellerId: string, amount: number, orderId = `o${++n}-${Math.random().toString(36).slice(2, 8)}`) => {
    await store.post(service.captured({ orderId, sellerId, amount, at: clock.now() }));
    return orderId;
  };
  const refund = async (orderId: string, sellerId: string, amount: number) => {
    await store.post(service.refunded({ orderId, sellerId, refundId: `${orderId}-r${++n}`, amount, at: clock.now() }));
  };
  const confirm = async (orderId: string, sellerId: string, price: number) => {
    await store.post(await service.confirmed({ orderId, sellerId, categoryId: null, price, at: clock.now() }));
  };
  return { clock, gateway, service, held, pay, refund, confirm };
}

/** The built-in AUTO fee (5%, at least 100 won). */
export const autoNet = (price: number): number => price - feeOf(price, 500, 100);
export const ADMIN = { userId: 'root', role: 'admin' as const };
