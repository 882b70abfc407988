// The mailer configuration asks for (MAIL_TRANSPORT): files under DATA_DIR/mail, or SMTP.
import type { MailConfig } from './config.ts';
import { FileMailer } from '../../storage/accounts/mail/file.ts';
import type { Mailer } from '../../storage/accounts/mail/ports.ts';
import { SmtpMailer } from '../../storage/accounts/mail/smtp.ts';

export type { Mailer, MailMessage } from '../../storage/accounts/mail/ports.ts';
export { MailQueue, type MailQueueOptions } from './mail-queue.ts';
export { MemoryMailer } from '../../storage/accounts/mail/memory.ts';
export { FileMailer } from '../../storage/accounts/mail/file.ts';
export { SmtpMailer } from '../../storage/accounts/mail/smtp.ts';

export function openMailer(cfg: MailConfig): Mailer {
  if (cfg.transport === 'smtp' && cfg.smtpUrl !== null) return new SmtpMailer(cfg.smtpUrl);
  return new FileMailer(cfg.dir);
}
