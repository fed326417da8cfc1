// `tls-sli-exporter probe` as a child process against real servers.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, assertBuilt } from '../../support/cli-process.js';
import { chain, issue } from '../../support/pki.js';
import { tlsServer } from '../../support/tls-servers.js';
import { withTempDir } from '../../support/tmp.js';

const run = promisify(execFile);

async function probe(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  assertBuilt();
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'probe', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the probe command', function () {
  this.timeout(20_000);

  it('prints the key-exchange group; --key-exchange-groups refuses another one (exit 1)', async () => {
    await withTempDir(async (dir) => {
      const c = await chain();
      await writeFile(join(dir, 'ca.pem'), c.root.pem);
      const server = await tlsServer({ chain: [c.leaf, c.intermediate], ecdhCurve: 'prime256v1' });
      try {
        const base = [
          `127.0.0.1:${server.port}`,
          '--server-name',
          'localhost',
          '--ca-file',
          join(dir, 'ca.pem'),
        ];
        const any = await probe(base);
        assert.match(any.stdout, /Handshake\s+OK\s+TLSv1\.3 \S+ P-256/);
        const strict = await probe([...base, '--key-exchange-groups', 'X25519, X25519MLKEM768']);
        assert.equal(strict.code, 1, strict.stdout + strict.stderr);
        assert.match(
          strict.stdout,
          /Result\s+FAILED: key_exchange_not_allowed, refused by the probe \(what the server sent fails a check\): the server chose key exchange P-256, not one of key_exchange_groups \(X25519, X25519MLKEM768\)/,
        );
      } finally {
        await server.stop();
      }
    });
  });

  it('exit 0 and a report for a healthy mTLS endpoint; exit 1 when client auth is not enforced', async () => {
    await withTempDir(async (dir) => {
      const c = await chain({ leaf: { notAfterDays: 5 } });
      const clientCa = await issue({ cn: 'Client CA', ca: true });
      const client = await issue({ cn: 'cli-client', issuer: clientCa, client: true });
      await writeFile(join(dir, 'ca.pem'), c.root.pem);
      await writeFile(join(dir, 'client.pem'), client.pem);
      await writeFile(join(dir, 'client.key'), await client.keyPem());
      const base = [
        '--server-name',
        'localhost',
        '--ca-file',
        join(dir, 'ca.pem'),
        '--cert',
        join(dir, 'client.pem'),
        '--key',
        join(dir, 'client.key'),
        '--expect-client-auth',
      ];
      const enforced = await tlsServer({ chain: [c.leaf, c.intermediate], clientCa });
      const lax = await tlsServer({ chain: [c.leaf, c.intermediate], clientCa, requestOnly: true });
      try {
        const good = await probe([`127.0.0.1:${enforced.port}`, ...base]);
        assert.match(good.stdout, /Client auth enforced/);
        assert.match(good.stdout, /leaf\s+CN=localhost .* 5\.0 days\s+RED/);
        assert.match(good.stdout, /Result\s+SUCCESS/);
        // every check passed, but a certificate in the red is not a clean bill: exit 1
        assert.match(good.stdout, /Expiry\s+RED: leaf CN=localhost expires in 5\.0 days/);
        assert.equal(good.code, 1, good.stdout + good.stderr);
        const bad = await probe([`127.0.0.1:${lax.port}`, ...base]);
        assert.equal(bad.code, 1);
        assert.match(bad.stdout, /Client auth NOT enforced/);
        assert.match(bad.stdout, /Result\s+FAILED: client_auth_not_enforced, refused by the probe/);
        // the server's verdict on a client certificate from a CA it does not trust
        const stranger = await issue({ cn: 'Stranger CA', ca: true });
        const other = await issue({ cn: 'cli-other', issuer: stranger, client: true });
        await writeFile(join(dir, 'other.pem'), other.pem);
        await writeFile(join(dir, 'other.key'), await other.keyPem());
        const refused = await probe([
          `127.0.0.1:${enforced.port}`,
          ...base.slice(0, 4),
          '--cert',
          join(dir, 'other.pem'),
          '--key',
          join(dir, 'other.key'),
        ]);
        assert.equal(refused.code, 1);
        assert.match(refused.stdout, /Result\s+FAILED: \w+, refused by the server/);
      } finally {
        await enforced.stop();
        await lax.stop();
      }
    });
  });

  it('--module takes the module of --config.file as written there (its timeout too)', async () => {
    await withTempDir(async (dir) => {
      const c = await chain();
      await writeFile(join(dir, 'ca.pem'), c.root.pem);
      await writeFile(
        join(dir, 'config.yml'),
        `probes:\n  modules:\n    strict: {ca_file: ${join(dir, 'ca.pem')}, timeout: 3s}\n`,
      );
      // a server that sends its root too: the root is still listed once
      const server = await tlsServer({ chain: [c.leaf, c.intermediate, c.root] });
      try {
        const run = await probe([
          `127.0.0.1:${server.port}`,
          '--module',
          'strict',
          `--config.file=${join(dir, 'config.yml')}`,
          '--server-name',
          'localhost',
        ]);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.match(run.stdout, /Result\s+SUCCESS/);
        assert.equal(run.stdout.match(/^\s+root\s/gm)?.length, 1, run.stdout);
      } finally {
        await server.stop();
      }
    });
  });

  it('bad arguments: exit 2 with the reason', async () => {
    const r = await probe(['127.0.0.1:1', '--ocsp', 'maybe']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ocsp: expected "off", "request" or "require", got "maybe"/);
    const nohost = await probe(['no-port']);
    assert.equal(nohost.code, 2);
    assert.match(nohost.stderr, /expected host:port/);
  });
});
