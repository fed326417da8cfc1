// --web.config.file over real TLS: the five client_auth_type policies that matter to an operator,
// client_allowed_sans, basic auth with bcrypt hashes, response headers, certificate rotation
// without a restart, refusing to start on a bad file, and `promtool check web-config` on every
// example the project ships.
import { strict as assert } from 'node:assert';
import { sampleValue } from '../support/exposition.js';
import { METRICS } from '../../src/metrics/catalog.js';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import { ConfigError } from '../../src/config/errors.js';
import type { RunningExporter } from '../../src/main.js';
import { loadWebSettings, parseWebConfig } from '../../src/config/web-config.js';
import { WebSecurity } from '../../src/server/web-security.js';
import { startOnLoopback } from '../support/exporter.js';
import { httpsGet } from '../support/https.js';
import { memoryLogger } from '../support/logs.js';
import { chain, issue, type Issued } from '../support/pki.js';
import { withTempDir } from '../support/tmp.js';

const EXAMPLES = fileURLToPath(new URL('../../docs/examples/', import.meta.url));

interface Pki {
  readonly dir: string;
  readonly ca: string;
  readonly allowed: Issued;
  readonly allowedKey: string;
  readonly otherSan: Issued;
  readonly otherSanKey: string;
  readonly foreign: Issued;
  readonly foreignKey: string;
}

async function mint(dir: string): Promise<Pki> {
  const server = await chain({ names: ['localhost', '127.0.0.1'] });
  const clientCa = await issue({ cn: 'Monitoring CA', ca: true });
  const foreignCa = await issue({ cn: 'Someone Else CA', ca: true });
  const client = (cn: string, issuer: Issued): Promise<Issued> =>
    issue({ cn, issuer, client: true, dns: [cn] });
  const allowed = await client('prometheus.monitoring.svc', clientCa);
  const otherSan = await client('curl.elsewhere.svc', clientCa);
  const foreign = await client('prometheus.monitoring.svc', foreignCa);
  await mkdir(join(dir, 'tls'), { recursive: true });
  await writeFile(join(dir, 'tls/server.crt'), `${server.leaf.pem}\n${server.intermediate.pem}`);
  await writeFile(join(dir, 'tls/server.key'), await server.leaf.keyPem());
  await writeFile(join(dir, 'tls/monitoring-ca.crt'), clientCa.pem);
  return {
    dir,
    ca: server.root.pem,
    allowed,
    allowedKey: await allowed.keyPem(),
    otherSan,
    otherSanKey: await otherSan.keyPem(),
    foreign,
    foreignKey: await foreign.keyPem(),
  };
}

async function withWeb(
  webConfig: string,
  fn: (ctx: { pki: Pki; port: number; exporter: RunningExporter; file: string }) => Promise<void>,
): Promise<void> {
  await withTempDir(async (dir) => {
    const pki = await mint(dir);
    const file = join(dir, 'web.yml');
    await writeFile(file, webConfig);
    const exporter = await startOnLoopback(undefined, {
      flags: { 'web.listen-address': '127.0.0.1:0', 'web.config.file': file },
    });
    try {
      await fn({ pki, port: exporter.address.port, exporter, file });
    } finally {
      await exporter.stop();
    }
  });
}

const MTLS = `tls_server_config:
  cert_file: tls/server.crt
  key_file: tls/server.key
  client_ca_file: tls/monitoring-ca.crt
  client_auth_type: RequireAndVerifyClientCert
  client_allowed_sans: [prometheus.monitoring.svc]
`;

