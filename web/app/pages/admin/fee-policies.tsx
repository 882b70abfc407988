// Fee policies (admin): list, add, delete. A policy applies to orders confirmed from its effectiveFrom;
// a confirmed order keeps the fee it was given (docs/settlement.md).
import { useState } from 'preact/hooks';
import { flatten, market } from '../../api/market.ts';
import { settlement, type Plan } from '../../api/settlement.ts';
import { dateTime, t } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { messageOf } from '../../ui/errors.ts';
import { Field, FormMessage, TextField } from '../../ui/field.tsx';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

export function AdminFeePolicies() {
  const { data, error, reload } = useLoad(() => Promise.all([settlement.feePolicies(), market.categories()]));
  const [categoryId, setCategory] = useState('');
  const [plan, setPlan] = useState<Plan>('AUTO');
  const [rate, setRate] = useState('');
  const [minFee, setMinFee] = useState('');
  const [from, setFrom] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  const [policies, categories] = data;

  const add = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    try {
      await api.settlementAdmin.addFeePolicy({
        categoryId: categoryId === '' ? null : categoryId,
        plan,
        rateBps: Math.round(Number(rate) * 100),
        minFee: Number(minFee),
        effectiveFrom: from === '' ? Date.now() : new Date(from).getTime(),
      });
      toast(t('admin.saved'), 'success');
      setRate('');
      setMinFee('');
      reload();
    } catch (err) {
      setFormError(messageOf(err));
    }
  };
  const remove = (id: string) => api.settlementAdmin.removeFeePolicy(id).then(reload, (err: unknown) => toast(messageOf(err), 'error'));

  return (
    <>
      <h2>{t('fees.title')}</h2>
      <p class="hint">{t('fees.builtIn')}</p>
      {policies.length === 0 ? <p class="empty">{t('fees.none')}</p> : (
        <ul class="rows">
          {policies.map((p) => {
            const name = t('fees.row', { category: p.categoryId ?? t('fees.everyCategory'), plan: t(`settle.plan.${p.plan}`), rate: p.rateBps / 100, min: p.minFee });
            return (
              <li key={p.id} class="row">
                <span>{name} <small>{t('fees.from', { at: dateTime(p.effectiveFrom) })}</small></span>
                <span class="row-actions">
                  <button type="button" onClick={() => void remove(p.id)} aria-label={t('admin.deleteNamed', { name })}>{t('common.delete')}</button>
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <form onSubmit={add} class="inline-form" aria-labelledby="fee-h">
        <h2 id="fee-h">{t('fees.add')}</h2>
        <Field label={t('fees.category')}>
          {(a) => (
            <select {...a} name="categoryId" value={categoryId} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{t('fees.everyCategory')}</option>
              {flatten(categories).map(({ category, depth }) => (
                <option key={category.id} value={category.id}>{'  '.repeat(depth) + category.name}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('settle.plan')}>
          {(a) => (
            <select {...a} name="plan" value={plan} onChange={(e) => setPlan(e.currentTarget.value as Plan)}>
              <option value="AUTO">{t('settle.plan.AUTO')}</option>
              <option value="IMMEDIATELY">{t('settle.plan.IMMEDIATELY')}</option>
            </select>
          )}
        </Field>
        <TextField label={t('fees.rate')} name="rate" type="number" required min={0} step="any" value={rate} onValue={setRate} />
        <TextField label={t('fees.minFee')} name="minFee" type="number" required min={0} step={1} value={minFee} onValue={setMinFee} />
        <TextField label={t('fees.effectiveFrom')} name="effectiveFrom" type="datetime-local" hint={t('fees.effectiveFromHint')} value={from} onValue={setFrom} />
        <FormMessage error={formError} />
        <button type="submit" class="primary">{t('admin.add')}</button>
      </form>
    </>
  );
}
