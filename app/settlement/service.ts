// Settlement's service: runs (./run.ts), reports, fee policies, sellers' plans and payout accounts,
// balances and reconciliation, over settlement's ports; and the postings seam payments calls.
import { randomUUID } from 'node:crypto';
import { OkjError } from '../../engine/errors.ts';
import type { Clock, UserId, Won } from '../../engine/kernel.ts';
import type {
  ConfirmationFacts, FeePolicyFields, LedgerPostings, Reconciliation, RunReport, SellerView, SettlementActor, SettlementApi,
} from '../../engine/settlement/api.ts';
import { feeFor, feePolicyProblem } from '../../engine/settlement/fees.ts';
import type { FeePolicy, LedgerTransaction, PayoutAccount, Period, Plan, Settlement } from '../../engine/settlement/model.ts';
import { cutoffOf, periodProblem } from '../../engine/settlement/periods.ts';
import { captured, confirmed, payoutCompleted, payoutFailed, refunded, type CaptureEvent, type RefundEvent } from '../../engine/settlement/postings.ts';
import type { PaymentGateway, Transaction } from '../../storage/payments/ports.ts';
import type { PayoutGateway, SettlementStore } from '../../storage/settlement/ports.ts';
import { reconcile } from './reconcile.ts';
import { runSettlement } from './run.ts';
import { settlementCsv } from './report.ts';

export interface SettlementServiceOptions {
  store: SettlementStore;
  gateway: PayoutGateway;
  clock: Clock;
  claimMs: number;
  /** Toss's transaction list, for reconciliation; null answers RECONCILIATION_NOT_CONFIGURED. */
  payments: Pick<PaymentGateway, 'transactions'> | null;
  onHeld?: (sellerId: UserId, period: Period, amount: Won) => Promise<void> | void;
  /** Counted in /metrics. */
  onMismatches?: (count: number) => void;
  onRun?: (report: RunReport) => void;
  afterOpen?: () => Promise<void>;
  /** Checks a payout webhook's signature (Toss payouts); null when payouts are not Toss's. */
  verifyWebhook?: ((body: string, transmissionTime: string, signature: string | undefined) => boolean) | null;
}

const BANK_CODE = /^[0-9A-Z]{2,16}$/;
const ACCOUNT_NUMBER = /^[0-9]{6,20}$/;
const RECONCILE_PAGE = 1_000;
const RECONCILE_MAX = 100_000;

function admin(a: SettlementActor): void {
  if (a.role !== 'admin') throw new OkjError('FORBIDDEN', 'an admin token is required');
}

function self(a: SettlementActor, sellerId: UserId): void {
  if (a.role !== 'admin' && a.userId !== sellerId) throw new OkjError('FORBIDDEN', 'a seller manages only their own settings');
}

function validPeriod(period: unknown, now: number): Period {
  const problem = periodProblem(period, now);
  if (problem !== null) throw new OkjError(problem, problem === 'PERIOD_INVALID' ? `period ${JSON.stringify(period)}: a date in Asia/Seoul written YYYY-MM-DD` : undefined, { period });
  return period as Period;
}

export class SettlementService implements SettlementApi, LedgerPostings {
  constructor(private readonly o: SettlementServiceOptions) {}

  // ---- the seam payments calls ----

  captured(e: CaptureEvent): LedgerTransaction {
    return captured(e);
  }

  refunded(e: RefundEvent): LedgerTransaction {
    return refunded(e);
  }

  async confirmed(f: ConfirmationFacts): Promise<LedgerTransaction> {
    const plan = (await this.o.store.seller(f.sellerId))?.plan ?? 'AUTO';
    const fee = feeFor(await this.o.store.feePolicies(), f.categoryId, plan, f.price, f.at);
    return confirmed({ orderId: f.orderId, sellerId: f.sellerId, price: f.price, fee, at: f.at });
  }

  // ---- runs ----

  async run(actor: SettlementActor, period: unknown): Promise<RunReport> {
    admin(actor);
    return this.runPeriod(validPeriod(period, this.o.clock.now()));
  }

  /** The scheduled run (no actor: the schedule is the platform's own). */
  async runPeriod(period: Period): Promise<RunReport> {
    const report = await runSettlement({ ...this.o }, period);
    this.o.onRun?.(report);
    return report;
  }

  // ---- reports ----

  async settlements(actor: SettlementActor, all: boolean, limit: number): Promise<Settlement[]> {
    if (all) admin(actor);
    return this.o.store.settlements(all ? null : actor.userId, limit);
  }

  async settlement(actor: SettlementActor, id: string): Promise<Settlement> {
    const s = await this.o.store.settlement(id);
    // Another seller's settlement is answered as none: ids are not to be probed.
    if (s === null || (actor.role !== 'admin' && s.sellerId !== actor.userId)) throw new OkjError('SETTLEMENT_NOT_FOUND', undefined, { id });
    return s;
  }

  async settlementCsv(actor: SettlementActor, id: string): Promise<string> {
    return settlementCsv(await this.settlement(actor, id));
  }

