// The auction list: search, category, tag, price range and sort (kept in the URL, so a filtered list is
// a link), pages fetched as the end of the list comes into view, or with the "more" button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { flatten, market, SORTS, type Category, type Listing, type ListQuery, type Sort } from '../api/market.ts';
import { remaining, t, won, type Key } from '../i18n/index.ts';
import { Link, location, navigate } from '../router.tsx';
import { auth } from '../state/auth.ts';
import { useStore } from '../state/store.ts';
import { useServerNow } from '../ui/clock.ts';
import { messageOf } from '../ui/errors.ts';
import { Field } from '../ui/field.tsx';
import { Loading, StatusBadge, Thumb } from '../ui/widgets.tsx';

const FILTERS = ['q', 'category', 'tag', 'minPrice', 'maxPrice', 'sort'] as const;

function queryOf(params: URLSearchParams): ListQuery {
  const q: ListQuery = {};
  for (const k of FILTERS) {
    const v = params.get(k);
    if (v !== null && v !== '') (q as Record<string, string>)[k] = v;
  }
  if (q.sort !== undefined && !SORTS.includes(q.sort)) delete q.sort;
  return q;
}

function Filters({ query }: { query: ListQuery }) {
  const [form, setForm] = useState<ListQuery>(query);
  const [categories, setCategories] = useState<Category[]>([]);
  const [tags, setTags] = useState<string[]>([]);
  useEffect(() => {
    market.categories().then(setCategories, () => {});
    market.tags().then(setTags, () => {});
  }, []);
  const set = (k: keyof ListQuery) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [k]: e.currentTarget.value });
  const submit = (e: Event) => {
    e.preventDefault();
    const p = new URLSearchParams();
    for (const k of FILTERS) if (form[k] !== undefined && form[k] !== '') p.set(k, String(form[k]));
    navigate(p.toString() === '' ? '/' : `/?${p}`);
  };
  return (
    <form class="filters" role="search" aria-label={t('list.filters')} onSubmit={submit}>
      <Field label={t('list.search')}>{(a) => <input {...a} type="search" name="q" value={form.q ?? ''} onInput={set('q')} maxLength={100} />}</Field>
      <Field label={t('list.category')}>
        {(a) => (
          <select {...a} name="category" value={form.category ?? ''} onChange={set('category')}>
            <option value="">{t('list.all')}</option>
            {flatten(categories).map(({ category, depth }) => (
              <option key={category.id} value={category.id}>{'  '.repeat(depth) + category.name}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('list.tag')}>
        {(a) => (
          <select {...a} name="tag" value={form.tag ?? ''} onChange={set('tag')}>
            <option value="">{t('list.all')}</option>
            {tags.map((tag) => <option key={tag} value={tag}>{tag}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('list.minPrice')}>{(a) => <input {...a} type="number" inputMode="numeric" min={0} step={1} name="minPrice" value={form.minPrice ?? ''} onInput={set('minPrice')} />}</Field>
      <Field label={t('list.maxPrice')}>{(a) => <input {...a} type="number" inputMode="numeric" min={0} step={1} name="maxPrice" value={form.maxPrice ?? ''} onInput={set('maxPrice')} />}</Field>
      <Field label={t('list.sort')}>
        {(a) => (
          <select {...a} name="sort" value={form.sort ?? 'ending'} onChange={set('sort')}>
            {SORTS.map((s: Sort) => <option key={s} value={s}>{t(`sort.${s}` as Key)}</option>)}
          </select>
        )}
      </Field>
      <button type="submit">{t('list.apply')}</button>
    </form>
  );
}

function Card({ l, now }: { l: Listing; now: number }) {
  const title = l.title || t('list.untitled');
  return (
    <li class="card">
      <Link href={`/auctions/${encodeURIComponent(l.id)}`} class="card-link">
        <Thumb productId={l.productId} alt="" />
        <span class="card-title">{title}</span>
      </Link>
      <p class="card-price"><span class="sr-only">{t('auction.price')} </span>{won(l.price)}</p>
      <p class="card-meta">
        <StatusBadge status={l.status} /> {t('list.bids', { n: l.bidCount })} · {l.status === 'OPEN' ? remaining(l.endsAt - now) : ''}
      </p>
    </li>
  );
}

/** Up to six recommended open auctions (for me when signed in, else the popular ones); nothing when none. */
function Recommended({ now }: { now: number }) {
  const a = useStore(auth);
  // Asked once the session is known, and again when it changes: the answer is per caller.
  const who = a.status === 'unknown' ? null : a.status === 'in' ? a.me.userId : '';
  const [items, setItems] = useState<Listing[]>([]);
  useEffect(() => {
    if (who === null) return;
    let live = true;
    market.recommended(6).then((l) => live && setItems(l), () => live && setItems([]));
    return () => {
      live = false;
    };
  }, [who]);
  if (items.length === 0) return null;
  return (
    <section class="recommended" aria-labelledby="recommended-title">
      <h2 id="recommended-title">{t('list.recommended')}</h2>
      <ul class="cards">{items.map((l) => <Card key={l.id} l={l} now={now} />)}</ul>
    </section>
  );
}

export function ListPage() {
  const loc = useStore(location);
  const query = queryOf(loc.query);
  const key = JSON.stringify(query);
  const [items, setItems] = useState<Listing[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const sentinel = useRef<HTMLDivElement>(null);
  const now = useServerNow(30_000);

  const load = async (cursor: string | undefined, gen: number) => {
    setBusy(true);
    setError(null);
    try {
      const page = await market.list({ ...query, cursor });
      if (gen !== generation.current) return;
      setItems((have) => (cursor === undefined ? page.items : [...have, ...page.items]));
      setNext(page.next ?? null);
    } catch (err) {
      if (gen === generation.current) setError(messageOf(err));
    } finally {
      if (gen === generation.current) setBusy(false);
    }
  };

  useEffect(() => {
    const gen = ++generation.current;
    setItems([]);
    setNext(undefined);
    void load(undefined, gen);
  }, [key]);

  const more = () => {
    if (!busy && typeof next === 'string') void load(next, generation.current);
  };
  // The next page comes when the end of the list is near; the button does the same from the keyboard.
  useEffect(() => {
    const el = sentinel.current;
    if (el === null || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && more(), { rootMargin: '400px' });
    io.observe(el);
    return () => io.disconnect();
  });

  return (
    <section>
      <h1>{t('list.title')}</h1>
      {key === '{}' && <Recommended now={now} />}
      <Filters key={key} query={query} />
      <p class="sr-only" aria-live="polite">{next === undefined ? '' : t('list.count', { n: items.length })}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {next !== undefined && items.length === 0 && !error && <p class="empty">{t('list.empty')}</p>}
      <ul class="cards" aria-busy={busy}>
        {items.map((l) => <Card key={l.id} l={l} now={now} />)}
      </ul>
      <div ref={sentinel} />
      {busy && <Loading />}
      {typeof next === 'string' && !busy && <button type="button" class="more" onClick={more}>{t('list.more')}</button>}
    </section>
  );
}
