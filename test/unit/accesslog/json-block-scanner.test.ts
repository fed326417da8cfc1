// The JSON fast path (WebAssembly) against the exact parser: every line it claims must give the
// exact parser's record (less the fields nothing reads), every other line must come back whole
// for the exact parser, in order, once.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { jsonParser, type JsonLineParser } from '../../../src/accesslog/parse/json-lines.js';
import { JsonBlockScanner } from '../../../src/accesslog/parse/json-block-scanner.js';
import type { BlockScanner } from '../../../src/accesslog/parse/line-parser.js';
import { PRESETS } from '../../../src/accesslog/parse/presets.js';
import {
  NUMERIC_FIELDS,
  UNREAD_FIELDS,
  type AccessLogRecord,
} from '../../../src/accesslog/record.js';
import { TLS, httpJson, listenerJson } from '../../support/envoy-lines.js';

type Visit =
  | { readonly fast: true; readonly record: AccessLogRecord; readonly bytes: number }
  | { readonly fast: false; readonly line: Buffer };

const listener = (): JsonLineParser =>
  jsonParser(PRESETS.envoy_listener_json.fields, 'listener') as JsonLineParser;

function scannerOf(parser: JsonLineParser): BlockScanner {
  const scanner = parser.blockScanner();
  assert.ok(scanner, 'the fast path serves the preset keys');
  return scanner;
}

/** Every line of `lines` (joined with newlines) through the scanner, in visiting order. */
function scan(scanner: BlockScanner, lines: readonly (string | Buffer)[]): Visit[] {
  const block = Buffer.concat(lines.flatMap((l) => [Buffer.from(l), Buffer.from('\n')]));
  const visits: Visit[] = [];
  scanner.scan(block, {
    record: (record, bytes) => visits.push({ fast: true, record, bytes }),
    unsure: (b, start, end) =>
      visits.push({ fast: false, line: Buffer.from(b.subarray(start, end)) }),
  });
  return visits;
}

/** The exact parser's record for the line, less what nothing reads; undefined when malformed. */
function exact(parser: JsonLineParser, line: string | Buffer): AccessLogRecord | undefined {
  const result = parser.parse(Buffer.from(line).toString('utf8').replace(/\r$/, ''));
  if (!result.ok) return undefined;
  const record: Record<string, string | number | undefined> = { ...result.record };
  for (const field of UNREAD_FIELDS) delete record[field];
  return record;
}

/** The fields that are there (the fast path's records have every field, undefined when absent). */
function present(record: AccessLogRecord): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const [field, value] of Object.entries(record))
    if (value !== undefined) fields[field] = value;
  return fields;
}

/** As the exact parser writes it: an integer id the fast path read as a number, as its text. */
function asText(record: AccessLogRecord): AccessLogRecord {
  const text = present(record);
  for (const field of NUMERIC_FIELDS)
    if (typeof text[field] === 'number') text[field] = String(text[field]);
  return text;
}

/** The property: a claimed line reads as the exact parser reads it; the rest come back whole. */
function assertAgrees(parser: JsonLineParser, lines: readonly (string | Buffer)[]): Visit[] {
  const visits = scan(scannerOf(parser), lines);
  assert.equal(visits.length, lines.length, 'every line visited once');
  visits.forEach((visit, i) => {
    const line = Buffer.from(lines[i] as string | Buffer);
    if (visit.fast) {
      assert.deepEqual(asText(visit.record), exact(parser, line), `line ${i}: ${line.toString()}`);
      assert.equal(visit.bytes, line.length);
    } else assert.deepEqual(visit.line, line, `line ${i} handed back whole`);
  });
  return visits;
}

const OK = {
  REQUESTED_SERVER_NAME: 'api.example.com',
  DOWNSTREAM_TLS_VERSION: 'TLSv1.3',
  DOWNSTREAM_TLS_CIPHER: 'TLS_AES_128_GCM_SHA256',
};

