// Config key `positions_file`: where the exporter keeps how far it has counted each followed log,
// so a restart or a crash loses no line and counts none twice (see docs/configuration.md).
// Absent = off: logs start as `start_at` says and counts are published at once.
import * as z from 'zod';

export const positionsFileSection = {
  key: 'positions_file',
  schema: z.string().min(1, { error: 'expected a file path' }).optional(),
} as const;