  async balances(actor: SettlementActor, accounts: readonly string[] | null): Promise<Record<string, Won>> {
    admin(actor);
    const m = await this.o.store.balances(accounts ?? undefined);
    return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  // ---- fee policies ----

  async feePolicies(actor: SettlementActor): Promise<FeePolicy[]> {
    admin(actor);
    return this.o.store.feePolicies();
  }

  async createFeePolicy(actor: SettlementActor, f: FeePolicyFields): Promise<FeePolicy> {
    admin(actor);
    const problem = feePolicyProblem(f);
    if (problem !== null) throw new OkjError('FEE_POLICY_INVALID', `fee policy: ${problem} is not valid`, { field: problem });
    const p: FeePolicy = { id: `fp_${randomUUID()}`, categoryId: f.categoryId, plan: f.plan, rateBps: f.rateBps, minFee: f.minFee, effectiveFrom: f.effectiveFrom, createdAt: this.o.clock.now() };
    await this.o.store.putFeePolicy(p);
    return p;
  }

  async deleteFeePolicy(actor: SettlementActor, id: string): Promise<void> {
    admin(actor);
    if (!(await this.o.store.deleteFeePolicy(id))) throw new OkjError('FEE_POLICY_NOT_FOUND', undefined, { id });
  }

  // ---- sellers ----

  async seller(actor: SettlementActor, sellerId: UserId): Promise<SellerView> {
    self(actor, sellerId);
    const s = await this.o.store.seller(sellerId);
    return { plan: s?.plan ?? 'AUTO', payoutAccount: s?.payoutAccount ?? null, holds: await this.o.store.holds(sellerId) };
  }

  async setPlan(actor: SettlementActor, sellerId: UserId, plan: Plan): Promise<SellerView> {
    self(actor, sellerId);
    if (plan !== 'AUTO' && plan !== 'IMMEDIATELY') throw new OkjError('VALIDATION_FAILED', 'plan is AUTO or IMMEDIATELY');
    const s = await this.o.store.seller(sellerId);
    await this.o.store.putSeller({ sellerId, plan, payoutAccount: s?.payoutAccount ?? null, updatedAt: this.o.clock.now() });
    return this.seller(actor, sellerId);
  }

  async setPayoutAccount(actor: SettlementActor, sellerId: UserId, a: PayoutAccount): Promise<SellerView> {
    self(actor, sellerId);
    const holder = typeof a.holderName === 'string' ? a.holderName.trim() : '';
    if (!BANK_CODE.test(String(a.bankCode)) || !ACCOUNT_NUMBER.test(String(a.accountNumber)) || holder.length === 0 || [...holder].length > 50) {
      throw new OkjError('PAYOUT_ACCOUNT_INVALID');
    }
    const s = await this.o.store.seller(sellerId);
    await this.o.store.putSeller({ sellerId, plan: s?.plan ?? 'AUTO', payoutAccount: { bankCode: a.bankCode, accountNumber: a.accountNumber, holderName: holder }, updatedAt: this.o.clock.now() });
    return this.seller(actor, sellerId);
  }

  // ---- Toss's payout webhook ----

  async payoutWebhook(body: string, transmissionTime: string | undefined, signature: string | undefined): Promise<{ changed: boolean }> {
    const verify = this.o.verifyWebhook ?? null;
    // Without Toss payouts there is no key, so no signature verifies (a 4xx, like any forged call).
    if (verify === null) throw new OkjError('WEBHOOK_SIGNATURE_INVALID', 'Toss payouts are not configured on this server (SETTLEMENT_PAYOUTS=toss): no webhook signature can be verified');
    if (transmissionTime === undefined || !verify(body, transmissionTime, signature)) throw new OkjError('WEBHOOK_SIGNATURE_INVALID');
    let event: { eventType?: unknown; data?: { refPayoutId?: unknown; status?: unknown; id?: unknown } };
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      throw new OkjError('BAD_FRAME', 'the webhook body is not JSON');
    }
    const ref = event?.data?.refPayoutId;
    const status = event?.data?.status;
    if (event?.eventType !== 'payout.changed' || typeof ref !== 'string' || typeof status !== 'string') return { changed: false };
    const p = await this.o.store.payout(ref);
    if (p === null) return { changed: false };
    const at = this.o.clock.now();
    const e = { payoutId: p.id, sellerId: p.sellerId, amount: p.amount, at };
    const reference = typeof event.data?.id === 'string' ? event.data.id.slice(0, 200) : undefined;
    // The webhook may come before this server marked the payout REQUESTED (Toss answered while we wrote).
    for (const from of ['REQUESTED', 'PENDING'] as const) {
      if (status === 'COMPLETED' && (await this.o.store.movePayouts([{ id: p.id, from, to: 'COMPLETED', at, reference, tx: payoutCompleted(e) }]))) return { changed: true };
      if ((status === 'FAILED' || status === 'CANCELED') && (await this.o.store.movePayouts([{ id: p.id, from, to: 'FAILED', at, failure: `Toss: ${status}`, tx: payoutFailed(e) }]))) return { changed: true };
    }
    return { changed: false };
  }

  // ---- reconciliation ----

  async reconcile(actor: SettlementActor, period: unknown): Promise<Reconciliation> {
    admin(actor);
    const p = validPeriod(period, this.o.clock.now());
    if (this.o.payments === null) throw new OkjError('RECONCILIATION_NOT_CONFIGURED');
    const to = cutoffOf(p);
    const from = to - 86_400_000;
    const toss: Transaction[] = [];
    let after: string | undefined;
    do {
      const page = await this.o.payments.transactions({ from, to: to - 1, limit: RECONCILE_PAGE, ...(after !== undefined ? { startingAfter: after } : {}) });
      if (page.kind !== 'ok') throw new OkjError('RECONCILIATION_UNAVAILABLE', `Toss: ${page.kind === 'rejected' ? page.code : page.cause}`);
      toss.push(...page.transactions);
      after = page.next ?? undefined;
    } while (after !== undefined && toss.length < RECONCILE_MAX);
    const ledger = await this.o.store.transactions(from, to, RECONCILE_MAX);
    const r = reconcile(p, ledger, toss);
    this.o.onMismatches?.(r.mismatches.length);
    return r;
  }
}