describe('JSON fast path (WebAssembly)', () => {
  const claimed: ReadonlyArray<readonly [string, string | Buffer, AccessLogRecord]> = [
    [
      'a listener line',
      listenerJson({ ...OK, CONNECTION_ID: 12, START_TIME: '2026-11-30T00:00:00.000Z' }),
      { ...OK, CONNECTION_ID: 12 },
    ],
    [
      'a failure with its reason',
      listenerJson({
        REQUESTED_SERVER_NAME: 'a.b',
        DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert,
      }),
      { REQUESTED_SERVER_NAME: 'a.b', DOWNSTREAM_TRANSPORT_FAILURE_REASON: TLS.noClientCert },
    ],
    [
      'spaces, tabs and a CR',
      ' {\t"sni" : "a.b" ,"tls_cipher":\t"C" } \r',
      { REQUESTED_SERVER_NAME: 'a.b', DOWNSTREAM_TLS_CIPHER: 'C' },
    ],
    [
      'absent: null, "-", "", a bare -, missing',
      '{"sni":null,"tls_version":"-","tls_cipher":"","response_flags":-}',
      {},
    ],
    [
      'numbers as written',
      '{"connection_id":-1.5e+3,"sni":0,"tls_version":10}',
      { CONNECTION_ID: '-1.5e+3', REQUESTED_SERVER_NAME: '0', DOWNSTREAM_TLS_VERSION: '10' },
    ],
    [
      'duplicate keys: the last wins, a later null removes',
      '{"sni":"a","sni":"b","tls_cipher":"C","tls_cipher":null}',
      { REQUESTED_SERVER_NAME: 'b' },
    ],
    [
      'unknown keys of every flat kind are skipped',
      '{"x":"y","n":1,"z":null,"sni":"a"}',
      { REQUESTED_SERVER_NAME: 'a' },
    ],
    [
      'handshake times: an integer as a number (also when quoted), a fraction as its text',
      '{"sni":"a","handshake_duration":7,"handshake_duration_us":"38250"}',
      { REQUESTED_SERVER_NAME: 'a', DOWNSTREAM_HANDSHAKE_DURATION: 7, DS_HANDSHAKE_TIME: 38250 },
    ],
    [
      'a handshake time with a fraction',
      '{"sni":"a","handshake_duration":1.5}',
      { REQUESTED_SERVER_NAME: 'a', DOWNSTREAM_HANDSHAKE_DURATION: '1.5' },
    ],
    ['an empty object', '{}', {}],
    ['UTF-8 in a value', '{"sni":"bücher.example"}', { REQUESTED_SERVER_NAME: 'bücher.example' }],
    [
      'invalid UTF-8 in a value decodes as the exact parser decodes it',
      Buffer.concat([Buffer.from('{"sni":"bad'), Buffer.from([0xff, 0xe2]), Buffer.from('name"}')]),
      { REQUESTED_SERVER_NAME: 'bad\ufffd\ufffdname' },
    ],
    [
      'a control character inside a string, as the exact parser takes it',
      '{"sni":"a\u0001b"}',
      { REQUESTED_SERVER_NAME: 'a\u0001b' },
    ],
  ];
  for (const [name, line, record] of claimed) {
    it(`reads ${name}`, () => {
      const [visit] = assertAgrees(listener(), [line]);
      assert.ok(visit?.fast, 'the fast path claims the line');
      assert.deepEqual(present(visit.record), record);
    });
  }

  const handedBack: ReadonlyArray<readonly [string, string]> = [
    ['an escape in a value', '{"sni":"a\\"b"}'],
    ['an escape in a key', '{"s\\u006ei":"a"}'],
    ['a nested object', '{"sni":"a","extra":{"k":"v"}}'],
    ['an array', '{"sni":"a","list":[1,2]}'],
    ['true and false', '{"sni":"a","resumed":true}'],
    ['a truncated line', '{"sni":"a","tls_cipher":"TLS_AE'],
    ['two glued objects', '{"sni":"a"}{"sni":"b"}'],
    ['text after the object', '{"sni":"a"} x'],
    ['an empty line', ''],
    ['a line of spaces', '   '],
    ['a leading zero', '{"connection_id":01}'],
    ['a number without digits after the point', '{"connection_id":1.}'],
    ['an unterminated string', '{"sni":"a}'],
    ['not an object', '[1,2]'],
    ['a missing colon', '{"sni" "a"}'],
    ['a trailing comma', '{"sni":"a",}'],
    ['a single-quoted string', "{'sni':'a'}"],
  ];
  for (const [name, line] of handedBack) {
    it(`hands back ${name}`, () => {
      const [visit] = assertAgrees(listener(), [line]);
      assert.equal(visit?.fast, false);
    });
  }

  it('a block of 2,000 lines (several calls into the module) is visited in order, once', () => {
    const lines = Array.from({ length: 2000 }, (_, i) =>
      i % 7 === 0 ? `{"sni":"x\\n${i}"}` : listenerJson({ ...OK, CONNECTION_ID: i }),
    );
    const visits = assertAgrees(listener(), lines);
    assert.equal(visits.filter((v) => !v.fast).length, Math.ceil(2000 / 7));
  });

  it('a block larger than any before grows the module memory and still reads right', () => {
    const scanner = scannerOf(listener());
    assert.equal(scan(scanner, [listenerJson(OK)]).length, 1);
    const big = Array.from({ length: 8000 }, (_, i) =>
      listenerJson({ ...OK, REQUESTED_SERVER_NAME: `n${i}.example`, CONNECTION_ID: i }),
    );
    const visits = scan(scanner, big);
    assert.equal(visits.length, big.length);
    visits.forEach((v, i) => {
      assert.ok(v.fast);
      assert.equal(v.record.REQUESTED_SERVER_NAME, `n${i}.example`);
    });
  });

  it('past the intern table (20,000 distinct values) every value is still its own', () => {
    const scanner = scannerOf(listener());
    for (let round = 0; round < 4; round++) {
      const lines = Array.from({ length: 5000 }, (_, i) =>
        listenerJson({ ...OK, REQUESTED_SERVER_NAME: `r${round}-${i}.example` }),
      );
      scan(scanner, lines).forEach((v, i) => {
        assert.ok(v.fast);
        assert.equal(v.record.REQUESTED_SERVER_NAME, `r${round}-${i}.example`);
      });
    }
  });

  it('ids: an integer of up to 15 digits as a number, anything else as the text', () => {
    const http = jsonParser(PRESETS.envoy_http_json.fields, 'http') as JsonLineParser;
    const visits = assertAgrees(http, [
      '{"connection_id":"007","upstream_connection_id":123456789012345}',
      '{"connection_id":1234567890123456,"upstream_connection_id":0}',
      '{"connection_id":"12","upstream_connection_id":-4}',
    ]);
    assert.deepEqual(
      visits.map((v) => v.fast && present(v.record)),
      [
        { CONNECTION_ID: '007', UPSTREAM_CONNECTION_ID: 123456789012345 },
        { CONNECTION_ID: '1234567890123456', UPSTREAM_CONNECTION_ID: 0 },
        { CONNECTION_ID: 12, UPSTREAM_CONNECTION_ID: '-4' },
      ],
    );
  });

  it('a full intern table starts afresh at the next block, so new values are cached again', () => {
    const scanner = JsonBlockScanner.for(new Map([['sni', 'REQUESTED_SERVER_NAME']]));
    assert.ok(scanner);
    const unique = Array.from({ length: 5000 }, (_, i) => `{"sni":"u${i}.example"}`);
    scan(scanner, unique);
    assert.ok(scanner.cachedValues >= 4000, `${scanner.cachedValues} values cached`);
    const visits = scan(scanner, ['{"sni":"new.example"}', '{"sni":"new.example"}']);
    assert.deepEqual(
      visits.map((v) => v.fast && v.record.REQUESTED_SERVER_NAME),
      ['new.example', 'new.example'],
    );
    assert.equal(scanner.cachedValues, 1);
  });

  it('an HTTP log: the upstream fields too', () => {
    const http = jsonParser(PRESETS.envoy_http_json.fields, 'http') as JsonLineParser;
    const line = httpJson({
      ...OK,
      CONNECTION_ID: 4,
      RESPONSE_FLAGS: 'UF',
      UPSTREAM_CLUSTER: 'outbound|443||api',
      UPSTREAM_TRANSPORT_FAILURE_REASON: TLS.unknownCa,
    });
    const [visit] = assertAgrees(http, [line]);
    assert.ok(visit?.fast);
    assert.equal(visit.record.UPSTREAM_CLUSTER, 'outbound|443||api');
  });

  it('keys the module cannot hold leave the exact parser to read every line', () => {
    assert.equal(
      jsonParser({ REQUESTED_SERVER_NAME: 'x'.repeat(300) }, 'listener').blockScanner?.(),
      undefined,
    );
    assert.equal(
      jsonParser({ REQUESTED_SERVER_NAME: 'bad\ufffd' }, 'listener').blockScanner?.(),
      undefined,
    );
  });

  describe('properties (against the exact parser)', () => {
    const keys = [
      'sni',
      'tls_version',
      'tls_cipher',
      'transport_failure_reason',
      'connection_id',
      'start_time',
      'response_flags',
      'other',
      'sni ',
    ];
    const value = fc.oneof(
      fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
      fc.constantFrom('null', '-', '"-"', '""', 'true', '{}', '[1]', '"a\\"b"'),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
      fc.integer().map(String),
    );
    const space = fc.constantFrom('', '', '', ' ', '\t', '\r');
    const member = fc
      .tuple(fc.constantFrom(...keys), value, space, space)
      .map(([k, v, a, b]) => `${a}"${k}"${b}:${a}${v}${b}`);
    const object = fc.array(member, { maxLength: 8 }).map((m) => `{${m.join(',')}}`);
    /** a valid line, or one cut, spliced or glued */
    const line = fc.oneof(
      object,
      fc
        .tuple(object, fc.nat(), fc.nat(3), fc.string({ maxLength: 3 }))
        .map(([o, at, cut, insert]) => {
          const i = at % (o.length + 1);
          return (o.slice(0, i) + insert + o.slice(i + cut)).replace(/\n/g, '');
        }),
      fc.tuple(object, object).map(([a, b]) => a + b),
      fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b.filter((x) => x !== 10))),
    );

    it('a block of any such lines: claimed lines read exactly, the rest handed back whole', () => {
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
          assertAgrees(listener(), lines);
        }),
        { numRuns: 3000 },
      );
    });
  });
});
