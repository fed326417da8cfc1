// Why the exporter's bounded caches are common/bounded-map.ts and not the lru-cache package
// (issue 40): the same get-else-set loop over both, at the caches' sizes, on this machine. Run:
// `npx tsx bench/bounded-map.ts`. Not part of `npm run bench` (it is a choice measured once, not
// a number to watch); docs/performance.md keeps its last figures.
import { LRUCache } from 'lru-cache';
import { BoundedMap } from '../src/common/bounded-map.js';

const OPS = 2_000_000;
const CAP = 10_000;
const KEYS = Array.from({ length: 2 * CAP }, (_, i) => `${i.toString(16).padStart(64, '0')}`);

interface Cache {
  get(key: string): number | undefined;
  set(key: string, value: number): unknown;
}

/** ns per lookup (a miss then sets) over `span` keys drawn by a fixed LCG. */
function nsPerOp(cache: Cache, span: number): number {
  let x = 1;
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS; i++) {
    x = (x * 1_103_515_245 + 12_345) & 0x7fffffff;
    const key = KEYS[x % span] as string;
    if (cache.get(key) === undefined) cache.set(key, i);
  }
  return Number(process.hrtime.bigint() - started) / OPS;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const rows: Array<[string, () => Cache]> = [
  ['common/bounded-map.ts', () => new BoundedMap<number>(CAP)],
  ['lru-cache 11.5.3', () => new LRUCache<string, number>({ max: CAP })],
];
for (const [span, what] of [
  [CAP / 2, 'hits (every key fits)'],
  [2 * CAP, 'churn (twice the keys that fit)'],
] as const) {
  for (const [name, make] of rows) {
    const runs = Array.from({ length: 5 }, () => nsPerOp(make(), span));
    console.log(
      `${what.padEnd(32)} ${name.padEnd(22)} ${median(runs).toFixed(0)} ns/op (median of 5)`,
    );
  }
}
