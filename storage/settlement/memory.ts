// Settlement's ports in memory: one object, as the SQL adapter shares one database. Each call applies
// whole or not at all, like the SQL adapter's single write.
import type { Millis, UserId, Won } from '../../engine/kernel.ts';
import { applyTransaction } from '../../engine/settlement/balances.ts';
import type {
  AccountId, FeePolicy, LedgerTransaction, Payout, PayoutStatus, Period, SellerSettings, Settlement, SettlementLine, SettlementStatus,
} from '../../engine/settlement/model.ts';
import { WriteConflictError } from '../errors.ts';
import type { OpenSettlement, PayoutMove, PostedEntry, SettlementStore, Unsettled } from './ports.ts';

const clone = <T>(v: T): T => structuredClone(v);

export function settlementStatusOf(p: PayoutStatus): SettlementStatus {
  return p === 'PENDING' ? 'PENDING' : p === 'REQUESTED' ? 'SENT' : p === 'COMPLETED' ? 'PAID' : 'FAILED';
}

export class MemorySettlementStore implements SettlementStore {
  private readonly txs = new Map<string, LedgerTransaction>();
  private readonly order: LedgerTransaction[] = [];
  private bal = new Map<AccountId, Won>();
  private readonly policies = new Map<string, FeePolicy>();
  private readonly sellers = new Map<UserId, SellerSettings>();
  private readonly settlementsById = new Map<string, Settlement>();
  private readonly payouts = new Map<string, Payout>();
  private readonly claimed = new Map<string, Millis>();
  /** order id -> the live settlement holding it. */
  private readonly claims = new Map<string, string>();
  private readonly holdRows = new Map<string, { sellerId: UserId; period: Period; amount: Won; at: Millis }>();

  // ---- ledger ----

  async post(tx: LedgerTransaction): Promise<boolean> {
    const next = this.check(tx);
    if (next === null) return false;
    this.commit(tx, next);
    return true;
  }

  /**
   * For payments' memory store, which posts with an order's transition: checks `tx` now (its key posted
   * before, or a balance that would go negative: WriteConflictError) and returns what posts it.
   */
  prepare(tx: LedgerTransaction): () => void {
    const next = this.check(tx);
    if (next === null) throw new WriteConflictError(`ledger: ${tx.key} was posted before`, 0, 0);
    return () => this.commit(tx, next);
  }

  /** The balances after tx, null when its key is posted, or throws as the SQL write would. */
  private check(tx: LedgerTransaction, from: ReadonlyMap<AccountId, Won> = this.bal): Map<AccountId, Won> | null {
    if (this.txs.has(tx.key)) return null;
    const next = applyTransaction(from, tx);
    if (!(next instanceof Map)) throw new WriteConflictError(`ledger: ${tx.key} refused (${'account' in next ? `${next.account} would go negative` : 'unbalanced'})`, 0, 0);
    return next;
  }

  private commit(tx: LedgerTransaction, next: Map<AccountId, Won>): void {
    this.txs.set(tx.key, clone(tx));
    this.order.push(clone(tx));
    this.bal = next;
  }

  async balances(accounts?: readonly AccountId[]): Promise<Map<AccountId, Won>> {
    if (accounts === undefined) return new Map(this.bal);
    const out = new Map<AccountId, Won>();
    for (const a of accounts) if (this.bal.has(a)) out.set(a, this.bal.get(a)!);
    return out;
  }

  async transaction(key: string): Promise<LedgerTransaction | null> {
    const tx = this.txs.get(key);
    return tx === undefined ? null : clone(tx);
  }

  async entries(account: AccountId, from: Millis, to: Millis, limit: number): Promise<PostedEntry[]> {
    const out: PostedEntry[] = [];
    for (const tx of this.sorted()) {
      if (tx.at < from || tx.at >= to) continue;
      for (const e of tx.entries) if (e.account === account && out.length < limit) out.push({ key: tx.key, cause: tx.cause, ref: tx.ref, account, amount: e.amount, at: tx.at });
    }
    return out;
  }

  async transactions(from: Millis, to: Millis, limit: number): Promise<LedgerTransaction[]> {
    return this.sorted().filter((tx) => tx.at >= from && tx.at < to).slice(0, limit).map(clone);
  }

