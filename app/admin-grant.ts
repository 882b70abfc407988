// `npm run admin:grant -- <email> [--revoke]`: make an existing account an ADMIN (or a USER again), in
// the database DATABASE_URL names. The operator's bootstrap: the first admin cannot be made over the
// API, and an email list in configuration would hand ADMIN to whoever controls a listed mailbox.
// The role reaches the account's tokens at its next refresh or sign-in.
import { ConfigError, loadConfig } from './config.ts';
import { openStores } from './stores.ts';

const args = process.argv.slice(2);
const email = args.find((a) => !a.startsWith('--'));
const role = args.includes('--revoke') ? 'USER' : 'ADMIN';
if (email === undefined) {
  console.error('usage: npm run admin:grant -- <email> [--revoke]');
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
const stores = await openStores(config);
try {
  const account = await stores.accounts.byEmail(email.trim().toLowerCase());
  if (account === null || !(await stores.accounts.setRole(account.id, role, Date.now()))) {
    console.error(`no active account with the email ${email}`);
    process.exitCode = 1;
  } else {
    console.log(`${email} (${account.id}) is now ${role}`);
  }
} finally {
  await stores.close();
}
