// The marketplace's rules, pure: how each sort orders listings (the SQL adapter builds its
// ORDER BY from the same definitions, POPULARITY_WEIGHTS, so memory and SQL cannot disagree), the category
// tree, and what readers are shown of listings and products.
import type { Category, Listing, ListingSort, Product } from './model.ts';

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

// ---- the catalogue -----------------------------------------------------------------------------------

export interface CategoryNode extends Category {
  children: CategoryNode[];
}

export function categoryTree(all: readonly Category[]): CategoryNode[] {
  const nodes = new Map(all.map((c) => [c.id, { ...c, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId === null ? undefined : nodes.get(n.parentId);
    (parent?.children ?? roots).push(n);
  }
  return roots;
}

/** A category and every category below it. */
export function withDescendants(all: readonly Category[], id: string): string[] {
  const out = [id];
  for (let i = 0; i < out.length; i++) for (const c of all) if (c.parentId === out[i] && !out.includes(c.id)) out.push(c.id);
  return out;
}

/** Why `id` cannot sit under `parentId`, or null: the parent must exist and not be the category or below it. */
export function placementProblem(all: readonly Category[], id: string, parentId: string | null): string | null {
  if (parentId === null) return null;
  if (!all.some((c) => c.id === parentId)) return `no category ${parentId}`;
  if (withDescendants(all, id).includes(parentId)) return 'a category cannot sit under itself';
  return null;
}

// ---- what readers see --------------------------------------------------------------------------------

/** A listing as lists and pages show it: its popularity, views counted and not yet written included. */
export type PublicListing = Omit<Listing, 'closeRecorded'> & { popularity: number };

export function publicListing(l: Listing, unwrittenViews = 0): PublicListing {
  const { closeRecorded: _recorded, ...rest } = l;
  const views = l.views + unwrittenViews;
  return { ...rest, views, popularity: popularity({ ...l, views }) };
}

/** A product as anyone sees it: no deletion mark, its thumbnail's URL. */
export type PublicProduct = Omit<Product, 'deletedAt'> & { thumbnail: string | null };

export function publicProduct(p: Product): PublicProduct {
  const { deletedAt: _deleted, ...rest } = p;
  return { ...rest, thumbnail: p.images.find((i) => i.thumbnail)?.url ?? null };
}

/** A category id: lowercase letters, digits and dashes. */
export const CATEGORY_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** A tag: letters, digits, spaces, dashes or underscores, starting with a letter or digit. */
export const TAG_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,31}$/u;
