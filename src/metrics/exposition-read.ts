// Reads Prometheus text exposition (version 0.0.4) back into samples: a name, its labels and a
// value per line; comments and blank lines skipped. What the drill reads from an exporter's
// /metrics and the Envoy admin reader from `/stats/prometheus`. Pure.

export interface ReadSample {
  readonly name: string;
  readonly labels: ReadonlyMap<string, string>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * Every sample line of `text`, in order; `malformed` is the first line that is neither a sample,
 * a comment nor blank (the caller decides whether that is an error).
 */
export function readExposition(text: string): {
  readonly samples: ReadSample[];
  readonly malformed?: string;
} {
  const samples: ReadSample[] = [];
  let malformed: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (m?.[1] === undefined || m[3] === undefined) {
      malformed ??= line;
      continue;
    }
    const labels = new Map<string, string>();
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels.set(l[1] ?? '', unescape(l[2] ?? ''));
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return malformed === undefined ? { samples } : { samples, malformed };
}
