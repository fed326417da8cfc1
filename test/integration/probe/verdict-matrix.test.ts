// The certificate matrix: real OpenSSL servers (`openssl s_server` on 127.0.0.1:0 or [::1]:0,
// PKI minted per case), each probed by the exporter AND judged by `openssl s_client
// -verify_return_error` in the same test. A case passes when the probe's verdict is the expected
// one and agrees with OpenSSL's, or differs from it for the documented reason written in the
// case (docs/configuration.md: security_level, hostname_cn_fallback, ocsp).
import { strict as assert } from 'node:assert';
import { chain, issue, type Issued } from '../../support/pki.js';
import { ocspResponse } from '../../support/ocsp.js';
import { moduleFor, probeOnce, type ModuleSpec } from '../../support/probe-harness.js';
import {
  sClient,
  sServer,
  type SClientVerdict,
  type SServerOptions,
} from '../../support/openssl-tls.js';
import { closedPort, plaintextServer, silentServer } from '../../support/tls-servers.js';
import { errorReason } from '../../../src/probe/handshake.js';
import { opensslReason } from '../../../src/certs/inspect/openssl-verdict.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';
import type { ProbeFailureReason, RefusedBy } from '../../../src/domain/tls-words.js';

interface Setup {
  readonly server: SServerOptions;
  readonly module: ModuleSpec;
  /** the trust the oracle uses (default: the module's CA) */
  readonly ca?: Issued;
  readonly serverName?: string;
}

interface Expected {
  readonly success: boolean;
  readonly reason?: ProbeFailureReason;
  readonly refusedBy?: RefusedBy;
  readonly clientAuthEnforced?: boolean;
  readonly ocspStatus?: 0 | 1 | 2;
}

interface Case {
  readonly name: string;
  readonly build: () => Promise<Setup>;
  readonly expect: Expected;
  /**
   * Where the probe deliberately differs from s_client, why (the documented choice) and what
   * s_client concludes instead; absent: they must agree.
   */
  readonly differs?: { readonly why: string; readonly oracle: (o: SClientVerdict) => void };
}

const SERVER_NAME = 'localhost';

/** Whether s_client's verdict equals the probe's: accepted or not, and for what. */
function assertAgrees(o: SClientVerdict, r: ProbeResult, offersClientCert: boolean): void {
  assert.equal(
    o.accepted,
    r.success,
    `s_client ${o.accepted ? 'accepted' : 'refused'}, the probe ${r.success ? 'succeeded' : `failed: ${r.reason} ${r.detail}`}\n${o.output}`,
  );
  if (r.success) return;
  if (r.refusedBy === 'probe' && o.verifyError) {
    assert.equal(
      opensslReason({ code: 'UNSPECIFIED', message: o.verifyError.text }),
      r.reason,
      o.output,
    );
  } else if (r.refusedBy === 'server' && o.alert) {
    const seen = errorReason(new Error(o.alert), offersClientCert).reason;
    assert.equal(seen, r.reason, `s_client saw "${o.alert}"`);
  }
}

const serverChain = async (leaf: Partial<Parameters<typeof issue>[0]> = {}) => chain({ leaf });

