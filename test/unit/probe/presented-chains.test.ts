// When a kept chain stands for what a target presented: only the same leaf, byte for byte, the
// same verdict from OpenSSL, the same place, and within the interval. Pure, with a clock of ours.
import { strict as assert } from 'node:assert';
import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { chain } from '../../support/pki.js';
import { PresentedChains, type PresentedAt } from '../../../src/probe/presented-chains.js';

describe('presented chains kept between probes', () => {
  let leaf: X509Certificate;
  let intermediate: X509Certificate;
  let otherLeaf: X509Certificate;
  before(async () => {
    const a = await chain();
    const b = await chain();
    leaf = new X509Certificate(a.leaf.pem);
    intermediate = new X509Certificate(a.intermediate.pem);
    otherLeaf = new X509Certificate(b.leaf.pem);
  });

  const context = createSecureContext();
  const at: PresentedAt = { address: '127.0.0.1', port: 8443, servername: 'a.test', context };
  const cases: ReadonlyArray<{
    name: string;
    ask: (t: { leaf: X509Certificate; other: X509Certificate }) => {
      at: PresentedAt;
      leaf: Buffer;
      verdict: string;
      afterMs: number;
    };
    kept: boolean;
  }> = [
    {
      name: 'the same leaf and verdict, soon after: kept',
      ask: (t) => ({ at, leaf: Buffer.from(t.leaf.raw), verdict: 'ok', afterMs: 1_000 }),
      kept: true,
    },
    {
      name: 'another leaf (a rotation): read again',
      ask: (t) => ({ at, leaf: t.other.raw, verdict: 'ok', afterMs: 1_000 }),
      kept: false,
    },
    {
      name: 'another verdict from OpenSSL (a missing intermediate): read again',
      ask: (t) => ({
        at,
        leaf: t.leaf.raw,
        verdict: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY unable to get local issuer certificate',
        afterMs: 1_000,
      }),
      kept: false,
    },
    {
      name: 'the interval passed: read again',
      ask: (t) => ({ at, leaf: t.leaf.raw, verdict: 'ok', afterMs: 60_000 }),
      kept: false,
    },
    {
      name: 'another port: not the same target',
      ask: (t) => ({ at: { ...at, port: 9443 }, leaf: t.leaf.raw, verdict: 'ok', afterMs: 1 }),
      kept: false,
    },
    {
      name: 'another SNI: not the same target',
      ask: (t) => ({
        at: { ...at, servername: 'b.test' },
        leaf: t.leaf.raw,
        verdict: 'ok',
        afterMs: 1,
      }),
      kept: false,
    },
    {
      name: 'other trust anchors (another module): kept apart',
      ask: (t) => ({
        at: { ...at, context: createSecureContext() },
        leaf: t.leaf.raw,
        verdict: 'ok',
        afterMs: 1,
      }),
      kept: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      let now = 0;
      const chains = new PresentedChains(60_000, () => now);
      chains.set(at, 'ok', [leaf, intermediate]);
      const ask = c.ask({ leaf, other: otherLeaf });
      now = ask.afterMs;
      const kept = chains.get(ask.at, ask.leaf, ask.verdict);
      if (c.kept) assert.deepEqual(kept, [leaf, intermediate]);
      else assert.equal(kept, undefined);
    });
  }

  it('a chain read again replaces the one kept', () => {
    let now = 0;
    const chains = new PresentedChains(60_000, () => now);
    chains.set(at, 'ok', [leaf, intermediate]);
    now = 70_000;
    chains.set(at, 'ok', [otherLeaf]);
    now = 71_000;
    assert.equal(chains.get(at, leaf.raw, 'ok'), undefined);
    assert.deepEqual(chains.get(at, otherLeaf.raw, 'ok'), [otherLeaf]);
  });
});
