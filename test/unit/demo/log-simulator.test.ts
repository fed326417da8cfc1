import { strict as assert } from 'node:assert';
import { classify } from '../../../src/accesslog/classify/classifier.js';
import { jsonParser } from '../../../src/accesslog/parse/json-lines.js';
import { PRESETS } from '../../../src/accesslog/parse/presets.js';
import { listenerJson } from '../../../src/demo/envoy-lines.js';
import { FAILURE_SAMPLES } from '../../../src/demo/log-simulator.js';
import {
  boringSslCode,
  envoyTlsError,
  type BoringSslReason,
} from '../../../src/demo/envoy-tls-error.js';
import { HANDSHAKE_FAILURE_REASONS } from '../../../src/domain/tls-words.js';

describe('the demo log simulator', () => {
  it('has a failure line for every reason class', () => {
    const parser = jsonParser(PRESETS.envoy_listener_json.fields, 'listener');
    const reasons = new Set<string>();
    for (const sample of FAILURE_SAMPLES) {
      const parsed = parser.parse(
        listenerJson({
          REQUESTED_SERVER_NAME: 'chat.demo',
          DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
          ...sample.values,
        }),
      );
      assert.ok(parsed.ok);
      if (parsed.ok)
        for (const o of classify(parsed.record, 'listener'))
          if (!o.ok && o.reason !== undefined) reasons.add(o.reason);
    }
    assert.deepEqual([...reasons].sort(), [...HANDSHAKE_FAILURE_REASONS].sort());
  });
});

describe("the demo's TLS failure texts", () => {
  // Envoy prints BoringSSL's packed error, ERR_LIB_SSL << 24 | SSL_R_<REASON> (BoringSSL's
  // include/openssl/ssl.h): 268435581 and 268436504 are the codes in Envoy's own example logs for
  // CERTIFICATE_VERIFY_FAILED and TLSV1_ALERT_UNKNOWN_CA
  const cases: Array<[BoringSslReason, number]> = [
    ['CERTIFICATE_VERIFY_FAILED', 268435581],
    ['TLSV1_ALERT_UNKNOWN_CA', 268436504],
    ['PEER_DID_NOT_RETURN_A_CERTIFICATE', 268435648],
    ['WRONG_VERSION_NUMBER', 268435703],
    ['NO_APPLICATION_PROTOCOL', 268435763],
  ];
  for (const [reason, code] of cases) {
    it(`${reason} is written with its own code, ${code}`, () => {
      assert.equal(boringSslCode(reason), code);
      assert.equal(
        envoyTlsError(reason),
        `TLS_error:|${code}:SSL_routines:OPENSSL_internal:${reason}:TLS_error_end`,
      );
    });
  }

  it("every simulated failure carries its reason's own code, never another's", () => {
    let texts = 0;
    for (const sample of FAILURE_SAMPLES) {
      const text = sample.values['DOWNSTREAM_TRANSPORT_FAILURE_REASON'];
      const match = /^TLS_error:\|(\d+):SSL_routines:OPENSSL_internal:([A-Z0-9_]+)/.exec(
        text ?? '',
      );
      if (match === null) continue; // not a BoringSSL error (SDS, connect, timeouts)
      texts += 1;
      assert.equal(Number(match[1]), boringSslCode(match[2] as BoringSslReason), text);
    }
    assert.ok(texts >= 10, `only ${texts} BoringSSL failure texts`);
  });
});
