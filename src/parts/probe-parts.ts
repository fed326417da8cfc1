// The probe parts: the revocation checker they share, the scheduled probes (with the modules'
// client certificates), the certificate files, and the /probe limits, with the store, metrics and
// counters they publish through.
import { CERT_FILE_ERROR_REASONS, PROBE_DENIED_REASONS } from '../domain/exporter-words.js';
import { RevocationMetrics } from '../certs/revocation/revocation-metrics.js';
import type { Config } from '../config/schema.js';
import { METRICS } from '../metrics/catalog.js';
import { registerClosedCounter } from '../metrics/registry.js';
import { CertFileService } from '../probe/cert-file-service.js';
import { ProbeGuard, type GuardLimits } from '../probe/probe-guard.js';
import { registerProbeMetrics } from '../probe/probe-metrics.js';
import { ProbeService } from '../probe/probe-service.js';
import { ProbeStore } from '../probe/probe-store.js';
import { RevocationKeeper } from '../probe/revocation-keeper.js';
import type { ProbeDeniedReason } from '../domain/exporter-words.js';
import type { Part } from '../runtime/part.js';
import type { PartContext } from './context.js';

export interface ProbeParts {
  readonly parts: Part[];
  readonly store: ProbeStore;
  readonly probes: ProbeService;
  readonly guard: ProbeGuard;
  readonly countDenied: (reason: ProbeDeniedReason) => void;
  /** a probe round and a certificate-file scan now, both finished */
  runAll(): Promise<void>;
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
  const revocation = new RevocationKeeper(logger, revocationMetrics);
  // the client certificates are the store's first held source, the files its second
  const probes = new ProbeService({ store, logger, revocation });
  const files = new CertFileService({
    store,
    logger,
    revocation,
    onError: (reason) => {
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
    { name: 'revocation', apply: (next) => revocation.apply(next.revocation) },
    {
      name: 'probes',
      prepare: (next) => probes.prepare(next),
      apply: (next) => probes.apply(next),
      stop: () => probes.stop(),
    },
    {
      name: 'certificate files',
      prepare: (next) => files.prepare(next),
      apply: (next) => files.apply(next),
      stop: () => files.stop(),
    },
    { name: '/probe limits', apply: (next) => guard.setLimits(guardLimits(next)) },
  ];
  return {
    parts,
    store,
    probes,
    guard,
    countDenied,
    runAll: async () => {
      await Promise.all([probes.runAll(), files.scan()]);
    },
  };
}
