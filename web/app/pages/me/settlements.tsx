// My settlements (as a seller): each period's settlement with its lines and its CSV, my plan and my
// payout account. Runs and fees are the admin's (pages/admin/settlement.tsx).
import { useState } from 'preact/hooks';
import { settlement, type Plan, type Settlement } from '../../api/settlement.ts';
import { dateTime, t, won } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { signedInAs } from '../../state/auth.ts';
import { messageOf } from '../../ui/errors.ts';
import { Field, FormMessage, TextField } from '../../ui/field.tsx';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';
import { SettlementStatus } from './settlement-status.tsx';

export function MySettlements() {
  const me = signedInAs()?.userId ?? '';
  const { data, error } = useLoad(() => settlement.mine());
  return (
    <>
      <h2>{t('settle.mine')}</h2>
      {error !== null ? <p class="form-error" role="alert">{error}</p> : data === null ? <Loading /> : data.length === 0 ? (
        <p class="empty">{t('settle.none')}</p>
      ) : (
        <ul class="rows">{data.map((s) => <li key={s.id} class="card"><SettlementCard s={s} /></li>)}</ul>
      )}
      <SellerSettings sellerId={me} />
    </>
  );
}

function SettlementCard({ s }: { s: Settlement }) {
  const headingId = `settlement-${s.id}`;
  return (
    <article aria-labelledby={headingId} class="settlement">
      <h3 id={headingId}>{t('settle.period', { period: s.period })}</h3>
      <p>
        <strong class="settlement-amount">{won(s.amount)}</strong> · <SettlementStatus status={s.status} />
      </p>
      <table class="orders settle-table">
        <caption class="sr-only">{t('settle.linesOf', { period: s.period })}</caption>
        <thead>
          <tr><th scope="col">{t('settle.order')}</th><th scope="col">{t('settle.price')}</th><th scope="col">{t('settle.fee')}</th><th scope="col">{t('settle.net')}</th><th scope="col">{t('settle.confirmedAt')}</th></tr>
        </thead>
        <tbody>
          {s.lines.map((l) => (
            <tr key={l.orderId}>
              <td><code>{l.orderId}</code></td>
              <td class="money">{won(l.price)}</td>
              <td class="money">{won(l.fee)}</td>
              <td class="money">{won(l.net)}</td>
              <td>{dateTime(l.confirmedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <CsvLink s={s} />
    </article>
  );
}

/**
 * The CSV route needs the bearer token, which a plain link would not carry: the file is fetched
 * through the SDK and offered as a download of its text.
 */
export function CsvLink({ s }: { s: Settlement }) {
  const download = async () => {
    try {
      const text = await api.settlements.csv(s.id);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `settlement-${s.period}-${s.id}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  };
  return <button type="button" onClick={() => void download()} aria-label={t('settle.csvOf', { period: s.period })}>{t('settle.csv')}</button>;
}

function SellerSettings({ sellerId }: { sellerId: string }) {
  const { data, error, reload } = useLoad(() => settlement.seller(sellerId), [sellerId]);
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  return (
    <>
      <PlanForm sellerId={sellerId} plan={data.plan} onSaved={reload} />
      <PayoutAccountForm sellerId={sellerId} current={data.payoutAccount} onSaved={reload} />
      {data.holds.length > 0 && (
        <p class="form-error" role="status">{t('settle.held', { periods: data.holds.map((h) => h.period).join(', ') })}</p>
      )}
    </>
  );
}

function PlanForm({ sellerId, plan, onSaved }: { sellerId: string; plan: Plan; onSaved: () => void }) {
  const [value, setValue] = useState<Plan>(plan);
  const [formError, setFormError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    try {
      await api.settlements.setPlan(sellerId, value);
      toast(t('admin.saved'), 'success');
      onSaved();
    } catch (err) {
      setFormError(messageOf(err));
    }
  };
  return (
    <form onSubmit={save} class="inline-form" aria-labelledby="plan-h">
      <h2 id="plan-h">{t('settle.plan')}</h2>
      <Field label={t('settle.planChoice')} hint={t('settle.planHint')}>
        {(a) => (
          <select {...a} name="plan" value={value} onChange={(e) => setValue(e.currentTarget.value as Plan)}>
            <option value="AUTO">{t('settle.plan.AUTO')}</option>
            <option value="IMMEDIATELY">{t('settle.plan.IMMEDIATELY')}</option>
          </select>
        )}
      </Field>
      <FormMessage error={formError} />
      <button type="submit" class="primary">{t('admin.save')}</button>
    </form>
  );
}

interface AccountFields { bankCode: string; accountNumber: string; holderName: string }

function PayoutAccountForm({ sellerId, current, onSaved }: { sellerId: string; current: AccountFields | null; onSaved: () => void }) {
  const [bankCode, setBank] = useState(current?.bankCode ?? '');
  const [accountNumber, setNumber] = useState(current?.accountNumber ?? '');
  const [holderName, setHolder] = useState(current?.holderName ?? '');
  const [formError, setFormError] = useState<string | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    try {
      await api.settlements.setPayoutAccount(sellerId, { bankCode, accountNumber, holderName });
      toast(t('admin.saved'), 'success');
      onSaved();
    } catch (err) {
      setFormError(messageOf(err));
    }
  };
  return (
    <form onSubmit={save} class="inline-form" aria-labelledby="payout-h">
      <h2 id="payout-h">{t('settle.account')}</h2>
      {current === null && <p class="hint">{t('settle.noAccount')}</p>}
      <TextField label={t('settle.bankCode')} name="bankCode" required pattern="[0-9A-Z]{2,16}" hint={t('settle.bankCodeHint')} value={bankCode} onValue={setBank} />
      <TextField label={t('settle.accountNumber')} name="accountNumber" required inputMode="numeric" pattern="[0-9]{6,20}" value={accountNumber} onValue={setNumber} />
      <TextField label={t('settle.holderName')} name="holderName" required maxLength={50} value={holderName} onValue={setHolder} />
      <FormMessage error={formError} />
      <button type="submit" class="primary">{t('admin.save')}</button>
    </form>
  );
}
