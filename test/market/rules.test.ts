// The marketplace's pure rules: the category tree and a category's place in it, and what readers are
// shown of listings and products.
import t from 'tap';
import type { Category, Listing, Product } from '../../engine/market/model.ts';
import {
  CATEGORY_ID, categoryTree, placementProblem, popularity, publicListing, publicProduct, TAG_NAME, withDescendants,
} from '../../engine/market/rules.ts';

const cats: Category[] = [
  { id: 'digital', name: '디지털', parentId: null },
  { id: 'phones', name: '휴대폰', parentId: 'digital' },
  { id: 'android', name: '안드로이드', parentId: 'phones' },
  { id: 'books', name: '도서', parentId: null },
];

t.test('the tree nests each category under its parent', async (t) => {
  const tree = categoryTree(cats);
  t.same(tree.map((n) => n.id), ['digital', 'books']);
  t.same(tree[0].children.map((n) => n.id), ['phones']);
  t.same(tree[0].children[0].children.map((n) => n.id), ['android']);
  t.same(categoryTree([{ id: 'orphan', name: 'x', parentId: 'gone' }]).map((n) => n.id), ['orphan'], 'a lost parent makes a root');
});

t.test('a category with its descendants, and where one may be placed', async (t) => {
  t.same(withDescendants(cats, 'digital').sort(), ['android', 'digital', 'phones']);
  t.same(withDescendants(cats, 'books'), ['books']);
  t.equal(placementProblem(cats, 'android', 'books'), null);
  t.equal(placementProblem(cats, 'new', null), null);
  t.match(placementProblem(cats, 'x', 'nope'), /no category nope/);
  t.match(placementProblem(cats, 'digital', 'android'), /under itself/, 'not under its own descendant');
  t.match(placementProblem(cats, 'phones', 'phones'), /under itself/);
});

t.test('ids and tags', async (t) => {
  for (const ok of ['a', 'phones-2', '0abc']) t.ok(CATEGORY_ID.test(ok), ok);
  for (const bad of ['', 'Phones', '-a', 'a_b', 'x'.repeat(33)]) t.notOk(CATEGORY_ID.test(bad), bad);
  for (const ok of ['빈티지', 'mint condition', 'a_b-c']) t.ok(TAG_NAME.test(ok), ok);
  for (const bad of ['', ' lead', '#hash', 'x'.repeat(33)]) t.notOk(TAG_NAME.test(bad), bad);
});

t.test('a listing as readers see it: views not yet written count, the close flag is not shown', async (t) => {
  const l = { id: 'a', views: 3, bidCount: 2, wishes: 1, closeRecorded: true } as unknown as Listing;
  const shown = publicListing(l, 4);
  t.equal(shown.views, 7);
  t.equal(shown.popularity, popularity({ views: 7, bidCount: 2, wishes: 1 }));
  t.notOk('closeRecorded' in shown);
});

t.test('a product as anyone sees it: its thumbnail, no deletion mark', async (t) => {
  const p: Product = {
    id: 'p', sellerId: 's', name: 'n', description: '', categoryId: null, createdAt: 1, updatedAt: 1, deletedAt: null,
    images: [{ key: 'p/p/0.jpg', url: '/0', type: 'image/jpeg', bytes: 1, thumbnail: false }, { key: 'p/p/1.png', url: '/1', type: 'image/png', bytes: 1, thumbnail: true }],
  };
  const shown = publicProduct(p);
  t.equal(shown.thumbnail, '/1');
  t.notOk('deletedAt' in shown);
  t.equal(publicProduct({ ...p, images: [] }).thumbnail, null);
});
