// The drill's pure parts: which faults a flag names, what counts as a fault seen (by reason and
// server name, before and after), the verdicts, and the table a person reads.
import { strict as assert } from 'node:assert';
import { DRILL_FAULTS } from '../../../src/domain/drill-words.js';
import { parseFaults } from '../../../src/drill/faults.js';
import type { Counted } from '../../../src/drill/observe.js';
import { drillTable } from '../../../src/drill/report.js';
import { countedFor, type DrillReport } from '../../../src/drill/run-drill.js';
import { envoyTlsError, type BoringSslReason } from '../../../src/demo/envoy-tls-error.js';
import { reasonOf } from '../../../src/domain/tls-error-reason.js';

const counted = (
  failures: Record<string, Record<string, number>>,
  successes: Record<string, number> = {},
): Counted => ({
  failures: new Map(
    Object.entries(failures).map(([name, reasons]) => [name, new Map(Object.entries(reasons))]),
  ),
  successes: new Map(Object.entries(successes)),
});

describe('drill', () => {
  describe('--faults', () => {
    it('absent: every fault, in order', () => {
      assert.deepEqual(parseFaults(undefined), [...DRILL_FAULTS]);
    });
    it('a list, trimmed and without repeats', () => {
      assert.deepEqual(parseFaults(' plaintext, wrong_sni,plaintext'), ['plaintext', 'wrong_sni']);
    });
    for (const bad of ['nope', 'plaintext,nope', ' , '])
      it(`refused: ${JSON.stringify(bad)}`, () => {
        assert.throws(() => parseFaults(bad), /--faults: .*choose from no_client_cert/);
      });
  });

  describe('what counts as seen', () => {
    const before = counted(
      { 'edge.test': { no_client_cert: 2, unknown_ca: 1 }, other: { no_client_cert: 4 } },
      { 'edge.test': 100 },
    );
    const cases: ReadonlyArray<
      readonly [string, Parameters<typeof countedFor>[0], string | null, Counted, number]
    > = [
      [
        'the expected reason under the target name',
        'no_client_cert',
        'edge.test',
        counted({ 'edge.test': { no_client_cert: 7, unknown_ca: 1 } }, { 'edge.test': 100 }),
        5,
      ],
      [
        'another reason under the target name is not this fault',
        'no_client_cert',
        'edge.test',
        counted({ 'edge.test': { no_client_cert: 2, unknown_ca: 9 } }),
        0,
      ],
      [
        'the expected reason under another name is not this fault',
        'no_client_cert',
        'edge.test',
        counted({ 'edge.test': { no_client_cert: 2 }, 'api.test': { no_client_cert: 9 } }),
        0,
      ],
      [
        'untrusted: any of its reasons',
        'untrusted_client_cert',
        'edge.test',
        counted({ 'edge.test': { no_client_cert: 2, unknown_ca: 3, cert_verify_failed: 2 } }),
        4,
      ],
      [
        'wrong name: successes and failures under it, or folded into other',
        'wrong_sni',
        'wrong.invalid',
        counted(
          { 'wrong.invalid': { sni_mismatch: 1 }, other: { no_client_cert: 6 } },
          { 'edge.test': 150, other: 3 },
        ),
        1 + 2 + 3,
      ],
      [
        'no server name known: the reason under any name',
        'plaintext',
        null,
        counted({ 'edge.test': { not_tls: 2 }, none: { not_tls: 3 } }),
        5,
      ],
    ];
    for (const [name, fault, serverName, after, expected] of cases)
      it(name, () => {
        assert.equal(countedFor(fault, serverName, before, after), expected);
      });
  });

  it("the stand-in's failure texts are read back as the reasons the drill expects", () => {
    // the texts tls-event-log.ts writes for each fault, through the log classifier's table
    const table: ReadonlyArray<readonly [BoringSslReason, string | undefined, string]> = [
      ['PEER_DID_NOT_RETURN_A_CERTIFICATE', undefined, 'no_client_cert'],
      [
        'CERTIFICATE_VERIFY_FAILED',
        'verify cert failed: X509_verify_cert: certificate verification error at depth 0: certificate has expired',
        'cert_expired',
      ],
      [
        'CERTIFICATE_VERIFY_FAILED',
        'verify cert failed: X509_verify_cert: certificate verification error at depth 0: unable to get local issuer certificate',
        'unknown_ca',
      ],
      ['UNSUPPORTED_PROTOCOL', undefined, 'protocol_version'],
      ['HTTP_REQUEST', undefined, 'not_tls'],
    ];
    for (const [reason, detail, expected] of table)
      assert.equal(reasonOf(envoyTlsError(reason, detail)), expected, reason);
    // BoringSSL's packing: ERR_LIB_SSL (16) << 24 | SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE (192)
    assert.match(
      envoyTlsError('PEER_DID_NOT_RETURN_A_CERTIFICATE'),
      /^TLS_error:\|268435648:SSL_routines:/,
    );
  });

  it('the table: one row per fault, the verdict, notes, and the bottom line', () => {
    const report: DrillReport = {
      target: '127.0.0.1:8443',
      observer: 'http://127.0.0.1:10087/metrics',
      faults: [
        {
          fault: 'no_client_cert',
          what: '',
          serverName: 'edge.test',
          sent: 30,
          answers: { alert: 30 },
          answered: 'alert: certificate required',
          expected: 30,
          counted: 30,
          verdict: 'seen',
        },
        {
          fault: 'wrong_sni',
          what: '',
          serverName: 'drill-wrong-name.invalid',
          sent: 30,
          answers: { accepted: 30 },
          answered: 'accepted: the handshake completed',
          expected: 30,
          counted: 30,
          verdict: 'seen',
        },
        {
          fault: 'plaintext',
          what: '',
          serverName: null,
          sent: 30,
          answers: { closed: 30 },
          answered: 'closed: closed without an answer',
          expected: 30,
          counted: 0,
          verdict: 'unseen',
          note: 'look at the listener log',
        },
      ],
      ok: false,
    };
    const lines = drillTable(report).split('\n');
    assert.equal(
      lines[0],
      'drill of 127.0.0.1:8443, counters read from http://127.0.0.1:10087/metrics',
    );
    assert.match(
      lines[2] ?? '',
      /^no_client_cert +edge\.test +30 +alert: certificate required +30\/30 +SEEN$/,
    );
    // a wrong name answered with a default certificate: noted beside the verdict, not a failure
    assert.match(lines[3] ?? '', / 30\/30 +SEEN, accepted: noted$/);
    assert.match(
      lines[4] ?? '',
      /^plaintext +\(any\) +30 +closed: closed without an answer +0\/30 +UNSEEN$/,
    );
    assert.equal(lines[6], '  plaintext: look at the listener log');
    assert.match(lines.at(-1) ?? '', /^NOT every fault was seen/);
  });
});
