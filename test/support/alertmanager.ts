// A real Alertmanager (Debian's prometheus-alertmanager) on 127.0.0.1 with clustering off, and a
// webhook server that records what each receiver was sent.
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
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

/**
 * The shipped alerts/alertmanager.example.yml as it is, but for its receivers, which post to the
 * test's webhook (`<url>/<receiver>`), and its timings, shortened so a test sees a notification in
 * a second. Routing and inhibition stay the shipped ones.
 */
export async function shippedRouting(webhookUrl: string): Promise<string> {
  const am = parse(
    await readFile(new URL('../../alerts/alertmanager.example.yml', import.meta.url), 'utf8'),
  ) as {
    route: Record<string, unknown>;
    receivers: Array<{ name: string; webhook_configs: Array<{ url: string }> }>;
  };
  for (const r of am.receivers)
    for (const w of r.webhook_configs) w.url = `${webhookUrl}/${r.name}`;
  Object.assign(am.route, { group_wait: '1s', group_interval: '1s', repeat_interval: '1h' });
  return stringify(am);
}

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
