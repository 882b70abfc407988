// Process entry (`npm start`): configuration, start, and a graceful stop on SIGINT/SIGTERM. A second
// signal while stopping exits at once.
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { startServer } from './server.ts';
import { webBundle } from '../web/build/bundle.ts';

let config: Readonly<Config>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const log = createLogger(config);
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

try {
  const server = await startServer(config, { logger: log });
  log.info({ url: server.url, socket: `${server.url.replace(/^http/, 'ws')}/ws` }, 'okjangpan is up');
  // Built now rather than for the first visitor; a failure is logged and tried again on the next page.
  webBundle().then(
    (b) => log.info({ ms: b.ms, scripts: b.scripts }, 'web app built'),
    (err: unknown) => log.error({ err }, 'the web app could not be built'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  log.fatal({ err }, 'could not start');
  process.exit(1);
}
