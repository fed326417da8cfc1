// docs/envoy.md's recommended formats, read verbatim: the keys they write are the keys the presets
// read, and a line written in them is counted with its handshake time.
import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { parserFor } from '../../../src/accesslog/parse/parser-for.js';
import {
  HTTP_HANDSHAKE_FIELDS,
  LISTENER_HANDSHAKE_FIELDS,
  PRESETS,
} from '../../../src/accesslog/parse/presets.js';
import { parseConfigText } from '../../../src/config/load.js';
import { METRICS } from '../../../src/metrics/catalog.js';
import { harness, total } from '../../support/pipeline-harness.js';
import { shippedBlock } from '../../support/shipped.js';

const DOC = 'docs/envoy.md';

/** The keys §11 adds to the formats of §1 and §2. */
const HANDSHAKE_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  [...Object.entries(LISTENER_HANDSHAKE_FIELDS), ...Object.entries(HTTP_HANDSHAKE_FIELDS)].map(
    ([operator, key]) => [key, operator],
  ),
);

/** key -> operator text (without the %) of a json_format map */
function operators(format: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(format)) {
    const m = typeof value === 'string' ? /^%(.+)%$/.exec(value) : null;
    if (m?.[1] !== undefined) out.set(key, m[1]);
  }
  return out;
}

/** The preset's operator for each key it reads. */
function presetKeys(fields: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(fields).map(([operator, key]) => [key, operator]));
}

describe('docs/envoy.md formats, as written', () => {
  it('§1: the listener format writes every key envoy_listener_json reads but the optional span', async () => {
    const block = parse(
      await shippedBlock(
        DOC,
        '## 1. The listener access log: the only record of a failed downstream handshake',
        'yaml',
      ),
    ) as { listeners: unknown };
    const format = (
      block.listeners as Array<{
        access_log: Array<{
          typed_config: { log_format: { json_format: Record<string, unknown> } };
        }>;
      }>
    )[0]?.access_log[0]?.typed_config.log_format.json_format;
    assert.ok(format);
    const written = operators(format);
    for (const [key, operator] of presetKeys(PRESETS.envoy_listener_json.fields)) {
      if (key === 'handshake_duration_us') continue; // needs an Envoy with DS_HS_BEG (§5)
      if (key in HANDSHAKE_KEYS) continue; // needs Envoy 1.39 or a fingerprinting inspector (§11)
      assert.equal(written.get(key), operator, key);
    }
  });

  it("§5: the keys to add are the presets' keys for those operators", async () => {
    const block = parse(await shippedBlock(DOC, '## 5. Handshake times', 'yaml')) as Record<
      string,
      string
    >;
    const read = new Map([
      ...presetKeys(PRESETS.envoy_listener_json.fields),
      ...presetKeys(PRESETS.envoy_http_json.fields),
    ]);
    assert.equal(Object.keys(block).length, 3);
    for (const [key, operator] of operators(block)) assert.equal(read.get(key), operator, key);
  });

  it("§11: the keys to add are exactly the presets' keys for those operators", async () => {
    const block = parse(
      await shippedBlock(DOC, '## 11. Key exchange and client fingerprints', 'yaml'),
    ) as Record<string, string>;
    const read = new Map([
      ...presetKeys(PRESETS.envoy_listener_json.fields),
      ...presetKeys(PRESETS.envoy_http_json.fields),
    ]);
    const written = operators(block);
    assert.deepEqual([...written.keys()].sort(), Object.keys(HANDSHAKE_KEYS).sort());
    for (const [key, operator] of written) assert.equal(read.get(key), operator, key);
  });

  it('§5: the `fields` example reads a ClientHello-to-done span in ns', async () => {
    const text = await shippedBlock(DOC, 'argument included:', 'yaml');
    const log = parseConfigText(text, 'envoy.md').access_logs[0];
    assert.ok(log);
    const h = harness(parserFor(log).parser);
    h.pipeline.line(
      '{"sni":"api.example.com","version":"TLSv1.3","cipher":"TLS_AES_128_GCM_SHA256","failure":null,"hs_ns":2500000}',
    );
    const rendered = await h.render();
    assert.equal(total(rendered, METRICS.handshakeSuccess.name), 1);
    assert.equal(total(rendered, `${METRICS.handshakeDuration.name}_sum`), 0.0025);
    assert.equal(
      total(rendered, `${METRICS.handshakeDuration.name}_bucket`, { le: '0.0025' }),
      1,
      'a value on a bound is in that bucket',
    );
  });
});
