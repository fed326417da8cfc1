// Probed servers that misbehave on purpose (one that never answers: tls-probe.test.ts): every
// probe ends within its deadline with a clear outcome, and what a server sends cannot blow up
// the series or the process.
import { strict as assert } from 'node:assert';
// the test PKI first: it loads the reflect-metadata polyfill @peculiar/x509 needs
import { issue, type Issued } from '../../support/pki.js';
import * as x509 from '@peculiar/x509';
import { MAX_PRESENTED_CERTIFICATES } from '../../../src/probe/handshake.js';
import { moduleFor, probeOnce } from '../../support/probe-harness.js';
import { garbageAfterHandshakeServer, tlsServer } from '../../support/tls-servers.js';

describe('hostile probed servers', function () {
  this.timeout(60_000);

  it("a chain of 100 certificates: read up to the cap, OpenSSL's verdict (it verifies a chain this deep), in bounded time", async () => {
    const root = await issue({ cn: 'Deep Root', ca: true });
    const cas: Issued[] = [];
    let issuer = root;
    for (let i = 0; i < 99; i++) {
      issuer = await issue({ cn: `Deep CA ${i}`, ca: true, issuer });
      cas.push(issuer);
    }
    const leaf = await issue({ cn: 'localhost', issuer, dns: ['localhost'] });
    const server = await tlsServer({ chain: [leaf, ...cas.reverse()] });
    try {
      const [result] = await probeOnce(await moduleFor({ ca: root }), server.port);
      assert.ok(result);
      // OpenSSL's default depth limit is 100 intermediates: the chain verifies, as for curl
      assert.equal(result.chainVerified, true, result.detail);
      assert.equal(result.success, true, result.detail);
      assert.ok(
        result.certs.length <= MAX_PRESENTED_CERTIFICATES,
        `${result.certs.length} certificates published`,
      );
    } finally {
      await server.stop();
    }
  });

  it('a 5 MB certificate: refused by the TLS stack, with a reason', async () => {
    const root = await issue({ cn: 'Fat Root', ca: true });
    const fat = await issue({
      cn: 'localhost',
      issuer: root,
      dns: ['localhost'],
      extensions: [new x509.Extension('1.3.6.1.4.1.55555.1', false, new Uint8Array(5 * 2 ** 20))],
    });
    const server = await tlsServer({ chain: [fat] });
    try {
      const started = Date.now();
      const [result] = await probeOnce(await moduleFor({ ca: root }), server.port);
      assert.ok(result);
      assert.equal(result.success, false);
      assert.ok(result.reason !== undefined && result.reason !== 'timeout', String(result.reason));
      assert.match(result.detail ?? '', /excessive|too long|length|size/i);
      assert.ok(Date.now() - started < 3_000, 'within the module timeout');
    } finally {
      await server.stop();
    }
  });

  it('garbage after the handshake: a broken TLS stream (not "not TLS"), certificates kept, the process lives', async () => {
    const root = await issue({ cn: 'Noisy Root', ca: true });
    const leaf = await issue({ cn: 'localhost', issuer: root, dns: ['localhost'] });
    const server = await garbageAfterHandshakeServer([leaf]);
    try {
      for (let i = 0; i < 5; i++) {
        const [result] = await probeOnce(await moduleFor({ ca: root }), server.port);
        assert.ok(result);
        assert.equal(result.success, false);
        assert.equal(result.reason, 'other_tls');
        assert.match(result.detail ?? '', /wrong version number/);
        assert.deepEqual(
          result.certs.map((c) => c.facts.subjectCN),
          ['localhost', 'Noisy Root'],
        );
      }
    } finally {
      await server.stop();
    }
  });
});