const CASES: readonly Case[] = [
  // --- chains the probe and OpenSSL accept
  {
    name: 'leaf and intermediate',
    build: async () => {
      const c = await chain();
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: true },
  },
  {
    name: 'a private root issuing the leaf directly, only the leaf sent',
    build: async () => {
      const root = await issue({ cn: 'Private Root', ca: true });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: root });
      return { server: { chain: [leaf] }, module: { ca: root } };
    },
    expect: { success: true },
  },
  {
    name: 'out-of-order chain with an extra unrelated certificate',
    build: async () => {
      const c = await chain();
      const stray = await issue({ cn: 'Stray CA', ca: true });
      return { server: { chain: [c.leaf, stray, c.root, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: true },
  },
  {
    name: 'wildcard one label deep',
    build: async () => {
      const c = await chain({ names: ['*.svc.test'] });
      return {
        server: { chain: [c.leaf, c.intermediate] },
        module: { ca: c.root },
        serverName: 'es.svc.test',
      };
    },
    expect: { success: true },
  },
  {
    name: 'IPv4 SAN, target by address',
    build: async () => {
      const c = await chain({ names: ['127.0.0.1'] });
      return {
        server: { chain: [c.leaf, c.intermediate] },
        module: { ca: c.root },
        serverName: '127.0.0.1',
      };
    },
    expect: { success: true },
  },
  {
    name: 'IPv6 SAN, target by address, server on ::1',
    build: async () => {
      const c = await chain({ names: ['::1'] });
      return {
        server: { chain: [c.leaf, c.intermediate], host: '::1' },
        module: { ca: c.root },
        serverName: '::1',
      };
    },
    expect: { success: true },
  },
  // --- chains both refuse
  {
    name: 'expired leaf',
    build: async () => {
      const c = await serverChain({ notBeforeDays: -30, notAfterDays: -1 });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_expired', refusedBy: 'probe' },
  },
  {
    name: 'leaf not yet valid',
    build: async () => {
      const c = await serverChain({ notBeforeDays: 2, notAfterDays: 30 });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_expired', refusedBy: 'probe' },
  },
  {
    name: 'expired intermediate',
    build: async () => {
      const c = await chain({ intermediate: { notBeforeDays: -60, notAfterDays: -2 } });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_expired', refusedBy: 'probe' },
  },
  {
    name: 'self-signed leaf',
    build: async () => {
      const self = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME] });
      const root = await issue({ cn: 'Some Root', ca: true });
      return { server: { chain: [self] }, module: { ca: root } };
    },
    expect: { success: false, reason: 'unknown_ca', refusedBy: 'probe' },
  },
  {
    name: 'unknown CA',
    build: async () => {
      const c = await chain();
      const other = await issue({ cn: 'Other Root', ca: true });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: other } };
    },
    expect: { success: false, reason: 'unknown_ca', refusedBy: 'probe' },
  },
  {
    name: 'missing intermediate',
    build: async () => {
      const c = await chain();
      return { server: { chain: [c.leaf] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'unknown_ca', refusedBy: 'probe' },
  },
  {
    name: 'issued by a certificate that is not a CA (CA:FALSE, no keyCertSign)',
    build: async () => {
      const root = await issue({ cn: 'Root', ca: true });
      const notCa = await issue({ cn: 'Not A CA', dns: ['not-a-ca.test'], issuer: root });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: notCa });
      return { server: { chain: [leaf, notCa] }, module: { ca: root } };
    },
    expect: { success: false, reason: 'cert_invalid_ca', refusedBy: 'probe' },
  },
  {
    name: 'issued by a certificate that is not a CA (CA:FALSE, no keyUsage at all)',
    build: async () => {
      const root = await issue({ cn: 'Root', ca: true });
      const notCa = await issue({ cn: 'Not A CA', issuer: root, keyUsage: false });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: notCa });
      return { server: { chain: [leaf, notCa] }, module: { ca: root } };
    },
    expect: { success: false, reason: 'cert_invalid_ca', refusedBy: 'probe' },
  },
  {
    name: "longer than an intermediate's pathLenConstraint 0",
    build: async () => {
      const root = await issue({ cn: 'Root', ca: true });
      const upper = await issue({ cn: 'Upper CA', ca: true, issuer: root, pathLength: 0 });
      const lower = await issue({ cn: 'Lower CA', ca: true, issuer: upper });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: lower });
      return { server: { chain: [leaf, lower, upper] }, module: { ca: root } };
    },
    expect: { success: false, reason: 'cert_path_length', refusedBy: 'probe' },
  },
  {
    name: 'a client certificate (extendedKeyUsage clientAuth only) deployed on the server',
    build: async () => {
      const c = await serverChain({ client: true });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_purpose', refusedBy: 'probe' },
  },
  {
    name: 'SHA-1-signed leaf (RSA)',
    build: async () => {
      const c = await chain({ kind: 'rsa2048', leaf: { sha1: true } });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_weak_signature', refusedBy: 'probe' },
  },
  {
    name: 'RSA-1024 leaf at the default security level 2',
    build: async () => {
      const c = await chain({ leaf: { kind: 'rsa1024' } });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'cert_weak_key', refusedBy: 'probe' },
  },
  {
    name: 'RSA-1024 leaf with security_level: 1',
    build: async () => {
      const c = await chain({ leaf: { kind: 'rsa1024' } });
      return {
        server: { chain: [c.leaf, c.intermediate] },
        module: { ca: c.root, options: { security_level: 1 } },
      };
    },
    expect: { success: true },
    differs: {
      why: "security_level 1 is Node's and accepts RSA-1024 as Go does; this s_client runs at Debian's level 2",
      oracle: (o) => {
        assert.equal(o.accepted, false);
        assert.equal(o.verifyError?.code, 66, o.output); // EE certificate key too weak
      },
    },
  },
  {
    name: 'SAN for another name',
    build: async () => {
      const c = await chain({ names: ['other.example'] });
      return { server: { chain: [c.leaf, c.intermediate] }, module: { ca: c.root } };
    },
    expect: { success: false, reason: 'san_mismatch', refusedBy: 'probe' },
  },
  {
    name: 'wildcard two labels deep',
    build: async () => {
      const c = await chain({ names: ['*.svc.test'] });
      return {
        server: { chain: [c.leaf, c.intermediate] },
        module: { ca: c.root },
        serverName: 'es.logging.svc.test',
      };
    },
    expect: { success: false, reason: 'san_mismatch', refusedBy: 'probe' },
  },
  {
    name: 'a name only in the subject CN, no SAN (default: SANs only)',
    build: async () => {
      const root = await issue({ cn: 'Root', ca: true });
      const leaf = await issue({ cn: SERVER_NAME, issuer: root });
      return { server: { chain: [leaf] }, module: { ca: root } };
    },
    expect: { success: false, reason: 'san_mismatch', refusedBy: 'probe' },
    differs: {
      why: 'OpenSSL falls back to the CN when there is no DNS SAN; browsers and Go do not, and neither does the probe unless hostname_cn_fallback: true',
      oracle: (o) => assert.equal(o.accepted, true, o.output),
    },
  },
  {
    name: 'a name only in the subject CN, hostname_cn_fallback: true',
    build: async () => {
      const root = await issue({ cn: 'Root', ca: true });
      const leaf = await issue({ cn: SERVER_NAME, issuer: root });
      return {
        server: { chain: [leaf] },
        module: { ca: root, options: { hostname_cn_fallback: true } },
      };
    },
    expect: { success: true },
  },
  // --- mutual TLS: the server's verdict on the probe
  ...(['TLSv1.2', 'TLSv1.3'] as const).flatMap((version): Case[] => [
    {
      name: `client certificate required, none sent, ${version}`,
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        return {
          server: { chain: [c.leaf, c.intermediate], clientCa, version },
          module: { ca: c.root },
        };
      },
      expect: { success: false, reason: 'no_client_cert', refusedBy: 'server' },
    },
    {
      name: `client certificate required and good, ${version}`,
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        const client = await issue({ cn: 'probe', issuer: clientCa, client: true });
        return {
          server: { chain: [c.leaf, c.intermediate], clientCa, version },
          module: { ca: c.root, client, options: { expect_client_auth: true } },
        };
      },
      expect: { success: true, clientAuthEnforced: true },
    },
    {
      name: `client certificate from a CA the server does not trust, ${version}`,
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        const stranger = await issue({ cn: 'Stranger CA', ca: true });
        const client = await issue({ cn: 'probe', issuer: stranger, client: true });
        return {
          server: { chain: [c.leaf, c.intermediate], clientCa, version },
          module: { ca: c.root, client },
        };
      },
      expect: { success: false, reason: 'unknown_ca', refusedBy: 'server' },
    },
    {
      name: `expired client certificate, ${version}`,
      build: async () => {
        const c = await chain();
        const clientCa = await issue({ cn: 'Client CA', ca: true });
        const client = await issue({
          cn: 'probe',
          issuer: clientCa,
          client: true,
          notBeforeDays: -30,
          notAfterDays: -1,
        });
        return {
          server: { chain: [c.leaf, c.intermediate], clientCa, version },
          module: { ca: c.root, client },
        };
      },
      expect: { success: false, reason: 'cert_expired', refusedBy: 'server' },
    },
  ]),
  {
    name: 'client certificate asked for but optional, expect_client_auth',
    build: async () => {
      const c = await chain();
      const clientCa = await issue({ cn: 'Client CA', ca: true });
      const client = await issue({ cn: 'probe', issuer: clientCa, client: true });
      return {
        server: { chain: [c.leaf, c.intermediate], clientCa, clientAuth: 'request' },
        module: { ca: c.root, client, options: { expect_client_auth: true } },
      };
    },
    expect: {
      success: false,
      reason: 'client_auth_not_enforced',
      refusedBy: 'probe',
      clientAuthEnforced: false,
    },
    differs: {
      why: 'expect_client_auth asks whether a client WITHOUT a certificate is refused: s_client without one is accepted, which is the finding',
      oracle: (o) => assert.equal(o.accepted, true, o.output),
    },
  },
  {
    name: 'only TLS 1.1 offered',
    build: async () => {
      const c = await chain();
      return {
        server: { chain: [c.leaf, c.intermediate], version: 'TLSv1.1' },
        module: { ca: c.root },
      };
    },
    expect: { success: false, reason: 'protocol_version', refusedBy: 'server' },
  },
  // --- OCSP staples
  {
    name: 'good staple, ocsp: require',
    build: async () => {
      const c = await chain();
      return {
        server: {
          chain: [c.leaf, c.intermediate],
          ocsp: await ocspResponse(c.leaf, c.intermediate, 'good'),
        },
        module: { ca: c.root, options: { ocsp: 'require' } },
      };
    },
    expect: { success: true, ocspStatus: 0 },
  },
  {
    name: 'revoked staple',
    build: async () => {
      const c = await chain();
      return {
        server: {
          chain: [c.leaf, c.intermediate],
          ocsp: await ocspResponse(c.leaf, c.intermediate, 'revoked'),
        },
        module: { ca: c.root },
      };
    },
    expect: { success: false, reason: 'cert_revoked', refusedBy: 'probe', ocspStatus: 1 },
    differs: {
      why: 's_client prints a stapled status but does not act on it; the probe fails a revoked certificate, as clients that check revocation do',
      oracle: (o) => assert.equal(o.ocspStatus, 'revoked', o.output),
    },
  },
  {
    name: 'revoked staple for a leaf sent alone under a private root (issuer from the verified path)',
    build: async () => {
      const root = await issue({ cn: 'Private Root', ca: true });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: root });
      return {
        server: { chain: [leaf], ocsp: await ocspResponse(leaf, root, 'revoked') },
        module: { ca: root },
      };
    },
    expect: { success: false, reason: 'cert_revoked', refusedBy: 'probe', ocspStatus: 1 },
    differs: {
      why: 's_client prints a stapled status but does not act on it',
      oracle: (o) => assert.equal(o.ocspStatus, 'revoked', o.output),
    },
  },
  {
    name: 'good staple for a leaf sent alone under a private root, ocsp: require',
    build: async () => {
      const root = await issue({ cn: 'Private Root', ca: true });
      const leaf = await issue({ cn: SERVER_NAME, dns: [SERVER_NAME], issuer: root });
      return {
        server: { chain: [leaf], ocsp: await ocspResponse(leaf, root, 'good') },
        module: { ca: root, options: { ocsp: 'require' } },
      };
    },
    expect: { success: true, ocspStatus: 0 },
  },
  {
    name: 'revoked staple signed by a stranger, ocsp: require',
    build: async () => {
      const c = await chain();
      const forger = await issue({ cn: 'Forger', ca: true });
      return {
        server: {
          chain: [c.leaf, c.intermediate],
          ocsp: await ocspResponse(c.leaf, c.intermediate, 'revoked', { signer: forger }),
        },
        module: { ca: c.root, options: { ocsp: 'require' } },
      };
    },
    expect: { success: false, reason: 'ocsp_invalid', refusedBy: 'probe' },
    differs: {
      why: 's_client prints the forged status without checking its signature; the probe trusts only a response signed by the issuer or its delegated responder',
      oracle: (o) => {
        assert.equal(o.accepted, true, o.output);
        assert.equal(o.ocspStatus, 'revoked', o.output);
      },
    },
  },
  {
    name: 'no staple, ocsp: require',
    build: async () => {
      const c = await chain();
      return {
        server: { chain: [c.leaf, c.intermediate] },
        module: { ca: c.root, options: { ocsp: 'require' } },
      };
    },
    expect: { success: false, reason: 'ocsp_missing', refusedBy: 'probe' },
    differs: {
      why: 'ocsp: require is the module asking for a staple; s_client does not require one',
      oracle: (o) => {
        assert.equal(o.accepted, true, o.output);
        assert.equal(o.ocspStapled, false, o.output);
      },
    },
  },
];

