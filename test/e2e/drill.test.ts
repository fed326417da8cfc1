// `drill` end to end, real parts throughout: a Node TLS server requiring client certificates on
// 127.0.0.1, standing in for Envoy with the listener log it writes from its real TLS events
// (src/demo/tls-event-log.ts: one envoy_listener_json line per connection, BoringSSL's failure
// texts; its limits are in that file's header); the built exporter tailing that log; the built
// CLI's `drill`; a real Prometheus with the shipped rules (only `for:` shortened). Every fault is
// injected and seen with its reason; a server that wrongly accepts is reported; a pipeline that
// does not read the log fails the drill; a target outside the allow-list is refused untouched.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type TlsOptions } from 'node:tls';
import { stringify } from 'yaml';
import { issue, type Issued } from '../../src/certs/mint.js';
import { DRILL_FAULTS } from '../../src/domain/drill-words.js';
import { logTlsEvents } from '../../src/demo/tls-event-log.js';
import { startAlertingStack, type AlertingStack } from '../support/alerting-stack.js';
import { BIN, startServing, type CliProcess } from '../support/cli-process.js';
import { sampleValue } from '../support/exposition.js';
import { localize, shippedBlock } from '../support/shipped.js';
import { until } from '../support/until.js';

interface DrillRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function exec(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<DrillRun> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const runCli = (args: readonly string[]): Promise<DrillRun> =>
  exec(process.execPath, [BIN, ...args]);

interface FaultRow {
  readonly fault: string;
  readonly sent: number;
  readonly expected: number;
  readonly counted: number;
  readonly verdict: string;
  readonly answered: string;
  readonly note?: string;
}
interface Report {
  readonly ok: boolean;
  readonly faults: readonly FaultRow[];
  readonly alert?: { readonly state: string };
}

describe('end to end: drill', function () {
  this.timeout(300_000);
  let dir = '';
  const servers: Server[] = [];
  let exporter: (CliProcess & { url: string }) | undefined;
  let stack: AlertingStack | undefined;
  let clientCa: Issued;
  let mtlsPort = 0;
  let oneWayPort = 0;
  let unloggedPort = 0;
  let logged = 0;

  async function tlsServer(
    options: TlsOptions,
    log: string,
    clientCert: 'require' | 'none' = 'require',
  ): Promise<number> {
    const server = createServer(options, (socket) => {
      socket.on('error', () => undefined);
      socket.resume();
    });
    server.on('tlsClientError', () => undefined);
    logTlsEvents(
      server,
      (line) => {
        logged += 1;
        appendFileSync(log, `${line}\n`);
      },
      clientCert,
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return (server.address() as AddressInfo).port;
  }

  before(async function () {
    this.timeout(120_000);
    dir = await mkdtemp(join(tmpdir(), 'tls-sli-drill-'));
    const root = await issue({ cn: 'Drill Root', ca: true });
    const leaf = await issue({ cn: 'edge.drill.test', dns: ['edge.drill.test'], issuer: root });
    clientCa = await issue({ cn: 'Drill Client CA', ca: true });
    const client = await issue({ cn: 'filebeat', issuer: clientCa, client: true });
    await writeFile(join(dir, 'root.pem'), root.pem);
    await writeFile(join(dir, 'client.pem'), client.pem);
    await writeFile(join(dir, 'client.key'), await client.keyPem());
    await writeFile(join(dir, 'client-ca.pem'), clientCa.pem);
    await writeFile(join(dir, 'client-ca.key'), await clientCa.keyPem());
    const serving = { cert: leaf.pem, key: await leaf.keyPem() };
    const listener = join(dir, 'listener.log');
    await writeFile(listener, '');
    // mTLS as the stand-in enforces it (it refuses after the handshake, and logs it)
    mtlsPort = await tlsServer(
      { ...serving, ca: clientCa.pem, requestCert: true, rejectUnauthorized: false },
      listener,
    );
    // one-way TLS where mTLS was wanted: accepts a client without a certificate
    oneWayPort = await tlsServer(serving, listener, 'none');
    // a server whose log nobody tails: the pipeline is broken for it
    unloggedPort = await tlsServer(
      { ...serving, ca: clientCa.pem, requestCert: true, rejectUnauthorized: false },
      join(dir, 'elsewhere.log'),
    );
    const module = {
      ca_file: join(dir, 'root.pem'),
      client_cert_file: join(dir, 'client.pem'),
      client_key_file: join(dir, 'client.key'),
      timeout: '3s',
    };
    await writeFile(
      join(dir, 'config.yml'),
      stringify({
        access_logs: [
          { name: 'edge', path: listener, format: 'envoy_listener_json', poll_interval: '100ms' },
        ],
        probes: {
          // probed once at start, then not for a year: only the drill's handshakes reach the
          // servers while the tests count them
          schedule: '0 0 0 1 1 *',
          modules: { mtls: module, mtls_lab: { ...module, allowed_targets: ['127.0.0.1:*'] } },
          targets: [
            {
              name: 'edge',
              address: `127.0.0.1:${mtlsPort}`,
              server_name: 'edge.drill.test',
              module: 'mtls',
            },
          ],
        },
      }),
    );
    // drill notes on: the drill tells the exporter's log what it injects
    exporter = await startServing([
      `--config.file=${join(dir, 'config.yml')}`,
      '--web.enable-drill-notes',
    ]);
    // the probe at start done and its handshake logged: from here on only drills reach the servers
    const url = `${exporter.url}/metrics`;
    await until(
      async () =>
        logged > 0 &&
        sampleValue(await (await fetch(url)).text(), 'tls_probe_last_run_timestamp_seconds', {
          name: 'edge',
        }) !== undefined
          ? true
          : undefined,
      'the probe at start',
      30_000,
    );
    stack = await startAlertingStack(dir, exporter.url);
  });

  after(async function () {
    this.timeout(60_000);
    exporter?.child.kill('SIGTERM');
    if (exporter) await exporter.exited;
    await stack?.stop();
    for (const s of servers) await new Promise<void>((r) => s.close(() => r()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const drill = (target: string, ...args: string[]): Promise<DrillRun> =>
    runCli([
      'drill',
      target,
      `--config.file=${join(dir, 'config.yml')}`,
      '--rate=5',
      '--duration=1s',
      '--settle=15s',
      '--output=json',
      ...args,
    ]);

  it('every fault is injected and seen with its reason (counters from /metrics)', async () => {
    const before = logged;
    const run = await drill(
      'edge',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
      `--client-ca-cert=${join(dir, 'client-ca.pem')}`,
      `--client-ca-key=${join(dir, 'client-ca.key')}`,
    );
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 0, run.stderr);
    assert.equal(report.ok, true);
    // never more than rate x duration per fault: 6 faults x 5 handshakes, one log line each
    assert.equal(logged - before, 30);
    assert.deepEqual(
      report.faults.map((f) => [f.fault, f.sent, f.counted >= f.expected, f.verdict]),
      [
        ['no_client_cert', 5, true, 'seen'],
        ['untrusted_client_cert', 5, true, 'seen'],
        ['expired_client_cert', 5, true, 'seen'],
        ['wrong_sni', 5, true, 'seen'],
        ['old_protocol', 5, true, 'seen'],
        ['plaintext', 5, true, 'seen'],
      ],
    );
    // what the server answered, as the client met it
    const answered = new Map(report.faults.map((f) => [f.fault, f.answered]));
    assert.match(answered.get('old_protocol') ?? '', /^alert: protocol version/);
    assert.match(answered.get('no_client_cert') ?? '', /^closed: closed after the handshake/);
    // the reasons the exporter counted, per fault, read back from its own metrics
    const metrics = await (await fetch(`${exporter?.url ?? ''}/metrics`)).text();
    for (const reason of [
      'no_client_cert',
      'cert_expired',
      'unknown_ca',
      'protocol_version',
      'not_tls',
    ])
      assert.match(
        metrics,
        new RegExp(`tls_handshake_failures_total\\{[^}]*reason="${reason}"[^}]*\\} [1-9]`),
        reason,
      );
    // the wrong name (under .invalid) never looks like a label limit to raise: no fold, so no
    // TLSSLIExporterLabelOverflow after a drill
    assert.match(metrics, /^tls_sli_exporter_label_values_folded_total\{label="server_name"\} 0$/m);
    // the server answered the wrong name with its certificate: noted, and the exit status stays 0
    const wrong = report.faults.find((f) => f.fault === 'wrong_sni');
    assert.match(wrong?.answered ?? '', /^accepted/);
    assert.match(wrong?.note ?? '', /a name it does not serve/);
    // the drill's own lines, and the exporter's log (told by POST /-/drill), explain the spike
    assert.match(run.stderr, /drill: injecting a handshake without a client certificate/);
    assert.equal((report as Report & { exporterLog?: string }).exporterLog, 'told');
    const told = (exporter?.logs ?? []).filter((l) => String(l['drill']) === 'plaintext');
    assert.deepEqual(
      told.map((l) => [l.level, l.msg]),
      [
        [
          'warn',
          `drill: plaintext injected against 127.0.0.1:${mtlsPort}: the TLS failures that follow are a test`,
        ],
        ['warn', `drill: plaintext against 127.0.0.1:${mtlsPort} ended`],
      ],
    );
  });

  it('a server that accepts what it should refuse is a finding (exit 1)', async () => {
    const run = await drill(
      `127.0.0.1:${oneWayPort}`,
      '--module=mtls_lab',
      '--server-name=edge.drill.test',
      '--faults=no_client_cert',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
      '--settle=2s',
    );
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 1);
    assert.equal(report.faults[0]?.verdict, 'accepted');
    assert.match(report.faults[0]?.answered ?? '', /^accepted/);
  });

  it('a pipeline that does not read the log fails the drill (exit 1, unseen)', async () => {
    const run = await drill(
      `127.0.0.1:${unloggedPort}`,
      '--module=mtls_lab',
      '--server-name=edge.drill.test',
      '--faults=no_client_cert,plaintext',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
      '--settle=3s',
    );
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 1);
    assert.deepEqual(
      report.faults.map((f) => [f.fault, f.counted, f.verdict]),
      [
        ['no_client_cert', 0, 'unseen'],
        ['plaintext', 0, 'unseen'],
      ],
    );
    const table = await drill(
      `127.0.0.1:${unloggedPort}`,
      '--module=mtls_lab',
      '--faults=plaintext',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
      '--settle=1s',
      '--output=table',
    );
    assert.match(table.stdout, /plaintext .* UNSEEN/);
    assert.match(table.stdout, /NOT every fault was seen/);
  });

  it('refuses a target outside the allow-list and sends nothing (exit 2)', async () => {
    const before = logged;
    const run = await drill(
      `127.0.0.1:${oneWayPort}`,
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /not a configured target, nor allowed/);
    assert.equal(logged, before, 'no connection reached a server');
  });

  it('--dry-run prints the plan and sends nothing; the caps hold', async () => {
    const before = logged;
    const dry = await drill('edge', '--dry-run', `--metrics-url=${exporter?.url ?? ''}/metrics`);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /no_client_cert: 5 handshakes at 5\/s/);
    assert.equal(logged, before);
    const tooFast = await drill(
      'edge',
      '--rate=50',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
    );
    assert.equal(tooFast.code, 2);
    assert.match(tooFast.stderr, /--rate: expected handshakes per second in \(0, 10\]/);
    const tooLong = await drill(
      'edge',
      '--duration=1h',
      `--metrics-url=${exporter?.url ?? ''}/metrics`,
    );
    assert.equal(tooLong.code, 2);
    assert.match(tooLong.stderr, /--duration/);
    assert.equal(logged, before);
  });

  it('with Prometheus: the faults are seen in the deployed job and the burn-rate alert goes pending', async () => {
    const run = await drill(
      'edge',
      `--prometheus-url=${stack?.prometheus.url ?? ''}`,
      '--faults=no_client_cert,untrusted_client_cert',
      '--rate=10',
      '--duration=2s',
      '--settle=30s',
    );
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      report.faults.map((f) => f.verdict),
      ['seen', 'seen'],
    );
    assert.ok(
      report.alert?.state === 'pending' || report.alert?.state === 'firing',
      JSON.stringify(report.alert),
    );
  });

  it('the stand-in log holds one line per connection, in the listener preset', async () => {
    const lines = (await readFile(join(dir, 'listener.log'), 'utf8')).trim().split('\n');
    assert.ok(lines.length > 0);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      assert.equal(record['log_type'], 'listener');
      assert.ok(
        record['tls_version'] !== null ||
          String(record['transport_failure_reason']).startsWith('TLS_error:|'),
        line,
      );
    }
  });
});

