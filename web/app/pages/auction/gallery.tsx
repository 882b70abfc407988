// The product's pictures: one large, the others as buttons that show them.
import { useState } from 'preact/hooks';
import type { Product } from '../../api/market.ts';
import { t } from '../../i18n/index.ts';

export function Gallery({ product }: { product: Product | null }) {
  const images = product?.images ?? [];
  const [shown, setShown] = useState(Math.max(0, images.findIndex((i) => i.thumbnail)));
  if (images.length === 0) return <div class="gallery-empty" aria-hidden="true">옥</div>;
  const name = product?.name ?? '';
  return (
    <div class="gallery">
      <img class="gallery-main" src={images[shown]?.url} alt={t('gallery.alt', { name, n: shown + 1, of: images.length })} />
      {images.length > 1 && (
        <ul class="gallery-thumbs">
          {images.map((img, i) => (
            <li key={img.url}>
              <button type="button" aria-pressed={i === shown} aria-label={t('gallery.show', { n: i + 1 })} onClick={() => setShown(i)}>
                <img src={img.url} alt="" loading="lazy" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