describe('web config over real TLS', function () {
  this.timeout(30_000);

  it('RequireAndVerifyClientCert: only a verified certificate with an allowed SAN gets in', async () => {
    await withWeb(MTLS, async ({ pki, port }) => {
      const ok = await httpsGet(port, '/metrics', {
        ca: pki.ca,
        cert: pki.allowed,
        key: pki.allowedKey,
      });
      assert.equal(ok.status, 200);
      assert.match(ok.body, /^tls_sli_exporter_build_info\{/m);
      const refused: ReadonlyArray<[string, { cert?: Issued; key?: string }]> = [
        ['no client certificate', {}],
        ['a certificate from another CA', { cert: pki.foreign, key: pki.foreignKey }],
        ['a SAN outside client_allowed_sans', { cert: pki.otherSan, key: pki.otherSanKey }],
      ];
      for (const [what, client] of refused) {
        await assert.rejects(httpsGet(port, '/metrics', { ca: pki.ca, ...client }), what);
      }
    });
  });

  const policies: ReadonlyArray<{
    type: string;
    none: boolean;
    foreign: boolean;
    verified: boolean;
  }> = [
    { type: 'NoClientCert', none: true, foreign: true, verified: true },
    { type: 'RequestClientCert', none: true, foreign: true, verified: true },
    { type: 'RequireAnyClientCert', none: false, foreign: true, verified: true },
    { type: 'VerifyClientCertIfGiven', none: true, foreign: false, verified: true },
    { type: 'RequireAndVerifyClientCert', none: false, foreign: false, verified: true },
  ];
  for (const { type, none, foreign, verified } of policies) {
    it(`${type}: without a certificate ${none ? 'in' : 'out'}, foreign CA ${foreign ? 'in' : 'out'}, verified ${verified ? 'in' : 'out'}`, async () => {
      const ca = type === 'NoClientCert' ? '' : '  client_ca_file: tls/monitoring-ca.crt\n';
      const config = `tls_server_config:\n  cert_file: tls/server.crt\n  key_file: tls/server.key\n${ca}  client_auth_type: ${type}\n`;
      await withWeb(config, async ({ pki, port }) => {
        const outcome = async (client: { cert?: Issued; key?: string }): Promise<boolean> =>
          httpsGet(port, '/-/healthy', { ca: pki.ca, ...client }).then(
            (r) => r.status === 200,
            () => false,
          );
        assert.equal(await outcome({}), none, 'without a certificate');
        assert.equal(
          await outcome({ cert: pki.foreign, key: pki.foreignKey }),
          foreign,
          'foreign CA',
        );
        assert.equal(
          await outcome({ cert: pki.allowed, key: pki.allowedKey }),
          verified,
          'verified',
        );
      });
    });
  }

  it('basic auth: 401 with WWW-Authenticate unless the password matches its bcrypt hash', async () => {
    const hash = (await bcrypt.hash('s3cret-pass', 4)).replace(/^\$2b/, '$2y');
    const config = `tls_server_config: {cert_file: tls/server.crt, key_file: tls/server.key}
basic_auth_users:
  prometheus: ${hash}
http_server_config:
  headers: {X-Frame-Options: deny}
`;
    await withWeb(config, async ({ pki, port }) => {
      for (const auth of [undefined, 'prometheus:wrong', 'nobody:s3cret-pass']) {
        const res = await httpsGet(port, '/metrics', { ca: pki.ca, ...(auth ? { auth } : {}) });
        assert.equal(res.status, 401, String(auth));
        assert.equal(res.headers['www-authenticate'], 'Basic');
        assert.doesNotMatch(res.body, /tls_sli_exporter_build_info/);
      }
      // a drill's note takes the same password as every endpoint (and is off here: 403 after it)
      const note = '/-/drill?event=start&fault=plaintext&target=a:1';
      const anonymous = await httpsGet(port, note, { ca: pki.ca, method: 'POST' });
      assert.equal(anonymous.status, 401);
      const authed = await httpsGet(port, note, {
        ca: pki.ca,
        method: 'POST',
        auth: 'prometheus:s3cret-pass',
      });
      assert.equal(authed.status, 403);
      // /probe, answered before express (server/probe-route.ts), under the same password and
      // headers; with it, a probe request that names no target is the endpoint's own 400
      const probe = '/probe?module=nope';
      for (const auth of [undefined, 'prometheus:wrong']) {
        const res = await httpsGet(port, probe, { ca: pki.ca, ...(auth ? { auth } : {}) });
        assert.equal(res.status, 401, String(auth));
        assert.equal(res.headers['www-authenticate'], 'Basic');
        assert.equal(res.headers['x-frame-options'], 'deny');
      }
      const probed = await httpsGet(port, probe, { ca: pki.ca, auth: 'prometheus:s3cret-pass' });
      assert.deepEqual(
        [probed.status, probed.body, probed.headers['x-frame-options']],
        [400, 'target parameter is missing\n', 'deny'],
      );
      for (let i = 0; i < 2; i++) {
        // the second time from the cache of verified passwords
        const ok = await httpsGet(port, '/metrics', { ca: pki.ca, auth: 'prometheus:s3cret-pass' });
        assert.equal(ok.status, 200);
        assert.equal(ok.headers['x-frame-options'], 'deny');
        assert.match(ok.body, /^tls_sli_exporter_build_info\{/m);
      }
    });
  });

  it('the start-up line says TLS, client authentication and basic auth are on', async () => {
    await withTempDir(async (dir) => {
      await mint(dir);
      const file = join(dir, 'web.yml');
      await writeFile(file, MTLS);
      const logs = memoryLogger();
      const exporter = await startOnLoopback(undefined, {
        flags: { 'web.listen-address': '127.0.0.1:0', 'web.config.file': file },
        logSink: logs.sink,
      });
      try {
        const line = logs.records.find((r) => r['msg'] === 'tls-sli-exporter listening');
        assert.equal(line?.['tls'], true);
        assert.equal(line?.['client_auth'], 'RequireAndVerifyClientCert');
        assert.equal(line?.['basic_auth'], false);
      } finally {
        await exporter.stop();
      }
    });
  });

  it('a rotated certificate is served after a reload, without a restart', async () => {
    await withWeb(MTLS, async ({ pki, port, exporter }) => {
      const client = { ca: pki.ca, cert: pki.allowed, key: pki.allowedKey };
      const before = await httpsGet(port, '/-/healthy', client);
      const next = await chain({ names: ['localhost'] });
      await writeFile(
        join(pki.dir, 'tls/server.crt'),
        `${next.leaf.pem}\n${next.intermediate.pem}`,
      );
      await writeFile(join(pki.dir, 'tls/server.key'), await next.leaf.keyPem());
      await exporter.reload();
      const after = await httpsGet(port, '/-/healthy', { ...client, ca: next.root.pem });
      assert.equal(after.status, 200);
      assert.notEqual(after.serial, before.serial);
      // the exporter's own certificate is published, the rotated one once rotated
      const metrics = await httpsGet(port, '/metrics', { ...client, ca: next.root.pem });
      const serial = (after.serial ?? '').toLowerCase().replace(/^0+(?=.)/, '');
      assert.ok(
        (sampleValue(metrics.body, METRICS.certDaysRemaining.name, {
          source: 'serving',
          name: 'web',
          position: 'leaf',
          serial,
        }) ?? 0) > 80,
        metrics.body
          .split('\n')
          .filter((l) => l.includes('serving'))
          .join('\n'),
      );
    });
  });

  it('a web config that fails to reload makes the reload a failure (the gauge says 0), and the running one stays', async () => {
    await withWeb(MTLS, async ({ pki, port, exporter, file }) => {
      const client = { ca: pki.ca, cert: pki.allowed, key: pki.allowedKey };
      await writeFile(file, `${MTLS}bogus: 1\n`);
      const result = await exporter.reload();
      assert.equal(result.ok, false);
      const metrics = await httpsGet(port, '/metrics', client);
      assert.equal(metrics.status, 200, 'the running web config still serves');
      assert.equal(sampleValue(metrics.body, METRICS.configLastReloadSuccessful.name), 0);
      await writeFile(file, MTLS);
      assert.equal((await exporter.reload()).ok, true);
      const fixed = await httpsGet(port, '/metrics', client);
      assert.equal(sampleValue(fixed.body, METRICS.configLastReloadSuccessful.name), 1);
    });
  });

  it('notices changed files by itself, and keeps the running settings when the new file is broken', async () => {
    await withTempDir(async (dir) => {
      await mint(dir);
      const file = join(dir, 'web.yml');
      await writeFile(file, MTLS);
      const logs = memoryLogger();
      const security = new WebSecurity(await loadWebSettings(file), logs.logger);
      await security.watch(60_000);
      try {
        assert.equal(await security.checkForChanges(), false, 'nothing changed yet');
        await writeFile(
          file,
          MTLS.replace('RequireAndVerifyClientCert', 'VerifyClientCertIfGiven'),
        );
        assert.equal(await security.checkForChanges(), true);
        assert.equal(security.settings.tls?.clientAuth, 'VerifyClientCertIfGiven');
        await writeFile(file, `${MTLS}bogus: 1\n`);
        assert.equal(await security.checkForChanges(), false);
        assert.equal(security.settings.tls?.clientAuth, 'VerifyClientCertIfGiven');
        assert.ok(logs.records.some((r) => String(r['msg']).includes('web config reload failed')));
      } finally {
        security.stop();
      }
    });
  });

  it('refuses to start on an unusable web config, naming the key', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'web.yml');
      await writeFile(
        file,
        'tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n',
      );
      await assert.rejects(
        startOnLoopback(undefined, {
          flags: { 'web.listen-address': '127.0.0.1:0', 'web.config.file': file },
        }),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.match(
            err.message,
            /tls_server_config\.cert_file: cannot read .*missing\.crt \(ENOENT\)/,
          );
          return true;
        },
      );
    });
  });
});