describe('end to end: drill against the demo', function () {
  this.timeout(120_000);
  let demo: (CliProcess & { url: string }) | undefined;

  after(async () => {
    demo?.child.kill('SIGTERM');
    if (demo) await demo.exited;
  });

  it("the README's drill of the demo, as written: audit-gateway shows every fault seen", async () => {
    demo = await startServing(['--demo']);
    const running = await demo.waitForLog((l) => l.msg.startsWith('demo running'));
    const dir = String(running['dir']);
    // the block as shipped; only the demo's address is this test's (it listens on port 0)
    const block = localize(await shippedBlock('README.md', '## Drills: would we notice?', 'sh'), {
      'http://127.0.0.1:10087': demo.url,
    });
    // `tls-sli-exporter` on the PATH is the built CLI, as after an install
    const bin = await mkdtemp(join(tmpdir(), 'tls-sli-bin-'));
    await writeFile(
      join(bin, 'tls-sli-exporter'),
      `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const run = await exec('sh', ['-c', block], {
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      DEMO_DIR: dir,
    });
    await rm(bin, { recursive: true, force: true });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    for (const fault of DRILL_FAULTS)
      // the demo answers any name with its certificate: wrong_sni is seen, its acceptance noted
      assert.match(
        run.stdout,
        new RegExp(`^${fault} .* SEEN${fault === 'wrong_sni' ? ', accepted: noted' : ''}$`, 'm'),
        run.stdout,
      );
    assert.match(run.stdout, /every fault was seen by the monitoring/);
  });
});
