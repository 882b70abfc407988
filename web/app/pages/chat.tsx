// Chat with sellers (docs/chat.md): my rooms at /chat, one room at /chat/:id.
import { t } from '../i18n/index.ts';
import type { PageProps } from '../router.tsx';
import { RoomView } from './chat/room.tsx';
import { RoomList } from './chat/rooms.tsx';

export function ChatPage({ params }: PageProps) {
  return (
    <section class="chat">
      <h1>{t('chat.title')}</h1>
      {params.id === undefined ? <RoomList /> : <RoomView id={params.id} />}
    </section>
  );
}
