// Mail through an SMTP server (production), with nodemailer: SMTP_URL is smtps://user:password@host:465
// (TLS from the start) or smtp://...:587 (STARTTLS when the server offers it). Certificates are verified.
// nodemailer's own logger stays off: its transcript would carry the AUTH exchange and the message body.
// Every phase has a timeout, so a silent server fails a send (and the queue retries) instead of hanging.
import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from './ports.ts';

export interface SmtpOptions {
  /** Connect, greeting and idle socket timeouts (ms). */
  timeoutMs?: number;
}

export class SmtpMailer implements Mailer {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(url: string, o: SmtpOptions = {}) {
    const timeoutMs = o.timeoutMs ?? 30_000;
    this.transport = nodemailer.createTransport({
      url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, logger: false, debug: false,
    });
  }

  async send(m: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: m.from, to: m.to, subject: m.subject, text: m.text });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
