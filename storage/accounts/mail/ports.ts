// The Mailer port: hand one plain-text message to a mail transport. Adapters: memory (tests read what
// was sent), file (the embedded default: one RFC 5322 .eml file per message under DATA_DIR/mail) and SMTP
// (production, through nodemailer). Nothing on a request path waits for a transport: the account
// service hands messages to MailQueue (queue.ts), which sends them in the background and retries.
import type { MailMessage } from '../../../engine/accounts/model.ts';

export type { MailMessage };

export interface Mailer {
  /** Deliver one message; resolves once the transport has taken it (a file written, the SMTP server's 250). */
  send(message: MailMessage): Promise<void>;
  /** Release the transport's resources; no send is made after it. */
  close(): Promise<void>;
}
