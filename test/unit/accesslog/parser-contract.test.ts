// One contract, run by both parsers: the same records, written as text and as JSON, parse to
// the same fields; lines that do not fully match are malformed, never half-read.
import { strict as assert } from 'node:assert';
import { compileEnvoyFormat, textParser } from '../../../src/accesslog/parse/envoy-format.js';
import { jsonParser } from '../../../src/accesslog/parse/json-lines.js';
import type { LineParser } from '../../../src/accesslog/parse/line-parser.js';
import type { AccessLogRecord } from '../../../src/accesslog/record.js';
import { TLS, jsonLine, textLine, type Values } from '../../support/envoy-lines.js';

const FORMAT =
  '[%START_TIME%] %CONNECTION_ID% "%REQUESTED_SERVER_NAME%" %DOWNSTREAM_TLS_VERSION% %DOWNSTREAM_TLS_CIPHER% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% "%DOWNSTREAM_TRANSPORT_FAILURE_REASON%" %DOWNSTREAM_REMOTE_ADDRESS% %CONNECTION_TERMINATION_DETAILS%\n';
const FIELDS = {
  START_TIME: 'start_time',
  CONNECTION_ID: 'connection_id',
  REQUESTED_SERVER_NAME: 'sni',
  DOWNSTREAM_TLS_VERSION: 'tls_version',
  DOWNSTREAM_TLS_CIPHER: 'tls_cipher',
  RESPONSE_FLAGS: 'response_flags',
  RESPONSE_CODE_DETAILS: 'response_code_details',
  DOWNSTREAM_TRANSPORT_FAILURE_REASON: 'transport_failure_reason',
  DOWNSTREAM_REMOTE_ADDRESS: 'downstream_remote_address',
  CONNECTION_TERMINATION_DETAILS: 'termination_details',
};

interface Flavour {
  readonly name: string;
  readonly parser: LineParser;
  readonly render: (values: Values) => string;
}

const FLAVOURS: Flavour[] = [
  {
    name: 'text format',
    parser: textParser(FORMAT, 'listener'),
    render: (v) => textLine(FORMAT, v),
  },
  {
    name: 'JSON lines',
    parser: jsonParser(FIELDS, 'listener'),
    render: (v) => jsonLine(FIELDS, v),
  },
];

const RECORDS: ReadonlyArray<{ name: string; values: Values; expected: AccessLogRecord }> = [
  {
    name: 'a successful handshake',
    values: {
      START_TIME: '2025-03-05T07:22:38.598Z',
      CONNECTION_ID: 4711,
      REQUESTED_SERVER_NAME: 'api.example.com',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
      DOWNSTREAM_REMOTE_ADDRESS: '198.51.100.20:40012',
    },
    expected: {
      START_TIME: '2025-03-05T07:22:38.598Z',
      CONNECTION_ID: '4711',
      REQUESTED_SERVER_NAME: 'api.example.com',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
    },
  },
  {
    name: 'a failed handshake with every absent value absent',
    values: {
      START_TIME: '2025-03-05T07:22:39.100Z',
      CONNECTION_ID: 4712,
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
    },
    expected: {
      START_TIME: '2025-03-05T07:22:39.100Z',
      CONNECTION_ID: '4712',
      DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
      DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
    },
  },
  {
    name: 'termination details keep their spaces',
    values: {
      START_TIME: 't',
      CONNECTION_ID: 1,
      REQUESTED_SERVER_NAME: 'a.svc',
      CONNECTION_TERMINATION_DETAILS: 'transport socket timeout was reached',
    },
    expected: {
      START_TIME: 't',
      CONNECTION_ID: '1',
      REQUESTED_SERVER_NAME: 'a.svc',
      CONNECTION_TERMINATION_DETAILS: 'transport socket timeout was reached',
    },
  },
  {
    name: 'no filter chain',
    values: {
      START_TIME: 't',
      CONNECTION_ID: 2,
      RESPONSE_FLAGS: 'NR',
      RESPONSE_CODE_DETAILS: 'filter_chain_not_found',
    },
    expected: {
      START_TIME: 't',
      CONNECTION_ID: '2',
      RESPONSE_FLAGS: 'NR',
      RESPONSE_CODE_DETAILS: 'filter_chain_not_found',
    },
  },
];

describe('line parser contract', () => {
  for (const flavour of FLAVOURS) {
    describe(flavour.name, () => {
      for (const r of RECORDS) {
        it(`parses ${r.name}`, () => {
          assert.deepEqual(flavour.parser.parse(flavour.render(r.values)), {
            ok: true,
            record: r.expected,
          });
        });
      }
      const good = flavour.render(RECORDS[0]?.values ?? {});
      const malformed: ReadonlyArray<[string, string]> = [
        ['a truncated line', good.slice(0, Math.floor(good.length * 0.6))],
        ['two glued records', good + good],
        ['an empty object or bare text', 'hello world'],
        ['a line of another format', '{"foo": [1, 2'],
        ['a line cut inside a quoted value', good.slice(0, good.indexOf('"') + 4)],
      ];
      for (const [name, line] of malformed) {
        it(`rejects ${name} as malformed`, () => {
          const result = flavour.parser.parse(line);
          assert.equal(result.ok, false, `accepted: ${line}`);
        });
      }
      it('does not throw on invalid UTF-8 decoded to U+FFFD, and keeps other fields', () => {
        const line = flavour.render({
          ...RECORDS[0]?.values,
          REQUESTED_SERVER_NAME: 'bad\ufffd\ufffdname',
        });
        const result = flavour.parser.parse(line);
        assert.ok(result.ok);
        if (result.ok) {
          assert.equal(result.record.REQUESTED_SERVER_NAME, 'bad\ufffd\ufffdname');
          assert.equal(result.record.DOWNSTREAM_TLS_CIPHER, 'TLS_AES_128_GCM_SHA256');
        }
      });
    });
  }
});

