// The name of a config entry that becomes a label value (`log`, `envoy`, a cert_files `name`):
// letters, digits and a few separators, so it reads the same in a label and in a file name.
import * as z from 'zod';

export const ENTRY_NAME = /^[A-Za-z0-9_.:-]+$/;

export const entryNameSchema = z
  .string()
  .regex(ENTRY_NAME, { error: 'expected letters, digits, "_", ".", ":" or "-"' });
