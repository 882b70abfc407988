// The socket's state, shown small in the header: live, or reconnecting (bids wait and are sent again).
import { useEffect, useState } from 'preact/hooks';
import type { ConnectionState as State } from '../../../client/index.ts';
import { t } from '../i18n/index.ts';
import { socket } from '../okj.ts';

export function ConnectionState() {
  const [state, setState] = useState<State>(socket.state);
  useEffect(() => socket.on('state', (e) => setState(e.state)), []);
  const live = state === 'open';
  return (
    <span class={`conn ${live ? 'conn-live' : 'conn-down'}`} data-state={state} title={live ? t('conn.live') : t('conn.down')}>
      <span class="dot" aria-hidden="true" />
      <span class="sr-only">{live ? t('conn.live') : t('conn.down')}</span>
    </span>
  );
}
