// The page's frame: skip link, header with navigation, language switch and connection state, the
// current route's page in <main>, toasts, and the personal notices the socket brings on any page.
// On a route change the new page's heading takes the focus, so screen readers announce where one is.
import { useEffect, useRef } from 'preact/hooks';
import { lang, setLang, t } from './i18n/index.ts';
import { PAGES, type Audience, type PageDef } from './routes.ts';
import { Link, location, match } from './router.tsx';
import { auth, signOut, type AuthState } from './state/auth.ts';
import { useStore } from './state/store.ts';
import { ConnectionState } from './ui/connection.tsx';
import { useNotices } from './ui/notices.ts';
import { Toasts } from './ui/toasts.tsx';
import { Loading } from './ui/widgets.tsx';
import { NotFound } from './pages/not-found.tsx';
import { NeedSignIn } from './pages/need-sign-in.tsx';

/** The icon the server named in the page (its file name carries a hash). */
const ICON = (document.querySelector('link[rel=icon]') as HTMLLinkElement | null)?.href ?? '';

function sees(a: AuthState, audience: Audience): boolean {
  if (audience === 'all') return true;
  if (audience === 'out') return a.status === 'out';
  if (a.status !== 'in') return false;
  return audience === 'in' || a.me.role === 'ADMIN';
}

function route(path: string): { def: PageDef; params: Record<string, string> } | null {
  for (const def of PAGES) {
    const params = match(def.path, path);
    if (params !== null) return { def, params };
  }
  return null;
}

function Nav({ a, path }: { a: AuthState; path: string }) {
  const entries = PAGES.filter((p) => p.nav !== undefined && sees(a, p.nav.audience)).sort((x, y) => x.nav!.order - y.nav!.order);
  const current = (p: PageDef) => (p.path === '/' ? path === '/' : path === p.path || path.startsWith(`${p.path}/`));
  return (
    <nav aria-label={t('nav.label')} class="nav">
      <ul>
        {entries.map((p) => (
          <li key={p.path}>
            <Link href={p.path} aria-current={current(p) ? 'page' : undefined}>{t(p.nav!.label)}</Link>
          </li>
        ))}
        {a.status === 'in' && (
          <li>
            <button type="button" class="linkish" onClick={() => void signOut()}>{t('nav.signout')}</button>
          </li>
        )}
      </ul>
    </nav>
  );
}

function LangSwitch() {
  const l = useStore(lang);
  return (
    <div class="lang" role="group" aria-label={t('lang.label')}>
      <button type="button" aria-pressed={l === 'ko'} lang="ko" onClick={() => setLang('ko')}>한국어</button>
      <button type="button" aria-pressed={l === 'en'} lang="en" onClick={() => setLang('en')}>English</button>
    </div>
  );
}

export function App() {
  useStore(lang); // every text follows a language switch
  const a = useStore(auth);
  const loc = useStore(location);
  const main = useRef<HTMLElement>(null);
  useNotices();
  const found = route(loc.path);
  const title = found === null ? t('notFound.title') : t(found.def.title);

  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title]);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    const h = main.current?.querySelector('h1');
    if (h !== null && h !== undefined) {
      h.setAttribute('tabindex', '-1');
      h.focus();
    }
  }, [loc.path]);

  let body;
  if (found === null) body = <NotFound />;
  else if (found.def.needs !== undefined && a.status === 'unknown') body = <Loading />;
  else if (found.def.needs !== undefined && a.status !== 'in') body = <NeedSignIn />;
  else if (found.def.needs === 'admin' && a.status === 'in' && a.me.role !== 'ADMIN') body = <NeedSignIn admin />;
  else {
    const Page = found.def.page;
    body = <Page key={loc.path} params={found.params} />;
  }

  return (
    <>
      <a class="skip" href="#main">{t('app.skip')}</a>
      <header class="top">
        <Link href="/" class="brand"><img src={ICON} alt="" width="28" height="28" />{t('app.name')}</Link>
        <Nav a={a} path={loc.path} />
        <div class="top-tools">
          {a.status === 'in' && <span class="who">{t('nav.hello', { name: a.me.nickname ?? '' })}</span>}
          <ConnectionState />
          <LangSwitch />
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {body}
      </main>
      <footer class="foot">
        <p>{t('app.footer')}</p>
      </footer>
      <Toasts />
    </>
  );
}
