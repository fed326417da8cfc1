// Secrets never leave the process: private keys, PKCS#12 passwords and basic-auth passwords do
// not appear in logs (at debug level, in both formats), /metrics, the status page, /probe or any
// error message. The demo and every error path run here with all output captured, then the
// output is searched for the key material and passwords they used.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startDemo } from '../../src/demo/demo.js';
import { problemsOf } from '../../src/errors.js';
import { startExporter, type RunningExporter } from '../../src/main.js';
import { chain, issue } from '../support/pki.js';
import { httpsGet } from '../support/https.js';
import { tlsServer } from '../support/tls-servers.js';
import { withTempDir } from '../support/tmp.js';

/** Chunks of a PEM key's base64 body: any one of them in the output is a leak. */
function keyChunks(pem: string): string[] {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const chunks: string[] = [];
  for (let i = 0; i + 24 <= body.length; i += 24) chunks.push(body.slice(i, i + 24));
  return chunks;
}

function assertNoLeak(output: string, secrets: readonly string[], where: string): void {
  assert.ok(output.length > 0, `${where}: nothing was captured`);
  for (const secret of secrets) {
    assert.ok(!output.includes(secret), `${where} contains a secret: ${secret.slice(0, 6)}…`);
  }
}

async function fetchText(url: string, init?: RequestInit): Promise<string> {
  const res = await fetch(url, init);
  return `${res.status} ${JSON.stringify([...res.headers])}\n${await res.text()}`;
}

