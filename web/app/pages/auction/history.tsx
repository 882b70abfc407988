// The bid history, bidders masked by the server: read forward from the journal once, then only what is
// new each time the bid count moves. Shown newest first.
import { useEffect, useRef, useState } from 'preact/hooks';
import { dateTime, t, won } from '../../i18n/index.ts';
import { api } from '../../okj.ts';

interface Bid {
  seq: number;
  at: number;
  bidder: string;
  price: number;
  buyNow: boolean;
}

const SHOWN = 30;

export function BidHistory({ auction, bidCount }: { auction: string; bidCount: number }) {
  const [bids, setBids] = useState<Bid[]>([]);
  const after = useRef(0);
  const pulling = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const pull = (): Promise<void> => {
    if (pulling.current !== null) {
      again.current = true;
      return pulling.current;
    }
    pulling.current = (async () => {
      try {
        for (let pages = 0; pages < 20; pages++) {
          const page = await api.auctions.bids(auction, { after: after.current, limit: 200 });
          const fresh = page.items.filter((b) => b.seq > after.current);
          if (fresh.length > 0) setBids((have) => [...have, ...fresh]);
          after.current = page.next ?? fresh.at(-1)?.seq ?? after.current;
          if (page.next === null) break;
        }
      } catch {
        // shown again at the next bid
      } finally {
        pulling.current = null;
        if (again.current) {
          again.current = false;
          void pull();
        }
      }
    })();
    return pulling.current;
  };

  useEffect(() => {
    void pull();
  }, [auction, bidCount]);

  const newest = [...bids].reverse().slice(0, SHOWN);
  return (
    <section class="history" aria-labelledby="history-h">
      <h2 id="history-h">{t('history.title')}</h2>
      {newest.length === 0 ? <p class="empty">{t('history.empty')}</p> : (
        <table>
          <thead>
            <tr><th scope="col">{t('history.when')}</th><th scope="col">{t('history.bidder')}</th><th scope="col">{t('history.price')}</th></tr>
          </thead>
          <tbody>
            {newest.map((b) => (
              <tr key={b.seq}>
                <td>{dateTime(b.at, true)}</td>
                <td>{b.bidder}</td>
                <td>{won(b.price)}{b.buyNow ? ` · ${t('history.buyNow')}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
