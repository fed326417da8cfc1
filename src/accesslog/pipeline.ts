// One log's path from a line of text to counters: envelope -> parser -> classifier -> label
// limiter -> Map counters. Synchronous and allocation-light; never throws on input. Every line
// read ends in exactly one outcome (counted, other_direction, not_tls, non_tls_failure, malformed, oversize,
// empty), except a partial container-runtime piece, which waits for the rest of its line. Where the parser has a
// fast path over bytes (JSON without an envelope), whole blocks of lines skip the decoding and
// only the lines it is unsure of take the text path.
import type { Logger } from '../log/logger.js';
import type { LogFamilies, LogSamples } from '../metrics/log-families.js';
import {
  HANDSHAKE_FAILURE_REASONS,
  KEY_EXCHANGE_GROUP_LABELS,
  type Direction,
  type FingerprintKind,
  type HandshakeFailureReason,
  type KeyExchangeGroupLabel,
} from '../domain/tls-words.js';
import { keyExchangeGroupLabel } from '../domain/key-exchange-group.js';
import type { LabelLimiter } from '../limit/label-limiter.js';
import type { Sample } from '../metrics/family.js';
import type { HistogramSeries } from '../metrics/histogram.js';
import { classify, NO_TLS_CLUSTERS, type ClusterMatcher } from './classify/classifier.js';
import { reasonToken } from '../domain/tls-error-reason.js';
import { RecentIds } from './connection-dedupe.js';
import { handshakeSeconds, MILLISECONDS } from './handshake-timing.js';
import { withoutCr } from './follow/line-splitter.js';
import type { FormatWatch } from './format-watch.js';
import type { Envelope } from './parse/envelope.js';
import type { BlockScanner, BlockVisitor, LineParser } from './parse/line-parser.js';
import type { AccessLogRecord } from './record.js';

export const CONNECTION_IDS_REMEMBERED = 65_536;

export interface PipelineDeps {
  readonly log: string;
  readonly parser: LineParser;
  readonly envelope: Envelope;
  /** bounds the server_name of downstream handshakes (SNI) */
  readonly serverNames: LabelLimiter;
  /** bounds the server_name of upstream handshakes (cluster names); default: serverNames */
  readonly clusterNames?: LabelLimiter;
  /** the directions this log counts (default both) */
  readonly directions?: ReadonlySet<Direction>;
  readonly families: LogFamilies;
  readonly samples: LogSamples;
  readonly logger: Logger;
  readonly now: () => number;
  /** lines longer than this are dropped (the block fast path checks it itself) */
  readonly maxLineBytes: number;
  /** upstream clusters declared TLS (`tls_clusters`); none by default */
  readonly tlsCluster?: ClusterMatcher;
  /** told about the first lines (what fits, what a JSON log's keys carry), then dropped */
  readonly watch?: FormatWatch;
  /**
   * `failing_fingerprints`: bounds the fingerprint label of failed downstream handshakes; absent,
   * no fingerprint is counted (off by default)
   */
  readonly fingerprints?: LabelLimiter;
}

/** The samples of one (direction, server name), looked up once per outcome. */
interface ServerSeries {
  readonly success: Map<string, Sample>;
  readonly failures: Readonly<Record<HandshakeFailureReason, Sample>>;
  /** created with the first handshake time seen: a log without times has no histogram */
  duration: HistogramSeries | undefined;
  /** created, every group at 0, with the first logged key-exchange group */
  groups: Readonly<Record<KeyExchangeGroupLabel, Sample>> | undefined;
}

