// Keeps a log Envoy writes on a shared volume bounded: when the file reaches `max_size`, it is
// renamed to `<path>.1` (the previous `.1` goes) and Envoy is asked to reopen its logs
// (`POST /reopen_logs` on its admin), so Envoy takes part as it does with logrotate (docs/envoy.md
// §6). The follower sees a rename like any other and drains the renamed file for
// `rotation_drain`, so no line is lost. When Envoy cannot be asked, the file is put back: Envoy
// still writes to it, and a log that grows is better than lines written where nobody reads.
import { rename, rm, stat } from 'node:fs/promises';

export interface RotateSettings {
  readonly path: string;
  readonly maxBytes: number;
  readonly reopenUrl: string;
  /** the follower reads a renamed file this long: no second rotation before it is done */
  readonly drainMs: number;
}

export type RotateOutcome =
  | { readonly kind: 'below'; readonly size: number }
  | { readonly kind: 'absent' }
  | { readonly kind: 'draining' }
  | { readonly kind: 'rotated'; readonly size: number }
  | { readonly kind: 'reopen_failed'; readonly size: number; readonly error: string };

export interface RotateDeps {
  readonly now: () => number;
  /** POSTs to the admin URL; resolves to the HTTP status */
  readonly post: (url: string) => Promise<number>;
}

const REOPEN_TIMEOUT_MS = 5_000;

/** POST with a deadline, as Envoy's admin wants for /reopen_logs. */
export async function postForStatus(url: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    signal: AbortSignal.timeout(REOPEN_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

export const rotatedPath = (path: string): string => `${path}.1`;

export class LogRotator {
  #lastRotation = -Infinity;

  constructor(
    private readonly settings: RotateSettings,
    private readonly deps: RotateDeps,
  ) {}

  /** One check: rotate when the file has reached its size. Never throws for the file's sake. */
  async check(): Promise<RotateOutcome> {
    const { path, maxBytes, reopenUrl, drainMs } = this.settings;
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) return { kind: 'absent' };
    if (size < maxBytes) return { kind: 'below', size };
    if (this.deps.now() - this.#lastRotation < drainMs) return { kind: 'draining' };
    const rotated = rotatedPath(path);
    await rm(rotated, { force: true });
    await rename(path, rotated);
    this.#lastRotation = this.deps.now();
    let error: string;
    try {
      const status = await this.deps.post(reopenUrl);
      if (status >= 200 && status < 300) return { kind: 'rotated', size };
      error = `${reopenUrl} answered HTTP ${status}`;
    } catch (err) {
      error = `${reopenUrl}: ${(err as Error).message}`;
    }
    // Envoy did not reopen: it writes on into the renamed file. Put it back where it is read.
    await stat(path).then(
      () => undefined,
      () => rename(rotated, path),
    );
    return { kind: 'reopen_failed', size, error };
  }
}
