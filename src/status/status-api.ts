// The JSON of /api/status: what the status page's script (web/status-page.ts) reads and
// status-model.ts builds. Imports nothing, so the browser script type-checks against it alone.

/** `grey`: a certificate the server sent beyond its verified path (`extra`): shown, not judged */
export type Colour = 'red' | 'yellow' | 'green' | 'grey';

export interface StatusModel {
  readonly generatedAt: number;
  /** the handshake success objective (config `slo.objective`, as the rules are generated with) */
  readonly objective: number;
  readonly certificates: ReadonlyArray<{
    source: string;
    /** where it is; a CA certificate found under several probe targets is one row, naming them */
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
    /** how fast the last 5 minutes spend the error budget: 1 spends exactly the budget */
    burn5m: number | null;
    /** green within the budget, yellow burning it faster, red at the fast-burn page's rate */
    colour: Colour | null;
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
    /** the problem's parts, for a page in another language: reason, who refused, the detail */
    failure: { reason: string; refusedBy: string; detail: string } | null;
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
