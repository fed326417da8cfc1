// Prometheus text exposition (format 0.0.4), written directly: no per-scrape copy into another
// library's objects. Pure functions; the registry streams what they produce.
import type { MetricSpec } from './catalog.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample as a collector yields it. `head` memoises `name{labels}` on long-lived samples. */
export interface ExposedSample {
  readonly labels: readonly string[];
  readonly value: number;
  head?: string | undefined;
  /** shown instead of `value` when set (a family that publishes only what is persisted) */
  readonly published?: number | undefined;
  /** a histogram's series: `name_bucket` and its label names with `le` (else the family's) */
  readonly name?: string;
  readonly labelNames?: readonly string[];
}

const LABEL_ESCAPES = /[\\"\n]/;

/** Label values escape backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  if (!LABEL_ESCAPES.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escapes backslash and line feed. */
export function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** `name{label="value",...}` (just `name` without labels), followed by the separating space. */
export function seriesHead(
  name: string,
  labelNames: readonly string[],
  labels: readonly string[],
): string {
  if (labelNames.length === 0) return `${name} `;
  let head = `${name}{`;
  for (let i = 0; i < labelNames.length; i++) {
    if (i > 0) head += ',';
    head += `${labelNames[i] as string}="${escapeLabelValue(labels[i] ?? '')}"`;
  }
  return `${head}} `;
}

export function familyHeader(spec: MetricSpec): string {
  return `# HELP ${spec.name} ${escapeHelp(spec.help)}\n# TYPE ${spec.name} ${spec.type}\n`;
}
