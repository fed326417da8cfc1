// A real Prometheus (Debian's package) on 127.0.0.1 with its own temp data directory.
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';

export type RunningPrometheus = Daemon;

export function startPrometheus(
  configYaml = 'global: {scrape_interval: 1s}\n',
  files: Readonly<Record<string, string>> = {},
): Promise<RunningPrometheus> {
  return startDaemon(
    'prometheus',
    'prometheus',
    { 'prometheus.yml': configYaml, ...files },
    (dir, port) => [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
  );
}
