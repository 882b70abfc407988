// My orders with what each side may do as the payments routes allow (docs/payments.md): the buyer pays,
// refunds a paid order before shipping, confirms receipt; the seller ships and offers an expired order
// to the runner-up. Below, the second-chance offers I made or got.
import { useState } from 'preact/hooks';
import { payments, type OrderRow } from '../../api/payments.ts';
import { dateTime, t, won } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { signedInAs } from '../../state/auth.ts';
import { messageOf } from '../../ui/errors.ts';
import { FormMessage, TextField } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';
import { MyOffers } from './offers.tsx';

export const STATUS_LABELS: Record<string, Parameters<typeof t>[0]> = {
  AWAITING_PAYMENT: 'orders.awaiting', PAID: 'orders.paid', SHIPPED: 'orders.shipped', CONFIRMED: 'orders.confirmed',
  EXPIRED: 'orders.expired', REFUNDED: 'orders.refunded',
};

export function MyOrders() {
  const { data, error, reload } = useLoad(() => payments.orders());
  return (
    <>
      {error !== null ? <p class="form-error" role="alert">{error}</p> : data === null ? <Loading /> : data.length === 0 ? (
        <p class="empty">{t('me.noOrders')}</p>
      ) : (
        <OrdersTable orders={data} changed={reload} />
      )}
      <MyOffers changed={reload} />
    </>
  );
}

function OrdersTable({ orders, changed }: { orders: OrderRow[]; changed: () => void }) {
  const me = signedInAs()?.userId;
  return (
    <table class="orders">
      <caption class="sr-only">{t('me.tab.orders')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('orders.auction')}</th><th scope="col">{t('orders.role')}</th><th scope="col">{t('orders.amount')}</th>
          <th scope="col">{t('orders.status')}</th><th scope="col">{t('orders.payBy')}</th><th scope="col">{t('orders.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-order={o.id}>
            <td><Link href={`/auctions/${encodeURIComponent(o.auctionId)}`}>{o.auctionId.slice(0, 8)}</Link></td>
            <td>{o.buyerId === me ? t('orders.buyer') : t('orders.seller')}</td>
            <td>{won(o.amount)}</td>
            <td class="order-status">
              {t(STATUS_LABELS[o.status] ?? 'orders.awaiting')}
              {o.confirming && <> · {t('orders.confirming')}</>}
              {o.shipment !== null && <small> · {o.shipment.carrier} {o.shipment.trackingNumber}</small>}
            </td>
            <td>{dateTime(o.payBy)}</td>
            <td><OrderActions o={o} asBuyer={o.buyerId === me} changed={changed} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The actions this order's state allows its buyer or its seller (the server decides again). */
function OrderActions({ o, asBuyer, changed }: { o: OrderRow; asBuyer: boolean; changed: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shipping, setShipping] = useState(false);
  const run = async (f: () => Promise<unknown>, then: () => void = changed) => {
    setBusy(true);
    setError(null);
    try {
      await f();
      then();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  const buttons: preact.JSX.Element[] = [];
  if (asBuyer && o.status === 'AWAITING_PAYMENT' && !o.confirming) {
    // A full load, not the app's navigation: only the checkout document may run Toss's script.
    buttons.push(<a class="button primary" href={`/orders/${encodeURIComponent(o.id)}/pay`}>{t('orders.pay')}</a>);
  }
  if (asBuyer && o.status === 'PAID') {
    buttons.push(<button type="button" disabled={busy} onClick={() => window.confirm(t('orders.refundAsk')) && run(() => payments.refund(o.id, t('orders.refundReason')))}>{t('orders.refund')}</button>);
  }
  if (asBuyer && o.status === 'SHIPPED') {
    buttons.push(<button type="button" class="primary" disabled={busy} onClick={() => run(() => payments.confirmReceipt(o.id))}>{t('orders.confirmReceipt')}</button>);
  }
  if (!asBuyer && o.status === 'PAID' && !shipping) {
    buttons.push(<button type="button" class="primary" disabled={busy} onClick={() => setShipping(true)}>{t('orders.ship')}</button>);
  }
  if (!asBuyer && o.status === 'EXPIRED') {
    buttons.push(<button type="button" disabled={busy} onClick={() => run(() => payments.secondChance(o.id))}>{t('orders.secondChance')}</button>);
  }
  return (
    <div class="row-actions">
      <div class="actions">{buttons}</div>
      {shipping && <ShipForm id={o.id} done={() => (setShipping(false), changed())} />}
      <FormMessage error={error} />
    </div>
  );
}

function ShipForm({ id, done }: { id: string; done: () => void }) {
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await payments.ship(id, carrier, tracking);
      done();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="ship-form" onSubmit={submit}>
      <TextField name="carrier" label={t('orders.carrier')} required maxLength={60} value={carrier} onValue={setCarrier} />
      <TextField name="trackingNumber" label={t('orders.tracking')} required maxLength={60} value={tracking} onValue={setTracking} />
      <button type="submit" class="primary" disabled={busy}>{t('orders.shipSubmit')}</button>
      <FormMessage error={error} />
    </form>
  );
}
