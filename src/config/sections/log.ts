// Config section `log`: the exporter's own logging.
import * as z from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['logfmt', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const logLevelSchema = z.enum(LOG_LEVELS);
export const logFormatSchema = z.enum(LOG_FORMATS);

export const logSection = {
  key: 'log',
  schema: z
    .strictObject({
      level: logLevelSchema.default('info'),
      format: logFormatSchema.default('logfmt'),
    })
    .prefault({}),
} as const;
