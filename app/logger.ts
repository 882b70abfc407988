// The process logger: pino at LOG_LEVEL. Tokens are never logged on purpose; the redaction is a net
// for a header or frame logged by mistake.
import { pino, type Logger as Pino } from 'pino';
import type { Config } from './config.ts';

export function createLogger(config: Pick<Config, 'logLevel'>): Pino {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['token', '*.token', 'access_token', '*.access_token', 'authorization', '*.authorization', '*.headers.authorization', 'jwt.secret', '*.jwt.secret'],
      censor: '[redacted]',
    },
  });
}
