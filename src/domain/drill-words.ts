// The drill's closed lists: its faults and its verdicts, and the note a drill sends the exporter.
// The drill sends them, the report shows them and the exporter's log line for a drill
// (POST /-/drill) accepts only these. Imports nothing.

export const DRILL_FAULTS = [
  'no_client_cert',
  'untrusted_client_cert',
  'expired_client_cert',
  'wrong_sni',
  'old_protocol',
  'plaintext',
] as const;
export type DrillFault = (typeof DRILL_FAULTS)[number];

/** Caps of one drill: handshakes per second, how long each fault runs, so handshakes per fault. */
export const DRILL_MAX_RATE = 10;
export const DRILL_MAX_DURATION_MS = 300_000;
export const DRILL_MAX_HANDSHAKES = (DRILL_MAX_RATE * DRILL_MAX_DURATION_MS) / 1000;

export const DRILL_VERDICTS = ['seen', 'partly_seen', 'unseen', 'accepted', 'skipped'] as const;
export type DrillVerdict = (typeof DRILL_VERDICTS)[number];

/** What a drill tells the exporter of one fault (POST /-/drill), and all the exporter takes. */
export interface DrillNote {
  readonly event: 'start' | 'end';
  readonly fault: DrillFault;
  readonly target: string;
  readonly handshakes?: number;
  readonly verdict?: DrillVerdict;
}
