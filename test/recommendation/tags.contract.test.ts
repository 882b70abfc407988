// The GroupTagScores contract, run against every adapter: memory, Redis.
import t from 'tap';
import { decayed, SIGNAL_WEIGHTS } from '../../engine/recommendation/index.ts';
import { StoreUnavailableError } from '../../storage/auction/ports.ts';
import type { TagSignal } from '../../storage/recommendation/ports.ts';
import { HOUR, near, newGroup, recommendationSubjects, T0 } from './stores.ts';

/** What the tags of `signals` in `group` are worth at `now`, summed event by event: the reference. */
function reference(signals: readonly TagSignal[], group: string, now: number, halfLifeMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of signals) {
    if (s.group !== group) continue;
    for (const tag of new Set(s.tags)) out.set(tag, (out.get(tag) ?? 0) + decayed(s.weight, s.at, now, halfLifeMs));
  }
  return out;
}

for (const subject of recommendationSubjects()) {
  t.test(subject.name, async (t) => {
    const stores = await subject.open(t, { halfLifeMs: HOUR });
    if (stores === null) return;
    const tags = stores.tags;

    await t.test('a group with nothing yet has no tags', async (t) => {
      t.same(await tags.top(newGroup(), T0, 10), []);
      await tags.add([]);
    });

    await t.test('a bid weighs twice a wish; both decay by half each half-life', async (t) => {
      const g = newGroup();
      await tags.add([
        { group: g, tags: ['camera'], weight: SIGNAL_WEIGHTS.wish, at: T0 },
        { group: g, tags: ['lens', 'tripod'], weight: SIGNAL_WEIGHTS.bid, at: T0 },
      ]);
      const now = await tags.top(g, T0, 10);
      t.same(now.map((s) => s.tag), ['tripod', 'lens', 'camera'], 'best first; a tie breaks on the tag, descending');
      t.ok(near(now[0].score, 2) && near(now[2].score, 1), 'worth their weight at the time they were given');
      const later = await tags.top(g, T0 + HOUR, 10);
      t.ok(near(later[0].score, 1) && near(later[2].score, 0.5), 'half as much one half-life later');
      t.same((await tags.top(g, T0, 2)).map((s) => s.tag), ['tripod', 'lens'], 'limit');
      t.same(await tags.top(g, T0, 0), [], 'a limit of 0 lists nothing');
    });

    await t.test('a recent wish overtakes an old bid', async (t) => {
      const g = newGroup();
      await tags.add([{ group: g, tags: ['old'], weight: 2, at: T0 }]);
      await tags.add([{ group: g, tags: ['new'], weight: 1, at: T0 + 2 * HOUR }]);
      const top = await tags.top(g, T0 + 2 * HOUR, 10);
      t.same(top.map((s) => s.tag), ['new', 'old']);
      t.ok(near(top[1].score, 0.5), 'the bid is worth 2 * 2^-2');
    });

    await t.test('groups are kept apart, and a tag counts once per signal', async (t) => {
      const [a, b] = [newGroup(), newGroup()];
      await tags.add([
        { group: a, tags: ['x', 'x', 'y'], weight: 1, at: T0 },
        { group: b, tags: ['z'], weight: 2, at: T0 },
      ]);
      t.same((await tags.top(a, T0, 10)).map((s) => [s.tag, Math.round(s.score)]), [['y', 1], ['x', 1]]);
      t.same((await tags.top(b, T0, 10)).map((s) => s.tag), ['z']);
    });

    await t.test('scores stay exact over hundreds of half-lives (the store rebases its epoch)', async (t) => {
      const g = newGroup();
      const signals: TagSignal[] = [];
      // 400 hours: far past 2^64 without a rebase. Each batch moves time on by 7 hours.
      for (let i = 0; i < 60; i++) {
        const at = T0 + i * 7 * HOUR;
        signals.push({ group: g, tags: [`t${i % 5}`, 'always'], weight: 1 + (i % 2), at });
      }
      for (let i = 0; i < signals.length; i += 6) await tags.add(signals.slice(i, i + 6));
      const now = T0 + 59 * 7 * HOUR + HOUR;
      const want = reference(signals, g, now, HOUR);
      const got = await tags.top(g, now, 10);
      t.equal(got.length, 6);
      t.ok(got.every((s) => Number.isFinite(s.score) && near(s.score, want.get(s.tag) as number)), 'every score as summed one by one');
      t.equal(got[0].tag, 'always');
    });

    await t.test('a late event (older than the rest) counts at its decayed worth', async (t) => {
      const g = newGroup();
      await tags.add([{ group: g, tags: ['now'], weight: 1, at: T0 + 100 * HOUR }]);
      await tags.add([{ group: g, tags: ['late'], weight: 3, at: T0 + 99 * HOUR }]);
      const top = await tags.top(g, T0 + 100 * HOUR, 10);
      t.same(top.map((s) => s.tag), ['late', 'now']);
      t.ok(near(top[0].score, 1.5) && near(top[1].score, 1), 'the late one is worth 3 * 2^-1');
    });

    await t.test('what has decayed to nothing is forgotten at a rebase', async (t) => {
      const g = newGroup();
      await tags.add([{ group: g, tags: ['ancient'], weight: 2, at: T0 }]);
      await tags.add([{ group: g, tags: ['fresh'], weight: 1, at: T0 + 70 * HOUR }]);
      t.same((await tags.top(g, T0 + 70 * HOUR, 10)).map((s) => s.tag), ['fresh']);
    });

    await t.test('bad signals are refused whole', async (t) => {
      const g = newGroup();
      const good: TagSignal = { group: g, tags: ['ok'], weight: 1, at: T0 };
      const bad: unknown[] = [
        { ...good, group: 'no-group' },
        { ...good, weight: Number.NaN },
        { ...good, weight: 0 },
        { ...good, at: Number.POSITIVE_INFINITY },
        { ...good, tags: [''] },
      ];
      for (const b of bad) await t.rejects(tags.add([good, b as TagSignal]), TypeError, JSON.stringify(b));
      t.same(await tags.top(g, T0, 10), [], 'nothing of a refused batch was kept');
    });
  });

  t.test(`${subject.name}: a group keeps only its best tags`, async (t) => {
    const stores = await subject.open(t, { halfLifeMs: HOUR, maxTagsPerGroup: 3 });
    if (stores === null) return;
    const g = newGroup();
    await stores.tags.add(['a', 'b', 'c', 'd', 'e'].map((tag, i) => ({ group: g, tags: [tag], weight: i + 1, at: T0 })));
    await stores.tags.add([{ group: g, tags: ['f'], weight: 0.5, at: T0 }]);
    t.same((await stores.tags.top(g, T0, 10)).map((s) => s.tag), ['e', 'd', 'c']);
  });

  t.test(`${subject.name}: a closed store refuses`, async (t) => {
    const stores = await subject.open(t);
    if (stores === null) return;
    await stores.ping();
    await stores.close();
    await t.rejects(stores.tags.top(newGroup(), T0, 1), StoreUnavailableError);
    await t.rejects(stores.ping(), StoreUnavailableError);
    await stores.close();
  });
}
