// Selling: the product (name, description, category, pictures with the one to show first), then its
// auction (start price, optional raise, buy-now and reserve prices, when it ends, tags, the soft-close
// rule) and whether to open it now. Three requests: the product (multipart with the images), the
// auction, its opening; each write carries its Idempotency-Key, so a retry does not make two.
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../../../client/index.ts';
import { flatten, market, type Category } from '../api/market.ts';
import { t } from '../i18n/index.ts';
import { api } from '../okj.ts';
import { navigate } from '../router.tsx';
import { messageOf } from '../ui/errors.ts';
import { Field, FormMessage, TextField } from '../ui/field.tsx';
import { toast } from '../ui/toasts.tsx';

const DURATIONS = [
  ['h1', 3_600_000], ['h6', 6 * 3_600_000], ['d1', 86_400_000], ['d3', 3 * 86_400_000], ['d7', 7 * 86_400_000],
] as const;
const MAX_IMAGES = 10;

/** `yyyy-MM-ddTHH:mm` in local time, for a datetime-local input. */
const localInput = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

const wonOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s.replace(/[,\s]/g, '')));

interface Form {
  name: string;
  description: string;
  categoryId: string;
  startPrice: string;
  bidUnit: string;
  buyNowPrice: string;
  reservePrice: string;
  duration: string;
  endsAt: string;
  windowMin: string;
  extendMin: string;
  maxExtensions: string;
  tags: string[];
  openNow: boolean;
}

function Previews({ files, thumb, setThumb }: { files: File[]; thumb: number; setThumb: (n: number) => void }) {
  const [urls, setUrls] = useState<string[]>([]);
  useEffect(() => {
    const made = files.map((f) => URL.createObjectURL(f));
    setUrls(made);
    return () => made.forEach((u) => URL.revokeObjectURL(u));
  }, [files]);
  if (files.length === 0) return null;
  return (
    <fieldset class="previews">
      <legend>{t('sell.thumbnail')}</legend>
      {urls.map((u, i) => (
        <label key={u} class="preview">
          <input type="radio" name="thumbnail" checked={thumb === i} onChange={() => setThumb(i)} />
          <img src={u} alt={t('sell.imageN', { n: i + 1, name: files[i]?.name ?? '' })} />
        </label>
      ))}
    </fieldset>
  );
}

