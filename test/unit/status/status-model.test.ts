// The status page's data: certificates in the board's colours (red below 7 days, yellow below
// 30, green from 30: promised to users), a failed reload says why, a failing probe links the
// runbook section of the alert it raises and says who refused.
import { strict as assert } from 'node:assert';
import { issue } from '../../../src/certs/mint.js';
import { cachedCertFacts } from '../../../src/certs/inspect/cert-facts.js';
import type { CertEntry } from '../../../src/probe/probe-metrics.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';
import { burnOf, statusModel } from '../../../src/status/status-model.js';

const base = {
  now: 1_800_000_000,
  objective: 0.999,
  certs: [],
  last5m: [],
  last1h: [],
  logs: [],
};

describe('status model', () => {
  it('a failed reload carries its reason; a good one none', () => {
    const failed = statusModel({
      ...base,
      probes: [],
      reloadOk: false,
      reloadError: 'c.yml:3:1 bad',
    });
    assert.equal(failed.reloadError, 'c.yml:3:1 bad');
    const ok = statusModel({ ...base, probes: [], reloadOk: true, reloadError: 'stale' });
    assert.equal(ok.reloadError, null);
  });

  it("a failing probe names who refused and links its alert's runbook section", () => {
    const probe: ProbeResult = {
      target: 'chat-api',
      at: base.now,
      handshakeOk: true,
      success: false,
      reason: 'client_auth_not_enforced',
      refusedBy: 'probe',
      detail: 'a client without a certificate was accepted',
      durations: {},
      certs: [],
      clientAuthEnforced: false,
    };
    const [row] = statusModel({ ...base, probes: [probe], reloadOk: true }).probes;
    assert.match(row?.problem ?? '', /^client_auth_not_enforced \(refused by probe\)/);
    assert.match(row?.runbook ?? '', /docs\/runbook\.md#tlsclientauthnotenforced$/);
  });

  describe('the SLI against the configured objective, coloured by how fast the budget burns', () => {
    const cases: ReadonlyArray<readonly [number, number, number, string]> = [
      // [success ratio, objective, burn, colour]
      [1, 0.999, 0, 'green'],
      [0.999, 0.999, 1, 'green'],
      [0.9929, 0.999, 7.1, 'yellow'],
      [0.985, 0.999, 15, 'red'], // past the fast-burn page's 14.4
      [0, 0.999, 1000, 'red'],
      [0.9929, 0.99, 0.71, 'green'],
    ];
    for (const [ratio, objective, burn, colour] of cases)
      it(`${ratio * 100} % against ${objective * 100} %: burns ${burn}, ${colour}`, () => {
        const got = burnOf(ratio, objective);
        assert.ok(Math.abs((got.burn ?? NaN) - burn) < 1e-9, `burn ${got.burn}`);
        assert.equal(got.colour, colour);
      });
    it('no handshakes: no burn, no colour; the model carries the objective it judged by', () => {
      assert.deepEqual(burnOf(null, 0.999), { burn: null, colour: null });
      const model = statusModel({
        ...base,
        objective: 0.995,
        last5m: [
          {
            log: 'ingress',
            serverName: 'api',
            handshakes: 100,
            successRatio: 0.99,
            topReasons: [],
          },
        ],
        probes: [],
        reloadOk: true,
      });
      assert.equal(model.objective, 0.995);
      assert.equal(model.sli[0]?.colour, 'yellow');
      assert.ok(Math.abs((model.sli[0]?.burn5m ?? 0) - 2) < 1e-9);
    });
  });

  it('a CA certificate repeated under every probe target is one row naming them; leaves stay per target', async () => {
    const root = await issue({ cn: 'Shared Root', ca: true });
    const leaf = await issue({ cn: 'a.test', issuer: root });
    const rootFacts = cachedCertFacts(Buffer.from(root.cert.rawData));
    const leafFacts = cachedCertFacts(Buffer.from(leaf.cert.rawData));
    const under = (name: string): CertEntry[] => [
      { source: 'probe', name, cert: { position: 'leaf', facts: leafFacts } },
      { source: 'probe', name, cert: { position: 'root', facts: rootFacts } },
    ];
    const { certificates } = statusModel({
      ...base,
      certs: ['e', 'd', 'c', 'b', 'a'].flatMap(under),
      probes: [],
      reloadOk: true,
    });
    const roots = certificates.filter((c) => c.position === 'root');
    assert.deepEqual(
      roots.map((c) => c.name),
      ['5 targets: a, b, c, …'],
    );
    assert.equal(certificates.filter((c) => c.position === 'leaf').length, 5);
  });

  describe('certificates: days left and colours, as the board', () => {
    let entry: CertEntry;
    before(async () => {
      const leaf = await issue({ cn: 'audit-gw.test', notAfterDays: 100 });
      entry = {
        source: 'probe',
        name: 'audit',
        cert: { position: 'leaf', facts: cachedCertFacts(Buffer.from(leaf.cert.rawData)) },
      };
    });
    const cases: ReadonlyArray<readonly [number, string, string | null]> = [
      [-0.5, 'red', 'tlscertificateexpired'],
      [6.9, 'red', 'tlscertificateexpirycritical'],
      [7, 'yellow', null],
      [29.9, 'yellow', null],
      [30, 'green', null],
    ];
    for (const [days, colour, anchor] of cases)
      it(`${days} days left: ${colour}${anchor ? `, runbook #${anchor}` : ''}`, () => {
        const now = entry.cert.facts.notAfter - days * 86400;
        const [row] = statusModel({
          ...base,
          now,
          certs: [entry],
          probes: [],
          reloadOk: true,
        }).certificates;
        assert.equal(row?.days, days);
        assert.equal(row?.colour, colour);
        if (anchor === null) assert.equal(row?.runbook, null);
        else assert.match(row?.runbook ?? '', new RegExp(`#${anchor}$`));
      });

    for (const [days, anchor] of [
      [-0.5, 'tlsunusedcertificateexpired'],
      [3, null],
    ] as const)
      it(`sent beyond the verified path (extra), ${days} days left: grey, not judged${anchor ? `, runbook #${anchor}` : ''}`, () => {
        const [row] = statusModel({
          ...base,
          now: entry.cert.facts.notAfter - days * 86400,
          certs: [{ ...entry, cert: { ...entry.cert, position: 'extra' } }],
          probes: [],
          reloadOk: true,
        }).certificates;
        assert.equal(row?.colour, 'grey');
        assert.equal(row?.position, 'extra');
        if (anchor === null) assert.equal(row?.runbook, null);
        else assert.match(row?.runbook ?? '', new RegExp(`#${anchor}$`));
      });

    it('one row per certificate and place, fewest days first', async () => {
      const later = await issue({ cn: 'later.test', notAfterDays: 200 });
      const other: CertEntry = {
        source: 'file',
        name: '/etc/tls/later.pem',
        cert: { position: 'leaf', facts: cachedCertFacts(Buffer.from(later.cert.rawData)) },
      };
      const { certificates } = statusModel({
        ...base,
        now: entry.cert.facts.notAfter - 50 * 86400,
        certs: [other, entry, entry],
        probes: [],
        reloadOk: true,
      });
      assert.deepEqual(
        certificates.map((c) => [c.name, c.subject, c.colour]),
        [
          ['audit', 'audit-gw.test', 'green'],
          ['/etc/tls/later.pem', 'later.test', 'green'],
        ],
      );
    });
  });
});
