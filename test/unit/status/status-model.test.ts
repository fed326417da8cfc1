// The status page's data: a failed reload says why, a failing probe links the runbook section of
// the alert it raises and says who refused.
import { strict as assert } from 'node:assert';
import { statusModel } from '../../../src/status/status-model.js';
import type { ProbeResult } from '../../../src/probe/probe-result.js';

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
});
