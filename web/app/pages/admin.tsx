// The admin page: categories and tags. The settlement issue adds its run to ADMIN_TABS.
import { t } from '../i18n/index.ts';
import type { PageProps } from '../router.tsx';
import { tabOf, Tabs, type Tab } from '../ui/tabs.tsx';
import { AdminCategories } from './admin/categories.tsx';
import { AdminFeePolicies } from './admin/fee-policies.tsx';
import { AdminSettlement } from './admin/settlement.tsx';
import { AdminTags } from './admin/tags.tsx';

export const ADMIN_TABS: Tab[] = [
  { id: 'categories', label: 'admin.tab.categories', view: AdminCategories },
  { id: 'tags', label: 'admin.tab.tags', view: AdminTags },
  { id: 'settlement', label: 'admin.tab.settlement', view: AdminSettlement },
  { id: 'fees', label: 'admin.tab.fees', view: AdminFeePolicies },
];

export function AdminPage({ params }: PageProps) {
  return (
    <section>
      <h1>{t('admin.title')}</h1>
      <Tabs base="/admin" tabs={ADMIN_TABS} current={tabOf(ADMIN_TABS, params.tab)} label={t('admin.sections')} />
    </section>
  );
}
