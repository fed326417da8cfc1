// Reads sample values out of Prometheus text exposition, for assertions: the exporter's own reader
// (src/metrics/exposition-read.ts), so tests and code agree on what a line says.
import { readExposition } from '../../src/metrics/exposition-read.js';

/** The value of the first sample of `name` whose labels include `labels`, each exactly; undefined if none. */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  return readExposition(text).samples.find(
    (s) => s.name === name && wanted.every(([k, v]) => s.labels.get(k) === v),
  )?.value;
}
