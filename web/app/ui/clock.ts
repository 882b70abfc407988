// Time for countdowns: the server's clock as the socket estimates it (SPEC §2: `now` in each snap),
// so a countdown reads the same on every device whatever its own clock says.
import { useEffect, useState } from 'preact/hooks';
import { socket } from '../okj.ts';

export const serverNow = (): number => socket.serverNow();

/** The server's time now, re-rendering every `everyMs`. */
export function useServerNow(everyMs = 1000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = setInterval(() => setNow(serverNow()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
