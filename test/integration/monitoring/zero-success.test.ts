// The worst case shown as it is: a server name whose every handshake fails has no success series,
// and a ratio that divides the success counter by the total has no value for it. Prometheus's own
// engine (promtool test rules) evaluates the shipped recording rules and every success-ratio query
// of the board, with Grafana's variables filled in, over series where one name only succeeds and
// one only fails: the failing name is there, at 0. Likewise the post-quantum share of a name
// whose clients never negotiate a post-quantum group: 0, not empty.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { dashboards } from '../../../src/monitoring/dashboard.js';
import { GENERATED_MARKER } from '../../../src/monitoring/generate.js';
import { DEFAULT_OPTIONS } from '../../../src/monitoring/options.js';
import { RECORDED, WINDOWS } from '../../../src/monitoring/rules.js';
import { KEY_EXCHANGE_GROUP_LABELS } from '../../../src/domain/tls-words.js';
import { withTempDir } from '../../support/tmp.js';

const RULES = fileURLToPath(new URL('../../../alerts/tls-sli.rules.yml', import.meta.url));
const KEY = 'job="tls-sli-exporter",log="ingress",direction="downstream"';

/** A panel's expressions, with Grafana's variables as a board at All (or one server name) has them. */
function panelExprs(title: string, serverName = '.*'): string[] {
  const board = dashboards(DEFAULT_OPTIONS, GENERATED_MARKER).get('tls-sli.json') as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  };
  const panel = board.panels.find((p) => p.title === title);
  assert.ok(panel?.targets?.length, `no panel "${title}"`);
  return panel.targets.map((t) =>
    t.expr
      .replaceAll('$__rate_interval', '5m')
      .replaceAll('$__range', '1h')
      .replaceAll('$server_name', serverName)
      .replace(/\$(job|instance|log)\b/g, '.*'),
  );
}

describe('a server name at 0 %: on every ratio of the rules and the board', function () {
  this.timeout(60_000);

  it('the recording rules and the ratio panels give the failing name 0 and the healthy one 1', async () => {
    const perServer = (value: { ok: number; down: number }) => [
      { labels: '{server_name="down.example"}', value: value.down },
      { labels: '{server_name="ok.example"}', value: value.ok },
    ];
    const recorded = (name: string, value: { ok: number; down: number }) => ({
      expr: name,
      eval_time: '7h',
      exp_samples: [
        { labels: `${name}{${KEY},server_name="down.example"}`, value: value.down },
        { labels: `${name}{${KEY},server_name="ok.example"}`, value: value.ok },
      ],
    });
    const tests = {
      rule_files: [RULES],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            {
              series: `tls_handshake_success_total{${KEY},server_name="ok.example",tls_version="TLSv1.3"}`,
              values: '0+60x480',
            },
            // the closed list of reasons is created at 0 for every name that was seen
            {
              series: `tls_handshake_failures_total{${KEY},server_name="ok.example",reason="unknown_ca"}`,
              values: '0+0x480',
            },
            {
              series: `tls_handshake_failures_total{${KEY},server_name="down.example",reason="unknown_ca"}`,
              values: '0+30x480',
            },
          ],
          promql_expr_test: [
            ...WINDOWS.filter((w) => w !== '1d' && w !== '3d').flatMap((w) => [
              recorded(RECORDED.success(w), { ok: 1, down: 0 }),
              recorded(RECORDED.failureRatio(w), { ok: 0, down: 1 }),
            ]),
            ...['Success ratio by server name', 'Success ratio by server name (heat map)'].flatMap(
              (title) =>
                panelExprs(title).map((expr) => ({
                  expr,
                  eval_time: '7h',
                  exp_samples: perServer({ ok: 1, down: 0 }),
                })),
            ),
            // the overall ratio with the board's server_name variable on the failing name alone
            ...panelExprs('Handshake success ratio', 'down.example').map((expr) => ({
              expr,
              eval_time: '7h',
              exp_samples: [{ labels: '{}', value: 0 }],
            })),
          ],
        },
      ],
    };
    await promtoolPasses(tests);
  });

  it('the post-quantum share: 0 for a name on classic groups only, 1 and 3/4 for the others', async () => {
    // every group of a name exists at 0 from its first logged group (pipeline.ts)
    const rates: Record<string, Partial<Record<string, number>>> = {
      'classic.example': { X25519: 60, 'P-256': 20 },
      'pq.example': { X25519MLKEM768: 60 },
      'mixed.example': { X25519MLKEM768: 30, MLKEM1024: 15, X25519: 15 },
    };
    const input_series = Object.entries(rates).flatMap(([server, perGroup]) =>
      KEY_EXCHANGE_GROUP_LABELS.map((group) => ({
        series: `tls_handshake_groups_total{${KEY},server_name="${server}",group="${group}"}`,
        values: `0+${perGroup[group] ?? 0}x480`,
      })),
    );
    await promtoolPasses({
      rule_files: [RULES],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series,
          promql_expr_test: panelExprs('Post-quantum share by server name').map((expr) => ({
            expr,
            eval_time: '7h',
            exp_samples: [
              { labels: '{direction="downstream",server_name="classic.example"}', value: 0 },
              { labels: '{direction="downstream",server_name="mixed.example"}', value: 0.75 },
              { labels: '{direction="downstream",server_name="pq.example"}', value: 1 },
            ],
          })),
        },
      ],
    });
  });
});

/** Prometheus's engine on these unit tests: promtool test rules passes them all. */
async function promtoolPasses(tests: object): Promise<void> {
  await withTempDir(async (dir) => {
    const file = join(dir, 'zero.yml');
    await writeFile(file, stringify(tests, { lineWidth: 0 }));
    const run = spawnSync('promtool', ['test', 'rules', file], { encoding: 'utf8' });
    assert.ok(
      !run.error,
      `promtool must be installed (the test command installs it): ${String(run.error)}`,
    );
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /SUCCESS/);
  });
}
