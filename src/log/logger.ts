// The process logger: pino, writing logfmt (default) or JSON lines to stderr, synchronously so a
// line logged right before exit is never lost.
import pino, { type Logger } from 'pino';
import type { LogFormat, LogLevel } from '../config/sections/log.js';
import { toLogfmt } from './logfmt.js';

export type { Logger };

export interface LineSink {
  write(line: string): void;
}

const stderrSink: LineSink = {
  write: (line) => {
    process.stderr.write(line);
  },
};

function logfmtStream(sink: LineSink): pino.DestinationStream {
  return {
    write(chunk: string): void {
      try {
        sink.write(`${toLogfmt(JSON.parse(chunk) as Record<string, unknown>)}\n`);
      } catch {
        sink.write(chunk);
      }
    },
  };
}

export function createLogger(
  level: LogLevel,
  format: LogFormat,
  sink: LineSink = stderrSink,
): Logger {
  const stream: pino.DestinationStream =
    format === 'json' ? { write: (chunk: string) => sink.write(chunk) } : logfmtStream(sink);
  return pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
}
