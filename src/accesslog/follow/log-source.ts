// Follows every file one `access_logs` entry names: a path, or a glob in its file-name part. New
// matches are picked up (read from 0; files present at start follow `start_at`). Polls on
// file-system events of the directory, on a fallback timer, and whenever asked (`poll()`, which
// tests use instead of sleeping). Never throws: problems go to `events.error`.
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isGlob, pathGlob } from '../../config/globs.js';
import type { FilePosition } from '../positions/positions-file.js';
import {
  FileFollower,
  OFFSETS_REMEMBERED,
  type FollowerEvents,
  type OffsetMemory,
} from './file-follower.js';
import { BoundedMap } from '../../common/bounded-map.js';
import { passesUntilDone } from '../../common/async.js';

/**
 * File-system events start a pass this long after the first of them, so a writer that appends
 * every few milliseconds (Envoy under load) costs ten passes a second, not hundreds; well inside
 * the one-second lag an SLI can tolerate.
 */
export const WATCH_BATCH_MS = 100;

export interface LogSourceOptions {
  readonly path: string;
  readonly startAt: 'end' | 'beginning';
  readonly maxLineBytes: number;
  readonly drainMs: number;
  readonly pollIntervalMs: number;
  readonly now: () => number;
  /** watch the directory for changes (off in tests that drive poll() themselves) */
  readonly watch: boolean;
  /** positions saved earlier (a positions file): those of this source's paths are resumed from;
   *  absent = none kept */
  readonly saved?: readonly FilePosition[];
}

export class LogSource {
  readonly #followers = new Map<string, FileFollower>();
  readonly #memory: OffsetMemory = new BoundedMap<number>(OFFSETS_REMEMBERED);
  readonly #dir: string;
  readonly #matcher: RegExp | undefined;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #batch: NodeJS.Timeout | undefined;
  #firstScan = true;
  #stopped = false;
  /** the saved positions of this source's paths */
  readonly #saved: readonly FilePosition[] | undefined;
  /** where its files stood when it stopped */
  #final: FilePosition[] | undefined;

  constructor(
    private readonly options: LogSourceOptions,
    private readonly events: FollowerEvents,
  ) {
    this.#dir = dirname(options.path);
    this.#matcher = isGlob(basename(options.path)) ? pathGlob(basename(options.path)) : undefined;
    this.#saved = options.saved?.filter((p) => this.#owns(p.path));
  }

  /** Whether a path is one this source follows: its path, or a name its glob matches. */
  #owns(path: string): boolean {
    if (this.#matcher === undefined) return path === this.options.path;
    return dirname(path) === this.#dir && this.#matcher.test(basename(path));
  }

  start(): Promise<void> {
    if (this.options.watch) this.#startWatching();
    const tick = (): void => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        this.poll().then(tick, tick);
      }, this.options.pollIntervalMs);
      this.#timer.unref();
    };
    return this.poll().then(tick);
  }

  /** Passes over every file until one finds nothing more; concurrent calls make one more pass. */
  readonly poll = passesUntilDone(
    () => this.#pass(),
    () => !this.#stopped,
  );

  /**
   * Where every followed file stands (see FileFollower.positions): before the first pass, the
   * positions it resumes from (nothing is counted yet); once stopped, where it stopped.
   */
  positions(): FilePosition[] {
    if (this.#final !== undefined) return this.#final;
    if (this.#firstScan) return [...(this.#saved ?? [])];
    return [...this.#followers.values()].flatMap((f) => f.positions());
  }

  /**
   * The latest modification time of the files followed, Unix seconds (undefined: none exists):
   * when the log last got a line, before this process read any.
   */
  async lastModified(): Promise<number | undefined> {
    const times = await Promise.all(
      [...this.#followers.keys()].map((path) =>
        stat(path).then(
          (st) => st.mtimeMs / 1000,
          () => undefined,
        ),
      ),
    );
    const known = times.filter((t): t is number => t !== undefined);
    return known.length === 0 ? undefined : Math.max(...known);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#batch) clearTimeout(this.#batch);
    this.#watcher?.close();
    await this.poll.inFlight?.catch(() => undefined);
    // after the last pass, before the files close: the positions a successor resumes from
    this.#final = this.positions();
    await Promise.all([...this.#followers.values()].map((f) => f.close()));
  }

  async #pass(): Promise<boolean> {
    await this.#scan();
    let more = false;
    for (const follower of this.#followers.values()) {
      if (this.#stopped) break;
      more = (await follower.poll()) || more;
    }
    this.#firstScan = false;
    return more;
  }

  async #scan(): Promise<void> {
    const paths = this.#matcher ? await this.#matches(this.#matcher) : [this.options.path];
    for (const path of paths) {
      if (this.#followers.has(path)) continue;
      this.#followers.set(
        path,
        new FileFollower(
          {
            path,
            startAt: this.#firstScan ? this.options.startAt : 'beginning',
            maxLineBytes: this.options.maxLineBytes,
            drainMs: this.options.drainMs,
            now: this.options.now,
            memory: this.#memory,
            ...(this.#saved === undefined ? {} : { saved: this.#saved }),
            heldElsewhere: (id, self) =>
              [...this.#followers.values()].some((f) => f !== self && f.identities().includes(id)),
          },
          this.events,
        ),
      );
    }
    if (!this.#matcher) return;
    // a follower whose path no longer matches and holds nothing open is done
    for (const [path, follower] of this.#followers) {
      if (!paths.includes(path) && !follower.active) {
        this.#followers.delete(path);
        await follower.close();
      }
    }
  }

  async #matches(matcher: RegExp): Promise<string[]> {
    try {
      const names = await readdir(this.#dir);
      return names
        .filter((n) => matcher.test(n))
        .sort()
        .map((n) => join(this.#dir, n));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.events.error('glob_error', err);
      return [];
    }
  }

  #startWatching(): void {
    try {
      this.#watcher = watch(this.#dir, { persistent: false }, () => {
        this.#batch ??= setTimeout(() => {
          this.#batch = undefined;
          void this.poll();
        }, WATCH_BATCH_MS).unref();
      });
      this.#watcher.on('error', (err) => {
        this.events.error('watch_error', err);
        this.#watcher?.close();
        this.#watcher = undefined;
      });
    } catch (err) {
      // no directory yet, or no inotify: the timer still polls
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.events.error('watch_error', err);
    }
  }
}
