// Fuzzing at every boundary where outside bytes come in: 10,000 cases each. The property is the
// same everywhere: nothing throws past the boundary except the typed error it documents, nothing
// hangs (mocha's timeout would fail the test), and every verdict is one of its closed list.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classify, TLS_VERSIONS } from '../../src/accesslog/classify/classifier.js';
import { compileEnvoyFormat, textParser } from '../../src/accesslog/parse/envoy-format.js';
import { jsonParser } from '../../src/accesslog/parse/json-lines.js';
import { PRESETS } from '../../src/accesslog/parse/presets.js';
import { USED_FIELDS, type AccessLogRecord } from '../../src/accesslog/record.js';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfigText } from '../../src/config/load.js';
import { ExporterError } from '../../src/errors.js';
import { HANDSHAKE_FAILURE_REASONS } from '../../src/domain/tls-words.js';
import { CERT_FILE_ERROR_REASONS } from '../../src/domain/exporter-words.js';
import { parseCertFile } from '../../src/certs/files/cert-file-parse.js';
import { checkOcsp } from '../../src/probe/ocsp-check.js';
import { stringify } from 'yaml';
import { chain } from '../support/pki.js';

const RUNS = { numRuns: 10_000 };

/** Bytes as a follower would hand them over: UTF-8 decoded, no newline. */
const lineOf = fc
  .uint8Array({ maxLength: 400 })
  .map((b) => Buffer.from(b).toString('utf8').replace(/\n/g, ''));

/** Text that looks like what it fuzzes more often than random bytes would. */
const envoyish = fc.array(
  fc.oneof(
    fc.constantFrom(
      '%',
      '%%',
      '%REQUESTED_SERVER_NAME%',
      '%DOWNSTREAM_TLS_VERSION%',
      '%RESPONSE_FLAGS%',
      '%REQ(X-REQUEST-ID)%',
      '%REQ(:AUTHORITY):10%',
      '%START_TIME(%s.%3f)%',
      '"',
      ' ',
      '[',
      ']',
      '\\n',
      '-',
    ),
    fc.string({ maxLength: 6 }),
  ),
  { maxLength: 16 },
);

describe('fuzzing (10,000 cases each)', function () {
  this.timeout(120_000);

  it('the format-string compiler: compiles or names the problem; its parser never throws', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          envoyish.map((p) => p.join('')),
          fc.string(),
        ),
        lineOf,
        (format, line) => {
          let compiled: ReturnType<typeof compileEnvoyFormat>;
          try {
            compiled = compileEnvoyFormat(format);
          } catch (err) {
            assert.ok(err instanceof ExporterError, String(err));
            return;
          }
          const result = compiled.parse(line);
          assert.equal(typeof result.ok, 'boolean');
        },
      ),
      RUNS,
    );
  });

  const parsers = {
    'JSON lines': jsonParser(PRESETS.envoy_listener_json.fields, 'listener'),
    'Istio text': textParser(PRESETS.istio.envoyFormat, 'http'),
    'Envoy default text': textParser(PRESETS.envoy_default.envoyFormat, 'http'),
  };
  for (const [name, parser] of Object.entries(parsers)) {
    it(`the ${name} parser: arbitrary bytes and JSON values are a record or malformed, never a throw`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            lineOf,
            fc.json(),
            envoyish.map((p) => p.join('')),
          ),
          (line) => {
            const result = parser.parse(line);
            if (result.ok) {
              for (const value of Object.values(result.record))
                assert.equal(typeof value, 'string');
            } else assert.equal(typeof result.detail, 'string');
          },
        ),
        RUNS,
      );
    });
  }

  it('the classifier: any record gives outcomes from the closed lists only', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end',
        'TLS error: 268436502:SSL routines:OPENSSL_internal:SSLV3_ALERT_CERTIFICATE_EXPIRED',
        'UF,URX',
        'NR',
        'TLSv1.3',
        'filter_chain_not_found',
      ),
    );
    const record = fc.dictionary(
      fc.constantFrom(...USED_FIELDS),
      value,
    ) as fc.Arbitrary<AccessLogRecord>;
    fc.assert(
      fc.property(
        record,
        fc.constantFrom('listener' as const, 'http' as const, 'auto' as const),
        (r, kind) => {
          for (const outcome of classify(r, kind)) {
            if (outcome.ok)
              assert.ok(
                [...TLS_VERSIONS, 'unknown', 'other'].includes(outcome.tlsVersion),
                outcome.tlsVersion,
              );
            else if (outcome.reason !== undefined)
              assert.ok(HANDSHAKE_FAILURE_REASONS.includes(outcome.reason), outcome.reason);
          }
        },
      ),
      RUNS,
    );
  });

  describe('certificates and OCSP', () => {
    let der: Buffer;
    let issuer: Buffer;
    let pem: string;
    before(async () => {
      const c = await chain({ names: ['fuzz.test'] });
      der = Buffer.from(c.leaf.cert.rawData);
      issuer = Buffer.from(c.intermediate.cert.rawData);
      pem = c.leaf.pem;
    });

    /** Valid bytes with a few bytes changed, cut or extended. */
    const mutated = (base: () => Buffer): fc.Arbitrary<Buffer> =>
      fc
        .tuple(
          fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
          fc.integer({ min: -64, max: 64 }),
        )
        .map(([flips, cut]) => {
          const bytes = Buffer.from(base());
          for (const [at, value] of flips) bytes[at % bytes.length] = value;
          return cut < 0
            ? bytes.subarray(0, bytes.length + cut)
            : Buffer.concat([bytes, Buffer.alloc(cut)]);
        });

    it('PEM, DER and PKCS#12 parsing: a result or a reason from the closed list', () => {
      const bytes = fc.oneof(
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
        fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.concat([Buffer.from([0x30, 0x82]), b])),
        fc
          .string({ maxLength: 200 })
          .map((s) =>
            Buffer.from(`-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----\n`),
          ),
        mutated(() => der),
        mutated(() => Buffer.from(pem)),
      );
      fc.assert(
        fc.property(
          bytes,
          fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
          (b, password) => {
            const parsed = parseCertFile(b, password);
            if (parsed.ok === false)
              assert.ok(CERT_FILE_ERROR_REASONS.includes(parsed.reason), parsed.reason);
            else if (parsed.ok === true) assert.ok(parsed.certs.length > 0);
          },
        ),
        RUNS,
      );
    });

    it('OCSP parsing: any staple is a finding, never a throw', () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
            fc
              .uint8Array({ maxLength: 600 })
              .map((b) => Buffer.concat([Buffer.from([0x30, 0x82, 0x01]), b])),
          ),
          fc.constantFrom('request' as const, 'require' as const),
          (staple, mode) => {
            const finding = checkOcsp(staple, der, issuer, mode, Date.now() / 1000);
            assert.ok(finding !== undefined);
            assert.equal(typeof finding.stapled, 'boolean');
          },
        ),
        RUNS,
      );
    });
  });

  it('the config loader: a config or a ConfigError with positions, never anything else', () => {
    const yamlish = fc
      .dictionary(
        fc.constantFrom(
          'web',
          'log',
          'access_logs',
          'server_names',
          'probes',
          'cert_files',
          'bogus',
        ),
        fc.jsonValue({ maxDepth: 3 }),
      )
      .map((o) => stringify(o));
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 })), (text) => {
        try {
          parseConfigText(text, 'fuzz.yml');
        } catch (err) {
          assert.ok(err instanceof ConfigError, String(err));
          assert.match(err.message, /^fuzz\.yml/);
        }
      }),
      RUNS,
    );
  });
});
