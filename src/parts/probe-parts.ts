// The probe parts: the scheduled probes (with the certificate files and revocation they check)
// and the /probe limits, with the store, metrics and counters they publish through; and the
// exporter's own serving certificate, published beside them as source="serving".
import { CERT_FILE_ERROR_REASONS, PROBE_DENIED_REASONS } from '../domain/exporter-words.js';
import { RevocationMetrics } from '../certs/revocation/revocation-metrics.js';
import type { Config } from '../config/schema.js';
import { METRICS } from '../metrics/catalog.js';
import { registerClosedCounter } from '../metrics/registry.js';
import { probeEngine } from '../probe/engine-loader.js';
import { ProbeGuard, type GuardLimits } from '../probe/probe-guard.js';
import { registerProbeMetrics } from '../probe/probe-metrics.js';
import type { PositionedCert } from '../probe/probe-result.js';
import { ProbeService } from '../probe/probe-service.js';
import { ProbeStore } from '../probe/probe-store.js';
import type { ProbeDeniedReason } from '../domain/exporter-words.js';
import type { Part } from '../runtime/part.js';
import type { WebSecurity } from '../server/web-security.js';
import type { PartContext } from './context.js';

export interface ProbeParts {
  readonly parts: Part[];
  readonly store: ProbeStore;
  readonly probes: ProbeService;
  readonly guard: ProbeGuard;
  readonly countDenied: (reason: ProbeDeniedReason) => void;
}

const guardLimits = (config: Config): GuardLimits => ({
  ratePerSecond: config.probes.endpoint.requests_per_second,
  burst: config.probes.endpoint.burst,
  maxConcurrent: config.probes.endpoint.max_concurrent,
});

export function probeParts({ registry, logger, initial }: PartContext): ProbeParts {
  const store = new ProbeStore();
  registerProbeMetrics(registry, store, () => Date.now() / 1000);
  const countCertFileError = registerClosedCounter(
    registry,
    METRICS.certFileErrors,
    CERT_FILE_ERROR_REASONS,
  );
  const revocationMetrics = new RevocationMetrics();
  revocationMetrics.register(registry);
  const probes = new ProbeService({
    store,
    logger,
    revocationRecorder: revocationMetrics,
    onCertFileError: (reason) => {
      countCertFileError(reason);
    },
  });
  const countDenied = registerClosedCounter(
    registry,
    METRICS.probeRequestsDenied,
    PROBE_DENIED_REASONS,
  );
  const guard = new ProbeGuard(guardLimits(initial));
  const parts: Part[] = [
    {
      name: 'probes',
      prepare: (next) => probes.prepare(next),
      apply: (next) => probes.apply(next),
      stop: () => probes.stop(),
    },
    { name: '/probe limits', apply: (next) => guard.setLimits(guardLimits(next)) },
  ];
  return { parts, store, probes, guard, countDenied };
}

/**
 * The exporter's own HTTPS certificate expires too: published as source="serving", read once
 * per certificate file the web config loaded (every metric family of a scrape asks for it).
 */
export async function publishServingCertificate(
  web: WebSecurity,
  store: ProbeStore,
): Promise<void> {
  const { anchorsFromPem, positionedChain } = await probeEngine();
  let serving: { cert: Buffer; chain: readonly PositionedCert[] } | undefined;
  store.setServing(() => {
    const cert = web.settings.tls?.cert;
    if (cert === undefined) return [];
    if (serving?.cert !== cert) {
      let chain: readonly PositionedCert[] = [];
      try {
        chain = positionedChain(anchorsFromPem(cert.toString('utf8')).map((c) => c.raw));
      } catch {
        // an unreadable chain was refused when the web config loaded; nothing to publish
      }
      serving = { cert, chain };
    }
    return serving.chain;
  });
}
