// "Message the seller": opens (or finds) the room with the auction's seller and goes to it.
import { useState } from 'preact/hooks';
import { chatApi } from '../../api/chat.ts';
import { t } from '../../i18n/index.ts';
import { navigate } from '../../router.tsx';
import { messageOf } from '../../ui/errors.ts';
import { toast } from '../../ui/toasts.tsx';

export function AskSeller({ auction }: { auction: string }) {
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    try {
      const room = await chatApi.open(auction);
      navigate(`/chat/${encodeURIComponent(room.id)}`);
    } catch (err) {
      toast(messageOf(err), 'error');
      setBusy(false);
    }
  };
  return <button type="button" class="ask-seller" disabled={busy} onClick={() => void go()}>{t('chat.askSeller')}</button>;
}
