// Settlement's answers as the web app reads them. The OpenAPI document describes them only as objects
// (http/settlement/openapi.ts), so their shapes are the engine's own types (type-only imports).
import type { FeePolicyFields, RunReport, SellerView } from '../../../engine/settlement/api.ts';
import type { FeePolicy, Plan, Settlement } from '../../../engine/settlement/model.ts';
import { api } from '../okj.ts';

export type { FeePolicy, FeePolicyFields, Plan, RunReport, SellerView, Settlement };

const as = <T>(p: Promise<unknown>): Promise<T> => p as Promise<T>;

export const settlement = {
  mine: () => as<{ items: Settlement[] }>(api.settlements.list()).then((p) => p.items),
  all: () => as<{ items: Settlement[] }>(api.settlements.list({ all: true })).then((p) => p.items),
  seller: (id: string) => as<SellerView>(api.settlements.seller(id)),
  run: (period: string) => as<RunReport>(api.settlementAdmin.run(period)),
  balances: () => as<{ balances: Record<string, number> }>(api.settlementAdmin.balances()).then((b) => b.balances),
  feePolicies: () => as<{ items: FeePolicy[] }>(api.settlementAdmin.feePolicies()).then((p) => p.items),
};

/** The day that ended last in Asia/Seoul (UTC+9, no daylight saving), YYYY-MM-DD: what a run pays by
 * default (engine/settlement/periods.ts, which the browser cannot import as code). */
export function lastEndedPeriod(now = Date.now()): string {
  return new Date(now + 9 * 3_600_000 - 86_400_000).toISOString().slice(0, 10);
}
