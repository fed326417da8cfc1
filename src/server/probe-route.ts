// GET /probe answered before express: a scrape of the multi-target pattern is the exporter's
// busiest request, and express's router and res.send() cost about a tenth of it (issue 38,
// measured in docs/performance.md). Everything express does for it is done here the same way:
// the web config's headers and basic auth, its `simple` query parser (node:querystring), the
// telemetry path taking precedence, the same statuses and bodies. Any other request, and /probe
// in a spelling express would also route (`/probe/`, another case, HEAD), goes to express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'node:querystring';
import type { AppDeps } from './app.js';
import { respond, TEXT } from './respond.js';

async function answer(
  deps: AppDeps,
  req: IncomingMessage,
  res: ServerResponse,
  search: string,
): Promise<void> {
  const access = deps.access;
  const headers = access?.headers() ?? {};
  if (access !== undefined) {
    let ok: boolean;
    try {
      ok = await access.authorized(req.headers.authorization);
    } catch (err) {
      deps.logger.error({ err: (err as Error).message }, 'checking credentials failed');
      respond(res, 500, TEXT, 'Internal Server Error\n', headers);
      return;
    }
    if (!ok) {
      respond(res, 401, TEXT, 'Unauthorized\n', { ...headers, 'WWW-Authenticate': 'Basic' });
      return;
    }
  }
  const timeout = req.headers['x-prometheus-scrape-timeout-seconds'];
  try {
    const r = await deps.probe(parse(search), typeof timeout === 'string' ? timeout : undefined);
    respond(res, r.status, r.contentType, r.body, {
      ...headers,
      ...(r.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(r.retryAfterSeconds) }),
    });
  } catch (err) {
    deps.logger.error({ err }, 'probe failed');
    respond(res, 500, TEXT, `probe failed: ${String(err)}\n`, headers);
  }
}

/** Answers `GET /probe?…` and says so; anything else is left to the caller (express). */
export function probeFastPath(deps: AppDeps, req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== 'GET') return false;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path !== '/probe' || deps.landing().telemetryPath === '/probe') return false;
  void answer(deps, req, res, q < 0 ? '' : url.slice(q + 1));
  return true;
}
