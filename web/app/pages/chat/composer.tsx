// The send box: Enter sends (Shift+Enter is a new line; not while an input method is composing a
// syllable), the length against the limit is shown, a refusal (BLOCKED, rate, bad text) is read out
// and the text is put back to try again. Typing is told to the other member, at most every 2 s.
import { useId, useRef, useState } from 'preact/hooks';
import { MAX_TEXT_CHARS } from '../../api/chat.ts';
import { t } from '../../i18n/index.ts';
import { chat } from '../../state/chat.ts';
import { messageOf, messageOfCode } from '../../ui/errors.ts';

const TYPING_EVERY_MS = 2000;

/** Code points, as the server counts them. */
const length = (s: string) => [...s].length;

export function Composer({ room, auction }: { room: string; auction: string | null }) {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const n = length(text);
  const over = n > MAX_TEXT_CHARS;

  const send = async () => {
    if (text.trim() === '' || over) return;
    const sent = text;
    setText('');
    setError(null);
    try {
      const ack = await chat.send(room, sent, auction === null ? {} : { auction });
      if (!ack.ok) {
        setError(messageOfCode(ack.code, ack.message));
        setText((now) => (now === '' ? sent : now));
      }
    } catch (err) {
      setError(messageOf(err));
      setText((now) => (now === '' ? sent : now));
    }
  };

  return (
    <form class="chat-composer" onSubmit={(e) => (e.preventDefault(), void send())}>
      <label for={id}>{t('chat.message')}</label>
      <textarea
        id={id}
        name="text"
        rows={2}
        value={text}
        aria-describedby={`${id}-count${error ? ` ${id}-err` : ''}`}
        aria-invalid={over || error ? true : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
            lastTyping.current = Date.now();
            chat.typing(room);
          }
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <p id={`${id}-count`} class={`hint${over ? ' field-error' : ''}`}>{t('chat.count', { n, max: MAX_TEXT_CHARS })}</p>
      {error && <p id={`${id}-err`} class="field-error" role="alert">{error}</p>}
      <button type="submit" disabled={over || text.trim() === ''}>{t('chat.send')}</button>
    </form>
  );
}
