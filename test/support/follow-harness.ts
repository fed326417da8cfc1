// Drives a LogSource over real files with a hand-moved clock and explicit polls: no sleeping.
import { withoutCr } from '../../src/accesslog/follow/line-splitter.js';
import { LogSource } from '../../src/accesslog/follow/log-source.js';
import type { FollowErrorReason, RotationKind } from '../../src/domain/exporter-words.js';

export interface Collected {
  readonly lines: string[];
  readonly oversize: number[];
  readonly rotations: RotationKind[];
  readonly errors: FollowErrorReason[];
  bytes: number;
}

export interface FollowHarness {
  readonly source: LogSource;
  readonly got: Collected;
  clock: number;
  /** poll, optionally after moving the clock on */
  poll(advanceMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface FollowOptions {
  startAt?: 'end' | 'beginning';
  maxLineBytes?: number;
  drainMs?: number;
  /** take whole lines as byte blocks (LineSink.lines), as the JSON fast path does */
  blocks?: boolean;
}

/** A block of whole lines split as a byte-taking sink must: CR dropped, the limit applied. */
function splitBlock(block: Buffer, maxLineBytes: number, got: Collected): void {
  for (let start = 0; start < block.length;) {
    const end = block.indexOf(10, start);
    if (end - start > maxLineBytes) got.oversize.push(end - start + 1);
    else got.lines.push(withoutCr(block.toString('utf8', start, end)));
    start = end + 1;
  }
}

export async function follow(path: string, options: FollowOptions = {}): Promise<FollowHarness> {
  const got: Collected = { lines: [], oversize: [], rotations: [], errors: [], bytes: 0 };
  const maxLineBytes = options.maxLineBytes ?? 65536;
  const h: FollowHarness = {
    got,
    clock: 0,
    source: undefined as unknown as LogSource,
    async poll(advanceMs = 0) {
      h.clock += advanceMs;
      await h.source.poll();
    },
    stop: () => h.source.stop(),
  };
  (h as { source: LogSource }).source = new LogSource(
    {
      path,
      startAt: options.startAt ?? 'beginning',
      maxLineBytes,
      drainMs: options.drainMs ?? 10_000,
      pollIntervalMs: 3_600_000,
      now: () => h.clock,
      watch: false,
    },
    {
      line: (t) => got.lines.push(t),
      ...(options.blocks ? { lines: (b: Buffer) => splitBlock(b, maxLineBytes, got) } : {}),
      oversize: (b) => got.oversize.push(b),
      bytes: (n) => {
        got.bytes += n;
      },
      rotation: (k) => got.rotations.push(k),
      error: (r) => got.errors.push(r),
    },
  );
  await h.source.start();
  return h;
}

export function numbered(from: number, count: number, prefix = 'line'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${from + i}`);
}

/** every expected line exactly once, in order */
export function assertExactly(got: readonly string[], expected: readonly string[]): void {
  if (got.length !== expected.length) {
    const seen = new Set(got);
    const missing = expected.filter((l) => !seen.has(l)).slice(0, 5);
    const dupes = got.filter((l, i) => got.indexOf(l) !== i).slice(0, 5);
    throw new Error(
      `expected ${expected.length} lines, got ${got.length}; missing ${JSON.stringify(missing)}; duplicated ${JSON.stringify(dupes)}`,
    );
  }
  for (let i = 0; i < expected.length; i++) {
    if (got[i] !== expected[i])
      throw new Error(`line ${i}: expected ${expected[i]}, got ${got[i]}`);
  }
}
