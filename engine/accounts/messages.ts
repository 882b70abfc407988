// The mails signup sends. Both go to the address a signup named, and only there: a verification link
// when the address has no account, a notice when it has one. Whoever signed up learns nothing from the
// answer; only the owner of the mailbox reads which mail came.
//
// The link carries the token in its fragment (`#token=`), which browsers never send to a server, so it
// stays out of access logs, proxies and Referer headers; the page it opens asks for the signup's
// password and POSTs both to /api/v1/auth/verify.
import type { MailMessage } from './model.ts';

export const VERIFY_PATH = '/verify-email';

export function verificationLink(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}${VERIFY_PATH}#token=${token}`;
}

/** The token in a verification link or a mail that carries one, or null. */
export function tokenInLink(text: string): string | null {
  return /#token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? null;
}

export function verificationMail(o: { from: string; to: string; publicBaseUrl: string; token: string; validHours: number }): MailMessage {
  const link = verificationLink(o.publicBaseUrl, o.token);
  return {
    kind: 'verify-email',
    from: o.from,
    to: o.to,
    subject: 'Confirm your email address for okjangpan',
    text: [
      'Hello,',
      '',
      'Someone (we hope you) signed up for okjangpan with this email address. To finish, open this link',
      'and enter the password you chose:',
      '',
      `  ${link}`,
      '',
      `The link works once, for ${o.validHours} hours. If you did not sign up, ignore this mail: no account`,
      'is made without it.',
      '',
      '-- okjangpan',
      '',
    ].join('\n'),
  };
}

export function alreadyRegisteredMail(o: { from: string; to: string; publicBaseUrl: string }): MailMessage {
  return {
    kind: 'already-registered',
    from: o.from,
    to: o.to,
    subject: 'Someone tried to sign up with your email address',
    text: [
      'Hello,',
      '',
      'Someone just tried to sign up for okjangpan with this email address, which already has an account.',
      'Nothing was changed.',
      '',
      'If it was you, sign in instead (with your password, or with Google if you signed up that way):',
      '',
      `  ${o.publicBaseUrl}/`,
      '',
      'If it was not you, you need do nothing.',
      '',
      '-- okjangpan',
      '',
    ].join('\n'),
  };
}