describe('web config file checks', () => {
  const cases: ReadonlyArray<[string, string]> = [
    [
      'tls_server_config: {cert_file: a, key_file: b, client_auth_type: Always}\n',
      'tls_server_config.client_auth_type: expected one of NoClientCert, RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert',
    ],
    [
      'tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}\n',
      'tls_server_config.client_ca_file: client_ca_file is required with client_auth_type RequireAndVerifyClientCert',
    ],
    [
      'tls_server_config: {cert_file: a}\n',
      'tls_server_config.key_file: key_file is required for TLS',
    ],
    [
      'tls_server_config: {cert_file: a, key_file: b, client_allowed_sans: [x]}\n',
      'tls_server_config.client_allowed_sans: client_allowed_sans needs a client_auth_type that verifies the certificate',
    ],
    [
      'tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}\n',
      'tls_server_config.min_version: min_version TLS13 is above max_version TLS12',
    ],
    [
      'basic_auth_users:\n  alice: plain-text-password\n',
      'basic_auth_users.alice: expected a bcrypt hash ($2a$, $2b$ or $2y$)',
    ],
    ['http_server_config:\n  headers: {Set-Cookie: x}\n', 'http_server_config.headers.Set-Cookie'],
    [
      'tls_config: {}\n',
      'tls_config: unknown key (valid keys: tls_server_config, http_server_config, basic_auth_users)',
    ],
  ];
  for (const [text, expected] of cases) {
    it(`rejects ${JSON.stringify(text.trim())}`, () => {
      assert.throws(
        () => parseWebConfig(text, 'web.yml'),
        (err: unknown) => {
          assert.ok(err instanceof ConfigError);
          assert.ok(err.message.includes(expected), err.message);
          assert.match(err.message, /^web\.yml:\d+:\d+ /);
          assert.doesNotMatch(err.message, /plain-text-password/, 'a password is never repeated');
          return true;
        },
      );
    });
  }

  it('promtool check web-config and the exporter both accept every shipped example', async () => {
    const examples = (await readdir(EXAMPLES)).filter((f) => f.startsWith('web-config'));
    assert.ok(examples.length >= 2, `examples: ${examples.join(', ')}`);
    await withTempDir(async (dir) => {
      await mint(dir);
      for (const example of examples) {
        await copyFile(join(EXAMPLES, example), join(dir, example));
        const result = spawnSync('promtool', ['check', 'web-config', join(dir, example)], {
          encoding: 'utf8',
        });
        assert.equal(result.error, undefined, 'promtool must be installed');
        assert.equal(result.status, 0, `${example}: ${result.stdout}${result.stderr}`);
        const settings = await loadWebSettings(join(dir, example));
        assert.ok(settings.tls !== undefined, example);
      }
    });
  });
});
