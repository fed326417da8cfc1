// The HTTP routes: telemetry, landing page, health, readiness, reload and a drill's note.
// Everything the routes need comes in through `AppDeps`, so tests can drive the app with real
// sockets and fake parts.
import type { RequestListener } from 'node:http';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import express, { type Express, type Request, type Response } from 'express';
import type { MetricsRenderer } from '../metrics/registry.js';
import type { ProbeReply } from '../probe/probe-endpoint.js';
import type { Logger } from '../log/logger.js';
import type { ReloadResult } from '../runtime/reloader.js';
import { landingPage, type LandingInfo } from './landing-page.js';
import { probeFastPath } from './probe-route.js';
import { respond, TEXT } from './respond.js';
import { statusLang } from './status-texts.js';
import { DRILL_NOTES_OFF, drillNoteOf } from './drill-note.js';
import { STATUS_CSP, STATUS_CSS } from './status-assets.js';
import { STATUS_JS } from './status-script.js';

export interface AppDeps {
  readonly metrics: MetricsRenderer;
  /** read per request, so a reload that changes the path applies at once */
  readonly landing: () => LandingInfo;
  readonly ready: () => boolean;
  readonly reload: () => Promise<ReloadResult>;
  /** GET /probe: probe a target now (multi-target exporter pattern) */
  readonly probe: (
    query: Readonly<Record<string, unknown>>,
    scrapeTimeout: string | undefined,
  ) => Promise<ProbeReply>;
  /** the live status shown on `/` */
  readonly status: () => unknown;
  /** whether POST /-/drill is taken (web.drill_notes, --web.enable-drill-notes) */
  readonly drillNotes: () => boolean;
  /** the web config's basic auth and headers, applied to every route; absent = open */
  readonly access?: {
    headers(): Readonly<Record<string, string>>;
    authorized(header: string | undefined): Promise<boolean>;
  };
  readonly logger: Logger;
}

function text(res: Response, status: number, body: string): void {
  respond(res, status, TEXT, body);
}

/** Resolves when `sink` can take more, or the client is gone (`res` closed). */
function drainedOrClosed(sink: Writable, res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      res.off('close', done);
      resolve();
    };
    sink.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams the exposition chunk by chunk, waiting for the socket to drain, so a large scrape holds
 * neither the event loop nor the whole body in memory. A failure before the first chunk is a 500.
 * Compressed when the scraper asks for gzip (Prometheus does), as Go exporters answer: at the
 * fastest level, the exposition's repeated names and labels shrink about tenfold.
 */
async function sendMetrics(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const chunks = deps.metrics.render()[Symbol.asyncIterator]();
  let next = await chunks.next();
  res.status(200).setHeader('Content-Type', deps.metrics.contentType);
  res.vary('Accept-Encoding');
  if (req.method === 'HEAD') {
    await chunks.return?.();
    res.end();
    return;
  }
  const gzip =
    req.acceptsEncodings('gzip', 'identity') === 'gzip' ? createGzip({ level: 1 }) : undefined;
  if (gzip) {
    res.set('Content-Encoding', 'gzip');
    gzip.on('error', () => res.destroy());
    gzip.pipe(res);
  }
  const sink: Writable = gzip ?? res;
  while (next.done !== true) {
    if (!sink.write(next.value)) await drainedOrClosed(sink, res);
    if (res.destroyed) {
      gzip?.destroy();
      await chunks.return?.();
      return;
    }
    next = await chunks.next();
  }
  sink.end();
}

/** The exporter's HTTP handler: GET /probe on its fast path (probe-route.ts), the rest express. */
export function createApp(deps: AppDeps): RequestListener {
  const app = expressApp(deps);
  return (req, res) => {
    if (!probeFastPath(deps, req, res)) app(req, res);
  };
}

