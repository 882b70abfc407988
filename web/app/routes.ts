// Every page of the app: its path, its component, its title, who may see it, and its entry in the
// navigation. A new page (payments, closes, chat) is one entry here and one file in pages/.
import type { FunctionComponent } from 'preact';
import type { Key } from './i18n/index.ts';
import type { PageProps } from './router.tsx';
import { AdminPage } from './pages/admin.tsx';
import { AuctionPage } from './pages/auction.tsx';
import { ChatPage } from './pages/chat.tsx';
import { CheckoutPage } from './pages/checkout.tsx';
import { ListPage } from './pages/list.tsx';
import { MyPage } from './pages/me.tsx';
import { PayFailPage, PaySuccessPage } from './pages/pay.tsx';
import { SellPage } from './pages/sell.tsx';
import { SignInPage } from './pages/signin.tsx';
import { SignUpPage } from './pages/signup.tsx';
import { VerifyPage } from './pages/verify.tsx';

/** Who sees a nav entry: everyone, the signed-in, the signed-out, or admins. */
export type Audience = 'all' | 'in' | 'out' | 'admin';

export interface PageDef {
  path: string;
  page: FunctionComponent<PageProps>;
  title: Key;
  /** Pages for the signed-in (or admins only): others are asked to sign in. */
  needs?: 'user' | 'admin';
  nav?: { label: Key; audience: Audience; order: number };
}

export const PAGES: PageDef[] = [
  { path: '/', page: ListPage, title: 'list.title', nav: { label: 'nav.auctions', audience: 'all', order: 10 } },
  { path: '/auctions/:id', page: AuctionPage, title: 'auction.title' },
  { path: '/sell', page: SellPage, title: 'sell.title', needs: 'user', nav: { label: 'nav.sell', audience: 'all', order: 20 } },
  { path: '/me', page: MyPage, title: 'me.title', needs: 'user', nav: { label: 'nav.me', audience: 'in', order: 30 } },
  { path: '/me/:tab', page: MyPage, title: 'me.title', needs: 'user' },
  { path: '/chat', page: ChatPage, title: 'chat.title', needs: 'user', nav: { label: 'nav.chat', audience: 'in', order: 35 } },
  { path: '/chat/:id', page: ChatPage, title: 'chat.title', needs: 'user' },
  { path: '/admin', page: AdminPage, title: 'admin.title', needs: 'admin', nav: { label: 'nav.admin', audience: 'admin', order: 40 } },
  { path: '/admin/:tab', page: AdminPage, title: 'admin.title', needs: 'admin' },
  { path: '/signin', page: SignInPage, title: 'signin.title', nav: { label: 'nav.signin', audience: 'out', order: 50 } },
  { path: '/signup', page: SignUpPage, title: 'signup.title', nav: { label: 'nav.signup', audience: 'out', order: 60 } },
  { path: '/verify-email', page: VerifyPage, title: 'verify.title' },
  // Loaded in full from the orders page (pages/checkout.tsx says why).
  { path: '/orders/:id/pay', page: CheckoutPage, title: 'checkout.title', needs: 'user' },
  { path: '/orders/pay/success', page: PaySuccessPage, title: 'pay.successTitle', needs: 'user' },
  { path: '/orders/pay/fail', page: PayFailPage, title: 'pay.failTitle' },
];
