// Settlement (admin): run a period and read its report, every settlement, and the ledger's balances.
import { useState } from 'preact/hooks';
import { lastEndedPeriod, settlement, type RunReport } from '../../api/settlement.ts';
import { t, won } from '../../i18n/index.ts';
import { messageOf } from '../../ui/errors.ts';
import { FormMessage, TextField } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';
import { SettlementStatus } from '../me/settlement-status.tsx';
import { CsvLink } from '../me/settlements.tsx';

export function AdminSettlement() {
  // Bumped after a run so the lists below show what it did.
  const [runs, setRuns] = useState(0);
  return (
    <>
      <RunForm onRan={() => setRuns((n) => n + 1)} />
      <AllSettlements runs={runs} />
      <Balances runs={runs} />
    </>
  );
}

function RunForm({ onRan }: { onRan: () => void }) {
  const [period, setPeriod] = useState(lastEndedPeriod());
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<RunReport | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    setReport(null);
    setBusy(true);
    try {
      setReport(await settlement.run(period));
      onRan();
    } catch (err) {
      setFormError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={run} class="inline-form" aria-labelledby="run-h">
      <h2 id="run-h">{t('settle.run')}</h2>
      <TextField label={t('settle.runPeriod')} name="period" required pattern="\d{4}-\d{2}-\d{2}" hint={t('settle.runPeriodHint')} value={period} onValue={setPeriod} />
      <FormMessage error={formError} />
      <button type="submit" class="primary" disabled={busy}>{busy ? t('common.sending') : t('settle.runButton')}</button>
      <div aria-live="polite">{report !== null && <RunReportView r={report} />}</div>
    </form>
  );
}

function RunReportView({ r }: { r: RunReport }) {
  const rows: Array<[string, string]> = [
    [t('settle.report.opened'), String(r.opened)],
    [t('settle.report.amount'), won(r.amount)],
    [t('settle.report.held'), String(r.held)],
    [t('settle.report.completed'), String(r.completed)],
    [t('settle.report.requested'), String(r.requested)],
    [t('settle.report.failed'), String(r.failed)],
    [t('settle.report.unknown'), String(r.unknown)],
    [t('settle.report.resent'), String(r.resent)],
  ];
  return (
    <section class="run-report" aria-label={t('settle.reportOf', { period: r.period })}>
      <h3>{t('settle.reportOf', { period: r.period })}</h3>
      <dl>{rows.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{v}</dd></div>)}</dl>
    </section>
  );
}

function AllSettlements({ runs }: { runs: number }) {
  const { data, error } = useLoad(() => settlement.all(), [runs]);
  return (
    <>
      <h2>{t('settle.all')}</h2>
      {error !== null ? <p class="form-error" role="alert">{error}</p> : data === null ? <Loading /> : data.length === 0 ? (
        <p class="empty">{t('settle.none')}</p>
      ) : (
        <table class="orders settle-table">
          <caption class="sr-only">{t('settle.all')}</caption>
          <thead>
            <tr><th scope="col">{t('settle.seller')}</th><th scope="col">{t('settle.periodCol')}</th><th scope="col">{t('settle.amount')}</th><th scope="col">{t('settle.status')}</th><th scope="col">{t('settle.lines')}</th></tr>
          </thead>
          <tbody>
            {data.map((s) => (
              <tr key={s.id}>
                <td><code>{s.sellerId}</code></td>
                <td>{s.period}</td>
                <td class="money">{won(s.amount)}</td>
                <td><SettlementStatus status={s.status} /></td>
                <td>
                  <details>
                    <summary aria-label={t('settle.linesCount', { period: s.period, n: s.lines.length })}>{s.lines.length}</summary>
                    <ul class="lines">
                      {s.lines.map((l) => <li key={l.orderId}><code>{l.orderId}</code> {won(l.price)} − {won(l.fee)} = {won(l.net)}</li>)}
                    </ul>
                    <CsvLink s={s} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function Balances({ runs }: { runs: number }) {
  const { data, error } = useLoad(() => settlement.balances(), [runs]);
  return (
    <>
      <h2>{t('settle.balances')}</h2>
      {error !== null ? <p class="form-error" role="alert">{error}</p> : data === null ? <Loading /> : (
        <table class="orders settle-table">
          <caption class="sr-only">{t('settle.balances')}</caption>
          <thead><tr><th scope="col">{t('settle.account.col')}</th><th scope="col">{t('settle.balance')}</th></tr></thead>
          <tbody>
            {Object.entries(data).sort(([a], [b]) => a.localeCompare(b)).map(([account, balance]) => (
              <tr key={account}><td><code>{account}</code></td><td class="money">{won(balance)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
