// My orders, read-only for now: paying, shipping and confirming are the payments routes (docs/payments.md);
// their actions on these rows (and an order page at /me/orders/:id) are still to come.
import { market } from '../../api/market.ts';
import { dateTime, t, won } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { signedInAs } from '../../state/auth.ts';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

const STATUS_LABELS: Record<string, Parameters<typeof t>[0]> = {
  AWAITING_PAYMENT: 'orders.awaiting', PAID: 'orders.paid', SHIPPED: 'orders.shipped', CONFIRMED: 'orders.confirmed',
  EXPIRED: 'orders.expired', REFUNDED: 'orders.refunded',
};

export function MyOrders() {
  const { data, error } = useLoad(() => market.orders());
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  if (data.length === 0) return <p class="empty">{t('me.noOrders')}</p>;
  const me = signedInAs()?.userId;
  return (
    <table class="orders">
      <caption class="sr-only">{t('me.tab.orders')}</caption>
      <thead>
        <tr><th scope="col">{t('orders.auction')}</th><th scope="col">{t('orders.role')}</th><th scope="col">{t('orders.amount')}</th><th scope="col">{t('orders.status')}</th><th scope="col">{t('orders.payBy')}</th></tr>
      </thead>
      <tbody>
        {data.map((o) => (
          <tr key={o.id}>
            <td><Link href={`/auctions/${encodeURIComponent(o.auctionId)}`}>{o.auctionId.slice(0, 8)}</Link></td>
            <td>{o.buyerId === me ? t('orders.buyer') : t('orders.seller')}</td>
            <td>{won(o.amount)}</td>
            <td>{t(STATUS_LABELS[o.status] ?? 'orders.awaiting')}</td>
            <td>{dateTime(o.payBy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
