// The access-log formats the kit configures in Envoy (the Envoy sidecar example's envoy.yaml, the
// Istio EnvoyFilter) and the exporter entries that read them: one source for both, so what Envoy
// writes is what the preset reads (test/integration/monitoring/kubernetes-kit.test.ts holds them together).
import {
  HTTP_JSON_FIELDS,
  LISTENER_JSON_FIELDS,
  LISTENER_TIMING_FIELDS,
} from '../accesslog/parse/presets.js';

/** `{ key: '%OPERATOR%' }` for Envoy's json_format, from a preset's operator -> key map. */
function jsonFormat(
  logType: string,
  ...fields: ReadonlyArray<Readonly<Record<string, string>>>
): Record<string, string> {
  const format: Record<string, string> = { log_type: logType };
  for (const map of fields)
    for (const [operator, key] of Object.entries(map)) format[key] = `%${operator}%`;
  return format;
}

/**
 * The listener log of docs/envoy.md §1 (preset envoy_listener_json). `withTimes` adds the
 * handshake times of §5 (`%DOWNSTREAM_HANDSHAKE_DURATION%` and the `DS_HS_*` span), which an
 * Envoy without them refuses as a config error: the Istio filter leaves them out.
 */
export function listenerLogFormat(withTimes: boolean): Record<string, string> {
  return withTimes
    ? jsonFormat('listener', LISTENER_JSON_FIELDS, LISTENER_TIMING_FIELDS)
    : jsonFormat('listener', LISTENER_JSON_FIELDS);
}

/** The HTTP log of docs/envoy.md §2 (preset envoy_http_json), for the upstream handshakes. */
export const httpLogFormat = (): Record<string, string> => jsonFormat('http', HTTP_JSON_FIELDS);

/** Envoy's file access logger writing `path` in `format`. */
export function fileAccessLog(path: string, format: Record<string, string>): object {
  return {
    name: 'envoy.access_loggers.file',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog',
      path,
      log_format: { json_format: format },
    },
  };
}

export interface FollowedLog {
  readonly name: string;
  readonly path: string;
  readonly format: 'envoy_listener_json' | 'envoy_http_json';
  readonly directions?: readonly string[];
}

/**
 * access_logs entries in the exporter's YAML: each file rotated by the exporter at `maxSize`
 * through Envoy's admin (`reopenUrl`), so the shared volume cannot fill (log-rotator.ts).
 */
export function accessLogsYaml(
  logs: readonly FollowedLog[],
  maxSize: string,
  reopenUrl: string,
): string {
  return [
    'access_logs:',
    ...logs.flatMap((l) => [
      `  - name: ${l.name}`,
      `    path: ${l.path}`,
      `    format: ${l.format}`,
      ...(l.directions ? [`    directions: [${l.directions.join(', ')}]`] : []),
      `    rotate: { max_size: ${maxSize}, reopen_url: '${reopenUrl}' }`,
    ]),
  ].join('\n');
}

/** Each rotated log is at most max_size live plus one renamed file: the volume holds both, twice over. */
export const LOG_MAX_SIZE = '50Mi';
export const LOG_VOLUME_SIZE = '256Mi';