describe('secrets never leave the process', function () {
  this.timeout(60_000);

  it('the demo: its client key appears nowhere in logs, metrics or the status page', async () => {
    const output: string[] = [];
    const demo = await startDemo(
      { 'web.listen-address': '127.0.0.1:0', 'log.level': 'debug' },
      {},
      { write: (line) => output.push(line) },
    );
    let key: string | undefined;
    try {
      key = await readFile(join(demo.dir, 'client.key'), 'utf8');
      await demo.runProbes();
      await demo.pollLogs();
      const url = `http://127.0.0.1:${demo.address.port}`;
      for (const path of ['/metrics', '/', '/api/status', '/status.js'])
        output.push(await fetchText(`${url}${path}`));
      output.push(await fetchText(`${url}/probe?target=127.0.0.1:1&module=mtls`));
    } finally {
      await demo.stop();
    }
    assert.ok(key?.includes('PRIVATE KEY'));
    assertNoLeak(output.join('\n'), keyChunks(key ?? ''), 'the demo');
  });

  it('every error path: wrong passwords, broken keys, broken web and main configs', async () => {
    await withTempDir(async (dir) => {
      const p12Password = 'p12-Secret-7f3a9c';
      const basicPassword = 'basic-Secret-2b8e41';
      const wrongPassword = 'wrong-Secret-c0ffee';
      // a TLS server with mTLS, a client certificate and key for the probe
      const server = await chain({ names: ['localhost', '127.0.0.1'] });
      const clientCa = await issue({ cn: 'Client CA', ca: true });
      const client = await issue({ cn: 'probe', issuer: clientCa, client: true });
      const other = await issue({ cn: 'other' });
      const target = await tlsServer({ chain: [server.leaf, server.intermediate], clientCa });
      const keys = {
        server: await server.leaf.keyPem(),
        client: await client.keyPem(),
        other: await other.keyPem(),
      };
      await writeFile(join(dir, 'ca.pem'), server.root.pem);
      await writeFile(join(dir, 'server.crt'), `${server.leaf.pem}\n${server.intermediate.pem}`);
      await writeFile(join(dir, 'server.key'), keys.server);
      await writeFile(join(dir, 'client.pem'), client.pem);
      await writeFile(join(dir, 'client.key'), keys.client);
      await writeFile(join(dir, 'other.key'), keys.other);
      // PKCS#12 with a password, and a wrong password file
      const p12Leaf = await issue({ cn: 'p12.test', kind: 'rsa2048' });
      const p12Key = await p12Leaf.keyPem();
      await writeFile(join(dir, 'p12.pem'), p12Leaf.pem);
      await writeFile(join(dir, 'p12.key'), p12Key);
      execFileSync('openssl', [
        'pkcs12',
        '-export',
        '-in',
        join(dir, 'p12.pem'),
        '-inkey',
        join(dir, 'p12.key'),
        '-out',
        join(dir, 'store.p12'),
        '-passout',
        `pass:${p12Password}`,
      ]);
      await writeFile(join(dir, 'good-pass'), `${p12Password}\n`);
      await writeFile(join(dir, 'bad-pass'), `${wrongPassword}\n`);
      const hash = await bcrypt.hash(basicPassword, 4);
      const web = join(dir, 'web.yml');
      const webText = `tls_server_config: {cert_file: server.crt, key_file: server.key}\nbasic_auth_users:\n  prometheus: ${hash}\n`;
      await writeFile(web, webText);
      const module = (keyFile: string): string =>
        `{ca_file: ${join(dir, 'ca.pem')}, client_cert_file: ${join(dir, 'client.pem')}, client_key_file: ${keyFile}, expect_client_auth: true, allowed_targets: ['127.0.0.1:*']}`;
      const configOf = (keyFile: string): string =>
        [
          `log: {level: debug, format: json}`,
          `web: {listen_address: '127.0.0.1:0', config_file: ${web}}`,
          `probes:`,
          `  jitter: 0s`,
          `  modules: {m: ${module(keyFile)}}`,
          `  targets: [{name: t, address: '127.0.0.1:${target.port}', server_name: localhost, module: m}]`,
          `cert_files:`,
          `  - {name: good, paths: [${join(dir, 'store.p12')}], password_file: ${join(dir, 'good-pass')}}`,
          `  - {name: bad, paths: [${join(dir, 'store.p12')}], password_file: ${join(dir, 'bad-pass')}}`,
          '',
        ].join('\n');
      const config = join(dir, 'config.yml');
      await writeFile(config, configOf(join(dir, 'client.key')));

      const output: string[] = [];
      const sink = { write: (line: string): void => void output.push(line) };
      let exporter: RunningExporter | undefined;
      try {
        exporter = await startExporter({ configFile: config, flags: {}, env: {}, logSink: sink });
        await exporter.runProbes();
        const port = exporter.address.port;
        const get = async (path: string, auth?: string): Promise<void> => {
          const reply = await httpsGet(port, path, {
            ca: server.root.pem,
            ...(auth ? { auth } : {}),
          });
          output.push(`${reply.status} ${JSON.stringify(reply.headers)}\n${reply.body}`);
        };
        for (const auth of [undefined, `prometheus:${wrongPassword}`, `nobody:${basicPassword}`])
          await get('/metrics', auth);
        const ok = `prometheus:${basicPassword}`;
        for (const path of [
          '/metrics',
          '/',
          '/api/status',
          `/probe?target=127.0.0.1:${target.port}&module=m&server_name=localhost`,
        ])
          await get(path, ok);
        // reload with a key that does not match the certificate: refused, old config kept
        await writeFile(config, configOf(join(dir, 'other.key')));
        output.push(JSON.stringify(await exporter.reload()));
        // a web config that carries a password where a hash belongs: refused, kept (the web
        // config is re-read by a reload the config itself does not refuse)
        await writeFile(config, configOf(join(dir, 'client.key')));
        await writeFile(web, `basic_auth_users:\n  prometheus: ${basicPassword}\n`);
        output.push(JSON.stringify(await exporter.reload()));
        await writeFile(web, webText);
        await get('/metrics', ok);
      } finally {
        await exporter?.stop();
        await target.stop();
      }
      // a start that fails on the same broken web config: the error message
      await writeFile(web, `basic_auth_users:\n  prometheus: ${basicPassword}\n`);
      try {
        await startExporter({ configFile: config, flags: {}, env: {}, logSink: sink });
        assert.fail('a broken web config must stop the start');
      } catch (err) {
        output.push(...problemsOf(err));
      }
      const all = output.join('\n');
      // the paths exercised did show up: the test looked where secrets could leak
      assert.match(all, /pkcs12_password/);
      assert.match(all, /web config reload failed/);
      assert.match(all, /expected a bcrypt hash/);
      assert.match(all, /tls_probe_success\{name="t"\} 1/);
      assertNoLeak(
        all,
        [
          p12Password,
          basicPassword,
          wrongPassword,
          ...keyChunks(keys.server),
          ...keyChunks(keys.client),
          ...keyChunks(keys.other),
          ...keyChunks(p12Key),
        ],
        'error paths',
      );
    });
  });
});
