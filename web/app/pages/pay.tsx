// Toss's redirects after checkout (docs/payments.md): `/orders/pay/success?paymentKey&orderId&amount`
// confirms the payment (the SDK keys the confirm by the payment, so a reload repeats the same write and
// gets its first answer), `/orders/pay/fail?code&message` shows Toss's reason.
import { useEffect, useState } from 'preact/hooks';
import { payments, type OrderRow } from '../api/payments.ts';
import { t, won } from '../i18n/index.ts';
import { Link } from '../router.tsx';
import { codeOf, messageOf } from '../ui/errors.ts';
import { Loading } from '../ui/widgets.tsx';
import { STATUS_LABELS } from './me/orders.tsx';

const query = () => new URLSearchParams(window.location.search);

export function PaySuccessPage() {
  const [q] = useState(query);
  const paymentKey = q.get('paymentKey') ?? '';
  const orderId = q.get('orderId') ?? '';
  const amount = Number(q.get('amount'));
  const [order, setOrder] = useState<OrderRow | null>(null);
  const [error, setError] = useState<{ text: string; pending: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const valid = paymentKey !== '' && orderId !== '' && Number.isSafeInteger(amount) && amount > 0;
  useEffect(() => {
    if (!valid) return;
    let live = true;
    setError(null);
    payments.confirmPayment(paymentKey, orderId, amount).then(
      (o) => live && setOrder(o),
      (err: unknown) => live && setError({ text: messageOf(err), pending: codeOf(err) === 'PAYMENT_PENDING' }),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return (
    <section class="narrow">
      <h1>{t('pay.successTitle')}</h1>
      {!valid ? <p class="form-error" role="alert">{t('pay.badLink')}</p>
        : error !== null ? (
          <>
            <p class="form-error" role="alert">{error.text}</p>
            {error.pending && <button type="button" onClick={() => setAttempt((n) => n + 1)}>{t('pay.retry')}</button>}
          </>
        ) : order === null ? <Loading /> : (
          <p role="status" class="pay-result" data-status={order.status}>
            {t('pay.result', { amount: won(order.amount), status: t(STATUS_LABELS[order.status] ?? 'orders.awaiting') })}
          </p>
        )}
      <p><Link href="/me/orders">{t('pay.toOrders')}</Link></p>
    </section>
  );
}

export function PayFailPage() {
  const [q] = useState(query);
  return (
    <section class="narrow">
      <h1>{t('pay.failTitle')}</h1>
      <p role="alert">{t('pay.failed')}</p>
      <dl>
        <dt>{t('pay.code')}</dt><dd><code>{q.get('code') ?? '-'}</code></dd>
        <dt>{t('pay.message')}</dt><dd>{q.get('message') ?? '-'}</dd>
      </dl>
      <p><Link href="/me/orders">{t('pay.toOrders')}</Link></p>
    </section>
  );
}
