// Envelopes around the Envoy line: the kubelet's CRI files (`<RFC3339Nano> <stdout|stderr> <P|F>
// <text>`, P = partial, joined until F), Docker's json-file driver (`{"log":"…\n","stream":…,
// "time":…}`, lines over 16 KiB split without the newline), and `kubectl logs --timestamps`
// (`<RFC3339 time> <text>`, how logs often reach a file by hand). Stateful per file: a partial
// piece waits for the rest. Never throws.

import type { EnvelopeName } from '../../domain/log-formats.js';

export type Unwrapped =
  | { readonly kind: 'line'; readonly line: string }
  | { readonly kind: 'partial' }
  | { readonly kind: 'malformed'; readonly detail: string }
  | { readonly kind: 'oversize' };

export interface Envelope {
  readonly name: EnvelopeName;
  unwrap(text: string): Unwrapped;
}

const PARTIAL: Unwrapped = { kind: 'partial' };

/** Joins pieces until the last one; a joined line over `maxChars` is dropped as oversize. */
class Joiner {
  #pieces: string[] = [];
  #length = 0;
  #over = false;
  constructor(private readonly maxChars: number) {}

  add(piece: string, last: boolean): Unwrapped {
    if (!this.#over) {
      this.#length += piece.length;
      if (this.#length > this.maxChars) {
        this.#over = true;
        this.#pieces = [];
      } else this.#pieces.push(piece);
    }
    if (!last) return PARTIAL;
    const over = this.#over;
    const line = this.#pieces.join('');
    this.#pieces = [];
    this.#length = 0;
    this.#over = false;
    return over ? { kind: 'oversize' } : { kind: 'line', line };
  }
}

function criEnvelope(maxChars: number): Envelope {
  const joiner = new Joiner(maxChars);
  return {
    name: 'cri',
    unwrap(text) {
      const a = text.indexOf(' ');
      const b = a < 0 ? -1 : text.indexOf(' ', a + 1);
      const tag = b < 0 ? '' : text.slice(b + 1, b + 2);
      const stream = b < 0 ? '' : text.slice(a + 1, b);
      if (a <= 0 || (stream !== 'stdout' && stream !== 'stderr') || (tag !== 'P' && tag !== 'F')) {
        return { kind: 'malformed', detail: 'not a CRI log line (<time> <stream> <P|F> <text>)' };
      }
      const rest = text.length > b + 2 && text[b + 2] !== ' ' ? undefined : text.slice(b + 3);
      if (rest === undefined) return { kind: 'malformed', detail: 'CRI tag is not P or F' };
      return joiner.add(rest, tag === 'F');
    },
  };
}

function dockerEnvelope(maxChars: number): Envelope {
  const joiner = new Joiner(maxChars);
  return {
    name: 'docker_json',
    unwrap(text) {
      let entry: unknown;
      try {
        entry = JSON.parse(text);
      } catch {
        return { kind: 'malformed', detail: 'not a Docker json-file line (invalid JSON)' };
      }
      const log = (entry as { log?: unknown } | null)?.log;
      if (typeof log !== 'string') {
        return { kind: 'malformed', detail: 'Docker json-file line without a "log" string' };
      }
      const last = log.endsWith('\n');
      return joiner.add(last ? log.slice(0, log.endsWith('\r\n') ? -2 : -1) : log, last);
    },
  };
}

/** `2026-11-30T07:22:40.002123456Z ` or `2026-11-30T07:22:40+08:00 `: an RFC 3339 time, a space. */
const RFC3339_PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) /;

const KUBECTL_TIMESTAMPS: Envelope = {
  name: 'kubectl_timestamps',
  unwrap(text) {
    const m = RFC3339_PREFIX.exec(text);
    if (m === null) {
      return {
        kind: 'malformed',
        detail: 'not a kubectl --timestamps line (<RFC 3339 time> <text>)',
      };
    }
    return { kind: 'line', line: text.slice(m[0].length) };
  },
};

const NONE: Envelope = { name: 'none', unwrap: (line) => ({ kind: 'line', line }) };

export function createEnvelope(name: EnvelopeName, maxChars: number): Envelope {
  switch (name) {
    case 'none':
      return NONE;
    case 'cri':
      return criEnvelope(maxChars);
    case 'docker_json':
      return dockerEnvelope(maxChars);
    case 'kubectl_timestamps':
      return KUBECTL_TIMESTAMPS;
  }
}
