// A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1 with clustering off, and a
// webhook server that records what each receiver was sent.
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';

export interface Delivery {
  readonly receiver: string;
  readonly status: string;
  readonly at: number;
  readonly alerts: ReadonlyArray<{
    status: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
  }>;
}

export interface Webhook {
  readonly url: string;
  readonly deliveries: Delivery[];
  stop(): Promise<void>;
}

export async function startWebhook(): Promise<Webhook> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      try {
        const payload = JSON.parse(body) as {
          receiver: string;
          status: string;
          alerts: Delivery['alerts'];
        };
        deliveries.push({
          receiver: payload.receiver,
          status: payload.status,
          at: Date.now(),
          alerts: payload.alerts,
        });
      } catch {
        // not an Alertmanager payload: ignored
      }
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    deliveries,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type RunningAlertmanager = Daemon;

/** Alertmanager with clustering off (it would bind 9094 otherwise). */
export function startAlertmanager(configYaml: string): Promise<RunningAlertmanager> {
  return startDaemon(
    'prometheus-alertmanager',
    'prometheus-alertmanager',
    { 'alertmanager.yml': configYaml },
    (dir, port) => [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
  );
}
