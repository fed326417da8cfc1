// Follows one path, rotation-aware, on node:fs. Tracks the open file's (dev, inode) and offset:
// - rename + create: the old file is drained for `drainMs` (Envoy keeps writing to its open fd
//   until it reopens), then the new file is read from 0;
// - copytruncate: size below the offset restarts at 0;
// - delete + recreate, symlink swap: as rename, told apart for the rotation metric;
// - missing at start: waits; a file that appears later is read from 0.
// `poll()` does one check-and-read pass; calls are serialised. Nothing here sleeps or watches:
// the caller decides when to poll (fs.watch, a timer, or a test).
import type { FileHandle } from 'node:fs/promises';
import { lstat, open, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  FINGERPRINT_BYTES,
  fingerprintOf,
  type FilePosition,
} from '../positions/positions-file.js';
import type { FollowErrorReason, RotationKind } from '../../domain/exporter-words.js';
import { LineSplitter, type LineSink } from './line-splitter.js';

export interface FollowerEvents extends LineSink {
  bytes(n: number): void;
  rotation(kind: RotationKind): void;
  error(reason: FollowErrorReason, err: unknown): void;
}

/** Offsets of files that left this follower (rotated away), so another path to the same file
 *  (a glob also matching `access.log.1`) resumes instead of reading it again. */
export type OffsetMemory = Map<string, number>;

export interface FollowerOptions {
  readonly path: string;
  readonly startAt: 'end' | 'beginning';
  readonly maxLineBytes: number;
  readonly drainMs: number;
  readonly now: () => number;
  readonly memory?: OffsetMemory;
  /** true when another follower holds this file open (a glob matching a rotated name) */
  readonly heldElsewhere?: (id: string, self: FileFollower) => boolean;
  /**
   * Positions saved by the previous run for this log (any path of it). When given, a file whose
   * identity and fingerprint match resumes at its saved offset, a file saved under this path
   * that was rotated away meanwhile is drained first, and any other file is new since that run
   * and is read from 0.
   */
  readonly saved?: readonly FilePosition[];
}

interface OpenFile {
  readonly handle: FileHandle;
  readonly id: string;
  offset: number;
  readonly splitter: LineSplitter;
  drainUntil?: number;
  fingerprint: string;
  fingerprintBytes: number;
}

/** The first FINGERPRINT_BYTES of a file (fewer when it is shorter). */
async function readHead(handle: FileHandle): Promise<Buffer> {
  const head = Buffer.alloc(FINGERPRINT_BYTES);
  const { bytesRead } = await handle.read(head, 0, FINGERPRINT_BYTES, 0);
  return head.subarray(0, bytesRead);
}

function fingerprintFields(head: Buffer): { fingerprint: string; fingerprintBytes: number } {
  return { fingerprint: fingerprintOf(head), fingerprintBytes: head.length };
}

/** Whether a file that starts with `head` is the saved one (same first bytes). */
function sameStart(head: Buffer, saved: FilePosition): boolean {
  return (
    head.length >= saved.fingerprintBytes &&
    fingerprintOf(head.subarray(0, saved.fingerprintBytes)) === saved.fingerprint
  );
}

/**
 * One read from the file; fewer, larger reads keep the thread-pool round trips rare. With the
 * JSON fast path the main thread waited for 512 KiB reads (16-21 % idle in the profile); 1 MiB
 * took envoy_listener_json from about 1.5 M to 1.7 M lines/s for 3 MiB more peak RSS.
 */
const READ_SIZE = 1024 * 1024;
/**
 * What the splitter decodes at a time: strings this small stay in V8's young generation. A sink
 * that takes bytes (the JSON fast path) gets whole reads: no strings, and fewer lines cut in two.
 */
const DECODE_SIZE = 64 * 1024;
/** bytes read from one file in one poll before yielding to the event loop */
const MAX_BYTES_PER_POLL = 32 * 1024 * 1024;
/** how many retired files' offsets a log remembers (log-source.ts keeps them) */
export const OFFSETS_REMEMBERED = 1024;

export function identityOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

function errorReason(err: unknown): FollowErrorReason {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM' ? 'permission_denied' : 'read_error';
}

