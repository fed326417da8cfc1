// GET /probe?target=host:port&module=NAME[&server_name=NAME]: probe now, blackbox style, into a
// fresh registry. Only configured modules; only targets the module allows (its allowed_targets
// globs, else the configured targets of that module); the deadline comes from Prometheus'
// X-Prometheus-Scrape-Timeout-Seconds minus a margin, and always applies. Admission (a token
// bucket and a cap on probes in flight) comes after validation; every refusal is counted by reason.
import type { Config } from '../config/schema.js';
import type { ProbeDeniedReason } from '../domain/exporter-words.js';
import { hostPortGlob } from '../config/globs.js';
import { registerProbeMetrics, type ProbeView } from './probe-metrics.js';
import { createRegistry } from '../metrics/registry.js';
import type { ProbeGuard } from './probe-guard.js';
import type { ProbeService } from './probe-service.js';
import { ProbeStore } from './probe-store.js';
import { parseHostPort } from './probe-target.js';

export interface ProbeReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  /** with 429: when to come back */
  readonly retryAfterSeconds?: number;
}

const SCRAPE_MARGIN_SECONDS = 0.5;
const TEXT = 'text/plain; charset=utf-8';

export function deadlineMs(header: string | undefined, moduleTimeoutMs: number): number {
  const scrape = header === undefined ? NaN : Number(header);
  if (!Number.isFinite(scrape) || scrape <= 0) return moduleTimeoutMs;
  return Math.max(100, Math.min(moduleTimeoutMs, (scrape - SCRAPE_MARGIN_SECONDS) * 1000));
}

/** A module's allowed_targets, compiled once per config (a reload brings new arrays). */
const compiledGlobs = new WeakMap<readonly string[], readonly RegExp[]>();

function allowedPatterns(globs: readonly string[]): readonly RegExp[] {
  let patterns = compiledGlobs.get(globs);
  if (patterns === undefined) {
    patterns = globs.map(hostPortGlob);
    compiledGlobs.set(globs, patterns);
  }
  return patterns;
}

export function isAllowed(config: Config['probes'], moduleName: string, target: string): boolean {
  const allowed = config.modules[moduleName]?.allowed_targets;
  if (allowed !== undefined) return allowedPatterns(allowed).some((glob) => glob.test(target));
  return config.targets.some(
    (t) => t.module === moduleName && t.address.toLowerCase() === target.toLowerCase(),
  );
}

/**
 * The server_name of a configured target of this module at the same address: a `/probe` job
 * that sends none (the shipped example) checks an IP target against the name it is configured
 * with, not against the address.
 */
export function configuredServerName(
  config: Config['probes'],
  moduleName: string,
  target: string,
): string | undefined {
  const lower = target.toLowerCase();
  return config.targets.find(
    (t) => t.module === moduleName && t.address.toLowerCase() === lower && t.server_name,
  )?.server_name;
}

export interface ProbeEndpointDeps {
  readonly config: Config['probes'];
  readonly service: ProbeService;
  readonly guard: ProbeGuard;
  readonly denied: (reason: ProbeDeniedReason) => void;
  readonly nowSeconds?: () => number;
}

function refuse(
  deps: ProbeEndpointDeps,
  reason: ProbeDeniedReason,
  status: number,
  message: string,
): ProbeReply {
  deps.denied(reason);
  return { status, contentType: TEXT, body: `${message}\n` };
}

export async function handleProbe(
  query: Readonly<Record<string, unknown>>,
  scrapeTimeout: string | undefined,
  deps: ProbeEndpointDeps,
): Promise<ProbeReply> {
  const target = typeof query['target'] === 'string' ? query['target'] : undefined;
  const moduleName = typeof query['module'] === 'string' ? query['module'] : undefined;
  if (!target) return refuse(deps, 'missing_target', 400, 'target parameter is missing');
  if (!moduleName) return refuse(deps, 'missing_module', 400, 'module parameter is missing');
  const module = deps.service.modules.get(moduleName);
  if (!module)
    return refuse(deps, 'unknown_module', 400, `unknown module ${JSON.stringify(moduleName)}`);
  let hostPort: { host: string; port: number };
  try {
    hostPort = parseHostPort(target);
  } catch {
    return refuse(
      deps,
      'bad_target',
      400,
      `target must be host:port, got ${JSON.stringify(target)}`,
    );
  }
  if (!isAllowed(deps.config, moduleName, target)) {
    return refuse(
      deps,
      'target_not_allowed',
      403,
      `target ${JSON.stringify(target)} is not allowed for module ${moduleName}`,
    );
  }
  const admission = deps.guard.admit();
  if (admission !== 'ok') {
    const reply = refuse(
      deps,
      admission,
      429,
      admission === 'rate_limited'
        ? `too many /probe requests: at most ${deps.config.endpoint.requests_per_second} per second (burst ${deps.config.endpoint.burst})`
        : `too many probes in flight: at most ${deps.config.endpoint.max_concurrent}`,
    );
    return { ...reply, retryAfterSeconds: deps.guard.retryAfterSeconds() };
  }
  try {
    const serverName =
      typeof query['server_name'] === 'string' && query['server_name'] !== ''
        ? query['server_name']
        : (configuredServerName(deps.config, moduleName, target) ?? hostPort.host);
    const results = await deps.service.probeNow(
      { name: target, ...hostPort, serverName },
      module,
      deadlineMs(scrapeTimeout, module.config.timeout),
    );
    const store = new ProbeStore();
    store.record(target, results);
    store.hold('client_cert', () => [[module.name, module.clientCerts]]);
    // gauges only, as blackbox does: a counter in a registry made per request would read 0 or 1
    const view: ProbeView = {
      probeResults: () => store.probeResults(),
      certEntries: () => store.certEntries(),
    };
    const registry = createRegistry({ processMetrics: false });
    registerProbeMetrics(registry, view, deps.nowSeconds ?? (() => Date.now() / 1000));
    return { status: 200, contentType: registry.contentType, body: registry.textNow() };
  } finally {
    deps.guard.release();
  }
}
