// The JSON of /api/status: what the status page's script (web/status-page.ts) reads and
// status-model.ts builds. Imports nothing, so the browser script type-checks against it alone.

/** `grey`: a certificate the server sent beyond its verified path (`extra`): shown, not judged */
export type Colour = 'red' | 'yellow' | 'green' | 'grey';

export interface StatusModel {
  readonly generatedAt: number;
  readonly certificates: ReadonlyArray<{
    source: string;
    name: string;
    position: string;
    subject: string;
    notAfter: string;
    days: number;
    colour: Colour;
    /** the runbook section of the alert a red certificate raises */
    runbook: string | null;
  }>;
  readonly sli: ReadonlyArray<{
    log: string;
    serverName: string;
    ratio5m: number | null;
    ratio1h: number | null;
    handshakes5m: number;
    topReasons: string;
  }>;
  readonly probes: ReadonlyArray<{
    target: string;
    ok: boolean;
    handshake: boolean;
    chain: boolean | null;
    hostname: boolean | null;
    clientAuth: boolean | null;
    ocsp: string;
    problem: string;
    /** the runbook section of the alert this problem raises */
    runbook: string | null;
  }>;
  readonly exporter: ReadonlyArray<{
    log: string;
    linesPerSecond: number;
    lastLineAgeSeconds: number | null;
  }>;
  readonly reloadOk: boolean;
  /** why the last reload failed */
  readonly reloadError: string | null;
}
