// The status page's data: certificates in the board's colours (red below 7 days, yellow below
// 30, green from 30: promised to users), a failed reload says why, a failing probe links the
// runbook section of the alert it raises and says who refused.
import { strict as assert } from 'node:assert';
import { issue } from '../../../src/demo/pki.js';
import { cachedCertFacts } from '../../../src/probe/inspect/cert-facts.js';
import type { CertEntry } from '../../../src/probe/probe-metrics.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';
import { statusModel } from '../../../src/status/status-model.js';

const base = { now: 1_800_000_000, certs: [], last5m: [], last1h: [], logs: [] };

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
