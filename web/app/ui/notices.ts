// Personal notices from the socket (SPEC §2: outbid, extended, won, lost; and orders'), as toasts on whatever page is
// open. Outbid is urgent: it is read out at once.
import { useEffect } from 'preact/hooks';
import type { NoticeFrame } from '../../../client/index.ts';
import { dateTime, t, won } from '../i18n/index.ts';
import { socket } from '../okj.ts';
import { toast } from './toasts.tsx';

function show(n: NoticeFrame): void {
  switch (n.kind) {
    case 'outbid':
      return toast(t('notice.outbid', { price: won(n.price), minNext: won(n.minNext ?? n.price) }), 'warn', { urgent: true });
    case 'extended':
      return toast(t('notice.extended', { at: dateTime(n.endsAt) }), 'info');
    case 'won':
      return toast(t('notice.won', { price: won(n.price) }), 'success', { urgent: true });
    case 'lost':
      return toast(t('notice.lost', { price: won(n.price) }), 'info');
    case 'canceled':
      return toast(t('notice.canceled'), 'info');
    default:
      // An order's transition or a second-chance offer: worded as its inbox item.
      if (n.order !== undefined) return toast(t(`inbox.${n.kind}`, { price: won(n.price) }), 'info');
  }
}

export function useNotices(): void {
  useEffect(() => socket.on('notice', show), []);
}
