// What the HTTP API asks of the accounts domain (SPEC §3: signup, login, refresh rotation, logout,
// withdrawal, Google sign-in, profile and password). The account service implements it; the routes get it.
import type { UserId } from '../kernel.ts';
import type { Identity } from './identity.ts';
import type { Account, AccountRole, Profile, SignupInput, Tokens } from './model.ts';

/** Who Google says signed in (a verified ID token). */
export interface GoogleIdentity {
  subject: string;
  email: string;
  name: string | null;
}

export interface AccountsApi {
  /** Answers the same whatever the email (no enumeration); mails a verification link when it should. */
  signup(input: SignupInput, ip: string): Promise<void>;
  verify(token: string, password: string, nickname: string | undefined, ip: string): Promise<Tokens>;
  login(email: string, password: string, ip: string): Promise<Tokens>;
  refresh(refreshToken: string): Promise<Tokens>;
  logout(who: Identity): Promise<void>;
  account(id: UserId): Promise<Account>;
  updateProfile(id: UserId, patch: Partial<Profile>): Promise<Account>;
  changePassword(who: Identity, current: string, next: string, ip: string): Promise<void>;
  setPassword(who: Identity, id: UserId, next: string): Promise<void>;
  withdraw(who: Identity, id: UserId, password: string | undefined, ip: string): Promise<{ canceled: string[] }>;
  setRole(id: UserId, role: AccountRole): Promise<Account>;
  googleSignIn(g: GoogleIdentity): Promise<Tokens>;
}

/** Google's authorization-code flow, when configured: where to send the browser, and its return. */
export interface GoogleFlow {
  /** The authorization URL, and the binding the browser must bring back (a cookie). */
  start(): { url: string; binding: string };
  finish(state: string, code: string, binding: string | undefined): Promise<GoogleIdentity>;
}
