// One room: history over HTTP (older pages by cursor), live messages from the chat stream, merged by
// seq so the two meet without a gap or a duplicate; read receipts both ways; the other member's typing;
// block or unblock; report a message. Messages are text nodes, never HTML.
import { useEffect, useRef, useState } from 'preact/hooks';
import { chatApi, type ChatMessage, type ChatRoomSummary } from '../../api/chat.ts';
import { dateTime, t } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { signedInAs } from '../../state/auth.ts';
import { chat, markRead } from '../../state/chat.ts';
import { messageOf, messageOfCode } from '../../ui/errors.ts';
import { toast } from '../../ui/toasts.tsx';
import { Loading } from '../../ui/widgets.tsx';
import { Composer } from './composer.tsx';
import { ReportForm } from './report.tsx';

/** How long "typing" stays shown after the other member's last keystroke frame. */
const TYPING_SHOWN_MS = 4000;

type Msgs = ReadonlyMap<number, ChatMessage>;
const merge = (held: Msgs, more: readonly ChatMessage[]): Msgs => {
  const next = new Map(held);
  for (const m of more) next.set(m.seq, m);
  return new Map([...next].sort((a, b) => a[0] - b[0]));
};

function useRoom(id: string) {
  const [room, setRoom] = useState<ChatRoomSummary | null>(null);
  const [msgs, setMsgs] = useState<Msgs>(new Map());
  const [older, setOlder] = useState(false);
  const [otherRead, setOtherRead] = useState(0);
  const [typing, setTyping] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setRoom(null);
    setMsgs(new Map());
    setError(null);
    const me = signedInAs()?.userId;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    // Listen before the history is asked, so nothing falls between the two.
    const offs = [
      chat.on('msg', (m) => m.room === id && setMsgs((h) => merge(h, [m]))),
      chat.on('read', (r) => r.room === id && r.user !== me && setOtherRead((s) => Math.max(s, r.seq))),
      chat.on('typing', (e) => {
        if (e.room !== id || e.user === me) return;
        setTyping(true);
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => setTyping(false), TYPING_SHOWN_MS);
      }),
      chat.on('refused', (r) => r.room === id && setError(messageOfCode(r.code, r.message))),
    ];
    chat.join([id]);
    Promise.all([chatApi.rooms(), chatApi.messages(id)]).then(([rooms, items]) => {
      const r = rooms.find((x) => x.id === id);
      if (r === undefined) return setError(messageOfCode('NOT_FOUND'));
      setRoom(r);
      setMsgs((h) => merge(h, items));
      setOlder(items.length > 0 && items[0].seq > 1);
    }, (err: unknown) => setError(messageOf(err)));
    return () => {
      for (const off of offs) off();
      clearTimeout(typingTimer);
    };
  }, [id]);

  const loadOlder = async () => {
    const first = msgs.keys().next().value;
    if (first === undefined) return;
    try {
      const items = await chatApi.messages(id, first);
      setMsgs((h) => merge(h, items));
      setOlder(items.length > 0 && items[0].seq > 1);
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  };
  return { room, setRoom, msgs, older, loadOlder, otherRead, typing, error };
}

export function RoomView({ id }: { id: string }) {
  const { room, setRoom, msgs, older, loadOlder, otherRead, typing, error } = useRoom(id);
  const [reporting, setReporting] = useState<number | null>(null);
  const log = useRef<HTMLOListElement>(null);
  const me = signedInAs()?.userId;
  const list = [...msgs.values()];
  const last = list.at(-1)?.seq ?? 0;

  // What is shown while the page is in view is read; the latest stays in view.
  useEffect(() => {
    if (last === 0) return;
    const mark = () => document.visibilityState === 'visible' && markRead(id, last);
    mark();
    document.addEventListener('visibilitychange', mark);
    log.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
    return () => document.removeEventListener('visibilitychange', mark);
  }, [id, last]);

  if (error !== null) {
    return (
      <>
        <p class="form-error" role="alert">{error}</p>
        <p><Link href="/chat">{t('chat.back')}</Link></p>
      </>
    );
  }
  if (room === null) return <Loading />;

  const block = async () => {
    try {
      await (room.blocking ? chatApi.unblock(id) : chatApi.block(id));
      setRoom({ ...room, blocking: !room.blocking });
      toast(t(room.blocking ? 'chat.unblockedToast' : 'chat.blockedToast'), 'success');
    } catch (err) {
      toast(messageOf(err), 'error');
    }
  };

  return (
    <div class="chat-room" data-room={id}>
      <h2>{t('chat.with', { name: room.other })}</h2>
      <p class="chat-tools">
        <Link href="/chat">{t('chat.back')}</Link>
        {room.auctionId !== null && <Link href={`/auctions/${encodeURIComponent(room.auctionId)}`}>{t('chat.auction')}</Link>}
        <button type="button" aria-pressed={room.blocking} onClick={() => void block()}>{room.blocking ? t('chat.unblock') : t('chat.block')}</button>
      </p>
      {older && <button type="button" class="chat-older" onClick={() => void loadOlder()}>{t('chat.older')}</button>}
      <div class="chat-log" role="log" aria-live="polite" aria-label={t('chat.log')}>
        <ol ref={log}>
          {list.map((m) => {
            const mine = m.from === me;
            return (
              <li key={m.seq} class={`chat-msg ${mine ? 'mine' : 'theirs'}`} data-seq={m.seq}>
                <p class="chat-text">{m.text}</p>
                <p class="chat-meta">
                  <time dateTime={new Date(m.at).toISOString()}>{dateTime(m.at)}</time>
                  {mine && m.seq <= otherRead && <span class="chat-seen"> · {t('chat.seen')}</span>}
                  {!mine && (
                    <button type="button" class="linkish" onClick={() => setReporting(m.seq)} aria-label={t('chat.reportThis', { at: dateTime(m.at) })}>
                      {t('chat.report')}
                    </button>
                  )}
                </p>
              </li>
            );
          })}
        </ol>
      </div>
      {list.length === 0 && <p class="empty">{t('chat.noMessages')}</p>}
      <p class="chat-typing" aria-live="polite">{typing ? t('chat.typing') : ''}</p>
      {reporting !== null && <ReportForm room={id} seq={reporting} done={() => setReporting(null)} />}
      <Composer room={id} auction={room.auctionId} />
    </div>
  );
}
