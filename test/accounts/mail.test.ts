// Outgoing mail: the file mailer (the embedded default) writes one parseable RFC 5322 .eml per message
// under DATA_DIR/mail, readable by the server's user only, and a signup's link in it verifies the
// account; the queue takes mail off the request path, retries a failed send, logs failures without the
// message (or anything token-like in the transport's error), gives up after its tries, and drops what
// is left at a stop after a grace.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import t from 'tap';
import { FileMailer, MailQueue, MemoryMailer, type Mailer, type MailMessage } from '../../app/accounts/mailer.ts';
import { tokenInLink, verificationMail } from '../../engine/accounts/messages.ts';
import { boot, sleep } from '../gateway/harness.ts';
import { login, person, signup, verify } from './helpers.ts';

const address = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0]?.address;

function message(over: Partial<MailMessage> = {}): MailMessage {
  return verificationMail({
    from: 'Okjangpan <no-reply@okj.example>', to: 'min.ji@example.com', publicBaseUrl: 'https://okj.example', token: 'tok-0123456789-secret', validHours: 24, ...over,
  });
}

/** A logger that keeps every entry, for assertions. */
function recorder() {
  const entries: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return { entries, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

async function waitForEml(dir: string, ms = 5000): Promise<string[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
    if (names.length > 0 || Date.now() > deadline) return names;
    await sleep(20);
  }
}

t.test('the file mailer writes one RFC 5322 .eml per message, readable by the server only', async (t) => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'okj-mail-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  const dir = path.join(root, 'mail');
  const mailer = new FileMailer(dir);
  await mailer.send(message());
  await mailer.send(message({ to: 'someone@example.com' }));
  const names = (await readdir(dir)).sort();
  t.equal(names.length, 2, 'one file per message');
  t.ok(names.every((n) => /^\d{4}-\d\d-\d\dT[\d-]+Z-verify-email-[0-9a-f]{8}\.eml$/.test(n)), names.join(', '));
  t.equal((await stat(dir)).mode & 0o777, 0o700, 'the directory is private');
  const file = path.join(dir, names[0]);
  t.equal((await stat(file)).mode & 0o777, 0o600, 'and so is each file (it carries a link)');

  const raw = await readFile(file);
  const text = raw.toString('latin1');
  t.notMatch(text.replace(/\r\n/g, ''), /[\r\n]/, 'every line ends in CRLF');
  t.match(text, /^Date: .+\r\n/m);
  t.match(text, /^Message-ID: <[^>]+@okj\.example>\r\n/m);
  t.match(text, /^MIME-Version: 1\.0\r\n/m);
  const parsed = await simpleParser(raw);
  t.equal(address(parsed.from), 'no-reply@okj.example');
  t.equal(parsed.from?.value[0]?.name, 'Okjangpan');
  t.ok([address(parsed.to)].includes('min.ji@example.com') || [address(parsed.to)].includes('someone@example.com'));
  t.equal(parsed.subject, 'Confirm your email address for okjangpan');
  t.match(parsed.text ?? '', 'https://okj.example/verify-email#token=tok-0123456789-secret', 'the link, whole');
  t.ok(parsed.date instanceof Date);
  await mailer.close();
});

t.test('with the default configuration, a signup\'s mail lands under DATA_DIR/mail and its link verifies', async (t) => {
  const b = await boot({}, { mailer: 'config' });
  t.teardown(() => b.stop());
  t.equal(b.config.mail.transport, 'file');
  const p = person();
  t.equal((await signup(b, p)).status, 202);
  const names = await waitForEml(b.config.mail.dir);
  t.equal(names.length, 1, `one .eml under ${b.config.mail.dir}`);
  const parsed = await simpleParser(await readFile(path.join(b.config.mail.dir, names[0])));
  t.equal(address(parsed.to), p.email);
  t.equal(address(parsed.from), 'okjangpan@localhost', 'MAIL_FROM\'s default');
  t.match(parsed.text ?? '', `http://localhost:${b.config.port}/verify-email#token=`, 'a link under PUBLIC_BASE_URL\'s default');
  const token = tokenInLink(parsed.text ?? '');
  t.ok(token);
  t.equal((await verify(b, { token: token!, password: p.password })).status, 200, 'the link from the file verifies');
  t.equal((await login(b, p.email, p.password)).status, 200);
  t.equal(b.mail.sent.length, 0, 'the memory mailer was not used');
});

t.test('the queue retries a failed send and logs each failure without the message', async (t) => {
  const mailer = new MemoryMailer();
  const { entries, log } = recorder();
  const queue = new MailQueue(mailer, log, { attempts: 5, retryDelaysMs: [5, 10] });
  mailer.failNext = 2;
  t.equal(queue.enqueue(message()), true);
  t.equal(mailer.sent.length, 0, 'enqueue returns before anything is sent');
  await queue.idle();
  t.equal(mailer.sent.length, 1, 'sent on the third try');
  t.strictSame(entries.map((e) => [e.level, e.msg, e.obj.attempt]), [
    ['warn', 'mail send failed; will retry', 1], ['warn', 'mail send failed; will retry', 2], ['info', 'mail sent', 3],
  ]);
  t.match(entries[0].obj, { kind: 'verify-email', attempts: 5, code: 'EFAILNEXT' });
  t.notMatch(JSON.stringify(entries), /tok-0123456789-secret|min\.ji/, 'neither the token nor the address is logged');

  mailer.failNext = 10;
  entries.length = 0;
  const few = new MailQueue(mailer, log, { attempts: 3, retryDelaysMs: [1] });
  few.enqueue(message());
  await few.idle();
  t.equal(mailer.sent.length, 1, 'nothing more was sent');
  t.strictSame(entries.map((e) => e.level), ['warn', 'warn', 'error']);
  t.equal(entries[2].msg, 'mail send failed; giving up');
  mailer.failNext = 0;
});

t.test('a token-like string in a transport\'s error is masked in the log', async (t) => {
  const { entries, log } = recorder();
  const leaky: Mailer = {
    async send(m) {
      throw Object.assign(new Error(`550 refused: ${m.text.slice(m.text.indexOf('https://'), m.text.indexOf('https://') + 80)}`), { responseCode: 550 });
    },
    async close() {},
  };
  const queue = new MailQueue(leaky, log, { attempts: 1 });
  queue.enqueue(message());
  await queue.idle();
  t.match(entries[0], { level: 'error', obj: { responseCode: 550, error: /token=\[redacted\]/ } });
  t.notMatch(JSON.stringify(entries), /tok-0123456789-secret/);
});

t.test('a full queue drops (and logs) new mail; close gives what is queued a grace, then drops it', async (t) => {
  const { entries, log } = recorder();
  let release: () => void = () => {};
  let closed = false;
  const stuck: Mailer = {
    send: () => new Promise<void>((resolve) => (release = resolve)),
    async close() {
      closed = true;
    },
  };
  const queue = new MailQueue(stuck, log, { maxQueued: 2, concurrency: 1 });
  t.equal(queue.enqueue(message()), true);
  t.equal(queue.enqueue(message()), true);
  t.equal(queue.enqueue(message()), false, 'the third is refused');
  t.match(entries.at(-1), { level: 'error', msg: 'mail dropped: the queue is full or closed' });
  const started = Date.now();
  await queue.close(50);
  t.ok(Date.now() - started < 1000, 'close waited only its grace');
  t.match(entries.at(-1), { level: 'error', msg: 'mail dropped at shutdown', obj: { messages: 2 } });
  t.equal(closed, true, 'and closed the mailer');
  t.equal(queue.enqueue(message()), false, 'a closed queue takes nothing');
  release();
});
