// The mailer configuration asks for (MAIL_TRANSPORT): files under DATA_DIR/mail, or SMTP.
import type { MailConfig } from '../../../app/config.ts';
import { FileMailer } from './file.ts';
import type { Mailer } from './mailer.ts';
import { SmtpMailer } from './smtp.ts';

export type { Mailer, MailMessage } from './mailer.ts';
export { MailQueue, type MailQueueOptions } from './queue.ts';
export { MemoryMailer } from './memory.ts';
export { FileMailer } from './file.ts';
export { SmtpMailer } from './smtp.ts';

export function openMailer(cfg: MailConfig): Mailer {
  if (cfg.transport === 'smtp' && cfg.smtpUrl !== null) return new SmtpMailer(cfg.smtpUrl);
  return new FileMailer(cfg.dir);
}
