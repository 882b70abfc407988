// Shared data of the pricing tests: a tablet's listings as a shopping search returns them (the tablet at
// several shops, an accessory whose title holds characters that need escaping, a listing with no
// high price), closed sales here, and an estimator's answer for it.
import type { ClosedSale, NewGoodsListing, UsedPriceEstimate } from '../../engine/pricing/index.ts';
import type { EstimateRequest, ProviderResult } from '../../storage/pricing/ports.ts';

export const NOW = Date.UTC(2025, 5, 1, 3, 0, 0);
const DAY = 86_400_000;

export const TABLET_QUERY = '아이패드 에어 5세대';

function listing(over: Partial<NewGoodsListing> & Pick<NewGoodsListing, 'title' | 'price' | 'productId'>): NewGoodsListing {
  return {
    highPrice: null, mall: '네이버', productType: 1, link: `https://search.shopping.naver.com/catalog/${over.productId}`,
    image: `https://shopping-phinf.pstatic.net/main_${over.productId}/${over.productId}.jpg`, brand: 'Apple', maker: 'Apple',
    categories: ['디지털/가전', '태블릿PC'], ...over,
  };
}

export const TABLET_LISTINGS: NewGoodsListing[] = [
  listing({ title: 'Apple 아이패드 에어 5세대 Wi-Fi 64GB', price: 779_000, highPrice: 929_000, productId: '32768830620' }),
  listing({ title: '아이패드 에어 5세대 Wi-Fi 256GB 스페이스 그레이', price: 989_000, highPrice: 1_099_000, productId: '32768830621' }),
  listing({ title: '아이패드 에어 5세대 케이스 & 필름 "정품" <2매>', price: 19_900, productId: '88123456789', productType: 2, mall: 'Case & Co', brand: '', maker: 'Case & Co', categories: ['디지털/가전', '태블릿PC액세서리', '케이스'] }),
  listing({ title: '아이패드 에어 5세대 64GB 셀룰러 퍼플', price: 949_000, highPrice: 1_050_000, productId: '32768830622' }),
];

export const TABLET_SALES: ClosedSale[] = [
  { title: '아이패드 에어5 64 와이파이 S급', price: 560_000, closedAt: NOW - 12 * DAY },
  { title: '아이패드 에어 5세대 퍼플', price: 610_000, closedAt: NOW - 40 * DAY },
];

export const TABLET_ANSWER: UsedPriceEstimate = {
  today: { low: 520_000, typical: 580_000, high: 640_000 },
  threeMonths: { low: 490_000, high: 610_000 },
  confidence: 0.7,
};

export const TABLET_REQUEST: EstimateRequest = {
  product: { name: TABLET_QUERY, description: '작년에 산 아이패드 에어 5세대 64GB, 생활기스 조금, 박스 있음.' },
  listings: TABLET_LISTINGS,
  sales: TABLET_SALES,
  at: NOW,
};

/** The failure of a result, or a test failure when it succeeded. */
export function failureOf<T>(r: ProviderResult<T>): Extract<ProviderResult<T>, { ok: false }>['failure'] {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.failure;
}

/** A base URL where nothing listens: a port taken and released. */
export async function deadOrigin(): Promise<string> {
  const http = await import('node:http');
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The part of a tap Test a subject's open() uses. */
export interface Teardown {
  teardown(fn: () => unknown): void;
}
