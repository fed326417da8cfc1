// The embedded demo, as a newcomer runs it: the built CLI with no config file.
import { strict as assert } from 'node:assert';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { spawnCli, startServing } from '../support/cli-process.js';
import { sampleValue } from '../support/exposition.js';
import { withTempDir } from '../support/tmp.js';

describe('the embedded demo (no config file)', function () {
  this.timeout(60_000);

  it('shows every state within seconds, and Ctrl-C removes its files', async () => {
    const demo = await startServing([]);
    try {
      const running = await demo.waitForLog((l) => String(l.msg).startsWith('demo running'));
      const dir = String(running['dir']);
      let text = '';
      for (let i = 0; i < 80; i++) {
        text = await (await fetch(`${demo.url}/metrics`)).text();
        const ready =
          ['payments-api', 'audit-gateway', 'elasticsearch'].every(
            (name) =>
              sampleValue(text, 'tls_cert_days_remaining', { name, position: 'leaf' }) !==
              undefined,
          ) &&
          sampleValue(text, 'tls_ocsp_status', { name: 'orders' }) !== undefined &&
          sampleValue(text, 'tls_client_auth_enforced', { name: 'chat-api' }) !== undefined &&
          sampleValue(text, 'tls_client_auth_enforced', { name: 'audit-gateway' }) !== undefined &&
          (sampleValue(text, 'tls_handshake_success_total', { server_name: 'chat.demo' }) ?? 0) > 0;
        if (ready) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const days = (name: string): number =>
        sampleValue(text, 'tls_cert_days_remaining', { source: 'probe', name, position: 'leaf' }) ??
        NaN;
      assert.ok(
        days('payments-api') > 2.9 && days('payments-api') <= 3,
        `payments-api ${days('payments-api')}`,
      );
      assert.ok(days('audit-gateway') > 19.9 && days('audit-gateway') <= 20);
      assert.ok(days('elasticsearch') > 89.9 && days('elasticsearch') <= 90);
      assert.equal(sampleValue(text, 'tls_client_auth_enforced', { name: 'chat-api' }), 0);
      assert.equal(sampleValue(text, 'tls_client_auth_enforced', { name: 'audit-gateway' }), 1);
      assert.equal(sampleValue(text, 'tls_ocsp_status', { name: 'orders' }), 1);
      assert.ok(
        (sampleValue(text, 'tls_handshake_failures_total', {
          server_name: 'chat.demo',
          reason: 'no_client_cert',
        }) ?? 0) > 0,
      );
      assert.ok(
        sampleValue(text, 'tls_cert_not_after_timestamp_seconds', { source: 'file' }) !== undefined,
      );
      assert.ok(
        sampleValue(text, 'tls_cert_not_after_timestamp_seconds', {
          source: 'client_cert',
          name: 'mtls',
        }) !== undefined,
      );
      demo.child.kill('SIGINT');
      assert.equal((await demo.exited).code, 0);
      await assert.rejects(access(dir), /ENOENT/, 'the demo left its directory behind');
    } finally {
      // also on failure: a graceful stop, so the demo removes its files
      if (demo.child.exitCode === null) {
        demo.child.kill('SIGTERM');
        await demo.exited;
      }
    }
  });

  it('--demo starts the demo even with a config file in the environment; with --config.file it is a usage error', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'c.yml'), '');
      const demo = await startServing(['--demo'], {
        TLS_SLI_EXPORTER_CONFIG_FILE: join(dir, 'c.yml'),
      });
      try {
        await demo.waitForLog((l) => String(l.msg).startsWith('demo running'));
      } finally {
        demo.child.kill('SIGTERM');
        await demo.exited;
      }
      const both = spawnCli(['--demo', `--config.file=${join(dir, 'c.yml')}`]);
      assert.equal((await both.exited).code, 2);
    });
  });

  it('any config file turns the demo off', async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'c.yml'), '');
      const plain = await startServing([`--config.file=${join(dir, 'c.yml')}`]);
      try {
        assert.ok(!plain.logs.some((l) => String(l.msg).startsWith('demo running')));
        const text = await (await fetch(`${plain.url}/metrics`)).text();
        assert.equal(sampleValue(text, 'tls_cert_days_remaining'), undefined);
      } finally {
        plain.child.kill('SIGTERM');
        await plain.exited;
      }
    });
  });
});
