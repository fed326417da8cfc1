import { strict as assert } from 'node:assert';
import { shipped, shippedBlock } from '../../support/shipped.js';
import { parse } from 'yaml';
import { isAllowed } from '../../../src/probe/probe-endpoint.js';
import { readFileSync } from 'node:fs';
import { writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../../../src/config/errors.js';
import { defaultConfig, loadConfigFile, parseConfigText } from '../../../src/config/load.js';
import { withTempDir } from '../../support/tmp.js';

/** The sections every default config has, whatever web and log say. */
const DEFAULT_SOURCES = {
  access_logs: [],
  server_names: { allow: [], clusters_allow: [], max_values: 100 },
  probes: {
    schedule: '*/30 * * * * *',
    concurrency: 16,
    jitter: 2000,
    modules: {},
    endpoint: { requests_per_second: 100, burst: 200, max_concurrent: 128 },
    targets: [],
  },
  cert_files: [],
  envoy_admin: [],
  access_log_services: [],
  slo: { objective: 0.999 },
  revocation: {
    allowed_urls: ['http://**', 'https://**'],
    allow_private_addresses: false,
    max_response_bytes: 32 * 1024 * 1024,
    requests_per_second_per_url: 5,
    burst_per_url: 20,
    cache_entries: 10_000,
  },
};

const FIXTURES = fileURLToPath(new URL('../../fixtures/config/', import.meta.url));

function parseFixture(name: string): ReturnType<typeof parseConfigText> {
  return parseConfigText(readFileSync(join(FIXTURES, name), 'utf8'), name);
}

function problemsOf(name: string): string[] {
  try {
    parseFixture(name);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.code, 'CONFIG_INVALID');
    return err.message.split('\n');
  }
  assert.fail(`${name} was accepted`);
}

