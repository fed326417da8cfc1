// The probe against real TLS servers on 127.0.0.1:0, PKI minted per test.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { opensslNotAfter } from '../../support/openssl.js';
import { lookup } from 'node:dns/promises';
import { chain, issue, type Issued, type KeyKind } from '../../support/pki.js';
import { moduleFor, probeOnce } from '../../support/probe-harness.js';
import {
  closedPort,
  contextOf,
  plaintextServer,
  silentServer,
  tlsServer,
  type TlsServerOptions,
} from '../../support/tls-servers.js';
import { ocspResponse } from '../../support/ocsp.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';
import { registerProbeMetrics } from '../../../src/probe/probe-metrics.js';
import { createRegistry } from '../../../src/metrics/registry.js';
import { sampleValue } from '../../support/exposition.js';

async function probeServer(
  server: TlsServerOptions,
  spec: Parameters<typeof moduleFor>[0],
  target: Parameters<typeof probeOnce>[2] = {},
): Promise<ProbeResult> {
  const running = await tlsServer(server);
  try {
    const [result] = await probeOnce(await moduleFor(spec), running.port, target);
    assert.ok(result);
    return result;
  } finally {
    await running.stop();
  }
}

/** What /metrics publishes for these results (the probe families only). */
function probeMetricsText(results: readonly ProbeResult[]): Promise<string> {
  const registry = createRegistry({ processMetrics: false });
  registerProbeMetrics(
    registry,
    { probeResults: () => results, certEntries: () => [] },
    () => Date.now() / 1000,
  );
  return registry.text();
}

