// The golden logs (test/golden/*.log): real-shaped lines, each after a `#` comment line saying
// what it shows; the comments are not log lines.
import { readFileSync } from 'node:fs';

export const GOLDEN_DIR = new URL('../golden/', import.meta.url);

/** The log lines of test/golden/<name>.log, without comments. */
export function goldenLines(name: string): string[] {
  return readFileSync(new URL(`${name}.log`, GOLDEN_DIR), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}
