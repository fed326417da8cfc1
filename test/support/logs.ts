// A logger that keeps its records in memory, for tests that assert on what was logged.
import { createLogger, type Logger } from '../../src/log/logger.js';

export interface MemoryLogger {
  readonly logger: Logger;
  readonly records: Array<Record<string, unknown>>;
  readonly sink: { write(line: string): void };
}

export function memoryLogger(): MemoryLogger {
  const records: Array<Record<string, unknown>> = [];
  const sink = {
    write: (line: string) => {
      records.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { logger: createLogger('debug', 'json', sink), records, sink };
}
