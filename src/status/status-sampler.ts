// Samples the handshake and line counters every few seconds into a bounded history, and answers
// the status page's question "what does it look like now" from that history and the probe store.
import type { LogFamilies } from '../metrics/log-families.js';
import type { ProbeStore } from '../probe/probe-store.js';
import { HandshakeHistory, type CounterRow } from './handshake-history.js';
import type { StatusModel } from './status-api.js';
import { statusModel } from './status-model.js';

const SAMPLE_EVERY_MS = 15_000;
const FRESH_SECONDS = 5;

export class StatusSampler {
  readonly #history = new HandshakeHistory();
  readonly #lines: Array<{ at: number; byLog: Map<string, number> }> = [];
  #timer: NodeJS.Timeout | undefined;
  #lastSample = 0;

  constructor(
    private readonly families: LogFamilies,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  start(): void {
    this.sample();
    this.#timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
  }

  sample(): void {
    const now = this.nowSeconds();
    this.#lastSample = now;
    const rows = new Map<
      string,
      { log: string; serverName: string; success: number; failures: Record<string, number> }
    >();
    const rowOf = (
      log: string,
      direction: string,
      server: string,
    ): { success: number; failures: Record<string, number> } => {
      const serverName = direction === 'upstream' ? `${server} (upstream)` : server;
      const key = `${log}\u0000${serverName}`;
      let row = rows.get(key);
      if (!row) {
        row = { log, serverName, success: 0, failures: {} };
        rows.set(key, row);
      }
      return row;
    };
    for (const s of this.families.success.samples()) {
      const [log = '', direction = '', server = ''] = s.labels;
      rowOf(log, direction, server).success += s.value;
    }
    for (const s of this.families.failures.samples()) {
      const [log = '', direction = '', server = '', reason = ''] = s.labels;
      const row = rowOf(log, direction, server);
      row.failures[reason] = (row.failures[reason] ?? 0) + s.value;
    }
    this.#history.record(now, [...rows.values()] as CounterRow[]);
    const byLog = new Map<string, number>();
    for (const s of this.families.lines.samples()) {
      const log = s.labels[0] ?? '';
      byLog.set(log, (byLog.get(log) ?? 0) + s.value);
    }
    this.#lines.push({ at: now, byLog });
    while (this.#lines.length > 2 && (this.#lines[0]?.at ?? now) < now - 3900) this.#lines.shift();
  }

  model(
    store: ProbeStore,
    objective: number,
    reloadOk: boolean,
    reloadError?: string,
  ): StatusModel {
    const now = this.nowSeconds();
    if (now - this.#lastSample > FRESH_SECONDS) this.sample();
    const latest = this.#lines.at(-1);
    const base = this.#lines.find((l) => l.at >= now - 300) ?? latest;
    const lastLine = new Map<string, number>();
    for (const s of this.families.lastLine.samples()) lastLine.set(s.labels[0] ?? '', s.value);
    const logs = [...(latest?.byLog ?? new Map<string, number>())].map(([log, total]) => {
      const span = latest && base && latest.at > base.at ? latest.at - base.at : 0;
      const before = base?.byLog.get(log) ?? total;
      return {
        log,
        linesPerSecond: span > 0 ? (total - before) / span : 0,
        lastLine: lastLine.get(log) ?? 0,
      };
    });
    return statusModel({
      now,
      objective,
      certs: store.certEntries(),
      probes: store.probeResults(),
      last5m: this.#history.window(300),
      last1h: this.#history.window(3600),
      logs,
      reloadOk,
      ...(reloadError === undefined ? {} : { reloadError }),
    });
  }
}
