// A settlement run in a process of its own, for test/settlement/crash.test.ts to SIGKILL: it runs the
// period on the given database with the CSV gateway over the given directory, prints OPENED once the
// settlements are opened or SENT once the bank file is written (per `stage`), and then waits forever.
import { systemClock } from '../../engine/clock.ts';
import { SettlementService } from '../../app/settlement/service.ts';
import { openSqlDatabase } from '../../storage/sql/database.ts';
import { CsvPayouts } from '../../storage/settlement/payouts/csv.ts';
import { DiskFiles } from '../../storage/settlement/payouts/files.ts';
import type { PayoutGateway } from '../../storage/settlement/ports.ts';
import { SqlSettlementStore } from '../../storage/settlement/sql.ts';

const [url, dir, period, stage] = process.argv.slice(2);
const db = await openSqlDatabase({ url });
const store = new SqlSettlementStore(db);
const csv = new CsvPayouts(new DiskFiles(dir));
const hang = (word: string) => new Promise<never>(() => process.stdout.write(`${word}\n`));
const gateway: PayoutGateway = {
  name: 'csv-then-hang',
  async send(p, payouts) {
    await csv.send(p, payouts);
    return stage === 'sent' ? hang('SENT') : new Map();
  },
};
const service = new SettlementService({
  store, gateway, clock: systemClock, claimMs: 60_000, payments: null,
  afterOpen: stage === 'open' ? () => hang('OPENED') : undefined,
});
await service.runPeriod(period);
process.stdout.write('DONE\n');
