// How fast this machine runs JavaScript at a given moment. The bench's VM drifts: the same code's
// figures moved by 2x from one day to the next (the 10 k-series scrape of revision 163c1e0: 9.9 ms
// on 2026-11-30, 23 ms on 2026-12-02), and not always with its clock: on 2026-12-02 the log cases
// ran 2-2.6x slower than the day before while an integer loop was only 1.3-1.6x slower, memory
// being the slower part. Two fixed loops, each timed in fresh processes before each section, let a
// reader tell a slower machine from slower code.
import { execFileSync } from 'node:child_process';
import { median } from './stats.js';

const timed = (body: string): string =>
  `const t=process.hrtime.bigint();${body};process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;

/** 3·10⁸ integer additions: the core's speed (JIT-compiled, no allocation, no memory traffic). */
const INTEGER_LOOP = timed('let x=0;for(let i=0;i<3e8;i++)x+=i%7;if(x<0)throw 0');

/**
 * 2·10⁷ reads and writes at pseudo-random places of a 256 MiB array: the memory's latency, which
 * the log pipeline's tables (connection ids, interned values, series) meet on every line.
 */
const MEMORY_LOOP = timed(
  'const a=new Int32Array(1<<26);let j=1,x=0;' +
    'for(let i=0;i<2e7;i++){j=(Math.imul(j,1103515245)+12345)&((1<<26)-1);x+=a[j];a[j]=i}' +
    'if(x<0)throw 0',
);

function medianOfThree(script: string): number {
  const runs = Array.from({ length: 3 }, () =>
    Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })),
  );
  return median(runs);
}

export interface MachineSpeed {
  /** ms of the integer loop, median of three fresh processes */
  readonly integerMs: number;
  /** ms of the memory loop, median of three fresh processes */
  readonly memoryMs: number;
}

export function machineSpeed(): MachineSpeed {
  return { integerMs: medianOfThree(INTEGER_LOOP), memoryMs: medianOfThree(MEMORY_LOOP) };
}
