// The SLI board, built with @grafana/grafana-foundation-sdk from the catalogue. The SDK leaves out
// panel ids and query refIds and its automatic layout overflows the 24-column grid, so every
// panel gets an explicit id, refId and gridPos here. Certificates are coloured exactly as promised:
// red below 7 days, yellow from 7, green from 30 (absolute steps null -> red, 7 -> yellow, 30 -> green).
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { POST_QUANTUM_GROUP_REGEX } from '../domain/key-exchange-group.js';
import { METRICS, PROCESS_METRICS, type MetricSpec } from '../metrics/catalog.js';
import { COVERAGE, COVERAGE_FLOOR, RECORDED } from './rules.js';
import type { GeneratorOptions } from './options.js';
import { BOARD_TEXTS, translateBoard } from './texts/board-texts.js';
import { langSuffix } from './texts/lang.js';

const DS = { type: 'prometheus', uid: '${datasource}' };
const S = 'job=~"$job", instance=~"$instance"';
const LOGS = `${S}, log=~"$log", server_name=~"$server_name"`;
const HANDSHAKES_NAME = `__name__=~"${METRICS.handshakeSuccess.name}|${METRICS.handshakeFailures.name}"`;
const ALL = `{${HANDSHAKES_NAME}, ${LOGS}}`;
const OK = `${METRICS.handshakeSuccess.name}{${LOGS}}`;
const FAIL = `${METRICS.handshakeFailures.name}{${LOGS}}`;
const DAYS_LEFT = `(${METRICS.certNotAfter.name}{${S}} - time()) / 86400`;

type PanelBuilder = cog.Builder<dashboard.Panel>;

function thresholds(
  steps: ReadonlyArray<readonly [number | null, string]>,
): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps(steps.map(([value, color]) => ({ value, color })));
}

function expiryThresholds(o: GeneratorOptions): dashboard.ThresholdsConfigBuilder {
  return thresholds([
    [null, 'red'],
    [o.criticalDays, 'yellow'],
    [o.warningDays, 'green'],
  ]);
}

function query(expr: string, legend = '', instant = false): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource(DS).expr(expr).legendFormat(legend);
  return instant ? q.instant().format(prometheus.PromQueryFormat.Table) : q.range();
}

/** A table of instant results without the columns every row shares (Time, job, instance). */
const HIDE_SCRAPE_COLUMNS: dashboard.DataTransformerConfig = {
  id: 'organize',
  options: { excludeByName: { Time: true, job: true, instance: true, __name__: true } },
};

const OK_FAIL_MAPPINGS: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '1': { text: 'OK', color: 'green', index: 0 },
      '0': { text: 'FAIL', color: 'red', index: 1 },
    },
  },
];

/** A stat that reads 1 as OK (green) and 0 as FAIL (red). */
function okFailStat(title: string, description: string): stat.PanelBuilder {
  return new stat.PanelBuilder()
    .title(title)
    .description(description)
    .unit('none')
    .mappings(OK_FAIL_MAPPINGS)
    .thresholds(
      thresholds([
        [null, 'red'],
        [1, 'green'],
      ]),
    );
}

interface Layout {
  readonly panels: PanelBuilder[];
  id: number;
  y: number;
}

/** Places panels left to right in one grid row of the given height; widths must sum to ≤ 24. */
function place(
  layout: Layout,
  height: number,
  items: ReadonlyArray<readonly [number, PanelBuilder]>,
): void {
  let x = 0;
  for (const [w, panel] of items) {
    (
      panel as unknown as { gridPos(g: dashboard.GridPos): unknown; id(n: number): unknown }
    ).gridPos({ x, y: layout.y, w, h: height });
    (panel as unknown as { id(n: number): unknown }).id(++layout.id);
    layout.panels.push(panel);
    x += w;
  }
  if (x > 24) throw new Error(`a grid row is ${x} columns wide`);
  layout.y += height;
}

