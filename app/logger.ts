// The process logger: pino at LOG_LEVEL. Tokens, passwords and secrets are never logged on purpose;
// the redaction and the URL serializer are a net for a header, body or URL logged by mistake (a socket
// upgrade may carry `?access_token=`).
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { Config } from './config.ts';

/** Field names whose values never reach a log line, at the top level and one level down. */
const SECRET_FIELDS = [
  'authorization', 'cookie', 'password', 'newPassword', 'currentPassword', 'token', 'accessToken', 'access_token',
  'refreshToken', 'refresh_token', 'idToken', 'id_token', 'secret', 'clientSecret', 'client_secret', 'apiKey',
  // Email verification: the token (POST /auth/verify `{token}`, above) and the link that carries it;
  // the SMTP URL holds the mail server's password.
  'verificationToken', 'link', 'smtpUrl', 'SMTP_URL',
  // Toss Payments: the secret key, however it is named where it is logged by mistake.
  'secretKey', 'TOSS_SECRET_KEY',
];
const REDACT = [
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`]),
  'headers.authorization', 'headers.cookie', 'headers["set-cookie"]', 'headers["x-api-key"]',
  '*.headers.authorization', '*.headers.cookie', '*.headers["set-cookie"]', '*.headers["x-api-key"]',
  'jwt.secret', '*.jwt.secret', 'mail.smtpUrl', '*.mail.smtpUrl', 'payments.toss.secretKey', '*.payments.toss.secretKey',
];

/** Query (or fragment: a verification link's `#token=`) parameters whose values are masked wherever a URL is logged. */
const SECRET_QUERY = /([?&#](?:access_token|token|refresh_token|id_token|password|code|client_secret)=)[^&#\s]*/gi;

export function scrubUrl(url: unknown): unknown {
  return typeof url === 'string' ? url.replace(SECRET_QUERY, '$1[redacted]') : url;
}

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Pino {
  const options = {
    level: config.logLevel,
    redact: { paths: REDACT, censor: '[redacted]' },
    serializers: { url: scrubUrl, path: scrubUrl, href: scrubUrl },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
