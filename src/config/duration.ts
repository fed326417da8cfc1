// Durations in config are Prometheus-style strings: `250ms`, `10s`, `5m`, `1h`.
import * as z from 'zod';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;

export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  return Number(m[1]) * (UNITS[m[2]] ?? 0);
}

/** A duration string, turned into milliseconds. */
const EXPECTED = 'expected a duration like "250ms", "10s" or "5m"';

export const durationSchema = z
  .string({ error: (issue) => `${EXPECTED}, got ${JSON.stringify(issue.input)}` })
  .transform((text, ctx) => {
    const ms = parseDurationMs(text);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `${EXPECTED}, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return ms;
  });

function formatMs(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** A duration within bounds: an absurd value (a zero timeout, a jitter of years) is an error. */
export function durationBetween(minMs: number, maxMs: number): z.ZodType<number, string> {
  return durationSchema.refine((ms) => ms >= minMs && ms <= maxMs, {
    error: `expected a duration from ${formatMs(minMs)} to ${formatMs(maxMs)}`,
  });
}
