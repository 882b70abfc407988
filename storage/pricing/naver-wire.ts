// Naver Shopping search (GET /v1/search/shop.json) as its documentation describes it, and the mapping of
// its items to clean listings. Prices come as digit strings ("18900"); hprice is "" (or "0") when the
// listing compares no shops, lprice "0" when there is no price at all.
import { z } from 'zod';
import type { NewGoodsListing } from '../../engine/pricing/index.ts';
import { plainText } from './text.ts';

/** A price as sent: digits in a string, tolerated as a number; "" means none. */
const wirePrice = z.union([z.string().regex(/^\d*$/), z.number().int().nonnegative()]);
const text = z.string().default('');

export const naverItem = z.object({
  title: z.string(),
  link: text,
  image: text,
  lprice: wirePrice,
  hprice: wirePrice.default(''),
  mallName: text,
  productId: z.union([z.string(), z.number()]),
  productType: z.union([z.string().regex(/^\d+$/), z.number().int()]).optional(),
  brand: text,
  maker: text,
  category1: text,
  category2: text,
  category3: text,
  category4: text,
});
export type NaverItem = z.infer<typeof naverItem>;

export const naverPage = z.object({
  lastBuildDate: z.string(),
  total: z.number().int().nonnegative(),
  start: z.number().int(),
  display: z.number().int().nonnegative(),
  items: z.array(naverItem),
});

/** The error body of every Naver Open API: `{errorMessage, errorCode}` (SE01..SE99, 024, 010, 012). */
export const naverError = z.object({ errorMessage: z.string(), errorCode: z.union([z.string(), z.number()]) });

function won(p: string | number): number | null {
  const n = typeof p === 'number' ? p : p === '' ? 0 : Number(p);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A clean listing, or null when the item has no price (nothing to learn from it). */
export function toListing(item: NaverItem): NewGoodsListing | null {
  const price = won(item.lprice);
  if (price === null) return null;
  return {
    title: plainText(item.title),
    price,
    highPrice: won(item.hprice),
    mall: plainText(item.mallName),
    productId: String(item.productId),
    productType: item.productType === undefined ? 0 : Number(item.productType),
    link: item.link,
    image: item.image,
    brand: plainText(item.brand),
    maker: plainText(item.maker),
    categories: [item.category1, item.category2, item.category3, item.category4].map(plainText).filter((c) => c !== ''),
  };
}
