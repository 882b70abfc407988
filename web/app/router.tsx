// Client-side routing over the History API: the location as a store, links that navigate without a
// reload, and path patterns with `:name` segments. The server answers every such path with the app's
// page (http/web/routes.ts), so each is a deep link.
import type { ComponentChildren } from 'preact';
import { store } from './state/store.ts';

/** What a page is given: the `:name` segments of its path. */
export interface PageProps {
  params: Record<string, string>;
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

const read = (): Location => ({ path: window.location.pathname, query: new URLSearchParams(window.location.search) });

export const location = store<Location>(read());
window.addEventListener('popstate', () => location.set(read()));

export function navigate(to: string, o: { replace?: boolean } = {}): void {
  if (o.replace === true) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  location.set(read());
}

/** The parameters of `path` under `pattern` (`/auctions/:id`), or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, w] of want.entries()) {
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(got[i]);
      } catch {
        return null;
      }
    } else if (w !== got[i]) return null;
  }
  return params;
}

interface LinkProps {
  href: string;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page';
  'aria-label'?: string;
}

/** An ordinary link (it opens in a new tab as usual) that navigates inside the app on a plain click. */
export function Link({ href, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href}
      onClick={(e) => {
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}
