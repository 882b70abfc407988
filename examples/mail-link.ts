// Prints the verification link of the newest mail the file mailer wrote (MAIL_TRANSPORT=file, the
// default: one .eml per message under DATA_DIR/mail), decoding its quoted-printable body, so signup
// can be tried with curl and no mail server. Usage: node --import tsx examples/mail-link.ts [to-address]
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../app/config.ts';

const to = process.argv[2]?.toLowerCase();
const { dir } = loadConfig().mail;
const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml'));
const files = await Promise.all(names.map(async (n) => ({ file: path.join(dir, n), at: (await stat(path.join(dir, n))).mtimeMs })));
for (const { file } of files.sort((a, b) => b.at - a.at)) {
  const raw = await readFile(file, 'latin1');
  const [head, ...rest] = raw.split('\r\n\r\n');
  if (to !== undefined && !new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'im').test(head)) continue;
  let body = rest.join('\r\n\r\n');
  if (/^Content-Transfer-Encoding: quoted-printable/im.test(head)) {
    body = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  } else if (/^Content-Transfer-Encoding: base64/im.test(head)) {
    body = Buffer.from(body, 'base64').toString('latin1');
  }
  const link = /\S+#token=[A-Za-z0-9_-]+/.exec(body)?.[0];
  if (link !== undefined) {
    console.log(link);
    process.exit(0);
  }
}
console.error(`no verification mail${to === undefined ? '' : ` to ${to}`} under ${dir}`);
process.exit(1);
