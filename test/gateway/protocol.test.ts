// The shared protocol constants hold together with the error catalogue.
import t from 'tap';
import { ERROR_CODES, ERRORS } from '../../engine/index.ts';
import { CLIENT, CLOSE, SERVER } from '../../gateway/protocol.ts';

t.test('close codes are distinct and in the allowed ranges', async (t) => {
  const codes = Object.values(CLOSE);
  t.equal(new Set(codes).size, codes.length, 'distinct');
  for (const c of codes) t.ok((c >= 1000 && c <= 1014) || (c >= 4000 && c <= 4999), `${c} is a standard or private code`);
});

t.test('every catalogue code answered by a close has a close code of the same name', async (t) => {
  const closing = ERROR_CODES.filter((c) => ERRORS[c].socket === 'close');
  t.ok(closing.length > 0);
  for (const code of closing) t.ok(Object.hasOwn(CLOSE, code), `${code} has a close code`);
  for (const name of Object.keys(CLOSE)) {
    if (Object.hasOwn(ERRORS, name)) t.not(ERRORS[name as keyof typeof ERRORS].socket, 'ack', `${name} is not an ack code`);
  }
});

t.test('message type names are distinct', async (t) => {
  const client: string[] = Object.values(CLIENT);
  const server: string[] = Object.values(SERVER);
  t.equal(new Set(client).size, client.length, 'within what clients send');
  t.equal(new Set(server).size, server.length, 'within what the server sends');
  // SPEC §7 names the receipt and the typing signal the same both ways; no other name is shared.
  t.same(client.filter((n) => server.includes(n)).sort(), ['chat.read', 'chat.typing']);
});
