// Prints an access token for a user id, signed with this machine's JWT_SECRET (read through
// app/config.ts like the server does), for trying the API and sockets before accounts exist.
// Usage: JWT_SECRET=... node --import tsx examples/token.ts <userId> [admin]
import { loadConfig } from '../app/config.ts';
import { signAccessToken, tokenKeys } from '../app/accounts/tokens.ts';

const [userId, role] = process.argv.slice(2);
if (userId === undefined) {
  console.error('usage: node --import tsx examples/token.ts <userId> [admin]');
  process.exit(2);
}
const config = loadConfig();
if (config.jwt.secret === null) {
  console.error('set JWT_SECRET (the same value the server runs with): a token signed with any other key is refused');
  process.exit(2);
}
console.log(await signAccessToken(tokenKeys(config.jwt), userId, { role: role === 'admin' ? 'admin' : 'user', ttlSeconds: 3600 }));