export function SellPage() {
  const [f, setF] = useState<Form>({
    name: '', description: '', categoryId: '', startPrice: '', bidUnit: '', buyNowPrice: '', reservePrice: '', duration: 'd1',
    endsAt: localInput(Date.now() + 86_400_000), windowMin: '1', extendMin: '3', maxExtensions: '1', tags: [], openNow: true,
  });
  const [files, setFiles] = useState<File[]>([]);
  const [thumb, setThumb] = useState(0);
  const [categories, setCategories] = useState<Category[]>([]);
  const [allTags, setAllTags] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    market.categories().then(setCategories, () => {});
    market.tags().then(setAllTags, () => {});
  }, []);
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF((x) => ({ ...x, [k]: v }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const startPrice = wonOrNull(f.startPrice);
    if (startPrice === null || !Number.isSafeInteger(startPrice) || startPrice < 1) return setError(t('sell.badPrice'));
    const custom = f.duration === 'custom';
    const endsAt = custom ? new Date(f.endsAt).getTime() : Date.now() + (DURATIONS.find(([k]) => k === f.duration)?.[1] ?? 86_400_000);
    if (!Number.isFinite(endsAt) || endsAt <= Date.now()) return setError(t('sell.badEnd'));
    setBusy(true);
    try {
      const form = new FormData();
      form.set('name', f.name);
      if (f.description.trim() !== '') form.set('description', f.description);
      if (f.categoryId !== '') form.set('categoryId', f.categoryId);
      form.set('thumbnail', String(thumb));
      for (const file of files) form.append('images', file);
      const product = (await api.products.create(form)) as { id: string };
      const body: Api.AuctionCreate = {
        productId: product.id, startPrice, endsAt,
        bidUnit: wonOrNull(f.bidUnit), buyNowPrice: wonOrNull(f.buyNowPrice), reservePrice: wonOrNull(f.reservePrice),
        softClose: {
          windowMs: Math.round(Number(f.windowMin) * 60_000), extendMs: Math.round(Number(f.extendMin) * 60_000),
          maxExtensions: f.maxExtensions.trim() === '' ? null : Number(f.maxExtensions),
        },
      };
      if (f.tags.length > 0) body.tags = f.tags;
      const created = await api.auctions.create(body);
      const id = created.id as string;
      if (f.openNow) await api.auctions.open(id);
      toast(f.openNow ? t('sell.opened') : t('sell.created'), 'success');
      navigate(f.openNow ? `/auctions/${encodeURIComponent(id)}` : '/me/auctions');
    } catch (x) {
      setError(messageOf(x));
    } finally {
      setBusy(false);
    }
  };

  const num = { inputMode: 'numeric' as const, autoComplete: 'off' };
  return (
    <section class="narrow">
      <h1>{t('sell.title')}</h1>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{t('sell.product')}</legend>
          <TextField label={t('sell.name')} name="name" required maxLength={200} value={f.name} onValue={set('name')} />
          <Field label={t('sell.description')}>
            {(a) => <textarea {...a} name="description" rows={5} maxLength={10_000} value={f.description} onInput={(e) => set('description')(e.currentTarget.value)} />}
          </Field>
          <Field label={t('sell.category')}>
            {(a) => (
              <select {...a} name="categoryId" value={f.categoryId} onChange={(e) => set('categoryId')(e.currentTarget.value)}>
                <option value="">{t('sell.noCategory')}</option>
                {flatten(categories).map(({ category, depth }) => <option key={category.id} value={category.id}>{'  '.repeat(depth) + category.name}</option>)}
              </select>
            )}
          </Field>
          <Field label={t('sell.images')} hint={t('sell.imagesHint', { n: MAX_IMAGES })}>
            {(a) => (
              <input {...a} type="file" name="images" multiple accept="image/jpeg,image/png,image/webp,image/gif"
                onChange={(e) => {
                  setFiles([...(e.currentTarget.files ?? [])].slice(0, MAX_IMAGES));
                  setThumb(0);
                }} />
            )}
          </Field>
          <Previews files={files} thumb={thumb} setThumb={setThumb} />
        </fieldset>
        <fieldset>
          <legend>{t('sell.auction')}</legend>
          <TextField label={t('sell.startPrice')} name="startPrice" required {...num} value={f.startPrice} onValue={set('startPrice')} />
          <TextField label={t('sell.bidUnit')} name="bidUnit" hint={t('sell.bidUnitHint')} {...num} value={f.bidUnit} onValue={set('bidUnit')} />
          <TextField label={t('sell.buyNowPrice')} name="buyNowPrice" {...num} value={f.buyNowPrice} onValue={set('buyNowPrice')} />
          <TextField label={t('sell.reservePrice')} name="reservePrice" hint={t('sell.reserveHint')} {...num} value={f.reservePrice} onValue={set('reservePrice')} />
          <Field label={t('sell.duration')}>
            {(a) => (
              <select {...a} name="duration" value={f.duration} onChange={(e) => set('duration')(e.currentTarget.value)}>
                {DURATIONS.map(([k]) => <option key={k} value={k}>{t(`sell.d.${k}`)}</option>)}
                <option value="custom">{t('sell.d.custom')}</option>
              </select>
            )}
          </Field>
          {f.duration === 'custom' && (
            <TextField label={t('sell.endsAt')} type="datetime-local" name="endsAt" required value={f.endsAt} onValue={set('endsAt')} />
          )}
          {allTags.length > 0 && (
            <fieldset class="tags">
              <legend>{t('sell.tags')}</legend>
              {allTags.map((tag) => (
                <label key={tag} class="check">
                  <input type="checkbox" name="tags" value={tag} checked={f.tags.includes(tag)}
                    onChange={(e) => set('tags')(e.currentTarget.checked ? [...f.tags, tag] : f.tags.filter((x) => x !== tag))} />
                  {tag}
                </label>
              ))}
            </fieldset>
          )}
          <details>
            <summary>{t('sell.softClose')}</summary>
            <p class="hint">{t('sell.softCloseHint')}</p>
            <TextField label={t('sell.windowMin')} name="windowMin" type="number" min={0} step="any" value={f.windowMin} onValue={set('windowMin')} />
            <TextField label={t('sell.extendMin')} name="extendMin" type="number" min={0} step="any" value={f.extendMin} onValue={set('extendMin')} />
            <TextField label={t('sell.maxExtensions')} name="maxExtensions" type="number" min={0} step={1} hint={t('sell.maxExtensionsHint')} value={f.maxExtensions} onValue={set('maxExtensions')} />
          </details>
          <label class="check">
            <input type="checkbox" name="openNow" checked={f.openNow} onChange={(e) => set('openNow')(e.currentTarget.checked)} />
            {t('sell.openNow')}
          </label>
        </fieldset>
        <FormMessage error={error} />
        <button type="submit" class="primary" disabled={busy}>{busy ? t('common.sending') : t('sell.submit')}</button>
      </form>
    </section>
  );
}
