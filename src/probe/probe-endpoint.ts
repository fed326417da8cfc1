// GET /probe?target=host:port&module=NAME[&server_name=NAME]: probe now, blackbox style, into a
// fresh registry. Only configured modules; only targets the module allows (its allowed_targets
// globs, else the configured targets of that module); the deadline comes from Prometheus'
// X-Prometheus-Scrape-Timeout-Seconds minus a margin.
import type { Config } from '../config/schema.js';
import { globToRegExp } from '../limit/label-limiter.js';
import { registerProbeMetrics } from '../metrics/probe-metrics.js';
import { createRegistry } from '../metrics/registry.js';
import type { ProbeService } from './probe-service.js';
import { ProbeStore } from './probe-store.js';
import { parseHostPort } from './tls-probe.js';

export interface ProbeReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const SCRAPE_MARGIN_SECONDS = 0.5;
const TEXT = 'text/plain; charset=utf-8';

export function deadlineMs(header: string | undefined, moduleTimeoutMs: number): number {
  const scrape = header === undefined ? NaN : Number(header);
  if (!Number.isFinite(scrape) || scrape <= 0) return moduleTimeoutMs;
  return Math.max(100, Math.min(moduleTimeoutMs, (scrape - SCRAPE_MARGIN_SECONDS) * 1000));
}

export function isAllowed(config: Config['probes'], moduleName: string, target: string): boolean {
  const allowed = config.modules[moduleName]?.allowed_targets;
  if (allowed !== undefined)
    return allowed.some((glob) => globToRegExp(glob.toLowerCase()).test(target.toLowerCase()));
  return config.targets.some(
    (t) => t.module === moduleName && t.address.toLowerCase() === target.toLowerCase(),
  );
}

export async function handleProbe(
  query: Readonly<Record<string, unknown>>,
  scrapeTimeout: string | undefined,
  config: Config['probes'],
  service: ProbeService,
  nowSeconds: () => number = () => Date.now() / 1000,
): Promise<ProbeReply> {
  const target = typeof query['target'] === 'string' ? query['target'] : undefined;
  const moduleName = typeof query['module'] === 'string' ? query['module'] : undefined;
  if (!target) return { status: 400, contentType: TEXT, body: 'target parameter is missing\n' };
  if (!moduleName) return { status: 400, contentType: TEXT, body: 'module parameter is missing\n' };
  const module = service.modules.get(moduleName);
  if (!module)
    return {
      status: 400,
      contentType: TEXT,
      body: `unknown module ${JSON.stringify(moduleName)}\n`,
    };
  let hostPort: { host: string; port: number };
  try {
    hostPort = parseHostPort(target);
  } catch {
    return {
      status: 400,
      contentType: TEXT,
      body: `target must be host:port, got ${JSON.stringify(target)}\n`,
    };
  }
  if (!isAllowed(config, moduleName, target)) {
    return {
      status: 403,
      contentType: TEXT,
      body: `target ${JSON.stringify(target)} is not allowed for module ${moduleName}\n`,
    };
  }
  const serverName =
    typeof query['server_name'] === 'string' && query['server_name'] !== ''
      ? query['server_name']
      : hostPort.host;
  const results = await service.probeNow(
    { name: target, ...hostPort, serverName },
    module,
    deadlineMs(scrapeTimeout, module.config.timeout),
  );
  const store = new ProbeStore();
  store.record(target, results);
  const registry = createRegistry({ processMetrics: false });
  registerProbeMetrics(registry, store, nowSeconds);
  return { status: 200, contentType: registry.contentType, body: await registry.text() };
}
