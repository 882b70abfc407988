// Small pieces shown on several pages: a product's picture, an auction's status, a countdown, loading.
import { useEffect, useState } from 'preact/hooks';
import type { AuctionStatus } from '../../../client/index.ts';
import { productOnce } from '../api/market.ts';
import { clock, remaining, t, type Key } from '../i18n/index.ts';
import { useServerNow } from './clock.ts';

/** The product's thumbnail, fetched once per product; a plain tile when there is none. */
export function Thumb({ productId, alt }: { productId: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    productOnce(productId).then((p) => live && setSrc(p?.thumbnail ?? null));
    return () => {
      live = false;
    };
  }, [productId]);
  return src === null
    ? <div class="thumb thumb-empty" aria-hidden="true">옥</div>
    : <img class="thumb" src={src} alt={alt} loading="lazy" decoding="async" />;
}

export function StatusBadge({ status }: { status: AuctionStatus }) {
  return <span class={`badge badge-${status.toLowerCase()}`}>{t(`status.${status}` as Key)}</span>;
}

/** Time left until `endsAt` on the server's clock; the words (not the ticking) are what screen readers get. */
export function Countdown({ endsAt, open }: { endsAt: number; open: boolean }) {
  const now = useServerNow(open ? 500 : 60_000);
  const left = endsAt - now;
  if (!open) return <span class="countdown">{t('time.closedAt', { at: new Date(endsAt).toLocaleString() })}</span>;
  return (
    <span class={`countdown${left < 60_000 ? ' countdown-urgent' : ''}`} role="timer" aria-label={remaining(left)} data-left-ms={Math.max(0, left)}>
      <time dateTime={new Date(endsAt).toISOString()}>{clock(left)}</time>
    </span>
  );
}

export function Loading() {
  return <p class="loading" role="status">{t('common.loading')}</p>;
}
