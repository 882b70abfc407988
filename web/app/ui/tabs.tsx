// Sections of a page as links (/me/bids, /admin/tags): each is a deep link, and the current one is
// marked for screen readers. A page's sections are a table, so a new one is one entry.
import type { FunctionComponent } from 'preact';
import { t, type Key } from '../i18n/index.ts';
import { Link } from '../router.tsx';

export interface Tab {
  id: string;
  label: Key;
  view: FunctionComponent;
}

export function Tabs({ base, tabs, current, label }: { base: string; tabs: readonly Tab[]; current: Tab; label: string }) {
  const View = current.view;
  return (
    <>
      <nav class="tabs" aria-label={label}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.id}>
              <Link href={`${base}/${tab.id}`} aria-current={tab.id === current.id ? 'page' : undefined}>{t(tab.label)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={t(current.label)}>
        <View />
      </section>
    </>
  );
}

export const tabOf = (tabs: readonly Tab[], id: string | undefined): Tab => tabs.find((x) => x.id === id) ?? tabs[0];
