import { strict as assert } from 'node:assert';
import { execFile, spawnSync } from 'node:child_process';
import bcrypt from 'bcryptjs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { METRICS } from '../../src/metrics/catalog.js';
import { buildInfo } from '../../src/version.js';
import { BIN, assertBuilt, spawnCli, startServing } from '../support/cli-process.js';
import { sampleValue } from '../support/exposition.js';
import { withTempDir } from '../support/tmp.js';

const run = promisify(execFile);
const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  assertBuilt();
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { PATH: process.env['PATH'], ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

describe('the built CLI as a child process', () => {
  it('--version prints the package version', async () => {
    const { code, stdout } = await cli(['--version']);
    assert.equal(code, 0);
    assert.equal(stdout.trim(), buildInfo().version);
  });

  it('serves /metrics with build info, and SIGTERM exits 0 and releases the port', async () => {
    const proc = await startServing();
    const body = await scrape(proc.url);
    assert.equal(sampleValue(body, METRICS.buildInfo.name, { version: buildInfo().version }), 1);
    assert.doesNotMatch(body, /revision=""/);
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    assert.deepEqual(exit, { code: 0, signal: null });
    const port = Number(new URL(proc.url).port);
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', resolve);
    });
    probe.close();
  });

  it('reads the config file from TLS_SLI_EXPORTER_CONFIG_FILE and the flag beats the file', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'c.yml');
      await writeFile(file, 'web:\n  telemetry_path: /from-file\n');
      const proc = await startServing([], { TLS_SLI_EXPORTER_CONFIG_FILE: file });
      try {
        assert.equal((await fetch(`${proc.url}/from-file`)).status, 200);
      } finally {
        proc.child.kill('SIGTERM');
        await proc.exited;
      }
      const withFlag = await startServing(['--web.telemetry-path=/from-flag'], {
        TLS_SLI_EXPORTER_CONFIG_FILE: file,
      });
      try {
        assert.equal((await fetch(`${withFlag.url}/from-flag`)).status, 200);
        assert.equal((await fetch(`${withFlag.url}/from-file`)).status, 404);
      } finally {
        withFlag.child.kill('SIGTERM');
        await withFlag.exited;
      }
    });
  });

  it('SIGHUP with a broken file keeps serving and sets the gauge to 0; a fixed file recovers', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'c.yml');
      await writeFile(file, 'log:\n  level: info\n');
      const proc = await startServing([`--config.file=${file}`]);
      try {
        await writeFile(file, 'log:\n  level: [\n');
        proc.child.kill('SIGHUP');
        await proc.waitForLog((l) => l.msg === 'config reload failed; keeping the running config');
        assert.equal(
          sampleValue(await scrape(proc.url), METRICS.configLastReloadSuccessful.name),
          0,
        );
        await writeFile(file, 'log:\n  level: debug\n');
        proc.child.kill('SIGHUP');
        await proc.waitForLog((l) => l.msg === 'config reloaded');
        assert.equal(
          sampleValue(await scrape(proc.url), METRICS.configLastReloadSuccessful.name),
          1,
        );
      } finally {
        proc.child.kill('SIGTERM');
        assert.equal((await proc.exited).code, 0);
      }
    });
  });

  it('a port in use: one clear log line and exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const proc = spawnCli([`--web.listen-address=127.0.0.1:${port}`, '--log.format=json']);
      const exit = await proc.exited;
      assert.equal(exit.code, 1);
      const errors = proc.logs.filter((l) => l.level === 'error');
      assert.equal(errors.length, 1);
      assert.equal(
        errors[0]?.['err'],
        `cannot listen on 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      blocker.close();
    }
  });

  it('an invalid flag value stops the start and names the flag', async () => {
    const proc = spawnCli([
      '--web.listen-address=127.0.0.1:0',
      '--log.format=json',
      '--web.telemetry-path=nope',
    ]);
    assert.equal((await proc.exited).code, 1);
    assert.match(proc.stderr(), /--web\.telemetry-path: expected a path starting with/);
  });

  it('an invalid config file at start: every problem logged, exit 1', async () => {
    const proc = spawnCli([
      '--web.listen-address=127.0.0.1:0',
      '--log.format=json',
      `--config.file=${join(FIXTURES, 'invalid-multiple.yml')}`,
    ]);
    assert.equal((await proc.exited).code, 1);
    assert.equal(proc.logs.filter((l) => l.msg === 'cannot start').length, 5);
  });

  it('hash-password: a bcrypt hash of the first line of stdin, which basic auth accepts', async () => {
    const run = spawnSync(process.execPath, [BIN, 'hash-password'], {
      input: 's3cret-pass\n',
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const hash = run.stdout.trim();
    assert.match(hash, /^\$2[aby]\$10\$/);
    assert.equal(await bcrypt.compare('s3cret-pass', hash), true);
    const empty = spawnSync(process.execPath, [BIN, 'hash-password'], {
      input: '',
      encoding: 'utf8',
    });
    assert.equal(empty.status, 2);
  });

  it("generate takes the objective from --config.file's slo.objective; --objective wins; a missing file is a usage error", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, 'c.yml'), 'slo:\n  objective: 0.995\n');
      const budgets = async (out: string, ...flags: string[]): Promise<string[]> => {
        const { code, stderr } = await cli(['generate', '--dir', join(dir, out), ...flags]);
        assert.equal(code, 0, stderr);
        const rules = await readFile(join(dir, out, 'alerts', 'tls-sli.rules.yml'), 'utf8');
        // the burn-rate thresholds are factor x (1 - objective)
        return [...new Set([...rules.matchAll(/\(14\.4 \* ([0-9.]+)\)/g)].map((m) => m[1] ?? ''))];
      };
      assert.deepEqual(await budgets('from-config', `--config.file=${join(dir, 'c.yml')}`), [
        '0.00500000',
      ]);
      assert.deepEqual(
        await budgets('flag-wins', `--config.file=${join(dir, 'c.yml')}`, '--objective', '0.99'),
        ['0.0100000'],
      );
      assert.deepEqual(await budgets('default'), ['0.00100000']);
      const missing = await cli(['generate', '--dir', dir, `--config.file=${join(dir, 'no.yml')}`]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /no\.yml cannot read the file \(ENOENT\)/);
    });
  });

  it('generate --lang: only the languages asked for, the rest of the set once; an unknown language is refused', async () => {
    await withTempDir(async (dir) => {
      const written = async (out: string, ...flags: string[]): Promise<string[]> => {
        const { code, stdout, stderr } = await cli(['generate', '--dir', join(dir, out), ...flags]);
        assert.equal(code, 0, stderr);
        return stdout
          .split('\n')
          .filter((l) => /^wrote (alerts\/tls-sli\.rules|dashboards\/)/.test(l))
          .map((l) => l.slice('wrote '.length))
          .sort();
      };
      assert.deepEqual(await written('zh', '--lang', 'zh-CN'), [
        'alerts/tls-sli.rules.zh-CN.yml',
        'dashboards/tls-sli.zh-CN.json',
      ]);
      const zhRules = await readFile(join(dir, 'zh', 'alerts', 'tls-sli.rules.zh-CN.yml'), 'utf8');
      assert.match(zhRules, /summary: 证书 CN=/);
      assert.match(zhRules, /docs\/runbook\.zh-CN\.md#tlscertificateexpired/);
      // the Kubernetes kit is written whatever the languages (in English)
      await readFile(join(dir, 'zh', 'deploy', 'kubernetes', 'base', 'kustomization.yaml'), 'utf8');
      assert.deepEqual(await written('both'), [
        'alerts/tls-sli.rules.yml',
        'alerts/tls-sli.rules.zh-CN.yml',
        'dashboards/tls-sli.grafana-com.json',
        'dashboards/tls-sli.json',
        'dashboards/tls-sli.zh-CN.json',
      ]);
      const bad = await cli(['generate', '--dir', dir, '--lang', 'fr']);
      assert.equal(bad.code, 2);
      assert.match(
        bad.stderr,
        /--lang: expected en, zh-CN or a comma-separated list of them, got "fr"/,
      );
    });
  });

  describe('check-config', () => {
    it('a file that parses but names files that are not there: exit 1 with each one at file:line:column and its key', async () => {
      await withTempDir(async (dir) => {
        const file = join(dir, 'c.yml');
        await writeFile(
          file,
          [
            'probes:',
            '  modules:',
            `    m: {ca_file: ${join(dir, 'missing-ca.pem')}}`,
            'cert_files:',
            `  - {name: p12, paths: ['${dir}'], password_file: ${join(dir, 'missing.pass')}}`,
            'web:',
            `  config_file: ${join(dir, 'missing-web.yml')}`,
            '',
          ].join('\n'),
        );
        const { code, stderr } = await cli(['check-config', file]);
        assert.equal(code, 1, stderr);
        assert.deepEqual(stderr.trim().split('\n'), [
          `${file}:3:9 probes.modules.m.ca_file: cannot read ${join(dir, 'missing-ca.pem')} (ENOENT)`,
          `${file}:5:${"  - {name: p12, paths: ['".length + dir.length + "'], ".length + 1} cert_files[0].password_file: cannot read ${join(dir, 'missing.pass')} (ENOENT)`,
          `${file}:7:3 web.config_file: cannot read ${join(dir, 'missing-web.yml')} (ENOENT)`,
          `${file}: FAILED`,
        ]);
        // a value a flag set is not placed at the file's key
        const flagged = await cli([
          'check-config',
          file,
          `--web.config.file=${join(dir, 'other-web.yml')}`,
        ]);
        assert.match(
          flagged.stderr,
          /^web\.config_file: cannot read .*other-web\.yml \(ENOENT\) \(set by a flag or the environment\)$/m,
        );
      });
    });

    it('a valid file: exit 0 and OK', async () => {
      const file = join(FIXTURES, 'valid-full.yml');
      const { code, stdout } = await cli(['check-config', file]);
      assert.equal(code, 0);
      assert.equal(stdout, `${file}: OK\n`);
    });

    it('a broken file: exit 1 with every problem, path and line', async () => {
      const file = join(FIXTURES, 'invalid-multiple.yml');
      const { code, stderr } = await cli(['check-config', file]);
      assert.equal(code, 1);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 6);
      assert.equal(
        lines[2],
        `${file}:5:3 log.level: expected "debug", "info", "warn" or "error", got "trace"`,
      );
      assert.equal(lines[5], `${file}: FAILED`);
    });

    it('takes the file from --config.file as well', async () => {
      const file = join(FIXTURES, 'invalid-log-level.yml');
      const { code, stderr } = await cli(['--config.file', file, 'check-config']);
      assert.equal(code, 1);
      assert.match(stderr, /invalid-log-level\.yml:2:3 log\.level:/);
    });

    it('no file at all: usage error, exit 2', async () => {
      const { code, stderr } = await cli(['check-config']);
      assert.equal(code, 2);
      assert.match(stderr, /give a file, or --config\.file, or TLS_SLI_EXPORTER_CONFIG_FILE/);
    });
  });
});
