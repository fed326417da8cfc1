// Sizes in the config: a number of bytes, or a number with a binary unit as Kubernetes writes them
// (`64Mi`, `1Gi`; `KiB`, `MiB`, `GiB` also read).
import * as z from 'zod';

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  Ki: 1 << 10,
  Mi: 1 << 20,
  Gi: 1 << 30,
  Ti: 2 ** 40,
};

/** Bytes from `123`, `64Mi`, `64MiB`, `1.5Gi`; undefined when it is not a size. */
export function parseByteSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(Ki|Mi|Gi|Ti)?B?$/.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1));
}

const formatSize = (bytes: number): string =>
  bytes >= UNITS['Gi']! ? `${bytes / UNITS['Gi']!}Gi` : `${bytes / UNITS['Mi']!}Mi`;

/** A size between min and max bytes, given as a number or a string with a unit. */
export function byteSize(minBytes: number, maxBytes: number): z.ZodType<number, number | string> {
  return z.union([z.number(), z.string()]).transform((value, ctx) => {
    const bytes = typeof value === 'number' ? value : parseByteSize(value);
    if (bytes === undefined || !Number.isFinite(bytes)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size such as 64Mi or 1Gi (bytes, Ki, Mi, Gi, Ti), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    if (bytes < minBytes || bytes > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a size from ${formatSize(minBytes)} to ${formatSize(maxBytes)}`,
      });
      return z.NEVER;
    }
    return bytes;
  });
}