/** Each value of `label`'s share of the rate of `series`, stacked to 100 %. */
function mixPanel(
  title: string,
  description: string,
  series: string,
  label: string,
): timeseries.PanelBuilder {
  return withRefIds(
    new timeseries.PanelBuilder()
      .title(title)
      .description(description)
      .unit('percentunit')
      .min(0)
      .max(1)
      .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
    [
      query(
        `sum by (${label}) (rate(${series}[$__rate_interval])) / ignoring (${label}) group_left () sum (rate(${series}[$__rate_interval]))`,
        `{{${label}}}`,
      ),
    ],
  );
}

function row(layout: Layout, title: string): void {
  layout.panels.push(
    new dashboard.RowBuilder(title).id(++layout.id).gridPos({ x: 0, y: layout.y, w: 24, h: 1 }),
  );
  layout.y += 1;
}

function withRefIds<T extends { withTarget(q: prometheus.DataqueryBuilder): T }>(
  panel: T,
  queries: prometheus.DataqueryBuilder[],
): T {
  queries.forEach((q, i) => panel.withTarget(q.refId(String.fromCharCode(65 + i))));
  return panel;
}

/**
 * A table's value column, named and coloured by the panel's thresholds; the label columns keep
 * their plain text (only the value is the certificate's state).
 */
function colouredValue(name: string): Array<{ id: string; value: unknown }> {
  return [
    { id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorBackground } },
    { id: 'displayName', value: name },
  ];
}