  private sorted(): LedgerTransaction[] {
    return [...this.order].sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  // ---- fee policies, sellers ----

  async feePolicies(): Promise<FeePolicy[]> {
    return [...this.policies.values()].map(clone).sort((a, b) => a.effectiveFrom - b.effectiveFrom || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async putFeePolicy(p: FeePolicy): Promise<void> {
    this.policies.set(p.id, clone(p));
  }

  async deleteFeePolicy(id: string): Promise<boolean> {
    return this.policies.delete(id);
  }

  async seller(id: UserId): Promise<SellerSettings | null> {
    const s = this.sellers.get(id);
    return s === undefined ? null : clone(s);
  }

  async putSeller(s: SellerSettings): Promise<void> {
    this.sellers.set(s.sellerId, clone(s));
  }

  // ---- settlements ----

  async unsettled(before: Millis): Promise<Unsettled[]> {
    const by = new Map<UserId, SettlementLine[]>();
    for (const tx of this.sorted()) {
      if (tx.cause !== 'purchase_confirmed' || tx.at >= before || tx.orderId === null || tx.sellerId === null) continue;
      if (this.claims.has(tx.orderId)) continue;
      const lines = by.get(tx.sellerId) ?? [];
      lines.push({ orderId: tx.orderId, price: tx.price!, fee: tx.fee!, net: tx.price! - tx.fee!, confirmedAt: tx.at });
      by.set(tx.sellerId, lines);
    }
    return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([sellerId, lines]) => ({ sellerId, lines }));
  }

  async open(s: OpenSettlement): Promise<boolean> {
    for (const x of this.settlementsById.values()) if (x.sellerId === s.settlement.sellerId && x.period === s.settlement.period) return false;
    if (this.settlementsById.has(s.settlement.id) || this.payouts.has(s.payout.id)) return false;
    if (s.lines.some((l) => this.claims.has(l.orderId))) return false;
    const next = this.check(s.sent);
    if (next === null) return false;
    this.commit(s.sent, next);
    this.settlementsById.set(s.settlement.id, clone({ ...s.settlement, lines: s.lines }));
    for (const l of s.lines) this.claims.set(l.orderId, s.settlement.id);
    this.payouts.set(s.payout.id, clone(s.payout));
    this.claimed.set(s.payout.id, s.claimedUntil);
    return true;
  }

  async settlement(id: string): Promise<Settlement | null> {
    const s = this.settlementsById.get(id);
    return s === undefined ? null : clone(s);
  }

  async settlements(seller: UserId | null, limit: number): Promise<Settlement[]> {
    return [...this.settlementsById.values()]
      .filter((s) => seller === null || s.sellerId === seller)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .slice(0, limit).map(clone);
  }

  async payout(id: string): Promise<Payout | null> {
    const p = this.payouts.get(id);
    return p === undefined ? null : clone(p);
  }

  async payoutsIn(status: PayoutStatus, limit: number): Promise<Payout[]> {
    return [...this.payouts.values()].filter((p) => p.status === status).sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : 1)).slice(0, limit).map(clone);
  }

  async claimPayouts(now: Millis, until: Millis, limit: number): Promise<Payout[]> {
    const out: Payout[] = [];
    for (const p of await this.payoutsIn('PENDING', Number.MAX_SAFE_INTEGER)) {
      if (out.length >= limit) break;
      if ((this.claimed.get(p.id) ?? 0) > now) continue;
      this.claimed.set(p.id, until);
      out.push(p);
    }
    return out;
  }

  async movePayouts(moves: readonly PayoutMove[]): Promise<boolean> {
    if (moves.some((m) => this.payouts.get(m.id)?.status !== m.from)) return false;
    let bal: Map<AccountId, Won> = this.bal;
    const txs: LedgerTransaction[] = [];
    for (const m of moves) {
      if (m.tx === undefined) continue;
      if (txs.some((x) => x.key === m.tx!.key)) throw new WriteConflictError(`ledger: ${m.tx.key} twice in one write`, 0, 0);
      const next = this.check(m.tx, bal);
      if (next === null) throw new WriteConflictError(`ledger: ${m.tx.key} was posted already`, 0, 0);
      bal = next;
      txs.push(m.tx);
    }
    for (const tx of txs) {
      this.txs.set(tx.key, clone(tx));
      this.order.push(clone(tx));
    }
    this.bal = bal;
    for (const m of moves) {
      const p = this.payouts.get(m.id)!;
      p.status = m.to;
      p.updatedAt = m.at;
      if (m.reference !== undefined) p.reference = m.reference;
      if (m.failure !== undefined) p.failure = m.failure;
      const s = this.settlementsById.get(m.id);
      if (s === undefined) continue;
      s.status = settlementStatusOf(m.to);
      s.updatedAt = m.at;
      if (m.to === 'FAILED') for (const l of s.lines) if (this.claims.get(l.orderId) === m.id) this.claims.delete(l.orderId);
    }
    return true;
  }

  async hold(sellerId: UserId, period: Period, amount: Won, at: Millis): Promise<boolean> {
    const k = `${sellerId}\u0000${period}`;
    if (this.holdRows.has(k)) return false;
    this.holdRows.set(k, { sellerId, period, amount, at });
    return true;
  }

  async holds(sellerId: UserId): Promise<Array<{ period: Period; amount: Won; at: Millis }>> {
    return [...this.holdRows.values()].filter((h) => h.sellerId === sellerId).sort((a, b) => b.at - a.at)
      .map(({ period, amount, at }) => ({ period, amount, at }));
  }
}
