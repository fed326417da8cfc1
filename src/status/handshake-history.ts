// Snapshots of the handshake counters, kept for a little over an hour, so the status page can
// show success ratios over the last 5 minutes and the last hour without Prometheus. Pure: the
// caller passes the time and the counter values.

export interface CounterRow {
  readonly log: string;
  readonly serverName: string;
  readonly success: number;
  /** failures by reason */
  readonly failures: Readonly<Record<string, number>>;
}

interface Snapshot {
  readonly at: number; // Unix seconds
  readonly rows: ReadonlyMap<string, CounterRow>;
}

export interface WindowStats {
  readonly log: string;
  readonly serverName: string;
  readonly handshakes: number;
  /** undefined without handshakes in the window */
  readonly successRatio: number | undefined;
  readonly topReasons: ReadonlyArray<readonly [string, number]>;
}

const KEEP_SECONDS = 3900;

function keyOf(row: CounterRow): string {
  return `${row.log}\u0000${row.serverName}`;
}

export class HandshakeHistory {
  readonly #snapshots: Snapshot[] = [];

  record(atSeconds: number, rows: readonly CounterRow[]): void {
    this.#snapshots.push({ at: atSeconds, rows: new Map(rows.map((r) => [keyOf(r), r])) });
    while (
      this.#snapshots.length > 2 &&
      (this.#snapshots[0]?.at ?? atSeconds) < atSeconds - KEEP_SECONDS
    )
      this.#snapshots.shift();
  }

  /** Stats over the last `seconds` (or since the oldest snapshot, if younger), per log and server name. */
  window(seconds: number): WindowStats[] {
    const latest = this.#snapshots.at(-1);
    if (!latest) return [];
    const base = this.#snapshots.find((s) => s.at >= latest.at - seconds) ?? latest;
    const stats: WindowStats[] = [];
    for (const [key, now] of latest.rows) {
      const then = base === latest ? undefined : base.rows.get(key);
      const success = now.success - (then?.success ?? 0);
      const reasons: Array<[string, number]> = Object.entries(now.failures)
        .map(([reason, n]): [string, number] => [reason, n - (then?.failures[reason] ?? 0)])
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]);
      const failures = reasons.reduce((a, [, n]) => a + n, 0);
      const handshakes = success + failures;
      stats.push({
        log: now.log,
        serverName: now.serverName,
        handshakes,
        successRatio: handshakes > 0 ? success / handshakes : undefined,
        topReasons: reasons.slice(0, 3),
      });
    }
    return stats.sort(
      (a, b) =>
        (a.successRatio ?? 2) - (b.successRatio ?? 2) || a.serverName.localeCompare(b.serverName),
    );
  }
}