function sliRow(layout: Layout, o: GeneratorOptions): void {
  row(layout, 'SLI: TLS handshakes');
  const objective = o.objective;
  // A server name whose every handshake fails has no success series: without the `or`, the
  // numerator has no value for it and the name that matters most is not drawn. With it, the
  // name's successes are 0 × its handshakes, and its ratio is 0 (issue 35).
  const successes = (by: string, range: string): string =>
    `(sum${by} (rate(${OK}[${range}])) or 0 * sum${by} (rate(${ALL}[${range}])))`;
  const ratio = `${successes('', '$__range')} / sum(rate(${ALL}[$__range]))`;
  // from the recorded hourly rates (one cheap instant query), not rate(...[30d]) at every step:
  // each sample weighs the same in both sums, so their ratio is the 30-day failure ratio
  // (the recorded series are per job, log, direction and server name: no instance label)
  const recorded = (name: string): string =>
    `sum(sum_over_time(${name}{job=~"$job", log=~"$log", server_name=~"$server_name"}[30d]))`;
  const budget = `1 - (${recorded(RECORDED.failures('1h'))} / ${recorded(RECORDED.handshakes('1h'))}) / ${+(1 - objective).toPrecision(6)}`;
  const perServer = `${successes(' by (server_name)', '$__rate_interval')} / sum by (server_name) (rate(${ALL}[$__rate_interval]))`;
  place(layout, 5, [
    [
      6,
      withRefIds(
        new stat.PanelBuilder()
          .title('Handshake success ratio')
          .description(
            `Completed handshakes over all handshakes in the time range, against the ${objective * 100}% objective (green at or above it).`,
          )
          .unit('percentunit')
          .decimals(3)
          .thresholds(
            thresholds([
              [null, 'red'],
              [objective, 'green'],
            ]),
          ),
        [query(ratio)],
      ),
    ],
    [
      6,
      withRefIds(
        new stat.PanelBuilder()
          .title('Error budget remaining (30 days)')
          .description(
            'Share of the 30-day error budget not yet spent; below 0 the objective is missed.',
          )
          .unit('percentunit')
          .decimals(1)
          .thresholds(
            thresholds([
              [null, 'red'],
              [0, 'yellow'],
              [0.25, 'green'],
            ]),
          ),
        [new prometheus.DataqueryBuilder().datasource(DS).expr(budget).instant()],
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Top failing server names and reasons')
          .description('Failed handshakes in the time range by server name and reason, most first.')
          .unit('short'),
        [
          query(
            `topk(10, sum by (log, direction, server_name, reason) (increase(${FAIL}[$__range]))) > 0`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
  place(layout, 9, [
    [
      12,
      withRefIds(
        new heatmap.PanelBuilder()
          .title('Success ratio by server name (heat map)')
          .description(
            'Each row is a server name; colour is its handshake success ratio over time.',
          )
          .unit('percentunit')
          .calculate(false)
          // Grafana hides cells at or below 1e-9 by default: a server name whose every handshake
          // fails (ratio 0) would vanish from the map; ratios are never negative
          .filterValues(new heatmap.FilterValueRangeBuilder().le(-1)),
        [query(perServer, '{{server_name}}')],
      ),
    ],
    [
      12,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Success ratio by server name')
          .description('Handshake success ratio per server name.')
          .unit('percentunit')
          .min(0)
          .max(1),
        [query(perServer, '{{server_name}}')],
      ),
    ],
  ]);
  const times = `${METRICS.handshakeDuration.name}_bucket{${LOGS}}`;
  place(layout, 8, [
    [
      12,
      quantilePanel(
        'Handshake time by server name (P50, P99)',
        'From the handshake times Envoy logs (docs/envoy.md §5): downstream from %DOWNSTREAM_HANDSHAKE_DURATION% or the ClientHello-to-done span, upstream from the TCP-connected-to-done span. A rising P99 is often the first sign of trouble: an OCSP fetch or an HSM on the server, a CPU-starved proxy. Empty when the logs carry no handshake time.',
        METRICS.handshakeDuration,
        LOGS,
        ['direction', 'server_name'],
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Slowest server names (P99 over the time range)')
          .description(
            'The 99th percentile of handshake time per server name and direction over the whole time range, slowest first; yellow from 100 ms, red from 1 s.',
          )
          .unit('s')
          .thresholds(
            thresholds([
              [null, 'green'],
              [0.1, 'yellow'],
              [1, 'red'],
            ]),
          )
          .cellOptions({ type: common.TableCellDisplayMode.ColorBackground })
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(true)]),
        [
          query(
            `topk(20, histogram_quantile(0.99, sum by (direction, server_name, le) (increase(${times}[$__range]))))`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
  place(layout, 8, [
    [
      12,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Failures by reason')
          .description('Failed handshakes per second by reason, stacked.')
          .unit('reqps')
          .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)),
        [query(`sum by (reason) (rate(${FAIL}[$__rate_interval]))`, '{{reason}}')],
      ),
    ],
    [
      12,
      mixPanel(
        'TLS version mix',
        'Share of completed handshakes by TLS version, stacked to 100 %: what is still on TLS 1.2 (unknown: the line showed a handshake but not its version).',
        OK,
        'tls_version',
      ),
    ],
  ]);
}

/**
 * What the real clients negotiate and which client software fails (docs/envoy.md §11): empty
 * until the logs carry %DOWNSTREAM_TLS_GROUP% (Envoy 1.39) or failing_fingerprints is on.
 */
function keyExchangeRow(layout: Layout): void {
  row(layout, 'Key exchange and failing clients');
  const groups = `${METRICS.handshakeGroups.name}{${LOGS}}`;
  const pq = `${METRICS.handshakeGroups.name}{${LOGS}, group=~"${POST_QUANTUM_GROUP_REGEX}"}`;
  const fingerprints = `${METRICS.handshakeFailureFingerprints.name}{${S}, log=~"$log"}`;
  place(layout, 8, [
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Post-quantum share by server name')
          .description(
            'Per server name and direction, the share of completed handshakes whose logged key-exchange group is post-quantum (X25519MLKEM768, X25519Kyber768Draft00, MLKEM1024) among all with a logged group. A fall after a change (a proxy, a client or a library rolled back) is the sign to look for. Empty until the logs carry %DOWNSTREAM_TLS_GROUP% / %UPSTREAM_TLS_GROUP% (Envoy 1.39).',
          )
          .unit('percentunit')
          .min(0)
          .max(1),
        [
          query(
            `sum by (direction, server_name) (rate(${pq}[$__rate_interval])) / sum by (direction, server_name) (rate(${groups}[$__rate_interval]))`,
            '{{direction}} {{server_name}}',
          ),
        ],
      ),
    ],
    [
      8,
      mixPanel(
        'Key-exchange group mix',
        "Share of completed handshakes by logged key-exchange group, stacked to 100 % (other: a group name outside BoringSSL's list).",
        groups,
        'group',
      ),
    ],
    [
      8,
      withRefIds(
        new table.PanelBuilder()
          .title('Failing client fingerprints by reason')
          .description(
            "Failed downstream handshakes over the time range by failure reason and the client's JA4 (else JA3) fingerprint, most first: which client software fails since a rotation. other: past the log's failing_fingerprints.max_values; none: the line had no fingerprint. Empty unless failing_fingerprints is set on a listener log (off by default; docs/security.md).",
          )
          .unit('short')
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(true)]),
        [
          query(
            `topk(20, sum by (reason, kind, fingerprint) (increase(${fingerprints}[$__range])) > 0)`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
}

function certRow(layout: Layout, o: GeneratorOptions): void {
  row(layout, 'Certificates');
  place(layout, 9, [
    [
      14,
      withRefIds(
        new table.PanelBuilder()
          .title('Certificates by days remaining')
          .description(
            `Every certificate (probed, on disk, the probes' own client certificates) with days until expiry: red below ${o.criticalDays}, yellow below ${o.warningDays}, green from ${o.warningDays}.`,
          )
          .unit('d')
          .decimals(1)
          .thresholds(expiryThresholds(o))
          // only the days are coloured; the scrape's own columns are not the certificate's
          .overrideByName('Value', colouredValue('days left'))
          .withTransformation(HIDE_SCRAPE_COLUMNS)
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('days left').desc(false)]),
        [query(DAYS_LEFT, '', true)],
      ),
    ],
    [
      10,
      withRefIds(
        new bargauge.PanelBuilder()
          .title('Soonest expiries')
          .description('The ten certificates that expire first, in days.')
          .unit('d')
          .decimals(1)
          .min(0)
          // one bar per row of the table-format result, not one reduced number
          .reduceOptions(new common.ReduceDataOptionsBuilder().values(true).calcs(['lastNotNull']))
          .thresholds(expiryThresholds(o)),
        [query(`bottomk(10, ${DAYS_LEFT})`, '{{name}} {{position}} {{subject_cn}}', true)],
      ),
    ],
  ]);
  const check = (title: string, description: string, metric: string, by: string): PanelBuilder =>
    withRefIds(okFailStat(title, description), [
      query(`min by (${by}) (${metric}{${S}})`, `{{${by}}}`),
    ]);
  place(layout, 5, [
    [
      6,
      check(
        'Chain verified',
        'Whether each probed chain verifies against the module trust.',
        METRICS.certChainVerified.name,
        'name',
      ),
    ],
    [
      6,
      check(
        'Hostname match',
        'Whether each leaf matches its server name.',
        METRICS.certHostnameMatch.name,
        'name',
      ),
    ],
    [
      6,
      check(
        'Client auth enforced',
        'Whether each endpoint refuses a client without a certificate.',
        METRICS.clientAuthEnforced.name,
        'name',
      ),
    ],
    [
      6,
      check(
        'OCSP stapled',
        'Whether each endpoint staples an OCSP response.',
        METRICS.ocspStapled.name,
        'name',
      ),
    ],
  ]);
  place(layout, 6, [
    [
      12,
      withRefIds(
        new stat.PanelBuilder()
          .title('OCSP status')
          .description('Stapled OCSP status per target: good, revoked or unknown.')
          .unit('none')
          .mappings([
            {
              type: dashboard.MappingType.ValueToText,
              options: {
                '0': { text: 'good', color: 'green', index: 0 },
                '1': { text: 'REVOKED', color: 'red', index: 1 },
                '2': { text: 'unknown', color: 'yellow', index: 2 },
              },
            },
          ])
          .thresholds(
            thresholds([
              [null, 'green'],
              [1, 'red'],
            ]),
          ),
        [query(`max by (name) (${METRICS.ocspStatus.name}{${S}})`, '{{name}}')],
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Certificate inventory: key, signature, weak flags')
          .description(
            "Every certificate (probed, on disk, the probes' own client certificates) with its key type and size and its signature algorithm, and how many of the two are weak: a key below OpenSSL security level 2 (RSA under 2048 bits), a SHA-1 or MD5 signature. Clients at the Debian, Ubuntu and RHEL default refuse any above 0 (red). Sort by key_bits to find what is still on RSA-2048.",
          )
          .unit('none')
          .thresholds(
            thresholds([
              [null, 'green'],
              [1, 'red'],
            ]),
          )
          .overrideByName('Value', colouredValue('weak'))
          .withTransformation(HIDE_SCRAPE_COLUMNS)
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('weak').desc(true)]),
        [
          query(
            `max by (source, name, position, subject_cn, key_algorithm, key_bits, signature_algorithm) (${METRICS.certInfo.name}{${S}}) * on (source, name, position, subject_cn) group_left () max by (source, name, position, subject_cn) (${METRICS.certWeakKey.name}{${S}} + ${METRICS.certWeakSignature.name}{${S}})`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
}

/**
 * P50 and P99 of a histogram over time, one line per label set (by default every label of the
 * histogram) of the series `selector` picks.
 */
function quantilePanel(
  title: string,
  description: string,
  spec: MetricSpec,
  selector = S,
  labels: readonly string[] = spec.labelNames,
): timeseries.PanelBuilder {
  const by = labels.join(', ');
  const legend = labels.map((l) => `{{${l}}}`).join(' ');
  return withRefIds(
    new timeseries.PanelBuilder().title(title).description(description).unit('s'),
    [0.5, 0.99].map((q) =>
      query(
        `histogram_quantile(${q}, sum by (${by}, le) (rate(${spec.name}_bucket{${selector}}[$__rate_interval])))`,
        `P${q * 100} ${legend}`,
      ),
    ),
  );
}

/** A certificate's revocation status by method as one number: the worst of its statuses. */
const REVOCATION_CODE = [
  ['good', 0],
  ['unknown', 1],
  ['unavailable', 2],
  ['revoked', 3],
] as const;

function revocationRow(layout: Layout): void {
  row(layout, 'Revocation');
  const status = REVOCATION_CODE.map(
    ([name, code]) =>
      `(${METRICS.certRevocationStatus.name}{${S}, status="${name}"} == 1) * ${code}`,
  ).join(' or ');
  place(layout, 8, [
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Revocation status')
          .description(
            'Per certificate and method (ocsp: the staple or the responder; crl): good (a verified answer), unknown (the responder does not know it, or nowhere to ask), unavailable (no usable answer: fetch failed, bad signature, stale; never revoked), REVOKED.',
          )
          .unit('none')
          .mappings([
            {
              type: dashboard.MappingType.ValueToText,
              options: {
                '0': { text: 'good', color: 'green', index: 0 },
                '1': { text: 'unknown', color: 'yellow', index: 1 },
                '2': { text: 'unavailable', color: 'orange', index: 2 },
                '3': { text: 'REVOKED', color: 'red', index: 3 },
              },
            },
          ])
          .cellOptions({ type: common.TableCellDisplayMode.ColorBackground })
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(true)])
          .withTransformation(HIDE_SCRAPE_COLUMNS),
        [query(`max by (source, name, position, subject_cn, method) (${status})`, '', true)],
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Revocation data: hours to next update')
          .description(
            'Hours until the OCSP response or CRL behind each status is past its nextUpdate (stale): red when stale, yellow below one hour.',
          )
          .unit('h')
          .decimals(1)
          .thresholds(
            thresholds([
              [null, 'red'],
              [0, 'yellow'],
              [1, 'green'],
            ]),
          )
          .cellOptions({ type: common.TableCellDisplayMode.ColorBackground })
          .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(false)])
          .withTransformation(HIDE_SCRAPE_COLUMNS),
        [
          query(
            `min by (source, name, subject_cn, method) (${METRICS.certRevocationNextUpdate.name}{${S}} - time()) / 3600`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
  place(layout, 8, [
    [
      12,
      quantilePanel(
        'OCSP and CRL request time (P50, P99)',
        'Time of requests to each OCSP responder and CRL URL, connect to last byte: what a fault drill watches when a responder slows down.',
        METRICS.revocationRequestDuration,
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('Revocation fetch failures')
          .description(
            'Revocation data that could not be had or used in the time range, by method, URL and reason (not_allowed: outside revocation.allowed_urls or a non-public address).',
          )
          .unit('short')
          .withTransformation(HIDE_SCRAPE_COLUMNS),
        [
          query(
            `sum by (method, url, reason) (increase(${METRICS.revocationFetchFailures.name}{${S}}[$__range])) > 0`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
}

/** Per probed target: version, cipher, group (none without one) and the leaf's key and signature. */
const PROBE_INVENTORY = (() => {
  // one label for the target across the probe and certificate families: name
  const tls = `max by (name, version, cipher) (${METRICS.probeTlsVersionInfo.name}{${S}})`;
  const group = `max by (name, group) (${METRICS.probeKeyExchangeInfo.name}{${S}})`;
  const leaf = `max by (name, key_algorithm, key_bits, signature_algorithm) (${METRICS.certInfo.name}{${S}, source="probe", position="leaf"})`;
  return `((${tls} * on (name) group_left (group) ${group}) or on (name) label_replace(${tls}, "group", "none", "", "")) * on (name) group_left (key_algorithm, key_bits, signature_algorithm) ${leaf}`;
})();

function probeRow(layout: Layout): void {
  row(layout, 'Probes');
  place(layout, 8, [
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Probe success')
          .description(
            '1 when the last probe of a target completed a handshake and passed every check.',
          )
          .unit('none')
          .min(0)
          .max(1),
        [query(`${METRICS.probeSuccess.name}{${S}}`, '{{name}}')],
      ),
    ],
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Probe duration')
          .description('Total duration of the last probe per target.')
          .unit('s'),
        [query(`${METRICS.probeDuration.name}{${S}, phase="total"}`, '{{name}}')],
      ),
    ],
    [
      8,
      withRefIds(
        new table.PanelBuilder()
          .title('Probe failures by reason and who refused')
          .description(
            'Scrapes in the time range whose last probe of a target had failed, by reason and by who ended it (probe: its checks; server: an alert or a close; network). Scheduled and /probe targets alike.',
          )
          .unit('short'),
        [
          query(
            `sum by (name, reason, refused_by) (count_over_time(${METRICS.probeFailureInfo.name}{${S}}[$__range]))`,
            '',
            true,
          ),
        ],
      ),
    ],
  ]);
  place(layout, 8, [
    [
      12,
      quantilePanel(
        'Probe handshake time (P50, P99)',
        'The TLS handshake of every scheduled probe (TCP connect excluded), from the histogram over scheduled runs: a slow handshake is often the first sign of trouble (an OCSP fetch on the server, an overloaded HSM, a CPU-starved sidecar).',
        METRICS.probeHandshakeDuration,
      ),
    ],
    [
      12,
      withRefIds(
        new table.PanelBuilder()
          .title('TLS inventory of probed targets')
          .description(
            "Per target, the last probe's TLS version, cipher and key-exchange group, and its leaf certificate's key and signature algorithm: which channels are still on TLS 1.2, which are not post-quantum ready (no X25519MLKEM768; group none: RSA key transport), which serve RSA-2048.",
          )
          .unit('none')
          .withTransformation(HIDE_SCRAPE_COLUMNS),
        [query(PROBE_INVENTORY, '', true)],
      ),
    ],
  ]);
}

function exporterRow(layout: Layout): void {
  row(layout, 'Exporter');
  place(layout, 7, [
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Log lines by outcome')
          .description('Access-log lines read per second by outcome.')
          .unit('reqps'),
        [
          query(
            `sum by (log, outcome) (rate(${METRICS.logLines.name}{${S}, log=~"$log"}[$__rate_interval]))`,
            '{{log}} {{outcome}}',
          ),
        ],
      ),
    ],
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Seconds since the last line')
          .description('How long ago each log delivered its last line.')
          .unit('s'),
        [query(`time() - ${METRICS.logLastLine.name}{${S}, log=~"$log"}`, '{{log}}')],
      ),
    ],
    [
      8,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Label folds and rotations')
          .description('Values folded into "other" and log rotations seen.')
          .unit('short'),
        [
          query(
            `sum by (label) (increase(${METRICS.labelValuesFolded.name}{${S}}[$__rate_interval]))`,
            'folded {{label}}',
          ),
          query(
            `sum by (log, kind) (increase(${METRICS.logRotations.name}{${S}, log=~"$log"}[$__rate_interval]))`,
            'rotated {{log}} {{kind}}',
          ),
        ],
      ),
    ],
  ]);
  place(layout, 7, [
    [
      12,
      withRefIds(
        new timeseries.PanelBuilder()
          .title("Access-log coverage (handshakes logged / Envoy's count)")
          .description(
            `Per log and direction, the handshakes the access log showed over the last hour against the ones its Envoy counted itself (envoy_admin): below ${COVERAGE_FLOOR * 100} % (red) the log misses handshakes, and the SLI with them (a filter on the listener log, a sampled log, a log not tailed); above 1, the log shows another Envoy's too. Empty without envoy_admin.`,
          )
          .unit('percentunit')
          .min(0)
          .thresholds(
            thresholds([
              [null, 'red'],
              [COVERAGE_FLOOR, 'green'],
            ]),
          ),
        [query(`${COVERAGE.ratio}{job=~"$job", log=~"$log"}`, '{{log}} {{direction}}')],
      ),
    ],
    [
      12,
      withRefIds(
        new timeseries.PanelBuilder()
          .title("Envoy's own handshake failures")
          .description(
            "Failed TLS handshakes per second as Envoy counts them (its ssl.* statistics and the listener's transport-socket timeouts), per Envoy, listener or cluster, and outcome: what the access log should show as failures.",
          )
          .unit('reqps'),
        [
          query(
            `sum by (envoy, scope, outcome) (rate(${METRICS.envoyHandshakes.name}{${S}, outcome!="success"}[$__rate_interval]))`,
            '{{envoy}} {{scope}} {{outcome}}',
          ),
        ],
      ),
    ],
  ]);
  place(layout, 6, [
    [
      8,
      withRefIds(
        okFailStat('Config reload', 'Whether the last config reload succeeded, per instance.'),
        [query(`${METRICS.configLastReloadSuccessful.name}{${S}}`, '{{instance}}')],
      ),
    ],
    [
      16,
      withRefIds(
        new timeseries.PanelBuilder()
          .title('Event-loop lag')
          .description(
            "How long the exporter's event loop was held, per instance (p99 and the worst over the last scrape interval): /-/healthy and scrapes wait that long. Heavy work (keystores, large CRLs, reloads) runs off the loop or in slices; a lag near a second is a bug to report, and near the liveness probe's timeout restarts the pod.",
          )
          .unit('s')
          .min(0)
          .thresholds(
            thresholds([
              [null, 'green'],
              [0.25, 'red'],
            ]),
          ),
        [
          query(`${PROCESS_METRICS.eventLoopLagP99}{${S}}`, 'p99 {{instance}}'),
          query(`${PROCESS_METRICS.eventLoopLagMax}{${S}}`, 'max {{instance}}'),
        ],
      ),
    ],
  ]);
}

function variable(name: string, label: string, expr: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(DS)
    .query(expr)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc);
}

export function sliDashboard(o: GeneratorOptions, marker: string): dashboard.Dashboard {
  const layout: Layout = { panels: [], id: 0, y: 0 };
  sliRow(layout, o);
  keyExchangeRow(layout);
  certRow(layout, o);
  revocationRow(layout);
  probeRow(layout);
  exporterRow(layout);
  const builder = new dashboard.DashboardBuilder('TLS SLI')
    .uid('tls-sli')
    .description(
      `TLS and mutual-TLS handshake SLIs, certificate expiry and TLS checks from tls-sli-exporter. ${marker}`,
    )
    .tags(['tls', 'tls-sli-exporter', 'generated'])
    .editable()
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .withVariable(
      new dashboard.DatasourceVariableBuilder('datasource').label('Data source').type('prometheus'),
    )
    // the exporter's job and its /probe job (which has no build info of its own)
    .withVariable(
      variable(
        'job',
        'Job',
        `label_values({__name__=~"${METRICS.buildInfo.name}|${METRICS.probeSuccess.name}"}, job)`,
      ),
    )
    .withVariable(
      variable(
        'instance',
        'Instance',
        `label_values(${METRICS.buildInfo.name}{job=~"$job"}, instance)`,
      ),
    )
    .withVariable(
      // from both counters: a log or a name that only ever failed is in the list too
      variable('log', 'Log', `label_values({${HANDSHAKES_NAME}, job=~"$job"}, log)`),
    )
    .withVariable(
      variable(
        'server_name',
        'Server name',
        `label_values({${HANDSHAKES_NAME}, job=~"$job", log=~"$log"}, server_name)`,
      ),
    );
  for (const panel of layout.panels) builder.withPanel(panel);
  return builder.build();
}

/** The same board for the grafana.com import dialog: a ${DS_PROMETHEUS} input, no variable. */
export function grafanaComExport(board: dashboard.Dashboard): object {
  const text = JSON.stringify(board).replaceAll('${datasource}', '${DS_PROMETHEUS}');
  const copy = JSON.parse(text) as { templating?: { list?: Array<{ name?: string }> } };
  if (copy.templating?.list)
    copy.templating.list = copy.templating.list.filter((v) => v.name !== 'datasource');
  return {
    __inputs: [
      {
        name: 'DS_PROMETHEUS',
        label: 'Prometheus',
        description: '',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '11.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      ...['stat', 'table', 'timeseries', 'heatmap', 'bargauge'].map((id) => ({
        type: 'panel',
        id,
        name: id,
        version: '',
      })),
    ],
    ...copy,
  };
}

/**
 * The boards of the options' language, by file name: in English the board and its grafana.com
 * export; in another language the board translated, under a uid of its own (both can be loaded).
 */
export function dashboards(o: GeneratorOptions, marker: string): Map<string, object> {
  const board = sliDashboard(o, marker);
  const lang = o.lang ?? 'en';
  if (lang !== 'en') {
    const translated = translateBoard(board, BOARD_TEXTS[lang]);
    return new Map<string, object>([
      [`tls-sli${langSuffix(lang)}.json`, { ...translated, uid: `tls-sli-${lang.toLowerCase()}` }],
    ]);
  }
  return new Map<string, object>([
    ['tls-sli.json', board],
    ['tls-sli.grafana-com.json', grafanaComExport(board)],
  ]);
}