describe('JSON lines specifics', () => {
  const parser = jsonParser(FIELDS, 'listener');
  const absent: ReadonlyArray<[string, string]> = [
    ['null', '{"sni":null}'],
    ['"-"', '{"sni":"-"}'],
    ['""', '{"sni":""}'],
    ['a bare -', '{"sni":-}'],
    ['a missing key', '{"other":"x"}'],
  ];
  for (const [name, line] of absent) {
    it(`${name} is absent`, () => {
      assert.deepEqual(parser.parse(line), { ok: true, record: {} });
    });
  }
  const cases: ReadonlyArray<[string, string, AccessLogRecord | 'malformed']> = [
    ['numbers as strings', '{"connection_id":"42"}', { CONNECTION_ID: '42' }],
    ['numbers as numbers', '{"connection_id":42}', { CONNECTION_ID: '42' }],
    ['escapes decoded exactly', '{"sni":"a\\u0062c\\"d"}', { REQUESTED_SERVER_NAME: 'abc"d' }],
    ['escaped keys decoded', '{"s\\u006ei":"x"}', { REQUESTED_SERVER_NAME: 'x' }],
    [
      'duplicate keys: the last wins, as JSON.parse',
      '{"sni":"a","sni":"b"}',
      { REQUESTED_SERVER_NAME: 'b' },
    ],
    ['a later null clears an earlier value', '{"sni":"a","sni":null}', {}],
    [
      'nested values of unused keys are skipped',
      '{"x":{"y":[1,"}",{"z":null}]},"sni":"a"}',
      { REQUESTED_SERVER_NAME: 'a' },
    ],
    [
      'whitespace around tokens',
      ' { "sni" : "a" , "connection_id" : 1 } ',
      { REQUESTED_SERVER_NAME: 'a', CONNECTION_ID: '1' },
    ],
    ['a used field of the wrong type', '{"sni":{"a":1}}', 'malformed'],
    ['a boolean in a used field', '{"sni":true}', 'malformed'],
    ['a trailing comma', '{"sni":"a",}', 'malformed'],
    ['an unterminated string', '{"sni":"a}', 'malformed'],
    ['a bad escape', '{"sni":"\\x41"}', 'malformed'],
    ['unbalanced nesting', '{"x":[1,2},"sni":"a"}', 'malformed'],
    ['an array at the top', '[{"sni":"a"}]', 'malformed'],
    ['a missing colon', '{"sni" "a"}', 'malformed'],
  ];
  for (const [name, line, expected] of cases) {
    it(name, () => {
      const result = parser.parse(line);
      if (expected === 'malformed') assert.equal(result.ok, false);
      else assert.deepEqual(result, { ok: true, record: expected });
    });
  }
  it('agrees with JSON.parse on what is valid JSON, for a mix of lines', () => {
    const lines = [
      '{"sni":"a"}',
      '{"sni":"a"',
      '{"sni":"a"}}',
      '{"a":1.5e3,"sni":"b"}',
      '{"a":01}',
      '{"a":[],"b":{}}',
    ];
    for (const line of lines) {
      let valid = true;
      try {
        JSON.parse(line);
      } catch {
        valid = false;
      }
      assert.equal(parser.parse(line).ok, valid, line);
    }
  });
});

describe('Envoy format compiler', () => {
  it('reads operators with arguments and length limits', () => {
    const compiled = compileEnvoyFormat(
      '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH):10% %START_TIME(%s)% %RESPONSE_FLAGS%\n',
    );
    assert.deepEqual(compiled.operators, ['REQ', 'START_TIME', 'RESPONSE_FLAGS']);
    assert.deepEqual(compiled.parse('/a 1767225599 UF'), {
      ok: true,
      record: { START_TIME: '1767225599', RESPONSE_FLAGS: 'UF' },
    });
  });
  it('accepts the newline written as \\n in a single-quoted YAML string', () => {
    assert.deepEqual(compileEnvoyFormat('%RESPONSE_FLAGS%\\n').parse('UF'), {
      ok: true,
      record: { RESPONSE_FLAGS: 'UF' },
    });
  });
  it('a format with no operator is refused', () => {
    assert.throws(() => compileEnvoyFormat('just text\n'), /no %OPERATOR%/);
  });
  it('a lone percent sign is literal', () => {
    assert.deepEqual(compileEnvoyFormat('100% %RESPONSE_FLAGS%').parse('100% UF'), {
      ok: true,
      record: { RESPONSE_FLAGS: 'UF' },
    });
  });
});