export class LogPipeline {
  readonly #recent: Record<Direction, RecentIds> = {
    downstream: new RecentIds(CONNECTION_IDS_REMEMBERED),
    upstream: new RecentIds(CONNECTION_IDS_REMEMBERED),
  };
  readonly #series: Record<Direction, Map<string, ServerSeries>> = {
    downstream: new Map(),
    upstream: new Map(),
  };
  readonly #folded: Sample;
  readonly #foldedGroups: Sample;
  readonly #foldedFingerprints: Sample;
  readonly #tlsCluster: ClusterMatcher;
  #watch: FormatWatch | undefined;
  /** a handshake time that is not a number was reported (once per log) */
  #badTimeSaid = false;
  readonly #scanner: BlockScanner | undefined;
  /** no envelope: a line is the record itself */
  readonly #bare: boolean;
  readonly #visitor: BlockVisitor = {
    record: (record, bytes) => {
      if (!this.#fits(bytes)) return;
      if (this.#watch !== undefined) this.#watched(this.#watch, undefined, true);
      this.#count(record);
    },
    unsure: (block, start, end) => {
      if (this.#fits(end - start)) this.line(withoutCr(block.toString('utf8', start, end)));
    },
  };

  constructor(private readonly deps: PipelineDeps) {
    this.#folded = deps.families.folded.sample(['server_name']);
    this.#foldedGroups = deps.families.folded.sample(['group']);
    this.#foldedFingerprints = deps.families.folded.sample(['fingerprint']);
    this.#tlsCluster = deps.tlsCluster ?? NO_TLS_CLUSTERS;
    this.#watch = deps.watch;
    this.#bare = deps.envelope.name === 'none';
    this.#scanner = this.#bare ? deps.parser.blockScanner?.() : undefined;
  }

  /** Whether lines(), the fast path over bytes, serves this log. */
  get takesBlocks(): boolean {
    return this.#scanner !== undefined;
  }

  /** Whole lines as bytes, each ending in a newline (only when takesBlocks). */
  lines(block: Buffer): void {
    if (this.#scanner === undefined) throw new Error('this log has no block fast path');
    this.#scanner.scan(block, this.#visitor);
  }

  /** After the lines of one read: when the last complete line was read (once, not per line). */
  linesEnded(): void {
    this.deps.samples.lastLine.value = this.deps.now() / 1000;
  }

  /** One line without its newline. */
  line(text: string): void {
    if (this.#bare) {
      this.#record(text);
      return;
    }
    const { samples } = this.deps;
    const unwrapped = this.deps.envelope.unwrap(text);
    switch (unwrapped.kind) {
      case 'partial':
        return;
      case 'oversize':
        samples.lines.oversize.value += 1;
        return;
      case 'malformed':
        samples.lines.malformed.value += 1;
        if (this.#watch !== undefined) this.#watched(this.#watch, text, false);
        return;
      case 'line':
        this.#record(unwrapped.line);
    }
  }

  /**
   * A record that did not come from a line (an entry of Envoy's gRPC access-log stream): counted
   * exactly as a parsed line is, its outcome in the log's line counts.
   */
  entry(record: AccessLogRecord): void {
    this.#count(record);
  }

  /** A line of the fast path within max_line_bytes; a longer one is counted as oversize. */
  #fits(bytes: number): boolean {
    if (bytes <= this.deps.maxLineBytes) return true;
    this.oversize(bytes + 1);
    return false;
  }

  /** A line longer than max_line_bytes, dropped without being buffered whole. */
  oversize(_bytes: number): void {
    this.deps.samples.lines.oversize.value += 1;
  }

  #record(line: string): void {
    const { samples, parser } = this.deps;
    if (line.length === 0 || line.trim().length === 0) {
      samples.lines.empty.value += 1;
      return;
    }
    const parsed = parser.parse(line);
    if (this.#watch !== undefined) this.#watched(this.#watch, line, parsed.ok);
    if (!parsed.ok) {
      samples.lines.malformed.value += 1;
      this.deps.logger.debug(
        { log: this.deps.log, detail: parsed.detail },
        'malformed access-log line',
      );
      return;
    }
    this.#count(parsed.record);
  }

  /** A parsed record: its outcomes, counted. */
  #count(record: AccessLogRecord): void {
    const { samples } = this.deps;
    const outcomes = classify(record, this.deps.parser.kind, this.#tlsCluster);
    let handshakes = 0;
    let elsewhere = 0;
    for (const outcome of outcomes) {
      const reason = outcome.ok ? undefined : outcome.reason;
      if (!outcome.ok && reason === undefined) continue; // no TLS evidence: not a handshake
      if (this.deps.directions?.has(outcome.direction) === false) {
        elsewhere += 1; // another log of this Envoy counts this direction
        continue;
      }
      handshakes += 1;
      const names =
        outcome.direction === 'upstream'
          ? (this.deps.clusterNames ?? this.deps.serverNames)
          : this.deps.serverNames;
      // the limiter says what a fold is (a reserved .invalid name is `other` without being one)
      const server = names.value(outcome.serverName, this.#folded);
      const series = this.#seriesOf(outcome.direction, server);
      if (outcome.ok) {
        if (
          outcome.connectionId !== undefined &&
          !this.#recent[outcome.direction].firstTime(outcome.connectionId)
        ) {
          continue;
        }
        let sample = series.success.get(outcome.tlsVersion);
        if (sample === undefined) {
          sample = this.deps.families.success.sample([
            this.deps.log,
            outcome.direction,
            server,
            outcome.tlsVersion,
          ]);
          series.success.set(outcome.tlsVersion, sample);
        }
        sample.value += 1;
        const seconds = handshakeSeconds(
          record,
          outcome.direction,
          this.deps.parser.timingUnits ?? MILLISECONDS,
        );
        if (seconds !== undefined)
          this.#observe(series, outcome.direction, server, seconds, record);
        const group =
          outcome.direction === 'upstream'
            ? record.UPSTREAM_TLS_GROUP
            : record.DOWNSTREAM_TLS_GROUP;
        if (group !== undefined) this.#group(series, outcome.direction, server, group);
      } else if (reason !== undefined) {
        series.failures[reason].value += 1;
        if (this.deps.fingerprints !== undefined && outcome.direction === 'downstream')
          this.#fingerprint(this.deps.fingerprints, reason, record);
        if (this.deps.logger.isLevelEnabled('debug')) {
          const failure =
            record.DOWNSTREAM_TRANSPORT_FAILURE_REASON ?? record.UPSTREAM_TRANSPORT_FAILURE_REASON;
          this.deps.logger.debug(
            {
              log: this.deps.log,
              direction: outcome.direction,
              server_name: server,
              reason,
              token: failure && reasonToken(failure),
            },
            'handshake failure',
          );
        }
      }
    }
    if (handshakes > 0) samples.lines.counted.value += 1;
    else if (elsewhere > 0) samples.lines.other_direction.value += 1;
    else if (outcomes.length > 0) samples.lines.non_tls_failure.value += 1;
    else samples.lines.not_tls.value += 1;
  }

  /** A counted handshake's time, into its server's histogram (NaN: said once, not observed). */
  #observe(
    series: ServerSeries,
    direction: Direction,
    server: string,
    seconds: number,
    record: AccessLogRecord,
  ): void {
    if (Number.isNaN(seconds)) {
      if (!this.#badTimeSaid) {
        this.#badTimeSaid = true;
        const value =
          direction === 'upstream'
            ? record.US_HANDSHAKE_TIME
            : (record.DS_HANDSHAKE_TIME ?? record.DOWNSTREAM_HANDSHAKE_DURATION);
        this.deps.logger.warn(
          { log: this.deps.log, direction, server_name: server, value },
          'a handshake time in this log is not a non-negative number; such values are not observed (said once)',
        );
      }
      return;
    }
    series.duration ??= this.deps.families.durations.series([this.deps.log, direction, server]);
    series.duration.observe(seconds);
  }

  /** A counted handshake's key-exchange group; a name outside the closed list is a fold. */
  #group(series: ServerSeries, direction: Direction, server: string, name: string): void {
    if (series.groups === undefined) {
      const groups = {} as Record<KeyExchangeGroupLabel, Sample>;
      for (const label of KEY_EXCHANGE_GROUP_LABELS) {
        groups[label] = this.deps.families.groups.sample([this.deps.log, direction, server, label]);
      }
      series.groups = groups;
    }
    const label = keyExchangeGroupLabel(name);
    if (label === 'other') this.#foldedGroups.value += 1;
    series.groups[label].value += 1;
  }

  /** A failed downstream handshake's client fingerprint: JA4 when logged, else JA3, else none. */
  #fingerprint(
    limiter: LabelLimiter,
    reason: HandshakeFailureReason,
    record: AccessLogRecord,
  ): void {
    const ja4 = record.TLS_JA4_FINGERPRINT;
    const kind: FingerprintKind =
      ja4 !== undefined ? 'ja4' : record.TLS_JA3_FINGERPRINT !== undefined ? 'ja3' : 'none';
    const value = limiter.value(ja4 ?? record.TLS_JA3_FINGERPRINT, this.#foldedFingerprints);
    // bounded: reasons x kinds x (max_values + 2) label values; the family keys its samples
    this.deps.families.fingerprints.sample([this.deps.log, reason, kind, value]).value += 1;
  }

  /** One of the first lines, for the watch (`text` undefined: read by the fast path). */
  #watched(watch: FormatWatch, text: string | undefined, fits: boolean): void {
    if (text === undefined) watch.read();
    else watch.line(text, fits);
    if (watch.done) this.#watch = undefined;
  }

  /** Every failure reason of a (direction, server name) exists at 0 from its first sighting. */
  #seriesOf(direction: Direction, server: string): ServerSeries {
    const byServer = this.#series[direction];
    let series = byServer.get(server);
    if (series === undefined) {
      const failures = {} as Record<HandshakeFailureReason, Sample>;
      for (const reason of HANDSHAKE_FAILURE_REASONS) {
        failures[reason] = this.deps.families.failures.sample([
          this.deps.log,
          direction,
          server,
          reason,
        ]);
      }
      series = { success: new Map(), failures, duration: undefined, groups: undefined };
      byServer.set(server, series);
    }
    return series;
  }
}
