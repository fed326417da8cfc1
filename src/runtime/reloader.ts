// Holds the running config and swaps it on reload. A reload validates the new config completely
// before anything changes; on failure the running config stays, the reason is logged and returned,
// and the reload gauges say so. Reloads are serialised: a SIGHUP during a POST /-/reload waits.
import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { ExporterError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { ReloadRecorder } from '../metrics/self-recorder.js';
import type { Part } from './part.js';

export type ReloadResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Something that follows the config: called with the new and the previous config after a swap. */
export type ConfigListener = (next: Config, previous: Config) => void | Promise<void>;

export function errorText(err: unknown): string {
  if (err instanceof ConfigError || err instanceof ExporterError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export class Reloader {
  #current: Config;
  #lastOk = true;
  #lastError: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners: ConfigListener[] = [];
  readonly #preparers: Array<(next: Config) => Promise<void>> = [];

  constructor(
    initial: Config,
    private readonly load: () => Promise<Config>,
    private readonly recorder: ReloadRecorder,
    private readonly logger: Logger,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {
    this.#current = initial;
    recorder.loaded(nowSeconds());
  }

  get current(): Config {
    return this.#current;
  }

  /** Whether the last reload (if any) succeeded. */
  get lastOk(): boolean {
    return this.#lastOk;
  }

  /** Why the last reload failed (undefined after a success). */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  onChange(listener: ConfigListener): void {
    this.#listeners.push(listener);
  }

  /**
   * The parts, in the order they start: each one's prepare runs before the swap (a refusal keeps
   * the running config), each one's apply after it, in this order, as at the start.
   */
  runs(parts: readonly Part[]): void {
    for (const part of parts) {
      if (part.prepare) this.onPrepare((next) => part.prepare?.(next) ?? Promise.resolve());
      this.onChange((next, previous) => part.apply(next, previous));
    }
  }

  /** Work that can fail for a config that parsed (files it names): run before the swap. */
  onPrepare(preparer: (next: Config) => Promise<void>): void {
    this.#preparers.push(preparer);
  }

  reload(): Promise<ReloadResult> {
    const run = this.#queue.then(async () => {
      const result = await this.#reloadNow();
      this.#lastOk = result.ok;
      this.#lastError = result.ok ? undefined : result.error;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reloadNow(): Promise<ReloadResult> {
    const problems: string[] = [];
    let next: Config;
    try {
      next = await this.load();
      for (const prepare of this.#preparers) await prepare(next);
    } catch (err) {
      this.recorder.failed();
      const error = errorText(err);
      this.logger.error({ err: error }, 'config reload failed; keeping the running config');
      return { ok: false, error };
    }
    const previous = this.#current;
    this.#current = next;
    for (const listener of this.#listeners) {
      try {
        await listener(next, previous);
      } catch (err) {
        problems.push(errorText(err));
        this.logger.error({ err: errorText(err) }, 'applying the reloaded config failed in part');
      }
    }
    if (problems.length > 0) {
      // in force except what failed: not a success, and the alert must be able to say so
      this.recorder.failed();
      return { ok: false, error: `the config was applied in part: ${problems.join('; ')}` };
    }
    this.recorder.loaded(this.nowSeconds());
    this.logger.info('config reloaded');
    return { ok: true };
  }
}
