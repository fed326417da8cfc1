// The contract every running part of the exporter keeps (access logs, gRPC receivers, probes,
// the /probe limits, Envoy admin readers, the logger), and the one ordered list that starts,
// reloads and stops them: a start is a reload from nothing, so what a start runs is what a
// reload to the same config runs.
import type { Config } from '../config/schema.js';

export interface Part {
  /** for logs and errors: which part refused or failed */
  readonly name: string;
  /** what can fail for a config that parsed (files it names, modules to load); may refuse it */
  prepare?(next: Config): Promise<void>;
  /** bring the part in line with `next`; `previous` is undefined at the start */
  apply(next: Config, previous: Config | undefined): void | Promise<void>;
  stop?(): void | Promise<void>;
}

/** Every part's prepare, in order; the first refusal is thrown, naming its part. */
export async function prepareParts(parts: readonly Part[], next: Config): Promise<void> {
  for (const part of parts) await part.prepare?.(next);
}

/**
 * A start: prepare every part, then apply each in order. When one fails, every part is stopped
 * (the one that failed may have started half of what it runs; stopping a part that runs nothing
 * does nothing) and the failure is thrown: a refused start leaves nothing running.
 */
export async function startParts(parts: readonly Part[], config: Config): Promise<void> {
  await prepareParts(parts, config);
  try {
    for (const part of parts) await part.apply(config, undefined);
  } catch (err) {
    await stopParts(parts);
    throw err;
  }
}

/** Stop every part, all at once (a part stops what it runs; none waits for another). */
export async function stopParts(parts: readonly Part[]): Promise<void> {
  await Promise.all(parts.map(async (p) => p.stop?.()));
}
