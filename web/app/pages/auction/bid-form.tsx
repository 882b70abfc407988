// Bidding: the amount (following the minimum next bid until the bidder types), an optional ceiling for
// automatic bidding, and buy-now behind a confirmation. Commands go over the socket, which keeps them
// through reconnects and sends them again with the same rid, so a bid is placed once.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AckFrame, AuctionView } from '../../../../client/index.ts';
import { t, won } from '../../i18n/index.ts';
import { socket } from '../../okj.ts';
import { messageOf, messageOfCode } from '../../ui/errors.ts';
import { Field, FormMessage } from '../../ui/field.tsx';
import { toast } from '../../ui/toasts.tsx';

/** A whole number of won from what was typed (digits, with commas allowed), or null. */
function wonOf(text: string): number | null {
  const s = text.replace(/[,\s]/g, '');
  if (!/^\d{1,13}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 && n <= 1e12 ? n : null;
}

interface Props {
  view: AuctionView;
  /** The accepted bid's ack said this bidder leads (until an outbid notice says otherwise). */
  onAck: (ack: AckFrame) => void;
}

export function BidForm({ view, onAck }: Props) {
  const [amount, setAmount] = useState(String(view.minNext));
  const [touched, setTouched] = useState(false);
  const [max, setMax] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirmBuy, setConfirmBuy] = useState(false);
  const buyYes = useRef<HTMLButtonElement>(null);
  // The confirmation takes the focus once, when it appears (not on every price update).
  useEffect(() => {
    if (confirmBuy) buyYes.current?.focus();
  }, [confirmBuy]);

  // Until the bidder types, the amount is the minimum next bid as it moves.
  useEffect(() => {
    if (!touched) setAmount(String(view.minNext));
  }, [view.minNext, touched]);

  const answered = (ack: AckFrame, what: 'bid' | 'buy') => {
    onAck(ack);
    if (ack.ok) {
      setTouched(false);
      setMax('');
      if (what === 'buy') toast(t('bid.bought', { price: won(ack.price) }), 'success');
      else toast(ack.leading ? t('bid.leading', { price: won(ack.price) }) : t('bid.outbidAtOnce', { price: won(ack.price) }), ack.leading ? 'success' : 'warn');
      return;
    }
    if (ack.code === 'BID_TOO_LOW' && ack.minNext !== undefined) {
      setTouched(false);
      setError(t('bid.tooLow', { minNext: won(ack.minNext) }));
    } else setError(messageOfCode(ack.code, ack.message));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const a = wonOf(amount);
    if (a === null) return setError(t('bid.badAmount'));
    const m = max.trim() === '' ? null : wonOf(max);
    if (max.trim() !== '' && (m === null || m < a)) return setError(t('bid.badMax'));
    if (a < view.minNext && (view.buyNowPrice === null || a < view.buyNowPrice)) return setError(t('bid.tooLow', { minNext: won(view.minNext) }));
    setBusy(true);
    try {
      answered(await socket.bid(view.auction, a, m), 'bid');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const buy = async () => {
    setConfirmBuy(false);
    setError(null);
    setBusy(true);
    try {
      answered(await socket.buy(view.auction), 'buy');
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const canBuy = view.buyNowPrice !== null && view.price < view.buyNowPrice;
  return (
    <form class="bid-form" onSubmit={submit} aria-labelledby="bid-h">
      <h2 id="bid-h">{t('bid.title')}</h2>
      <Field label={t('bid.amount')} hint={t('bid.minNext', { minNext: won(view.minNext) })}>
        {(a) => (
          <input {...a} name="amount" inputMode="numeric" autoComplete="off" required value={amount}
            onInput={(e) => {
              setTouched(true);
              setAmount(e.currentTarget.value);
            }} />
        )}
      </Field>
      <Field label={t('bid.max')} hint={t('bid.maxHint')}>
        {(a) => <input {...a} name="max" inputMode="numeric" autoComplete="off" value={max} onInput={(e) => setMax(e.currentTarget.value)} />}
      </Field>
      <FormMessage error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>{busy ? t('bid.sending') : t('bid.submit')}</button>
        {canBuy && !confirmBuy && (
          <button type="button" disabled={busy} onClick={() => setConfirmBuy(true)}>{t('bid.buyNow', { price: won(view.buyNowPrice as number) })}</button>
        )}
      </div>
      {canBuy && confirmBuy && (
        <div class="confirm" role="group" aria-label={t('bid.buyConfirmLabel')}>
          <p>{t('bid.buyConfirm', { price: won(view.buyNowPrice as number) })}</p>
          <button type="button" class="primary" onClick={() => void buy()} ref={buyYes}>{t('bid.buyYes')}</button>
          <button type="button" onClick={() => setConfirmBuy(false)}>{t('common.cancel')}</button>
        </div>
      )}
    </form>
  );
}