function expressApp(deps: AppDeps): Express {
  const app = express();
  app.disable('etag');
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const access = deps.access;
  if (access !== undefined) {
    app.use((req: Request, res: Response, next) => {
      res.set(access.headers());
      access.authorized(req.get('authorization')).then(
        (ok) => {
          if (ok) next();
          else {
            res.set('WWW-Authenticate', 'Basic');
            text(res, 401, 'Unauthorized\n');
          }
        },
        (err: unknown) => {
          deps.logger.error({ err: (err as Error).message }, 'checking credentials failed');
          text(res, 500, 'Internal Server Error\n');
        },
      );
    });
  }

  app.use((req: Request, res: Response, next) => {
    if (req.path !== deps.landing().telemetryPath) {
      next();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.set('Allow', 'GET, HEAD');
      text(res, 405, 'Method Not Allowed\n');
      return;
    }
    sendMetrics(deps, req, res).catch((err: unknown) => {
      deps.logger.error({ err }, 'rendering metrics failed');
      if (res.headersSent) res.destroy();
      else text(res, 500, `error rendering metrics: ${String(err)}\n`);
    });
  });

  const page = (type: string, body: () => string) => (_req: Request, res: Response) => {
    res.set('Content-Security-Policy', STATUS_CSP).set('X-Content-Type-Options', 'nosniff');
    respond(res, 200, type, body());
  };
  app.get('/', (req: Request, res: Response) => {
    const lang = statusLang(req.query['lang'], (...langs) => req.acceptsLanguages(...langs));
    res.vary('Accept-Language').set('Content-Language', lang);
    page('text/html; charset=utf-8', () => landingPage(deps.landing(), lang))(req, res);
  });
  app.get(
    '/status.js',
    page('text/javascript; charset=utf-8', () => STATUS_JS),
  );
  app.get(
    '/status.css',
    page('text/css; charset=utf-8', () => STATUS_CSS),
  );
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/api/status', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    respond(res, 200, 'application/json; charset=utf-8', JSON.stringify(deps.status()));
  });
  app.get('/-/healthy', (_req, res) => {
    text(res, 200, 'Healthy.\n');
  });
  app.get('/-/ready', (_req, res) => {
    if (deps.ready()) text(res, 200, 'Ready.\n');
    else text(res, 503, 'Not ready.\n');
  });
  app.get('/probe', (req, res) => {
    deps
      .probe(req.query as Record<string, unknown>, req.get('x-prometheus-scrape-timeout-seconds'))
      .then(
        (reply) => {
          if (reply.retryAfterSeconds !== undefined)
            res.set('Retry-After', String(reply.retryAfterSeconds));
          respond(res, reply.status, reply.contentType, reply.body);
        },
        (err: unknown) => {
          deps.logger.error({ err }, 'probe failed');
          text(res, 500, `probe failed: ${String(err)}\n`);
        },
      );
  });
  app.post('/-/reload', (_req, res) => {
    deps.reload().then(
      (result) => {
        if (result.ok) text(res, 200, 'Config reloaded.\n');
        else text(res, 500, `failed to reload config: ${result.error}\n`);
      },
      (err: unknown) => {
        text(res, 500, `failed to reload config: ${String(err)}\n`);
      },
    );
  });
  app.all('/-/reload', (_req, res) => {
    res.set('Allow', 'POST');
    text(res, 405, 'Only POST requests allowed.\n');
  });
  app.post('/-/drill', (req, res) => {
    if (!deps.drillNotes()) {
      text(res, 403, `${DRILL_NOTES_OFF}\n`);
      return;
    }
    const note = drillNoteOf(req.query);
    if (typeof note === 'string') {
      text(res, 400, `${note}\n`);
      return;
    }
    const { event, ...fields } = note;
    deps.logger.warn(
      { drill: note.fault, ...fields },
      event === 'start'
        ? `drill: ${note.fault} injected against ${note.target}: the TLS failures that follow are a test`
        : `drill: ${note.fault} against ${note.target} ended`,
    );
    res.status(204).end();
  });
  app.all('/-/drill', (_req, res) => {
    res.set('Allow', 'POST');
    text(res, 405, 'Only POST requests allowed.\n');
  });

  app.use((_req, res) => {
    text(res, 404, 'Not Found\n');
  });
  return app;
}
