// Envoy's own TLS handshake counters, read from its admin endpoint's statistics (docs/envoy.md §9):
// per listener `listener.<address or stat_prefix>.ssl.<counter>` and
// `listener.<…>.downstream_cx_transport_socket_connect_timeout`, per cluster
// `cluster.<name>.ssl.<counter>` (counter names: ALL_SSL_STATS in Envoy's
// source/common/tls/stats.h, documented in docs/root/_include/ssl_stats.rst). Two formats:
// `/stats?format=json` (`{"stats":[{"name":…,"value":…},…,{"histograms":…}]}`) and
// `/stats/prometheus`, where Envoy's tag extraction moves the listener address into
// `envoy_listener_address` and the cluster into `envoy_cluster_name` (a stat_prefix that is not an
// address stays in the metric name). Pure.
import type { Direction, EnvoyHandshakeOutcome } from '../domain/tls-words.js';
import { readExposition } from '../metrics/exposition-read.js';

export interface EnvoyHandshakeCount {
  readonly direction: Direction;
  /** the listener's address or stat_prefix, or the cluster's name */
  readonly scope: string;
  readonly outcome: EnvoyHandshakeOutcome;
  readonly value: number;
}

export class AdminStatsError extends Error {
  readonly code = 'ENVOY_ADMIN_PARSE';
}

const SSL_OUTCOMES: Readonly<Record<string, EnvoyHandshakeOutcome>> = {
  handshake: 'success',
  connection_error: 'connection_error',
  fail_verify_no_cert: 'fail_verify_no_cert',
  fail_verify_error: 'fail_verify_error',
  fail_verify_san: 'fail_verify_san',
  fail_verify_cert_hash: 'fail_verify_cert_hash',
};
const TIMEOUT = 'downstream_cx_transport_socket_connect_timeout';
const SSL = Object.keys(SSL_OUTCOMES).join('|');

/** `listener.<scope>.ssl.<counter>`, `listener.<scope>.<timeout>`, `cluster.<scope>.ssl.<counter>` */
const DOTTED = new RegExp(`^(listener|cluster)\\.(.+)\\.(?:ssl\\.(${SSL})|(${TIMEOUT}))$`);
/** `envoy_listener_ssl_handshake` or, for a stat_prefix, `envoy_listener_<prefix>_ssl_handshake` */
const PROMETHEUS = new RegExp(`^envoy_(listener|cluster)_(?:(.+)_)?(?:ssl_(${SSL})|(${TIMEOUT}))$`);

function count(
  kind: string,
  scope: string,
  ssl: string | undefined,
  timeout: string | undefined,
  value: number,
): EnvoyHandshakeCount | undefined {
  const direction: Direction = kind === 'listener' ? 'downstream' : 'upstream';
  // the admin listener has no TLS; per-worker listener stats repeat the totals
  if (scope === 'admin' || /(^|\.)worker_\d+$/.test(scope)) return undefined;
  const outcome =
    ssl !== undefined
      ? SSL_OUTCOMES[ssl]
      : timeout && direction === 'downstream'
        ? 'timeout'
        : undefined;
  return outcome === undefined ? undefined : { direction, scope, outcome, value };
}

/** The `/stats?format=json` body. */
export function fromStatsJson(body: string): EnvoyHandshakeCount[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw new AdminStatsError(`not JSON: ${(err as Error).message}`);
  }
  const stats = (parsed as { stats?: unknown } | null)?.stats;
  if (!Array.isArray(stats)) throw new AdminStatsError('no "stats" array: not /stats?format=json');
  const counts: EnvoyHandshakeCount[] = [];
  for (const stat of stats as unknown[]) {
    const { name, value } = (stat ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || typeof value !== 'number') continue; // histograms, text values
    const m = DOTTED.exec(name);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const c = count(m[1], m[2], m[3], m[4], value);
    if (c !== undefined) counts.push(c);
  }
  return counts;
}

/** The `/stats/prometheus` (or `/stats?format=prometheus`) body. */
export function fromStatsPrometheus(body: string): EnvoyHandshakeCount[] {
  const { samples, malformed } = readExposition(body);
  if (malformed !== undefined)
    throw new AdminStatsError(
      `not the Prometheus text format: ${JSON.stringify(malformed.slice(0, 80))}`,
    );
  const counts: EnvoyHandshakeCount[] = [];
  for (const sample of samples) {
    const name = PROMETHEUS.exec(sample.name);
    if (name?.[1] === undefined) continue;
    const tag = name[1] === 'listener' ? 'envoy_listener_address' : 'envoy_cluster_name';
    const scope = sample.labels.get(tag) ?? name[2];
    if (scope === undefined || !Number.isFinite(sample.value)) continue;
    const c = count(name[1], scope, name[3], name[4], sample.value);
    if (c !== undefined) counts.push(c);
  }
  if (samples.length === 0 && body.trim() !== '') throw new AdminStatsError('no samples');
  return counts;
}
