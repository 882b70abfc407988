// A child process running the durable engine on a real store, driven over IPC by the crash and
// outage tests: {t:'create'|'cmd'|'states'|'stop'} in, {t:'ready'|'reply'|'states'} out.
import { systemClock, type Command } from '../../engine/index.ts';
import { AuctionService } from '../../app/auction/service.ts';
import { openStores } from '../../app/stores.ts';

const send = (m: unknown) => process.send?.(m);

const stores = await openStores({
  databaseUrl: process.env.DATABASE_URL as string,
  databaseLockTimeoutMs: Number(process.env.DATABASE_LOCK_TIMEOUT_MS ?? 5000),
  redisUrl: null,
  redisPrefix: 'okj:',
});
const service = new AuctionService({ clock: systemClock, ...stores, reloadEveryMs: 100 });
const recovered = await service.recover();
send({ t: 'ready', recovered });

type Msg =
  | { t: 'create'; id: number; spec: unknown; by: string; rid: string }
  | { t: 'cmd'; id: number; cmd: Command }
  | { t: 'states'; id: number; auctions: string[] }
  | { t: 'stop' };

process.on('message', (m: Msg) => {
  switch (m.t) {
    case 'create':
      return service.create(m.spec, m.by, m.rid, (reply) => send({ t: 'reply', id: m.id, reply }));
    case 'cmd':
      return service.submit(m.cmd, (reply) => send({ t: 'reply', id: m.id, reply }));
    case 'states': {
      const states = m.auctions.map((a) => {
        const s = service.registry.get(a)?.state;
        return s ? { ...s, participants: [...s.participants] } : null;
      });
      return send({ t: 'states', id: m.id, states });
    }
    case 'stop':
      void service.shutdown().then(() => stores.close()).then(() => process.exit(0));
  }
});