export class FileFollower {
  #current: OpenFile | undefined;
  #draining: OpenFile[] = [];
  #firstCheck = true;
  #running: Promise<boolean> | undefined;
  #again = false;
  #closed = false;
  #lastError: string | undefined;
  readonly #buffers: [Buffer, Buffer] = [
    Buffer.allocUnsafe(READ_SIZE),
    Buffer.allocUnsafe(READ_SIZE),
  ];

  constructor(
    private readonly options: FollowerOptions,
    private readonly events: FollowerEvents,
  ) {}

  get path(): string {
    return this.options.path;
  }

  /**
   * Where every open file stands: the offset just past the last complete line handed on, so
   * resuming there counts nothing twice and loses nothing. Synchronous, so it matches the counts
   * taken in the same turn of the event loop.
   */
  positions(): FilePosition[] {
    return [this.#current, ...this.#draining].flatMap((f) =>
      f
        ? [
            {
              path: this.options.path,
              id: f.id,
              fingerprint: f.fingerprint,
              fingerprintBytes: f.fingerprintBytes,
              offset: f.offset - f.splitter.heldBytes,
            },
          ]
        : [],
    );
  }

  /** Identities this follower holds open (current and draining). */
  identities(): string[] {
    return [this.#current, ...this.#draining].flatMap((f) => (f ? [f.id] : []));
  }

  /** true while anything is still open or the path may yet appear */
  get active(): boolean {
    return this.#current !== undefined || this.#draining.length > 0;
  }

  /**
   * One pass: drain rotated files, detect rotation, read new data. Resolves true when more data
   * is waiting (the per-poll budget ran out), so the caller polls again soon.
   */
  poll(): Promise<boolean> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = async (): Promise<boolean> => {
      for (;;) {
        this.#again = false;
        const more = await this.#pass();
        if (!this.#again || this.#closed) return more;
      }
    };
    this.#running = run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#running?.catch(() => undefined);
    for (const file of [this.#current, ...this.#draining])
      if (file) await file.handle.close().catch(() => undefined);
    this.#current = undefined;
    this.#draining = [];
  }

  async #pass(): Promise<boolean> {
    let more = false;
    if (this.#firstCheck) await this.#reopenRotatedAway();
    for (const file of [...this.#draining]) {
      const left = await this.#readAvailable(file);
      more = left || more;
      if (!left && this.options.now() >= (file.drainUntil ?? 0)) await this.#retire(file);
    }
    const st = await this.#statPath();
    const current = this.#current;
    if (current) {
      more = (await this.#readAvailable(current)) || more;
      if (current.fingerprintBytes < FINGERPRINT_BYTES && current.offset > current.fingerprintBytes)
        Object.assign(current, fingerprintFields(await readHead(current.handle)));
      if (st === undefined || identityOf(st) !== current.id) {
        this.events.rotation(await this.#rotationKind(current, st));
        current.drainUntil = this.options.now() + this.options.drainMs;
        this.#draining.push(current);
        this.#current = undefined;
      } else if (await this.#truncated(current)) {
        this.events.rotation('truncate');
        current.offset = 0;
        current.fingerprintBytes = 0;
        current.splitter.reset();
        more = (await this.#readAvailable(current)) || more;
      }
    }
    if (!this.#current && st?.isFile()) {
      const opened = await this.#open();
      if (opened) more = (await this.#readAvailable(opened)) || more;
    } else if (st && !st.isFile()) {
      this.#reportOnce('not_a_file', new Error(`${this.options.path} is not a regular file`));
    }
    this.#firstCheck = false;
    return more;
  }

  /**
   * Whether the file shrank below what was read. Its size is taken after the read, from the open
   * file: a size taken before would be stale once lines are appended while reading, and would
   * look like a truncation (and the whole file would be read again).
   */
  async #truncated(file: OpenFile): Promise<boolean> {
    try {
      return (await file.handle.stat()).size < file.offset;
    } catch {
      return false;
    }
  }

  async #statPath(): Promise<Stats | undefined> {
    try {
      return await stat(this.options.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.#reportOnce(errorReason(err), err);
      return undefined;
    }
  }

  async #rotationKind(old: OpenFile, now: Stats | undefined): Promise<RotationKind> {
    try {
      const link = await lstat(this.options.path);
      if (link.isSymbolicLink()) return 'symlink';
    } catch {
      // gone: decided below
    }
    const oldStat = await old.handle.stat().catch(() => undefined);
    if (oldStat && oldStat.nlink === 0) return 'recreate';
    return now === undefined && oldStat === undefined ? 'recreate' : 'rename';
  }

  async #open(): Promise<OpenFile | undefined> {
    let handle: FileHandle;
    try {
      handle = await open(this.options.path, 'r');
    } catch (err) {
      this.#reportOnce(errorReason(err), err);
      return undefined;
    }
    // the path may have been swapped between stat and open: trust the open file
    const real = await handle.stat();
    const id = identityOf(real);
    if (this.options.heldElsewhere?.(id, this)) {
      // followed under its old name until that drain ends; then resumed from its offset
      await handle.close();
      return undefined;
    }
    const splitter = new LineSplitter(this.options.maxLineBytes, this.events);
    const remembered = this.options.memory?.get(id);
    const head = await readHead(handle);
    const resumed = this.#firstCheck ? this.#savedOffset(head, id, real.size) : undefined;
    let offset = 0;
    if (remembered !== undefined && remembered <= real.size) offset = remembered;
    else if (resumed !== undefined) offset = resumed;
    else if (this.#firstCheck && this.options.startAt === 'end' && !this.options.saved?.length) {
      offset = real.size;
    }
    if (offset > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, offset - 1);
      if (last[0] !== 10) splitter.skipToNextLine();
    }
    this.#lastError = undefined;
    this.#current = { handle, id, offset, splitter, ...fingerprintFields(head) };
    return this.#current;
  }

  /** The saved offset of this very file (identity and fingerprint match), if it fits. */
  #savedOffset(head: Buffer, id: string, size: number): number | undefined {
    const saved = this.options.saved?.find((p) => p.id === id);
    if (saved === undefined || saved.offset > size) return undefined;
    return sameStart(head, saved) ? saved.offset : undefined;
  }

  /**
   * At start: files saved under this path that were rotated away while the exporter was down
   * (same identity and fingerprint, another name in the same directory) are drained from their
   * saved offset before the current file is read.
   */
  async #reopenRotatedAway(): Promise<void> {
    const mine = (this.options.saved ?? []).filter((p) => p.path === this.options.path);
    if (mine.length === 0) return;
    const current = await stat(this.options.path).catch(() => undefined);
    const away = mine.filter((p) => current === undefined || identityOf(current) !== p.id);
    if (away.length === 0) return;
    const dir = dirname(this.options.path);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const st = await stat(path).catch(() => undefined);
      const saved = st?.isFile() ? away.find((p) => p.id === identityOf(st)) : undefined;
      if (saved === undefined || st === undefined || saved.offset > st.size) continue;
      if (this.options.heldElsewhere?.(saved.id, this)) continue;
      const handle = await open(path, 'r').catch(() => undefined);
      if (handle === undefined) continue;
      if (!sameStart(await readHead(handle), saved)) {
        await handle.close();
        continue;
      }
      this.#draining.push({
        handle,
        id: saved.id,
        offset: saved.offset,
        splitter: new LineSplitter(this.options.maxLineBytes, this.events),
        drainUntil: this.options.now() + this.options.drainMs,
        fingerprint: saved.fingerprint,
        fingerprintBytes: saved.fingerprintBytes,
      });
    }
  }

  async #retire(file: OpenFile): Promise<void> {
    file.splitter.flush();
    this.#draining = this.#draining.filter((f) => f !== file);
    await file.handle.close().catch(() => undefined);
    const memory = this.options.memory;
    if (memory) {
      memory.set(file.id, file.offset);
    }
  }

  /**
   * Reads to EOF or the per-poll budget; true when the budget ran out with data left. The next
   * read is already under way (in the thread pool) while this one is split and counted.
   */
  async #readAvailable(file: OpenFile): Promise<boolean> {
    let budget = MAX_BYTES_PER_POLL;
    let [current, spare] = this.#buffers;
    try {
      let pending = file.handle.read(current, 0, READ_SIZE, file.offset);
      while (!this.#closed) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) return false;
        file.offset += bytesRead;
        budget -= bytesRead;
        const more = budget > 0 && bytesRead === READ_SIZE;
        if (more) {
          pending = file.handle.read(spare, 0, READ_SIZE, file.offset);
          pending.catch(() => undefined); // awaited next turn; never an unhandled rejection
        }
        this.events.bytes(bytesRead);
        const step = this.events.lines ? READ_SIZE : DECODE_SIZE;
        for (let at = 0; at < bytesRead; at += step) {
          file.splitter.push(current.subarray(at, Math.min(bytesRead, at + step)));
        }
        if (!more) return budget <= 0;
        [current, spare] = [spare, current];
      }
    } catch (err) {
      this.#reportOnce(errorReason(err), err);
    }
    return false;
  }

  /** An error that repeats every poll is reported once until the file opens again. */
  #reportOnce(reason: FollowErrorReason, err: unknown): void {
    const key = `${reason}:${(err as Error).message}`;
    if (key === this.#lastError) return;
    this.#lastError = key;
    this.events.error(reason, err);
  }
}
