// The live auction: the product, the price and bid count as they move (read out politely), the
// countdown on the server's clock, soft-close extensions, the bid form, and the masked bid history.
// The public state comes from the socket (`snap` then `px` and `end`, resumed after reconnects); the
// HTTP detail adds the product and listing, and stands in until the first snap.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AckFrame, AuctionView } from '../../../client/index.ts';
import { market, type AuctionDetail, type MarketPrice } from '../api/market.ts';
import { dateTime, t, won } from '../i18n/index.ts';
import { socket } from '../okj.ts';
import { Link, type PageProps } from '../router.tsx';
import { auth } from '../state/auth.ts';
import { useStore } from '../state/store.ts';
import { messageOf } from '../ui/errors.ts';
import { Countdown, Loading, StatusBadge } from '../ui/widgets.tsx';
import { AskSeller } from './auction/ask-seller.tsx';
import { BidForm } from './auction/bid-form.tsx';
import { Gallery } from './auction/gallery.tsx';
import { BidHistory } from './auction/history.tsx';

function viewOf(d: AuctionDetail): AuctionView {
  const { listing: _listing, product: _product, marketPrice: _price, ...view } = d;
  return { ...view, winner: null };
}

/** The live view of one auction: the socket's, or the HTTP detail's until the socket has one. */
function useLiveView(id: string, detail: AuctionDetail | null): AuctionView | null {
  const [live, setLive] = useState<AuctionView | undefined>(() => socket.view(id));
  useEffect(() => {
    const off = socket.on('auction', ({ view }) => view.auction === id && setLive({ ...view }));
    socket.watch(id);
    return () => {
      off();
      socket.unwatch(id);
    };
  }, [id]);
  if (live !== undefined && (detail === null || live.seq >= detail.seq)) return live;
  return detail === null ? null : viewOf(detail);
}

/** The product's market price, once one is ready (computed after the product was created). */
function PriceGuide({ p }: { p: MarketPrice }) {
  return (
    <section aria-labelledby="price-h" class="market-price" data-source={p.source}>
      <h2 id="price-h">{t('price.title')}</h2>
      {p.today === null ? <p>{t('price.none')}</p> : (
        <>
          <p>{t('price.today', { low: won(p.today.low), high: won(p.today.high), typical: won(p.today.typical) })}</p>
          {p.threeMonths !== null && <p>{t('price.outlook', { low: won(p.threeMonths.low), high: won(p.threeMonths.high) })}</p>}
          <p class="note">{t('price.source', { source: p.source, confidence: Math.round(p.confidence * 100) })}</p>
        </>
      )}
    </section>
  );
}

function Outcome({ v }: { v: AuctionView }) {
  if (v.status === 'SOLD') return <p class="outcome">{t('auction.sold', { winner: v.winner ?? v.leader ?? '', price: won(v.price) })}</p>;
  if (v.status === 'UNSOLD') return <p class="outcome">{t('auction.unsold')}</p>;
  if (v.status === 'CANCELED') return <p class="outcome">{t('auction.canceled')}</p>;
  return <p class="outcome">{t('auction.pending')}</p>;
}

export function AuctionPage({ params }: PageProps) {
  const id = params.id;
  const a = useStore(auth);
  const [detail, setDetail] = useState<AuctionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [leading, setLeading] = useState(false);
  const [extendedTo, setExtendedTo] = useState<number | null>(null);
  const view = useLiveView(id, detail);
  const lastEnd = useRef<number | null>(null);

  useEffect(() => {
    market.detail(id).then(setDetail, (err: unknown) => setError(messageOf(err)));
  }, [id]);
  useEffect(() => socket.on('notice', (n) => n.auction === id && n.kind === 'outbid' && setLeading(false)), [id]);
  // Soft close: an end that moves later while open is an extension, which every watcher is shown.
  useEffect(() => {
    if (view === null) return;
    if (lastEnd.current !== null && view.endsAt > lastEnd.current && view.status === 'OPEN') setExtendedTo(view.endsAt);
    lastEnd.current = view.endsAt;
  }, [view?.endsAt]);

  if (error !== null) {
    return (
      <section>
        <h1>{t('auction.title')}</h1>
        <p class="form-error" role="alert">{error}</p>
        <p><Link href="/">{t('notFound.home')}</Link></p>
      </section>
    );
  }
  if (view === null || detail === null) return <Loading />;

  const title = detail.listing?.title || detail.product?.name || t('list.untitled');
  const open = view.status === 'OPEN';
  const mine = a.status === 'in' && detail.listing?.sellerId === a.me.userId;
  const onAck = (ack: AckFrame) => ack.ok && setLeading(ack.leading);

  return (
    <article class="auction" data-auction={id}>
      <h1>{title}</h1>
      <div class="auction-grid">
        <Gallery product={detail.product} />
        <div class="auction-live">
          <p class="auction-status"><StatusBadge status={view.status} />{view.reserveMet ? '' : ` ${t('auction.reserveNotMet')}`}</p>
          <div class="price-box" aria-live="polite" aria-atomic="true">
            <p class="price-label">{open ? t('auction.price') : t('auction.finalPrice')}</p>
            <p class="price" data-price={view.price}>{won(view.price)}</p>
            <p class="price-meta">
              {t('list.bids', { n: view.bidCount })}
              {view.leader !== null && ` · ${t('auction.leader', { name: view.leader })}`}
              {leading && open && <strong class="leading"> · {t('auction.youLead')}</strong>}
            </p>
          </div>
          <p class="ends">
            {open && <span>{t('auction.endsIn')} </span>}
            {view.status === 'PENDING' ? t('auction.willEnd', { at: dateTime(view.endsAt) }) : <Countdown endsAt={view.endsAt} open={open} />}
          </p>
          <p class="extended" aria-live="polite">{extendedTo !== null && t('auction.extended', { at: dateTime(extendedTo) })}</p>
          {view.buyNowPrice !== null && <p>{t('auction.buyNowPrice', { price: won(view.buyNowPrice) })}</p>}
          {!open && <Outcome v={view} />}
          {open && mine && <p class="note">{t('auction.yours')}</p>}
          {open && !mine && a.status === 'in' && <BidForm view={view} onAck={onAck} />}
          {!mine && a.status === 'in' && detail.listing !== null && <p><AskSeller auction={id} /></p>}
          {open && a.status !== 'in' && (
            <p class="note">
              <Link href={`/signin?next=${encodeURIComponent(`/auctions/${id}`)}`}>{t('auction.signInToBid')}</Link>
            </p>
          )}
        </div>
      </div>
      {detail.product?.description && (
        <section aria-labelledby="desc-h" class="description">
          <h2 id="desc-h">{t('auction.description')}</h2>
          <p>{detail.product.description}</p>
        </section>
      )}
      {detail.marketPrice && <PriceGuide p={detail.marketPrice} />}
      <BidHistory auction={id} bidCount={view.bidCount} />
    </article>
  );
}
