// The leaf inside a session as Node serialises it, read from real sessions (TLS 1.2 and 1.3)
// and refused from anything else.
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { X509Certificate } from 'node:crypto';
import { connect, type TLSSocket } from 'node:tls';
import { chain } from '../../support/pki.js';
import { tlsServer } from '../../support/tls-servers.js';
import { leafOfSession } from '../../../src/probe/session-leaf.js';

describe('the leaf inside a TLS session', () => {
  for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`${version}: the server's certificate, byte for byte, not the intermediate`, async () => {
      const c = await chain();
      const running = await tlsServer({ chain: [c.leaf, c.intermediate], maxVersion: version });
      try {
        const socket: TLSSocket = connect({
          host: '127.0.0.1',
          port: running.port,
          servername: 'localhost',
          rejectUnauthorized: false,
        });
        await once(socket, 'secureConnect');
        const session = socket.getSession();
        const protocol = socket.getProtocol();
        socket.destroy();
        assert.equal(protocol, version);
        assert.deepEqual(leafOfSession(session), new X509Certificate(c.leaf.pem).raw);
      } finally {
        await running.stop();
      }
    });
  }

  const refused: ReadonlyArray<[string, Buffer | undefined]> = [
    ['no session', undefined],
    ['empty', Buffer.alloc(0)],
    ['not DER', Buffer.from('not a session')],
    ['a sequence without [3]', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])],
    ['[3] holding no certificate', Buffer.from([0x30, 0x05, 0xa3, 0x03, 0x02, 0x01, 0x01])],
    ['truncated', Buffer.from([0x30, 0x10, 0xa3, 0x0e, 0x30])],
  ];
  for (const [name, session] of refused) {
    it(`${name}: no leaf`, () => {
      assert.equal(leafOfSession(session), undefined);
    });
  }
});
