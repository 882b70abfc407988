// Mail as files: each message is one RFC 5322 .eml file (CRLF lines, MIME-encoded by nodemailer's own
// composer, the same bytes its SMTP transport would send) under DATA_DIR/mail. The embedded default, so
// `npm ci && npm start` needs no mail server: open a file in a mail client, or read the link in it.
// The files carry verification links: the directory is 0700 and each file 0600, written under a
// temporary name and renamed, so a reader never sees half a message.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from './ports.ts';

export class FileMailer implements Mailer {
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(readonly dir: string) {}

  async send(m: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const info = await this.composer.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text, date: new Date() });
    const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${m.kind}-${randomBytes(4).toString('hex')}.eml`;
    const tmp = path.join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, info.message as Buffer, { mode: 0o600 });
    await rename(tmp, path.join(this.dir, name));
  }

  async close(): Promise<void> {
    this.composer.close();
  }
}
