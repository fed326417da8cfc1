// Waits on the event itself, not on a clock: polls `read` every 50 ms until it gives a value.
import { pollUntil } from '../../src/common/async.js';

export async function until<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const value = await pollUntil(read, (v) => v !== undefined, { timeoutMs, everyMs: 50 });
  if (value === undefined) throw new Error(`timed out waiting for ${what}`);
  return value;
}
