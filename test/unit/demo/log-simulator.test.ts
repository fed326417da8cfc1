import { strict as assert } from 'node:assert';
import { classify } from '../../../src/accesslog/classify/classifier.js';
import { jsonParser } from '../../../src/accesslog/parse/json-lines.js';
import { PRESETS } from '../../../src/accesslog/parse/presets.js';
import { listenerJson } from '../../../src/demo/envoy-lines.js';
import { FAILURE_SAMPLES } from '../../../src/demo/log-simulator.js';
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
