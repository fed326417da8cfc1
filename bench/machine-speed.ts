// How fast this machine runs JavaScript at a given moment. The bench's VM drifts: the same code's
// figures moved by 2x from one day to the next (the 10 k-series scrape of revision 163c1e0: 9.9 ms
// on 2026-11-30, 23 ms on 2026-12-02). A fixed loop timed in a fresh process before each section
// lets a reader tell a slower machine from slower code.
import { execFileSync } from 'node:child_process';
import { median } from './stats.js';

/** 3·10⁸ integer additions: pure JIT-compiled work, no allocation, no I/O. */
const LOOP =
  'const t=process.hrtime.bigint();let x=0;for(let i=0;i<3e8;i++)x+=i%7;' +
  'if(x<0)throw 0;process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';

/** Milliseconds the loop takes now: the median of three fresh processes. */
export function loopMs(): number {
  const runs = Array.from({ length: 3 }, () =>
    Number(execFileSync(process.execPath, ['-e', LOOP], { encoding: 'utf8' })),
  );
  return median(runs);
}
