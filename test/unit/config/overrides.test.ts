import { strict as assert } from 'node:assert';
import { parseConfigText } from '../../../src/config/load.js';
import { applyOverrides, envName } from '../../../src/config/overrides.js';
import { ExporterError } from '../../../src/errors.js';

const FILE = parseConfigText(
  'web:\n  listen_address: "127.0.0.1:1111"\n  telemetry_path: /file\nlog:\n  level: warn\n',
  'c.yml',
);
const DEFAULTS = parseConfigText('', 'c.yml');

describe('flag / environment / file / default precedence', () => {
  const cases: ReadonlyArray<{
    name: string;
    base: typeof FILE;
    flags: Record<string, string>;
    env: Record<string, string>;
    listen: string;
    level: string;
    path: string;
  }> = [
    {
      name: 'defaults alone',
      base: DEFAULTS,
      flags: {},
      env: {},
      listen: ':10087',
      level: 'info',
      path: '/metrics',
    },
    {
      name: 'file over defaults',
      base: FILE,
      flags: {},
      env: {},
      listen: '127.0.0.1:1111',
      level: 'warn',
      path: '/file',
    },
    {
      name: 'environment over file',
      base: FILE,
      flags: {},
      env: { TLS_SLI_EXPORTER_WEB_LISTEN_ADDRESS: ':2222', TLS_SLI_EXPORTER_LOG_LEVEL: 'debug' },
      listen: ':2222',
      level: 'debug',
      path: '/file',
    },
    {
      name: 'flag over environment over file',
      base: FILE,
      flags: { 'web.listen-address': ':3333', 'web.telemetry-path': '/flag' },
      env: {
        TLS_SLI_EXPORTER_WEB_LISTEN_ADDRESS: ':2222',
        TLS_SLI_EXPORTER_WEB_TELEMETRY_PATH: '/env',
      },
      listen: ':3333',
      level: 'warn',
      path: '/flag',
    },
    {
      name: 'an empty environment variable counts as unset',
      base: FILE,
      flags: {},
      env: { TLS_SLI_EXPORTER_LOG_LEVEL: '' },
      listen: '127.0.0.1:1111',
      level: 'warn',
      path: '/file',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = applyOverrides(c.base, c.flags, c.env);
      assert.equal(result.web.listen_address, c.listen);
      assert.equal(result.log.level, c.level);
      assert.equal(result.web.telemetry_path, c.path);
    });
  }

  it('derives environment names from flag names', () => {
    assert.equal(envName('web.listen-address'), 'TLS_SLI_EXPORTER_WEB_LISTEN_ADDRESS');
    assert.equal(envName('config.file'), 'TLS_SLI_EXPORTER_CONFIG_FILE');
  });

  it('a bad flag or variable names where it came from, every one of them', () => {
    assert.throws(
      () =>
        applyOverrides(
          DEFAULTS,
          { 'log.level': 'loud' },
          { TLS_SLI_EXPORTER_WEB_LISTEN_ADDRESS: 'x' },
        ),
      (err: unknown) => {
        assert.ok(err instanceof ExporterError);
        assert.equal(err.code, 'FLAG_INVALID');
        assert.equal(
          err.message,
          [
            'TLS_SLI_EXPORTER_WEB_LISTEN_ADDRESS: expected host:port, ":port" or "[ipv6]:port", got "x"',
            '--log.level: expected "debug", "info", "warn" or "error", got "loud"',
          ].join('\n'),
        );
        return true;
      },
    );
  });
});
