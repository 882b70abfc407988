// The checkout (/orders/<id>/pay, docs/payments.md): the buyer sees what they pay and opens Toss's payment
// window, which sends them back to /orders/pay/success or /orders/pay/fail. Toss's SDK is a script of
// Toss's origin: only this document's policy allows it (http/web/page.ts), so the orders page reaches
// this one by a full load, never by the app's own navigation. The success and fail addresses are this
// page's origin, the one the buyer is signed in on, whatever the server's PUBLIC_BASE_URL says.
import { useEffect, useState } from 'preact/hooks';
import { payments, type Checkout } from '../api/payments.ts';
import { t, won } from '../i18n/index.ts';
import { Link, type PageProps } from '../router.tsx';
import { messageOf } from '../ui/errors.ts';
import { Loading } from '../ui/widgets.tsx';

/** Toss's payment window (its SDK v2, `TossPayments(clientKey).payment({ customerKey })`). */
interface TossPaymentWindow {
  requestPayment(p: {
    method: 'CARD';
    amount: { currency: 'KRW'; value: number };
    orderId: string;
    orderName: string;
    successUrl: string;
    failUrl: string;
  }): Promise<void>;
}
type TossPaymentsFactory = (clientKey: string) => { payment(o: { customerKey: string }): TossPaymentWindow };

const sdkUrl = document.querySelector('meta[name="okj-toss-sdk"]')?.getAttribute('content') ?? null;
/** The path this document was loaded for: its policy is the checkout's only if it was loaded as one. */
const documentPath = window.location.pathname;
let loaded: Promise<TossPaymentsFactory> | null = null;

/** Toss's SDK, loaded once; a failed load may be tried again. */
function loadToss(url: string): Promise<TossPaymentsFactory> {
  return (loaded ??= new Promise<TossPaymentsFactory>((resolve, reject) => {
    const s = document.createElement('script');
    s.src = url;
    s.async = true;
    s.onload = () => {
      const f = (window as unknown as { TossPayments?: TossPaymentsFactory }).TossPayments;
      if (typeof f === 'function') resolve(f);
      else reject(new Error(t('checkout.sdkFailed')));
    };
    s.onerror = () => reject(new Error(t('checkout.sdkFailed')));
    document.head.append(s);
  }).catch((err: unknown) => {
    loaded = null;
    throw err;
  }));
}

export function CheckoutPage({ params }: PageProps) {
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    // Reached by the app's own navigation (after signing in, say): this document's policy is another
    // page's and would refuse Toss's script, so load the checkout in full.
    if (window.location.pathname !== documentPath) return void window.location.reload();
    let live = true;
    payments.checkout(params.id).then((c) => live && setCheckout(c), (err: unknown) => live && setError(messageOf(err)));
    if (sdkUrl !== null) void loadToss(sdkUrl).catch(() => {}); // early, so the click opens the window at once
    return () => {
      live = false;
    };
  }, [params.id]);

  const pay = async (c: Checkout) => {
    if (sdkUrl === null) return setError(t('err.PAYMENTS_NOT_CONFIGURED'));
    setBusy(true);
    setError(null);
    try {
      const toss = await loadToss(sdkUrl);
      const here = window.location.origin;
      // Resolves only if the window closes without leaving the page; a redirect leaves it first.
      await toss(c.clientKey).payment({ customerKey: c.customerKey }).requestPayment({
        method: 'CARD', amount: { currency: 'KRW', value: c.amount }, orderId: c.orderId, orderName: c.orderName,
        successUrl: `${here}/orders/pay/success`, failUrl: `${here}/orders/pay/fail`,
      });
    } catch (err) {
      // The buyer closed the window (USER_CANCEL) or Toss refused: they may try again.
      setError(err instanceof Error && err.message !== '' ? err.message : t('checkout.cancelled'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="narrow checkout">
      <h1>{t('checkout.title')}</h1>
      {checkout === null ? (error === null ? <Loading /> : null) : (
        <>
          <dl class="checkout-summary">
            <dt>{t('checkout.item')}</dt><dd>{checkout.orderName}</dd>
            <dt>{t('checkout.amount')}</dt><dd class="checkout-amount">{won(checkout.amount)}</dd>
          </dl>
          <p><button type="button" class="primary" disabled={busy} onClick={() => void pay(checkout)}>{t('checkout.pay', { amount: won(checkout.amount) })}</button></p>
        </>
      )}
      {error !== null && <p class="form-error" role="alert">{error}</p>}
      <p><Link href="/me/orders">{t('pay.toOrders')}</Link></p>
    </section>
  );
}
