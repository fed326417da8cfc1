// Config section `server_names`: bounds the `server_name` label, whose values come from the wire
// (SNI is chosen by the client). Downstream handshakes carry the SNI, upstream ones the cluster
// name: each kind has its own allow-list (name globs, docs/configuration.md "Globs").
import * as z from 'zod';

export const serverNamesSection = {
  key: 'server_names',
  schema: z
    .strictObject({
      /** server names (SNI) of downstream handshakes; empty = any up to max_values */
      allow: z.array(z.string().min(1)).default([]),
      /** upstream cluster names (the server_name of upstream handshakes); empty = any */
      clusters_allow: z.array(z.string().min(1)).default([]),
      /** distinct values kept, for server names and for cluster names each; then `other` */
      max_values: z.number().int().min(1).max(100_000).default(100),
    })
    .prefault({}),
} as const;