describe('probe verdicts against openssl s_client (certificate matrix)', function () {
  this.timeout(30_000);

  for (const c of CASES) {
    it(`${c.name}: ${c.expect.success ? 'success' : `${c.expect.reason ?? ''} (refused by ${c.expect.refusedBy ?? 'any'})`}${c.differs ? ', a documented difference from s_client' : ', as s_client'}`, async () => {
      const setup = await c.build();
      const server = await sServer(setup.server);
      try {
        const module = await moduleFor(setup.module);
        const serverName = setup.serverName ?? SERVER_NAME;
        const [r] = await probeOnce(module, server.port, { host: server.host, serverName });
        assert.ok(r);
        assert.equal(r.success, c.expect.success, `${r.reason}: ${r.detail}`);
        if (c.expect.reason) assert.equal(r.reason, c.expect.reason, r.detail);
        if (c.expect.refusedBy) assert.equal(r.refusedBy, c.expect.refusedBy, r.detail);
        if (c.expect.clientAuthEnforced !== undefined)
          assert.equal(r.clientAuthEnforced, c.expect.clientAuthEnforced);
        if (c.expect.ocspStatus !== undefined)
          assert.equal(r.ocsp?.status, c.expect.ocspStatus, r.ocsp?.problem);
        const client = setup.module.client;
        const oracle = await sClient(server.port, {
          host: server.host,
          serverName,
          ca: setup.ca ?? (setup.module.ca as Issued),
          ...(client ? { client } : {}),
          ...(setup.server.version && setup.server.version !== 'TLSv1.1'
            ? { version: setup.server.version }
            : {}),
          status: setup.module.options?.['ocsp'] !== 'off',
        });
        if (c.differs) c.differs.oracle(oracle);
        else assertAgrees(oracle, r, client !== undefined);
        if (c.expect.clientAuthEnforced !== undefined) {
          // without a certificate, s_client is refused exactly when the probe says "enforced"
          const bare = await sClient(server.port, {
            host: server.host,
            serverName,
            ca: setup.module.ca as Issued,
          });
          assert.equal(bare.accepted, !c.expect.clientAuthEnforced, bare.output);
        }
      } finally {
        await server.stop();
      }
    });
  }

  const unreachable: ReadonlyArray<{
    name: string;
    start: () => Promise<{ port: number; stop: () => Promise<void> }>;
    reason: ProbeFailureReason;
    refusedBy: RefusedBy;
  }> = [
    {
      name: 'a plaintext HTTP server',
      start: plaintextServer,
      reason: 'not_tls',
      refusedBy: 'probe',
    },
    {
      name: 'a closed port',
      start: async () => ({ port: await closedPort(), stop: () => Promise.resolve() }),
      reason: 'refused',
      refusedBy: 'network',
    },
    {
      name: 'a port that accepts and never answers',
      start: silentServer,
      reason: 'timeout',
      refusedBy: 'server',
    },
  ];
  for (const u of unreachable) {
    it(`${u.name}: ${u.reason} (refused by ${u.refusedBy}), and s_client gets no handshake either`, async () => {
      const running = await u.start();
      try {
        const root = await issue({ cn: 'Root', ca: true });
        const module = await moduleFor({ ca: root, options: { timeout: '500ms' } });
        const [r] = await probeOnce(module, running.port);
        assert.ok(r);
        assert.equal(r.success, false);
        assert.equal(r.reason, u.reason, r.detail);
        assert.equal(r.refusedBy, u.refusedBy);
        const oracle = await sClient(running.port, {
          serverName: SERVER_NAME,
          ca: root,
          timeoutMs: 1_500,
        });
        assert.equal(oracle.accepted, false, oracle.output);
        // no server certificate reached s_client
        assert.doesNotMatch(oracle.output, /BEGIN CERTIFICATE/);
      } finally {
        await running.stop();
      }
    });
  }
});