describe('config loading', () => {
  describe('invalid files: one fixture per error, with its exact message', () => {
    const cases: ReadonlyArray<{ file: string; expected: string[] }> = [
      {
        file: 'invalid-unknown-top-key.yml',
        expected: [
          'invalid-unknown-top-key.yml:3:1 acess_logs: unknown key (valid keys: web, log, access_logs, access_log_services, server_names, probes, cert_files, revocation, envoy_admin, positions_file, slo)',
        ],
      },
      {
        file: 'invalid-unknown-nested-key.yml',
        expected: [
          'invalid-unknown-nested-key.yml:3:3 log.formatt: unknown key (valid keys: level, format)',
        ],
      },
      {
        file: 'invalid-log-level.yml',
        expected: [
          'invalid-log-level.yml:2:3 log.level: expected "debug", "info", "warn" or "error", got "verbose"',
        ],
      },
      {
        file: 'invalid-log-format-type.yml',
        expected: [
          'invalid-log-format-type.yml:2:3 log.format: expected "logfmt" or "json", got number 7',
        ],
      },
      {
        file: 'invalid-listen-address.yml',
        expected: [
          'invalid-listen-address.yml:2:3 web.listen_address: expected host:port, ":port" or "[ipv6]:port", got "localhost"',
        ],
      },
      {
        file: 'invalid-listen-port-range.yml',
        expected: [
          'invalid-listen-port-range.yml:2:3 web.listen_address: port 70000 is out of range 0-65535',
        ],
      },
      {
        file: 'invalid-telemetry-path.yml',
        expected: [
          'invalid-telemetry-path.yml:2:3 web.telemetry_path: expected a path starting with "/" (no spaces, "?" or "#")',
        ],
      },
      {
        file: 'invalid-yaml-syntax.yml',
        expected: [
          'invalid-yaml-syntax.yml:2:19 YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (opened here, still open at line 3)',
        ],
      },
      {
        file: 'invalid-duration-absurd.yml',
        expected: [
          'invalid-duration-absurd.yml:2:3 probes.jitter: expected a duration from 0ms to 1h',
          'invalid-duration-absurd.yml:4:9 probes.modules.m.timeout: expected a duration from 100ms to 5m',
          'invalid-duration-absurd.yml:6:44 access_logs[0].poll_interval: expected a duration like "250ms", "10s" or "5m", got "-1s"',
        ],
      },
      {
        file: 'invalid-yaml-alias.yml',
        expected: [
          'invalid-yaml-alias.yml YAML: Unresolved alias (the anchor must be set before the alias): port',
        ],
      },
      {
        file: 'invalid-duplicate-key.yml',
        expected: ['invalid-duplicate-key.yml:3:3 YAML: Map keys must be unique'],
      },
      {
        file: 'invalid-not-a-mapping.yml',
        expected: ['invalid-not-a-mapping.yml:1:1 expected a mapping, got a list'],
      },
      {
        file: 'invalid-section-type.yml',
        expected: ['invalid-section-type.yml:1:1 web: expected a mapping, got ":10087"'],
      },
      {
        file: 'invalid-access-log-start-at.yml',
        expected: [
          'invalid-access-log-start-at.yml:5:5 access_logs[0].start_at: expected "end" or "beginning", got "middle"',
        ],
      },
      {
        file: 'invalid-access-log-format.yml',
        expected: [
          'invalid-access-log-format.yml:4:5 access_logs[0].format: expected "envoy_listener_json", "envoy_http_json", "envoy_default", "istio", "istio_json", "istio_1_8", "envoy_gateway", "text", "json" or "auto", got "nginx"',
        ],
      },
      {
        file: 'invalid-access-log-text-without-format.yml',
        expected: [
          'invalid-access-log-text-without-format.yml:2:5 access_logs[0].envoy_format: required when format is "text"',
        ],
      },
      {
        file: 'invalid-access-log-json-fields.yml',
        expected: [
          'invalid-access-log-json-fields.yml:6:7 access_logs[0].fields.sni: keys are Envoy operators like REQUESTED_SERVER_NAME or COMMON_DURATION(DS_HS_BEG:DS_HS_END:us), values the JSON keys',
        ],
      },
      {
        file: 'invalid-access-log-duplicate-name.yml',
        expected: [
          'invalid-access-log-duplicate-name.yml:5:5 access_logs[1].name: duplicate log name "ingress"',
        ],
      },
      {
        file: 'invalid-access-log-missing-path.yml',
        expected: [
          'invalid-access-log-missing-path.yml:2:5 access_logs[0].path: required',
          'invalid-access-log-missing-path.yml:4:5 access_logs[0].rotation_drain: expected a duration like "250ms", "10s" or "5m", got 10',
        ],
      },
      {
        file: 'invalid-server-names.yml',
        expected: [
          'invalid-server-names.yml:2:3 server_names.allow: expected a list, got "*.dify.svc"',
          'invalid-server-names.yml:3:3 server_names.max_values: must be >= 1',
        ],
      },
      {
        file: 'invalid-multiple.yml',
        expected: [
          'invalid-multiple.yml:2:3 web.listen_address: expected host:port, ":port" or "[ipv6]:port", got ":x"',
          'invalid-multiple.yml:3:3 web.telemetry_path: must not be "/" or one of the /-/ endpoints',
          'invalid-multiple.yml:5:3 log.level: expected "debug", "info", "warn" or "error", got "trace"',
          'invalid-multiple.yml:6:3 log.format: expected "logfmt" or "json", got "text"',
          'invalid-multiple.yml:7:1 extra: unknown key (valid keys: web, log, access_logs, access_log_services, server_names, probes, cert_files, revocation, envoy_admin, positions_file, slo)',
        ],
      },
    ];
    for (const { file, expected } of cases) {
      it(file, () => {
        assert.deepEqual(problemsOf(file), expected);
      });
    }
  });

  describe('valid files', () => {
    it('an empty file gives every default', () => {
      assert.deepEqual(parseFixture('valid-empty.yml'), defaultConfig());
    });
    it('a file with only comments gives every default', () => {
      assert.deepEqual(parseFixture('valid-comments-only.yml'), defaultConfig());
    });
    it('the defaults are the documented ones', () => {
      assert.deepEqual(defaultConfig(), {
        web: { listen_address: ':10087', telemetry_path: '/metrics', drill_notes: false },
        log: { level: 'info', format: 'logfmt' },
        ...DEFAULT_SOURCES,
      });
    });
    it('a full file is taken as written', () => {
      assert.deepEqual(parseFixture('valid-full.yml'), {
        web: { listen_address: '127.0.0.1:10087', telemetry_path: '/metrics', drill_notes: false },
        log: { level: 'debug', format: 'json' },
        ...DEFAULT_SOURCES,
      });
    });
    it('access logs take their defaults and durations in milliseconds', () => {
      const config = parseFixture('valid-access-logs.yml');
      assert.deepEqual(config.access_logs[0], {
        name: 'ingress',
        path: '/var/log/envoy/listener.log',
        format: 'envoy_listener_json',
        envelope: 'none',
        start_at: 'end',
        max_line_bytes: 65536,
        rotation_drain: 10_000,
        poll_interval: 1_000,
        tls_clusters: [],
        directions: ['downstream', 'upstream'],
      });
      assert.equal(config.access_logs[1]?.rotation_drain, 2_000);
      assert.equal(config.access_logs[1]?.poll_interval, 250);
      assert.deepEqual(config.server_names, {
        allow: ['*.dify.svc', 'audit-gw.example.internal'],
        clusters_allow: [],
        max_values: 50,
      });
    });
    describe('access_logs[].rotate', () => {
      const log = (rotate: string): string =>
        `access_logs:\n  - name: l\n    path: /var/log/envoy/listener.log\n    format: envoy_listener_json\n    rotate: ${rotate}\n`;
      const cases: ReadonlyArray<[string, number | string]> = [
        ['{ max_size: 64Mi, reopen_url: "http://127.0.0.1:9901/reopen_logs" }', 64 * 2 ** 20],
        ['{ max_size: 1GiB, reopen_url: "http://127.0.0.1:9901/reopen_logs" }', 2 ** 30],
        ['{ max_size: 2097152, reopen_url: "http://127.0.0.1:9901/reopen_logs" }', 2 ** 21],
        [
          '{ max_size: 64Mb, reopen_url: "http://127.0.0.1:9901/reopen_logs" }',
          'c.yml:5:15 access_logs[0].rotate.max_size: expected a size such as 64Mi or 1Gi (bytes, Ki, Mi, Gi, Ti), got "64Mb"',
        ],
        [
          '{ max_size: 1Ki, reopen_url: "http://127.0.0.1:9901/reopen_logs" }',
          'c.yml:5:15 access_logs[0].rotate.max_size: expected a size from 1Mi to 1024Gi',
        ],
        [
          '{ max_size: 64Mi, reopen_url: "file:///x" }',
          'c.yml:5:31 access_logs[0].rotate.reopen_url: expected an http:// or https:// URL',
        ],
      ];
      for (const [rotate, expected] of cases)
        it(`${rotate} -> ${String(expected)}`, () => {
          if (typeof expected === 'number') {
            const config = parseConfigText(log(rotate), 'c.yml');
            assert.equal(config.access_logs[0]?.rotate?.max_size, expected);
            assert.equal(config.access_logs[0]?.rotate?.check_interval, 10_000);
          } else {
            assert.throws(() => parseConfigText(log(rotate), 'c.yml'), { message: expected });
          }
        });
      it('one file only: a glob path is refused', () => {
        const text = log('{ max_size: 64Mi, reopen_url: "http://127.0.0.1:9901/reopen_logs" }');
        assert.throws(
          () => parseConfigText(text.replace('listener.log', '*.log'), 'c.yml'),
          /access_logs\[0\]\.rotate: rotates one file: give a path without glob characters/,
        );
      });
    });
    it('a partial section keeps the defaults of the keys it leaves out', () => {
      assert.deepEqual(parseConfigText('log:\n  level: warn\n', 'c.yml').log, {
        level: 'warn',
        format: 'logfmt',
      });
    });
  });

  it('the config shown in the README is valid', async () => {
    const block = await shippedBlock('README.md', '## Config file', 'yaml');
    const config = parseConfigText(block, 'README.md');
    assert.equal(config.positions_file, '/var/lib/tls-sli-exporter/positions.json');
    assert.equal(config.probes.endpoint.max_concurrent, 128);
    // the shipped Prometheus example's /probe job, used with this config as shipped: allowed
    const example = parse(await shipped('alerts/prometheus.example.yml')) as {
      scrape_configs: Array<{
        metrics_path?: string;
        params?: { module?: string[] };
        static_configs: Array<{ targets: string[] }>;
      }>;
    };
    const job = example.scrape_configs.find((j) => j.metrics_path === '/probe');
    assert.ok(job);
    const module = job.params?.module?.[0] ?? '';
    for (const target of job.static_configs.flatMap((c) => c.targets))
      assert.ok(isAllowed(config.probes, module, target), `${module} refuses ${target}`);
  });

  it('the config shown in README.zh-CN is valid and is the English one, its comments translated', async () => {
    const block = await shippedBlock('README.zh-CN.md', '## 配置文件', 'yaml');
    const config = parseConfigText(block, 'README.zh-CN.md');
    const target = config.probes.targets[0];
    assert.ok(target);
    assert.ok(isAllowed(config.probes, target.module, target.address));
    const english = await shippedBlock('README.md', '## Config file', 'yaml');
    assert.deepEqual(config, parseConfigText(english, 'README.md'));
    assert.match(block, /# 磁盘上的证书/);
  });

  describe('reading files', () => {
    it('a missing file is a CONFIG_READ_FAILED error naming the file', async () => {
      await withTempDir(async (dir) => {
        const file = join(dir, 'nope.yml');
        await assert.rejects(loadConfigFile(file), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.equal(err.code, 'CONFIG_READ_FAILED');
          assert.equal(err.message, `${file} cannot read the file (ENOENT)`);
          return true;
        });
      });
    });
    it('a directory is refused with a clear reason', async () => {
      await withTempDir(async (dir) => {
        await assert.rejects(loadConfigFile(dir), /cannot read the file \(EISDIR\)/);
      });
    });
    it('a readable file is parsed with its own name in errors', async () => {
      await withTempDir(async (dir) => {
        const file = join(dir, 'c.yml');
        await writeFile(file, 'log:\n  level: loud\n');
        await chmod(file, 0o644);
        await assert.rejects(loadConfigFile(file), (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(
            err.message,
            new RegExp(`^${file.replace(/[.]/g, '\\.')}:2:3 log\\.level: `),
          );
          return true;
        });
      });
    });
  });
});
