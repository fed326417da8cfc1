// Config section `cert_files`: certificates on disk (PEM bundles, DER, PKCS#12) to watch expire.
import * as z from 'zod';
import { entryNameSchema } from '../entry-name.js';
import { fileRevocationSchema } from './revocation.js';

export const certFilesSection = {
  key: 'cert_files',
  schema: z
    .array(
      z.strictObject({
        name: entryNameSchema,
        /** files, directories (every file in them) and globs (`**` crosses directories) */
        paths: z.array(z.string().min(1)).min(1),
        exclude: z.array(z.string().min(1)).default([]),
        /** a file holding the PKCS#12 password */
        password_file: z.string().min(1).optional(),
        /** OCSP and CRL checks of each certificate file's certificates (off by default) */
        revocation: fileRevocationSchema.optional(),
      }),
    )
    .default([]),
} as const;
