// Second-chance offers I made (as a seller) or got (as the runner-up, who may accept one while it is open).
import { useState } from 'preact/hooks';
import { payments, type Offer } from '../../api/payments.ts';
import { dateTime, t, won } from '../../i18n/index.ts';
import { signedInAs } from '../../state/auth.ts';
import { messageOf } from '../../ui/errors.ts';
import { FormMessage } from '../../ui/field.tsx';
import { useLoad } from '../../ui/use-load.ts';

export function MyOffers({ changed }: { changed: () => void }) {
  const { data, error, reload } = useLoad(() => payments.offers());
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null || data.length === 0) return null;
  return (
    <section aria-labelledby="offers-heading">
      <h2 id="offers-heading">{t('offers.title')}</h2>
      <ul class="rows">{data.map((o) => <li key={o.id} class="card"><OfferRow o={o} accepted={() => (reload(), changed())} /></li>)}</ul>
    </section>
  );
}

function OfferRow({ o, accepted }: { o: Offer; accepted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = o.bidderId !== null && o.bidderId === signedInAs()?.userId;
  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await payments.accept(o.id);
      accepted();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-offer={o.id}>
      <p>
        {mine ? t('offers.got') : t('offers.made')}
        {o.amount !== undefined && <> · <strong>{won(o.amount)}</strong></>}
        {' · '}{o.status === 'OPEN' ? t('offers.open', { until: dateTime(o.expiresAt) }) : t('offers.accepted')}
      </p>
      {mine && o.status === 'OPEN' && o.expiresAt > Date.now() && (
        <button type="button" class="primary" disabled={busy} onClick={accept}>{t('offers.accept')}</button>
      )}
      <FormMessage error={error} />
    </div>
  );
}
