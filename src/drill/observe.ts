// Where the drill reads what the monitoring saw: an exporter's /metrics, or a Prometheus query
// API for the deployed job. Either gives the downstream handshake counters summed over logs,
// per server name and reason; Prometheus also the shipped burn-rate alert's state.
import { METRICS } from '../metrics/catalog.js';
import { readExposition } from '../metrics/exposition-read.js';

/** Downstream handshakes counted so far: failures per server name and reason, successes per name. */
export interface Counted {
  readonly failures: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly successes: ReadonlyMap<string, number>;
}

export interface Observer {
  /** what it reads, for the report */
  readonly source: string;
  read(): Promise<Counted>;
  /** the state of an alert for a server name, where the source knows alerts */
  alertState?(alertname: string, serverName: string): Promise<'firing' | 'pending' | 'inactive'>;
}

export class ObserveError extends Error {
  override readonly name = 'ObserveError';
}

function add(map: Map<string, Map<string, number>>, name: string, reason: string, v: number): void {
  let reasons = map.get(name);
  if (!reasons) map.set(name, (reasons = new Map<string, number>()));
  reasons.set(reason, (reasons.get(reason) ?? 0) + v);
}

async function fetchText(url: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new ObserveError(`${url}: ${(err as Error).message}`);
  }
  if (!response.ok) throw new ObserveError(`${url}: HTTP ${response.status}`);
  return response.text();
}

/** An exporter's /metrics. */
export function metricsObserver(url: string, timeoutMs = 10_000): Observer {
  return {
    source: url,
    async read() {
      const { samples, malformed } = readExposition(await fetchText(url, timeoutMs));
      if (malformed !== undefined)
        throw new ObserveError(`${url}: not the Prometheus text format: ${malformed.slice(0, 80)}`);
      const failures = new Map<string, Map<string, number>>();
      const successes = new Map<string, number>();
      for (const s of samples) {
        if (s.labels.get('direction') !== 'downstream') continue;
        const name = s.labels.get('server_name') ?? '';
        if (s.name === METRICS.handshakeFailures.name)
          add(failures, name, s.labels.get('reason') ?? '', s.value);
        else if (s.name === METRICS.handshakeSuccess.name)
          successes.set(name, (successes.get(name) ?? 0) + s.value);
      }
      return { failures, successes };
    },
  };
}

interface QueryResult {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** A Prometheus server's query API, for the series of `job` (a PromQL label matcher value). */
export function prometheusObserver(base: string, job: string, timeoutMs = 10_000): Observer {
  const query = async (expr: string): Promise<QueryResult[]> => {
    const url = `${base.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(expr)}`;
    const body = JSON.parse(await fetchText(url, timeoutMs)) as {
      status?: string;
      data?: { result?: QueryResult[] };
    };
    if (body.status !== 'success' || !Array.isArray(body.data?.result))
      throw new ObserveError(`${base}: the query ${expr} did not succeed`);
    return body.data.result;
  };
  const selector = `{job=${JSON.stringify(job)},direction="downstream"}`;
  return {
    source: `${base} (job ${job})`,
    async read() {
      const failures = new Map<string, Map<string, number>>();
      const successes = new Map<string, number>();
      for (const r of await query(
        `sum by (server_name, reason) (${METRICS.handshakeFailures.name}${selector})`,
      ))
        add(failures, r.metric['server_name'] ?? '', r.metric['reason'] ?? '', Number(r.value[1]));
      for (const r of await query(
        `sum by (server_name) (${METRICS.handshakeSuccess.name}${selector})`,
      ))
        successes.set(r.metric['server_name'] ?? '', Number(r.value[1]));
      return { failures, successes };
    },
    async alertState(alertname, serverName) {
      const states = (
        await query(
          `ALERTS{alertname=${JSON.stringify(alertname)},server_name=${JSON.stringify(serverName)}}`,
        )
      ).map((r) => r.metric['alertstate']);
      if (states.includes('firing')) return 'firing';
      return states.includes('pending') ? 'pending' : 'inactive';
    },
  };
}
