// What the exporter publishes of each Envoy's own TLS counters: the last values read, per
// (envoy, direction, scope, outcome), under the access log they are to be compared with; whether
// the last read worked; why reads failed. Scopes past max_scopes are summed into "other".
import { nameGlob } from '../config/globs.js';
import type { EnvoyAdminConfig } from '../config/sections/envoy-admin.js';
import { METRICS } from '../metrics/catalog.js';
import { Family } from '../metrics/family.js';
import { ENVOY_HANDSHAKE_OUTCOMES } from '../domain/tls-words.js';
import { ENVOY_ADMIN_ERRORS, type EnvoyAdminError } from '../domain/exporter-words.js';
import { registerComputed, registerFamily, type MetricsRegistry } from '../metrics/registry.js';
import type { EnvoyHandshakeCount } from './ssl-stats.js';

interface Snapshot {
  readonly up: boolean;
  /** labels (without envoy) and value */
  readonly counts: ReadonlyArray<{ readonly labels: readonly string[]; readonly value: number }>;
}

/** Whether a listener or cluster is read: the entry's `scopes` globs, or every one. */
function scopeFilter(target: EnvoyAdminConfig): (scope: string) => boolean {
  if (target.scopes === undefined) return () => true;
  const globs = target.scopes.map(nameGlob);
  return (scope) => globs.some((g) => g.test(scope));
}

/** What a log label reads when no access log is named for a direction. */
const NO_LOG = 'none';

export class EnvoyAdminMetrics {
  readonly #snapshots = new Map<string, Snapshot>();
  readonly #errors = new Family(METRICS.envoyAdminErrors);
  readonly #filters = new WeakMap<EnvoyAdminConfig, (scope: string) => boolean>();

  register(registry: MetricsRegistry): void {
    registerComputed(registry, METRICS.envoyHandshakes, () => this.#handshakes());
    registerComputed(registry, METRICS.envoyAdminUp, () =>
      [...this.#snapshots].map(([envoy, s]) => ({ labels: [envoy], value: s.up ? 1 : 0 })),
    );
    registerFamily(registry, this.#errors);
  }

  /** Every error reason of a target exists at 0 from its start. */
  started(target: EnvoyAdminConfig): void {
    for (const reason of ENVOY_ADMIN_ERRORS) this.#errors.sample([target.name, reason]);
    // down until a read succeeds: the gauge is there from the start, not from the first answer
    if (!this.#snapshots.has(target.name))
      this.#snapshots.set(target.name, { up: false, counts: [] });
  }

  /** Only the configured targets are published (a target removed by a reload disappears). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.#snapshots.keys()) if (!names.has(name)) this.#snapshots.delete(name);
    this.#errors.retain(([envoy]) => envoy !== undefined && names.has(envoy));
  }

  read(target: EnvoyAdminConfig, counts: readonly EnvoyHandshakeCount[]): void {
    const wanted = this.#scopeFilter(target);
    // (direction, scope) -> its labels but the outcome, and the value of each outcome
    const byScope = new Map<string, { prefix: readonly string[]; values: Map<string, number> }>();
    let admitted = 0;
    for (const c of counts) {
      if (!wanted(c.scope)) continue;
      let key = `${c.direction}\u0000${c.scope}`;
      let scope = c.scope;
      if (!byScope.has(key)) {
        if (admitted < target.max_scopes) admitted += 1;
        else {
          scope = 'other';
          key = `${c.direction}\u0000${scope}`;
        }
      }
      let entry = byScope.get(key);
      if (entry === undefined) {
        const log =
          (c.direction === 'downstream' ? target.downstream_log : target.upstream_log) ?? NO_LOG;
        entry = { prefix: [log, c.direction, scope], values: new Map() };
        byScope.set(key, entry);
      }
      entry.values.set(c.outcome, (entry.values.get(c.outcome) ?? 0) + c.value);
    }
    // a scope seen with any outcome shows all of them, at 0 where Envoy has none yet
    const published: Array<{ labels: readonly string[]; value: number }> = [];
    for (const { prefix, values } of byScope.values()) {
      for (const outcome of ENVOY_HANDSHAKE_OUTCOMES) {
        if (outcome === 'timeout' && prefix[1] !== 'downstream') continue;
        published.push({ labels: [...prefix, outcome], value: values.get(outcome) ?? 0 });
      }
    }
    this.#snapshots.set(target.name, { up: true, counts: published });
  }

  /** The target's `scopes` globs, compiled once per config entry. */
  #scopeFilter(target: EnvoyAdminConfig): (scope: string) => boolean {
    let filter = this.#filters.get(target);
    if (filter === undefined) {
      filter = scopeFilter(target);
      this.#filters.set(target, filter);
    }
    return filter;
  }

  failed(target: EnvoyAdminConfig, reason: EnvoyAdminError): void {
    this.#errors.sample([target.name, reason]).value += 1;
    const last = this.#snapshots.get(target.name);
    // the last values read stay published (a counter must not vanish during an Envoy restart)
    this.#snapshots.set(target.name, { up: false, counts: last?.counts ?? [] });
  }

  *#handshakes(): Iterable<{ labels: readonly string[]; value: number }> {
    for (const [envoy, snapshot] of this.#snapshots)
      for (const { labels, value } of snapshot.counts) yield { labels: [envoy, ...labels], value };
  }
}
