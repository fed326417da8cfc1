// The root config schema, composed from one module per section. Adding a section is one new file
// under sections/ plus one entry in SECTIONS. Unknown keys are errors at every level; defaults live
// in the section schemas; `Config` is inferred, never written by hand.
import * as z from 'zod';
import { accessLogServicesSection } from './sections/access-log-services.js';
import { accessLogsSection } from './sections/access-logs.js';
import { certFilesSection } from './sections/cert-files.js';
import { envoyAdminSection } from './sections/envoy-admin.js';
import { logSection } from './sections/log.js';
import { positionsFileSection } from './sections/positions-file.js';
import { probesSection } from './sections/probes.js';
import { revocationSection } from './sections/revocation.js';
import { serverNamesSection } from './sections/server-names.js';
import { sloSection } from './sections/slo.js';
import { webSection } from './sections/web.js';

// a config is parsed once per start or reload: zod's compiled fast path (new Function per object
// schema) costs more to build than it saves
z.config({ jitless: true });

const SECTIONS = [
  webSection,
  logSection,
  accessLogsSection,
  accessLogServicesSection,
  serverNamesSection,
  probesSection,
  certFilesSection,
  revocationSection,
  envoyAdminSection,
  positionsFileSection,
  sloSection,
] as const;

type Sections = typeof SECTIONS;
type Shape = { [S in Sections[number] as S['key']]: S['schema'] };

function shapeOf(sections: Sections): Shape {
  return Object.fromEntries(sections.map((s) => [s.key, s.schema])) as Shape;
}

export const configSchema = z.strictObject(shapeOf(SECTIONS)).superRefine((config, ctx) => {
  // a gRPC endpoint's entries are a log of their own: its name is the `log` label
  const files = new Set(config.access_logs.map((l) => l.name));
  config.access_log_services.forEach((service, i) => {
    if (files.has(service.name))
      ctx.addIssue({
        code: 'custom',
        path: ['access_log_services', i, 'name'],
        message: `"${service.name}" is also an access_logs name: the two would count under one log label`,
      });
  });
  // an Envoy's counters are compared with a log by name: a name that is no log compares nothing
  const logs = new Set([...files, ...config.access_log_services.map((s) => s.name)]);
  config.envoy_admin.forEach((target, i) => {
    for (const key of ['downstream_log', 'upstream_log'] as const) {
      const log = target[key];
      if (log !== undefined && !logs.has(log))
        ctx.addIssue({
          code: 'custom',
          path: ['envoy_admin', i, key],
          message: `no access_logs entry is named "${log}"`,
        });
    }
  });
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
