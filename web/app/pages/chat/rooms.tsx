// My rooms, latest activity first: the other member, the last message, the unread count. Rooms shown
// are joined on the socket, so a new message moves its room up and counts as unread at once.
import { useEffect, useState } from 'preact/hooks';
import { chatApi, type ChatMessage, type ChatRoomSummary } from '../../api/chat.ts';
import { dateTime, t } from '../../i18n/index.ts';
import { Link } from '../../router.tsx';
import { signedInAs } from '../../state/auth.ts';
import { chat, readUpTo } from '../../state/chat.ts';
import { useStore } from '../../state/store.ts';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

/** Rooms followed live from the list; the rest show what the last load said (WS_MAX_SUBSCRIPTIONS). */
const LIVE_ROOMS = 50;

function withMessage(rooms: ChatRoomSummary[], m: ChatMessage, me: string | undefined): ChatRoomSummary[] {
  const r = rooms.find((x) => x.id === m.room);
  if (r === undefined || (r.last !== null && r.last.seq >= m.seq)) return rooms;
  const next = { ...r, last: m, unread: r.unread + (m.from === me ? 0 : 1) };
  return [next, ...rooms.filter((x) => x !== r)];
}

export function RoomList() {
  const { data, error, reload } = useLoad(() => chatApi.rooms());
  const [rooms, setRooms] = useState<ChatRoomSummary[] | null>(null);
  const read = useStore(readUpTo);
  useEffect(() => setRooms(data), [data]);
  useEffect(() => {
    if (data === null) return;
    chat.join(data.slice(0, LIVE_ROOMS).map((r) => r.id));
    const me = signedInAs()?.userId;
    const off = chat.on('msg', (m) => setRooms((rs) => (rs === null ? rs : withMessage(rs, m, me))));
    // A room someone opened with me while this list was shown is found on the next load.
    const seen = () => document.visibilityState === 'visible' && reload();
    document.addEventListener('visibilitychange', seen);
    return () => {
      off();
      document.removeEventListener('visibilitychange', seen);
    };
  }, [data]);

  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (rooms === null) return <Loading />;
  if (rooms.length === 0) return <p class="empty">{t('chat.noRooms')}</p>;
  return (
    <ul class="rows chat-rooms">
      {rooms.map((r) => {
        const unread = r.last !== null && (read.get(r.id) ?? 0) >= r.last.seq ? 0 : r.unread;
        return (
          <li key={r.id} class={`row${unread > 0 ? ' unread' : ''}`} data-room={r.id}>
            <Link href={`/chat/${encodeURIComponent(r.id)}`}>{t('chat.with', { name: r.other })}</Link>
            {unread > 0 && <span class="badge chat-unread" data-unread={unread}>{t('chat.unread', { n: unread })}</span>}
            {r.blocking && <span class="note">{t('chat.blocked')}</span>}
            <span class="chat-last">{r.last === null ? t('chat.noMessages') : r.last.text}</span>
            {r.last !== null && <span class="note">{dateTime(r.last.at)}</span>}
          </li>
        );
      })}
    </ul>
  );
}
