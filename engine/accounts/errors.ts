// Accounts, authentication and sessions. Messages never say whether an email is registered.
import type { ErrorFragment } from '../error-info.ts';

export const ACCOUNT_ERRORS = {
  INVALID_CREDENTIALS: { status: 401, socket: 'error', message: 'the email or password is wrong' },
  TOO_MANY_ATTEMPTS: { status: 429, socket: 'error', message: 'too many failed sign-in attempts; wait and try again' },
  WEAK_PASSWORD: { status: 400, socket: 'error', message: 'the password does not meet the password policy' },
  NICKNAME_TAKEN: { status: 409, socket: 'error', message: 'this nickname is taken' },
  SESSION_REVOKED: { status: 401, socket: 'error', message: 'the session of this access token was revoked; sign in again' },
  REFRESH_TOKEN_INVALID: { status: 401, socket: 'error', message: 'the refresh token is invalid, expired or revoked; sign in again' },
  PASSWORD_ALREADY_SET: { status: 409, socket: 'error', message: 'this account already has a password; change it instead' },
  WITHDRAWAL_BLOCKED: { status: 409, socket: 'error', message: 'an account cannot be withdrawn while it leads an open auction or sells one with bids' },
  OAUTH_NOT_CONFIGURED: { status: 501, socket: 'error', message: 'Google sign-in is not configured on this server' },
  OAUTH_STATE_INVALID: { status: 400, socket: 'error', message: 'the sign-in state is unknown, expired, already used or not bound to this browser; start again' },
  OAUTH_FAILED: { status: 401, socket: 'error', message: 'the identity provider did not confirm the sign-in' },
  // 401 as in RFC 9470 (step-up): the token is valid, but this action needs a fresher sign-in; a refresh does not help.
  RECENT_SIGN_IN_REQUIRED: { status: 401, socket: 'error', message: 'this action needs a recent sign-in; sign in again' },
  // One answer for an unknown, used, expired or forged token and for a password that is not the signup's.
  // The session cookie (web app) used from a page of another origin: a cross-site request forgery, refused.
  CROSS_SITE_REFUSED: { status: 403, socket: 'error', message: 'the session cookie may be used only by this server\'s own pages' },
  VERIFICATION_FAILED: { status: 400, socket: 'error', message: 'the verification link is invalid, expired or already used, or the password does not match; sign up again for a new link' },
} as const satisfies ErrorFragment;