describe('TLS endpoint probe', function () {
  this.timeout(20_000);

  it("a valid chain: success, every check passes, every certificate published with openssl's notAfter", async () => {
    const c = await chain();
    const r = await probeServer({ chain: [c.leaf, c.intermediate] }, { ca: c.root });
    assert.equal(r.success, true, r.detail);
    assert.equal(r.handshakeOk, true);
    assert.equal(r.chainVerified, true);
    assert.equal(r.hostnameMatch, true);
    assert.deepEqual(
      r.certs.map((x) => `${x.position}:${x.facts.subjectCN}`),
      ['leaf:localhost', 'intermediate:Test Intermediate CA', 'root:Test Root CA'],
    );
    const pems: Record<string, Issued> = {
      localhost: c.leaf,
      'Test Intermediate CA': c.intermediate,
      'Test Root CA': c.root,
    };
    for (const cert of r.certs)
      assert.equal(
        cert.facts.notAfter,
        opensslNotAfter((pems[cert.facts.subjectCN] as Issued).pem),
      );
    assert.ok(
      (r.durations.handshake ?? 0) > 0 && (r.durations.total ?? 0) >= (r.durations.handshake ?? 0),
    );
    assert.match(r.protocol ?? '', /^TLSv1\.[23]$/);
  });

  const failures: ReadonlyArray<{
    name: string;
    build: () => Promise<{
      server: TlsServerOptions;
      spec: Parameters<typeof moduleFor>[0];
      serverName?: string;
    }>;
    reason: string;
    handshakeOk: boolean;
    leafPublished: boolean;
  }> = [
    {
      name: 'expired leaf',
      build: async () => {
        const c = await chain({ leaf: { notBeforeDays: -30, notAfterDays: -1 } });
        return { server: { chain: [c.leaf, c.intermediate] }, spec: { ca: c.root } };
      },
      reason: 'cert_expired',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'leaf not yet valid',
      build: async () => {
        const c = await chain({ leaf: { notBeforeDays: 2, notAfterDays: 30 } });
        return { server: { chain: [c.leaf, c.intermediate] }, spec: { ca: c.root } };
      },
      reason: 'cert_expired',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'expired intermediate',
      build: async () => {
        const c = await chain({ intermediate: { notBeforeDays: -60, notAfterDays: -2 } });
        return { server: { chain: [c.leaf, c.intermediate] }, spec: { ca: c.root } };
      },
      reason: 'cert_expired',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'wrong SAN',
      build: async () => {
        const c = await chain({ names: ['other.example'] });
        return { server: { chain: [c.leaf, c.intermediate] }, spec: { ca: c.root } };
      },
      reason: 'san_mismatch',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'unknown CA',
      build: async () => {
        const c = await chain();
        const other = await issue({ cn: 'Other Root', ca: true });
        return { server: { chain: [c.leaf, c.intermediate] }, spec: { ca: other } };
      },
      reason: 'unknown_ca',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'self-signed',
      build: async () => {
        const self = await issue({ cn: 'localhost', dns: ['localhost'] });
        const c = await chain();
        return { server: { chain: [self] }, spec: { ca: c.root } };
      },
      reason: 'unknown_ca',
      handshakeOk: true,
      leafPublished: true,
    },
    {
      name: 'leaf served without its intermediate',
      build: async () => {
        const c = await chain();
        return { server: { chain: [c.leaf] }, spec: { ca: c.root } };
      },
      reason: 'unknown_ca',
      handshakeOk: true,
      leafPublished: true,
    },
    ...(['TLSv1.2', 'TLSv1.3'] as const).map((version) => ({
      name: `mTLS required, no client certificate, ${version}`,
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        return {
          server: {
            chain: [c.leaf, c.intermediate],
            clientCa,
            minVersion: version,
            maxVersion: version,
          },
          spec: { ca: c.root },
        };
      },
      reason: 'no_client_cert',
      handshakeOk: false,
      leafPublished: true,
    })),
    {
      name: 'mTLS required, expired client certificate',
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        const client = await issue({
          cn: 'client',
          issuer: clientCa,
          client: true,
          notBeforeDays: -20,
          notAfterDays: -1,
        });
        return {
          server: { chain: [c.leaf, c.intermediate], clientCa },
          spec: { ca: c.root, client },
        };
      },
      reason: 'cert_expired',
      handshakeOk: false,
      leafPublished: true,
    },
    {
      name: 'a server choosing certificates by SNI refuses an unknown name',
      build: async () => {
        const c = await chain({ names: ['a.test'] });
        return {
          server: {
            chain: [c.leaf, c.intermediate],
            byName: { 'a.test': [c.leaf, c.intermediate] },
          },
          spec: { ca: c.root },
          serverName: 'b.test',
        };
      },
      reason: 'aborted',
      handshakeOk: false,
      leafPublished: false,
    },
  ];
  for (const f of failures) {
    it(`${f.name}: fails with ${f.reason}, ${f.leafPublished ? 'and the leaf is still published' : 'nothing to publish'}`, async () => {
      const { server, spec, serverName } = await f.build();
      const r = await probeServer(server, spec, serverName === undefined ? {} : { serverName });
      assert.equal(r.success, false);
      assert.equal(r.reason, f.reason, r.detail);
      assert.equal(r.handshakeOk, f.handshakeOk);
      assert.equal(
        r.certs.some((x) => x.position === 'leaf'),
        f.leafPublished,
      );
    });
  }

  it('an SNI server serves the certificate of the requested name', async () => {
    const a = await chain({ names: ['a.test'] });
    const b = await issue({ cn: 'b.test', dns: ['b.test'], issuer: a.intermediate });
    const r = await probeServer(
      {
        chain: [a.leaf, a.intermediate],
        byName: { 'a.test': [a.leaf, a.intermediate], 'b.test': [b, a.intermediate] },
      },
      { ca: a.root },
      { serverName: 'b.test' },
    );
    assert.equal(r.success, true, r.detail);
    assert.equal(r.certs[0]?.facts.subjectCN, 'b.test');
  });

  describe('client authentication', () => {
    async function setup(
      requestOnly: boolean,
      version?: 'TLSv1.2' | 'TLSv1.3',
    ): Promise<ProbeResult> {
      const c = await chain();
      const clientCa = await issue({ cn: 'Client CA', ca: true });
      const client = await issue({ cn: 'client', issuer: clientCa, client: true });
      return probeServer(
        {
          chain: [c.leaf, c.intermediate],
          clientCa,
          requestOnly,
          ...(version ? { minVersion: version, maxVersion: version } : {}),
        },
        { ca: c.root, client, options: { expect_client_auth: true } },
      );
    }
    for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
      it(`enforced (${version}): the handshake without a certificate is refused`, async () => {
        const r = await setup(false, version);
        assert.equal(r.clientAuthEnforced, true);
        assert.equal(r.success, true, r.detail);
      });
    }
    it('not enforced: a client without a certificate is accepted, and the probe fails', async () => {
      const r = await setup(true);
      assert.equal(r.clientAuthEnforced, false);
      assert.equal(r.handshakeOk, true);
      assert.equal(r.success, false);
      assert.match(r.detail ?? '', /not enforced/);
    });
  });

  describe('OCSP stapling', () => {
    const cases: ReadonlyArray<{
      status: 'good' | 'revoked' | 'unknown' | 'none';
      mode: 'request' | 'require';
      success: boolean;
      code?: number;
    }> = [
      { status: 'good', mode: 'require', success: true, code: 0 },
      { status: 'revoked', mode: 'request', success: false, code: 1 },
      { status: 'unknown', mode: 'request', success: true, code: 2 },
      { status: 'unknown', mode: 'require', success: false, code: 2 },
      { status: 'none', mode: 'request', success: true },
      { status: 'none', mode: 'require', success: false },
    ];
    for (const c of cases) {
      it(`${c.status} with ocsp: ${c.mode}`, async () => {
        const pki = await chain();
        const staple =
          c.status === 'none'
            ? undefined
            : await ocspResponse(pki.leaf, pki.intermediate, c.status);
        const r = await probeServer(
          { chain: [pki.leaf, pki.intermediate], ...(staple ? { ocsp: () => staple } : {}) },
          { ca: pki.root, options: { ocsp: c.mode } },
        );
        assert.equal(r.ocsp?.stapled, c.status !== 'none');
        assert.equal(r.ocsp?.status, c.code);
        assert.equal(r.success, c.success, r.detail);
        if (c.status === 'good') assert.ok((r.ocsp?.nextUpdate ?? 0) > Date.now() / 1000);
        if (c.status === 'revoked') assert.equal(r.reason, 'cert_revoked');
      });
    }
  });

  describe('key-exchange group (a real server restricted with ecdhCurve)', () => {
    const cases: ReadonlyArray<[string, 'TLSv1.2' | 'TLSv1.3', string]> = [
      ['X25519', 'TLSv1.3', 'X25519'],
      ['prime256v1', 'TLSv1.3', 'P-256'],
      ['secp384r1', 'TLSv1.3', 'P-384'],
      ['X448', 'TLSv1.3', 'X448'],
      ['prime256v1', 'TLSv1.2', 'P-256'],
      ['secp521r1', 'TLSv1.2', 'P-521'],
    ];
    for (const [curve, version, group] of cases) {
      it(`${curve} over ${version}: ${group}, published`, async () => {
        const pki = await chain();
        const r = await probeServer(
          { chain: [pki.leaf, pki.intermediate], ecdhCurve: curve, maxVersion: version },
          { ca: pki.root },
        );
        assert.equal(r.success, true, r.detail);
        assert.equal(r.protocol, version);
        assert.equal(r.group, group);
        const text = await probeMetricsText([r]);
        assert.equal(
          sampleValue(text, 'tls_probe_key_exchange_info', { name: 'target', group }),
          1,
        );
      });
    }
    it('finite-field DHE (TLS 1.2, DHE-RSA): ffdhe<bits>; RSA key transport: no group', async () => {
      const pki = await chain({ kind: 'rsa2048' });
      const dhe = await probeServer(
        {
          chain: [pki.leaf, pki.intermediate],
          maxVersion: 'TLSv1.2',
          ciphers: 'DHE-RSA-AES128-GCM-SHA256',
          dhparam: 'auto',
        },
        { ca: pki.root },
      );
      assert.equal(dhe.success, true, dhe.detail);
      assert.equal(dhe.cipher, 'DHE-RSA-AES128-GCM-SHA256');
      assert.match(dhe.group ?? '', /^ffdhe(2048|3072|4096)$/);
      const transport = await probeServer(
        {
          chain: [pki.leaf, pki.intermediate],
          maxVersion: 'TLSv1.2',
          ciphers: 'AES128-GCM-SHA256',
        },
        { ca: pki.root },
      );
      assert.equal(transport.success, true, transport.detail);
      assert.equal(transport.group, undefined);
      const text = await probeMetricsText([transport]);
      assert.equal(sampleValue(text, 'tls_probe_key_exchange_info', { name: 'target' }), undefined);
    });

    it('key_exchange_groups: another group fails the probe with its own reason', async () => {
      const pki = await chain();
      const server = { chain: [pki.leaf, pki.intermediate], ecdhCurve: 'prime256v1' };
      const strict = await probeServer(server, {
        ca: pki.root,
        options: { key_exchange_groups: ['X25519', 'X25519MLKEM768'] },
      });
      assert.equal(strict.handshakeOk, true);
      assert.equal(strict.reason, 'key_exchange_not_allowed');
      assert.match(
        strict.detail ?? '',
        /chose key exchange P-256, not one of key_exchange_groups \(X25519, X25519MLKEM768\)/,
      );
      const allowed = await probeServer(server, {
        ca: pki.root,
        options: { key_exchange_groups: ['X25519', 'P-256'] },
      });
      assert.equal(allowed.success, true, allowed.detail);
    });
  });

  describe('endpoints that are not TLS servers', () => {
    it('a server that accepts and never answers: timeout at the deadline', async () => {
      const silent = await silentServer();
      try {
        const module = await moduleFor({ options: { timeout: '500ms' } });
        const started = Date.now();
        const [r] = await probeOnce(module, silent.port);
        assert.equal(r?.reason, 'timeout');
        assert.match(r?.detail ?? '', /no handshake within 500 ms/);
        assert.ok(Date.now() - started < 2_000, 'the probe outlived its deadline by far');
      } finally {
        await silent.stop();
      }
    });
    it('a closed port: refused', async () => {
      const [r] = await probeOnce(await moduleFor({}), await closedPort());
      assert.equal(r?.reason, 'refused');
    });
    it('a plaintext server: not_tls', async () => {
      const plain = await plaintextServer();
      try {
        const [r] = await probeOnce(await moduleFor({}), plain.port);
        assert.equal(r?.reason, 'not_tls');
      } finally {
        await plain.stop();
      }
    });
    it('a name that does not resolve: dns', async () => {
      const [r] = await probeOnce(await moduleFor({}), 443, { host: 'no-such-host.invalid' });
      assert.equal(r?.reason, 'dns');
    });
  });

  // The chain a target presented is kept between probes (src/probe/presented-chains.ts): what the
  // server changes must still show on the probe that sees it.
  describe('one server, probe after probe, changing what it presents', () => {
    it('a new leaf, a chain that stops verifying and one that verifies again: each seen at once', async () => {
      const c = await chain();
      const next = await issue({ cn: 'localhost', issuer: c.intermediate, dns: ['localhost'] });
      const running = await tlsServer({ chain: [c.leaf, c.intermediate] });
      const module = await moduleFor({ ca: c.root });
      const probe = async (): Promise<ProbeResult> => {
        const [r] = await probeOnce(module, running.port);
        assert.ok(r);
        return r;
      };
      const seen = (r: ProbeResult): string[] =>
        r.certs.map((x) => `${x.position}:${x.facts.serial}`);
      const serve = async (served: readonly Issued[]): Promise<void> =>
        running.server.setSecureContext(await contextOf(served));
      try {
        const first = await probe();
        assert.equal(first.success, true, first.detail);
        assert.deepEqual(seen(await probe()), seen(first), 'the same chain, probed again');

        await serve([next, c.intermediate]);
        const rotated = await probe();
        assert.equal(rotated.success, true, rotated.detail);
        assert.equal(
          rotated.certs[0]?.facts.serial,
          new X509Certificate(next.pem).serialNumber.toLowerCase(),
        );

        await serve([next]);
        const missing = await probe();
        assert.equal(missing.success, false);
        assert.equal(missing.reason, 'unknown_ca', missing.detail);
        assert.deepEqual(
          missing.certs.map((x) => x.facts.subjectCN),
          ['localhost'],
          'the intermediate is no longer presented',
        );

        await serve([next, c.intermediate]);
        const fixed = await probe();
        assert.equal(fixed.success, true, fixed.detail);
        assert.deepEqual(seen(fixed), seen(rotated));
      } finally {
        await running.stop();
      }
    });
  });

  describe('keys and names', () => {
    const keys: ReadonlyArray<[KeyKind, string, number, string]> = [
      ['rsa2048', 'rsa', 2048, 'sha256WithRSAEncryption'],
      ['p256', 'ecdsa', 256, 'ecdsa-with-SHA256'],
      ['ed25519', 'ed25519', 256, 'ed25519'],
    ];
    for (const [kind, algorithm, bits, signature] of keys) {
      it(`${kind}: key algorithm, size and signature algorithm`, async () => {
        const c = await chain({ kind });
        const r = await probeServer({ chain: [c.leaf, c.intermediate] }, { ca: c.root });
        assert.equal(r.success, true, r.detail);
        const leaf = r.certs[0]?.facts;
        assert.equal(leaf?.keyAlgorithm, algorithm);
        assert.equal(leaf?.keyBits, bits);
        assert.equal(leaf?.signatureAlgorithm, signature);
      });
    }
    it('an IP SAN matches a target given by IP', async () => {
      const c = await chain({ names: ['127.0.0.1'] });
      const r = await probeServer(
        { chain: [c.leaf, c.intermediate] },
        { ca: c.root },
        { serverName: '127.0.0.1' },
      );
      assert.equal(r.hostnameMatch, true);
      assert.equal(r.success, true, r.detail);
    });
    it('localhost with resolve: all probes every address (127.0.0.1 and ::1), one result each', async () => {
      // This sandbox's /etc/hosts maps localhost to 127.0.0.1 only; where the system resolver
      // also gives ::1 it is used, else a resolver with the usual two loopback entries stands in
      // for /etc/hosts. Both addresses are real sockets on a real dual-stack server.
      const system = (await lookup('localhost', { all: true })).map((a) => a.address);
      const resolver =
        system.includes('::1') && system.includes('127.0.0.1')
          ? undefined
          : () => Promise.resolve(['127.0.0.1', '::1']);
      const c = await chain({ names: ['localhost'] });
      const running = await tlsServer({ chain: [c.leaf, c.intermediate], host: '::' });
      try {
        const module = await moduleFor({ ca: c.root, options: { resolve: 'all' } });
        const results = await probeOnce(module, running.port, {
          host: 'localhost',
          name: 'local',
          ...(resolver ? { resolver } : {}),
        });
        assert.deepEqual(results.map((r) => r.target).sort(), ['local@127.0.0.1', 'local@::1']);
        assert.ok(
          results.every((r) => r.success),
          JSON.stringify(results.map((r) => r.detail)),
        );
      } finally {
        await running.stop();
      }
    });
  });
});
