// My auctions as seller (every status, newest first, with open and cancel where allowed) and as bidder.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { market, type Listing } from '../../api/market.ts';
import { dateTime, t, won } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { Link } from '../../router.tsx';
import { messageOf } from '../../ui/errors.ts';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading, StatusBadge } from '../../ui/widgets.tsx';

function Rows({ items, actions }: { items: Listing[]; actions?: (l: Listing) => ComponentChildren }) {
  if (items.length === 0) return <p class="empty">{t('me.none')}</p>;
  return (
    <ul class="rows">
      {items.map((l) => (
        <li key={l.id} class="row">
          <Link href={`/auctions/${encodeURIComponent(l.id)}`}>{l.title || t('list.untitled')}</Link>
          <span><StatusBadge status={l.status} /> {won(l.price)} · {t('list.bids', { n: l.bidCount })} · {t('me.ends', { at: dateTime(l.endsAt) })}</span>
          {actions?.(l)}
        </li>
      ))}
    </ul>
  );
}

export function MyAuctions() {
  const { data, error, reload } = useLoad(() => market.mine('seller'));
  const [busy, setBusy] = useState<string | null>(null);
  const act = async (id: string, what: 'open' | 'cancel') => {
    setBusy(id);
    try {
      if (what === 'open') await api.auctions.open(id);
      else await api.auctions.cancel(id);
      toast(what === 'open' ? t('me.openedToast') : t('me.canceledToast'), 'success');
      reload();
    } catch (err) {
      toast(messageOf(err), 'error');
    } finally {
      setBusy(null);
    }
  };
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  return (
    <>
      <p><Link class="button" href="/sell">{t('nav.sell')}</Link></p>
      <Rows items={data.items} actions={(l) => (
        <span class="row-actions">
          {l.status === 'PENDING' && <button type="button" disabled={busy === l.id} onClick={() => void act(l.id, 'open')}>{t('me.open')}</button>}
          {(l.status === 'PENDING' || l.status === 'OPEN') && l.bidCount === 0 && (
            <button type="button" disabled={busy === l.id} onClick={() => void act(l.id, 'cancel')}>{t('me.cancel')}</button>
          )}
        </span>
      )} />
    </>
  );
}

export function MyBids() {
  const { data, error } = useLoad(() => market.mine('bidder'));
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  return <Rows items={data.items} />;
}
