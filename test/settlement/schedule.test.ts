// The scheduled run fires at the cron's next occurrence (Seoul time) and runs the period that ended last,
// then arms the next one; stop() waits for a run in progress.
import t from 'tap';
import { ManualClock } from '../../engine/clock.ts';
import { silentLogger } from '../../engine/logger.ts';
import { parseCron } from '../../engine/settlement/cron.ts';
import { SettlementSchedule } from '../../app/settlement/schedule.ts';
import { eventually } from '../market/fixtures.ts';

t.test('fires at the occurrence and runs yesterday in Seoul', async (t) => {
  // 04:00 Seoul on 2 December is 19:00 UTC on 1 December; start 5 ms before it.
  const at = Date.parse('2026-12-01T19:00:00Z');
  const clock = new ManualClock(at - 5);
  const periods: string[] = [];
  let release: () => void = () => {};
  const s = new SettlementSchedule(parseCron('0 4 * * *'), clock, async (p) => {
    periods.push(p);
    clock.set(at + 1);
    await new Promise<void>((r) => (release = r));
  }, silentLogger);
  s.start();
  t.same(periods, [], 'not before its time');
  clock.set(at); // the armed timer (5 ms) finds the occurrence reached
  await eventually(async () => periods.length > 0 || undefined, 5_000, 'the scheduled run');
  t.same(periods, ['2026-12-01']);
  const stopped = s.stop();
  let done = false;
  void stopped.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  t.equal(done, false, 'stop waits for the run in progress');
  release();
  await stopped;
  t.same(periods, ['2026-12-01'], 'nothing more after stop');
});
