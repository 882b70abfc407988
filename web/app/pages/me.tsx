// My page: my auctions, my bids, my orders, my inbox. The payments and settlement issues add their
// sections to ME_TABS.
import { t } from '../i18n/index.ts';
import type { PageProps } from '../router.tsx';
import { tabOf, Tabs, type Tab } from '../ui/tabs.tsx';
import { MyAuctions, MyBids } from './me/auctions.tsx';
import { MyInbox } from './me/inbox.tsx';
import { MyOrders } from './me/orders.tsx';
import { MySettlements } from './me/settlements.tsx';

export const ME_TABS: Tab[] = [
  { id: 'auctions', label: 'me.tab.auctions', view: MyAuctions },
  { id: 'bids', label: 'me.tab.bids', view: MyBids },
  { id: 'orders', label: 'me.tab.orders', view: MyOrders },
  { id: 'inbox', label: 'me.tab.inbox', view: MyInbox },
  { id: 'settlements', label: 'me.tab.settlements', view: MySettlements },
];

export function MyPage({ params }: PageProps) {
  return (
    <section>
      <h1>{t('me.title')}</h1>
      <Tabs base="/me" tabs={ME_TABS} current={tabOf(ME_TABS, params.tab)} label={t('me.sections')} />
    </section>
  );
}
