// POST /-/drill: a drill tells the exporter what it injects, so the exporter's own log explains
// the spike of failures on the board (docs/runbook.md, "Proving the alerts work"). Only values
// from closed lists and bounded numbers are taken, from the query string; anything else is a 400
// naming the parameter. Logging is all it does. Pure parsing; the route is in app.ts.
import { isOneOf } from '../domain/closed-list.js';
import {
  DRILL_FAULTS,
  DRILL_MAX_HANDSHAKES,
  DRILL_VERDICTS,
  type DrillNote,
} from '../domain/drill-words.js';

const TARGET = /^[A-Za-z0-9.:[\]-]{1,262}$/;

/** The 403 of a drill note while they are off: what to do, for the drill to print. */
export const DRILL_NOTES_OFF =
  'drill notes are off: start the exporter with --web.enable-drill-notes (or web.drill_notes: true) to log them; docs/security.md says why they are off by default';

function one(query: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const v = query[key];
  return typeof v === 'string' ? v : undefined;
}

/** The note, or what is wrong with the request. */
export function drillNoteOf(query: Readonly<Record<string, unknown>>): DrillNote | string {
  const event = one(query, 'event');
  if (event !== 'start' && event !== 'end') return 'event: expected start or end';
  const fault = one(query, 'fault');
  if (!isOneOf(DRILL_FAULTS, fault)) return `fault: expected one of ${DRILL_FAULTS.join(', ')}`;
  const target = one(query, 'target');
  if (target === undefined || !TARGET.test(target)) return 'target: expected host:port';
  const handshakesText = one(query, 'handshakes');
  const handshakes = handshakesText === undefined ? undefined : Number(handshakesText);
  if (
    handshakes !== undefined &&
    !(Number.isInteger(handshakes) && handshakes >= 0 && handshakes <= DRILL_MAX_HANDSHAKES)
  )
    return `handshakes: expected a whole number up to ${DRILL_MAX_HANDSHAKES}`;
  const verdict = one(query, 'verdict');
  if (verdict !== undefined && !isOneOf(DRILL_VERDICTS, verdict))
    return `verdict: expected one of ${DRILL_VERDICTS.join(', ')}`;
  return {
    event,
    fault,
    target,
    ...(handshakes === undefined ? {} : { handshakes }),
    ...(verdict === undefined ? {} : { verdict }),
  };
}
