// What closes told me (won, lost, sold, unsold, canceled) and rooms with unread chat: mark read, delete.
import { market, type InboxItem } from '../../api/market.ts';
import { dateTime, t, won, type Key } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { Link } from '../../router.tsx';
import { messageOf } from '../../ui/errors.ts';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

/** A chat item (`chat:{room}:{user}`) opens its room; the others their auction. */
function hrefOf(i: InboxItem): string {
  if (i.kind === 'payout_held') return '/me/settlements';
  if (i.kind === 'chat') return `/chat/${encodeURIComponent(i.id.slice('chat:'.length, i.id.lastIndexOf(':')))}`;
  return `/auctions/${encodeURIComponent(i.auctionId)}`;
}

export function MyInbox() {
  const { data, error, reload } = useLoad(() => market.inbox());
  const act = (p: Promise<unknown>) => p.then(reload, (err: unknown) => toast(messageOf(err), 'error'));
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  if (data.length === 0) return <p class="empty">{t('me.inboxEmpty')}</p>;
  return (
    <ul class="rows">
      {data.map((i: InboxItem) => (
        <li key={i.id} class={`row${i.readAt === null ? ' unread' : ''}`}>
          <Link href={hrefOf(i)}>{t(`inbox.${i.kind}` as Key, { price: won(i.price) })}</Link>
          <span>{dateTime(i.createdAt)}{i.readAt === null ? ` · ${t('inbox.new')}` : ''}</span>
          <span class="row-actions">
            {i.readAt === null && <button type="button" onClick={() => void act(api.inbox.read(i.id))}>{t('inbox.markRead')}</button>}
            <button type="button" onClick={() => void act(api.inbox.remove(i.id))}>{t('common.delete')}</button>
          </span>
        </li>
      ))}
    </ul>
  );
}
