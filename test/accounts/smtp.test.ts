// The SMTP mailer against a loopback SMTP server (smtp-server), through the real configuration:
// MAIL_TRANSPORT=smtp with SMTP_URL (user and password), MAIL_FROM and PUBLIC_BASE_URL. The server
// refuses the first recipient with a temporary error, so the queue's retry is seen on the wire; then the
// envelope, the authentication and the message are checked, and the link in it verifies the account.
// No log line carries the token or the SMTP password.
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import t from 'tap';
import { createLogger } from '../../app/logger.ts';
import { SmtpMailer } from '../../app/accounts/mailer.ts';
import { tokenInLink } from '../../engine/accounts/messages.ts';
import { boot, sleep } from '../gateway/harness.ts';
import { login, person, signup, verify } from './helpers.ts';

const USER = 'okj-mailer';
const PASSWORD = 'smtp-password-not-for-logs';

interface Received {
  mailFrom: string;
  rcptTo: string[];
  user: string | undefined;
  raw: Buffer;
}

async function loopbackSmtp(o: { refuseFirstRecipient: boolean }) {
  const received: Received[] = [];
  const attempts: string[] = [];
  let refuse = o.refuseFirstRecipient;
  const server = new SMTPServer({
    hideSTARTTLS: true,
    allowInsecureAuth: true, // loopback only; production URLs use smtps:// or STARTTLS
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) return callback(null, { user: auth.username });
      return callback(new Error('535 authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      attempts.push(address.address);
      if (refuse) {
        refuse = false;
        return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      }
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          user: session.user as string | undefined,
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  return { server, port, received, attempts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function until<T>(f: () => T | undefined, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`nothing within ${ms} ms`);
    await sleep(25);
  }
}

const address = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0]?.address;

t.test('a signup\'s verification mail goes out over SMTP, retried after a temporary refusal', async (t) => {
  const smtp = await loopbackSmtp({ refuseFirstRecipient: true });
  t.teardown(() => smtp.close());
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter((l) => l !== ''));
      done();
    },
  });
  const b = await boot({
    MAIL_TRANSPORT: 'smtp', SMTP_URL: `smtp://${USER}:${PASSWORD}@127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'Okjangpan <no-reply@okj.example>', PUBLIC_BASE_URL: 'https://okj.example',
  }, { mailer: 'config', logger: createLogger({ logLevel: 'trace' }, capture) });
  t.teardown(() => b.stop());

  const p = person({ email: 'Seo.Yeon@Example.com' });
  t.equal((await signup(b, p)).status, 202, 'answered before the mail goes out');
  const mail = await until(() => smtp.received[0]);
  t.strictSame(smtp.attempts, ['seo.yeon@example.com', 'seo.yeon@example.com'], 'refused once (451), then accepted on the retry');
  t.equal(mail.mailFrom, 'no-reply@okj.example', 'envelope sender: MAIL_FROM\'s address');
  t.strictSame(mail.rcptTo, ['seo.yeon@example.com'], 'envelope recipient: the signup\'s email, lower-cased');
  t.equal(mail.user, USER, 'authenticated with the user and password of SMTP_URL');

  const parsed = await simpleParser(mail.raw);
  t.equal(address(parsed.from), 'no-reply@okj.example');
  t.equal(address(parsed.to), 'seo.yeon@example.com');
  t.equal(parsed.subject, 'Confirm your email address for okjangpan');
  t.match(parsed.text ?? '', /https:\/\/okj\.example\/verify-email#token=[A-Za-z0-9_-]{43}/, 'the message carries the link');
  const token = tokenInLink(parsed.text ?? '') as string;
  const v = await verify(b, { token, password: p.password });
  t.equal(v.status, 200, 'and the link verifies');
  t.equal((await login(b, p.email, p.password)).status, 200);

  await b.server.accounts.settled();
  const logged = lines.join('\n');
  t.match(logged, /"msg":"mail send failed; will retry"/, 'the refusal was logged');
  t.match(logged, /"responseCode":451/);
  t.match(logged, /"msg":"mail sent"/);
  t.notMatch(logged, token, 'never the token');
  t.notMatch(logged, PASSWORD, 'never the SMTP password');
});

t.test('a wrong SMTP password fails the send with the server\'s code, not a secret', async (t) => {
  const smtp = await loopbackSmtp({ refuseFirstRecipient: false });
  t.teardown(() => smtp.close());
  const mailer = new SmtpMailer(`smtp://${USER}:wrong-password@127.0.0.1:${smtp.port}`, { timeoutMs: 5000 });
  t.teardown(() => mailer.close());
  const err = await mailer.send({ kind: 'test', from: 'no-reply@okj.example', to: 'a@example.com', subject: 's', text: 'x' }).then(() => null, (e: unknown) => e);
  t.match(err, { code: 'EAUTH' }, 'refused: EAUTH');
  t.notMatch(String((err as Error).message), 'wrong-password');
  t.equal(smtp.received.length, 0, 'nothing delivered');
});
