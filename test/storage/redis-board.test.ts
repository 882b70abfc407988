// What the Redis board adds to the board contract: its key layout, expiry of closed views, and the
// script's own guard against an older seq.
import t from 'tap';
import { Redis } from 'ioredis';
import { openRedisBoard } from '../../storage/auction/redis-board.ts';
import { PUT_VIEW } from '../../storage/redis/scripts.ts';
import { redisKeys } from '../../storage/redis/keys.ts';
import { newAuctionId, viewOf } from '../helpers/auctions.ts';
import { redisPrefix, requireRedis } from '../helpers/services.ts';

t.test('keys are built in one place, under the prefix, one hash tag per auction', async (t) => {
  const keys = redisKeys('okj:');
  t.equal(keys.view('a-1'), 'okj:auction:{a-1}:view');
  t.equal(keys.all(), 'okj:*');
  t.equal(redisKeys().prefix, 'okj:');
  t.throws(() => redisKeys('bad prefix*'), TypeError);
  t.match(PUT_VIEW.lua, /KEYS\[1\][\s\S]*ARGV\[1\][\s\S]*returns/, 'the script header lists KEYS, ARGV and the result');
});

t.test('openRedisBoard checks its options', async (t) => {
  await t.rejects(openRedisBoard({ url: 'http://x' }), TypeError);
  await t.rejects(openRedisBoard({ url: 'redis://127.0.0.1:6379', closedTtlMs: 0 }), TypeError);
});

t.test('redis', async (t) => {
  const url = await requireRedis(t);
  if (url === null) return;
  const raw = new Redis(url);
  raw.on('error', () => {});
  t.teardown(() => raw.disconnect());
  let close: (() => Promise<void>) | null = null;
  const prefix = await redisPrefix(t, url, async () => close?.());
  const board = await openRedisBoard({ url, prefix, closedTtlMs: 60_000 });
  close = () => board.close();
  const keys = redisKeys(prefix);

  await t.test('a view is one hash under the prefix', async (t) => {
    const id = newAuctionId();
    await board.put([viewOf(id, 3)]);
    t.same(await raw.hgetall(keys.view(id)), { seq: '3', v: JSON.stringify(viewOf(id, 3)) });
    t.same(await raw.keys(`${prefix}*${id}*`), [keys.view(id)]);
  });

  await t.test('views of closed auctions expire; open ones do not', async (t) => {
    const open = newAuctionId();
    const sold = newAuctionId();
    const canceled = newAuctionId();
    await board.put([viewOf(open, 3), viewOf(sold, 9, { status: 'SOLD' }), viewOf(canceled, 4, { status: 'CANCELED' })]);
    t.equal(await raw.pttl(keys.view(open)), -1, 'an open auction is kept');
    const ttl = await raw.pttl(keys.view(sold));
    t.ok(ttl > 0 && ttl <= 60_000, `a sold auction expires (pttl ${ttl})`);
    t.ok((await raw.pttl(keys.view(canceled))) > 0, 'a canceled one too');
  });

  await t.test('the script itself refuses an older seq (two writers racing)', async (t) => {
    const id = newAuctionId();
    const key = keys.view(id);
    const run = (seq: number) => raw.eval(PUT_VIEW.lua, 1, key, seq, JSON.stringify(viewOf(id, seq)), 0);
    t.equal(await run(5), 1);
    t.equal(await run(4), 0);
    t.equal(await run(5), 0);
    t.equal(await run(6), 1);
    t.equal((await board.get([id])).get(id)?.seq, 6);
  });

  await t.test('the board survives SCRIPT FLUSH (EVALSHA falls back to EVAL)', async (t) => {
    await raw.script('FLUSH');
    const id = newAuctionId();
    await board.put([viewOf(id, 3)]);
    t.equal((await board.get([id])).get(id)?.seq, 3);
  });
});
