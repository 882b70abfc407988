// The marketplace's rules about listings: how each sort orders them. Pure; the SQL adapter builds its
// ORDER BY from the same definitions (POPULARITY_WEIGHTS), so memory and SQL cannot disagree.
import type { Listing, ListingSort } from './model.ts';

/** A simple popularity score until recommendation lands: views, bids count double, wishes triple. */
export const POPULARITY_WEIGHTS = { views: 1, bidCount: 2, wishes: 3 } as const satisfies Record<keyof Pick<Listing, 'views' | 'bidCount' | 'wishes'>, number>;

export function popularity(l: Pick<Listing, 'views' | 'bidCount' | 'wishes'>): number {
  const w = POPULARITY_WEIGHTS;
  return w.views * l.views + w.bidCount * l.bidCount + w.wishes * l.wishes;
}

/** The sort value of a listing for a sort order (cursors carry it). */
export function sortValue(l: Listing, sort: ListingSort): number {
  switch (sort) {
    case 'ending': return l.endsAt;
    case 'newest': return l.createdAt;
    case 'price_asc':
    case 'price_desc': return l.price;
    case 'popular': return popularity(l);
  }
}

/** Ascending sorts page upward from the cursor, descending ones downward; ties broken by id. */
export function sortDescending(sort: ListingSort): boolean {
  return sort === 'newest' || sort === 'price_desc' || sort === 'popular';
}
