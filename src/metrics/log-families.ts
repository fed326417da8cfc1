// The families the access-log pipeline counts into, and their publication. Every closed label
// value list is created at 0 for each log, so ratios and alerts evaluate before the first event.
import { METRICS } from './catalog.js';
import { Family, type Sample } from './family.js';
import { HistogramFamily } from './histogram.js';
import {
  FOLLOW_ERROR_REASONS,
  LINE_OUTCOMES,
  ROTATION_KINDS,
  type FollowErrorReason,
  type LineOutcome,
  type RotationKind,
} from '../domain/exporter-words.js';
import { Publication } from './publication.js';
import { registerFamily, type MetricsRegistry } from './registry.js';

/** The labels the access-log pipeline folds into `other`: server names, group names, fingerprints. */
export const FOLDED_LABELS = ['server_name', 'group', 'fingerprint'] as const;

export class LogFamilies {
  readonly success = new Family(METRICS.handshakeSuccess);
  readonly failures = new Family(METRICS.handshakeFailures);
  readonly lines = new Family(METRICS.logLines);
  readonly bytes = new Family(METRICS.logBytes);
  readonly rotations = new Family(METRICS.logRotations);
  readonly followErrors = new Family(METRICS.logFollowErrors);
  readonly lastLine = new Family(METRICS.logLastLine);
  readonly folded = new Family(METRICS.labelValuesFolded);
  readonly durations = new HistogramFamily(METRICS.handshakeDuration);
  readonly groups = new Family(METRICS.handshakeGroups);
  readonly fingerprints = new Family(METRICS.handshakeFailureFingerprints);

  constructor() {
    // every label that folds exists at 0 from the start, whatever logs run
    for (const label of FOLDED_LABELS) this.folded.sample([label]);
  }

  get all(): readonly Family[] {
    return [
      this.success,
      this.failures,
      this.lines,
      this.bytes,
      this.rotations,
      this.followErrors,
      this.lastLine,
      this.folded,
      this.groups,
      this.fingerprints,
    ];
  }

  /**
   * Drops the series of logs `keep` refuses (a log a reload removed): every family labelled by
   * log, and the handshake-time histogram.
   */
  retainLogs(keep: (log: string) => boolean): void {
    for (const family of this.all) {
      const at = family.spec.labelNames.indexOf('log');
      if (at >= 0) family.retain((labels) => keep(labels[at] ?? ''));
    }
    this.durations.retain(([log]) => keep(log ?? ''));
  }

  /** What scrapes show of all of them: live, or what the positions checkpoint last published. */
  readonly publication = new Publication(this.all, [this.durations]);

  register(registry: MetricsRegistry): void {
    const { publication } = this;
    for (const family of this.all) registerFamily(registry, family, (s) => publication.value(s));
    this.durations.register(registry, (s) => publication.tally(s));
  }
}

/** The self-metric samples of one log, created at 0 and held for the hot path. */
export interface LogSamples {
  readonly lines: Readonly<Record<LineOutcome, Sample>>;
  readonly bytes: Sample;
  readonly lastLine: Sample;
  rotation(kind: RotationKind): void;
  followError(reason: FollowErrorReason): void;
}

export function logSamples(families: LogFamilies, log: string): LogSamples {
  const lines = Object.fromEntries(
    LINE_OUTCOMES.map((o) => [o, families.lines.sample([log, o])]),
  ) as Record<LineOutcome, Sample>;
  const rotations = Object.fromEntries(
    ROTATION_KINDS.map((k) => [k, families.rotations.sample([log, k])]),
  ) as Record<RotationKind, Sample>;
  const errors = Object.fromEntries(
    FOLLOW_ERROR_REASONS.map((r) => [r, families.followErrors.sample([log, r])]),
  ) as Record<FollowErrorReason, Sample>;
  return {
    lines,
    bytes: families.bytes.sample([log]),
    lastLine: families.lastLine.sample([log]),
    rotation: (kind) => {
      rotations[kind].value += 1;
    },
    followError: (reason) => {
      errors[reason].value += 1;
    },
  };
}
